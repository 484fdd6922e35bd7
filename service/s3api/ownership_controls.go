package s3api

import (
	"github.com/verdict-project/verdict/model"
	"net/http"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("PutBucketOwnershipControls", putBucketOwnershipControls)
	register("GetBucketOwnershipControls", getBucketOwnershipControls)
	register("DeleteBucketOwnershipControls", deleteBucketOwnershipControls)
}

// putBucketOwnershipControls implements PutBucketOwnershipControls.
// Switching to BucketOwnerEnforced is refused while the bucket ACL grants
// anything to anyone but the owner. Objects keep their owners and ACLs in
// the store: under BucketOwnerEnforced the engine treats the bucket owner
// as the owner of every object, and switching back brings the old ACLs
// back into force.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
func putBucketOwnershipControls(q *request) {
	body, ok := readConfigBody(q)
	if !ok {
		return
	}
	err := q.onBucket(true, "s3:PutBucketOwnershipControls", func(tx store.Tx, b *model.Bucket) error {
		var cfg s3xml.OwnershipControls
		if err := decodeConfig(body, &cfg); err != nil {
			return err
		}
		o, _ := acl.ParseOwnership(cfg.Rules[0].ObjectOwnership)
		if o == acl.BucketOwnerEnforced && !b.ACL.OnlyOwner() {
			return awserr.New("InvalidBucketAclWithObjectOwnership", http.StatusBadRequest,
				"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
		}
		b.Ownership = o
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusOK)
}

// getBucketOwnershipControls implements GetBucketOwnershipControls; a
// bucket whose controls were deleted has none (and behaves as ObjectWriter).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketOwnershipControls.html
func getBucketOwnershipControls(q *request) {
	var o acl.Ownership
	err := q.onBucket(false, "s3:GetBucketOwnershipControls", func(tx store.Tx, b *model.Bucket) error {
		if b.Ownership == "" {
			return awserr.New("OwnershipControlsNotFoundError", http.StatusNotFound, "The bucket ownership controls were not found").
				With("BucketName", q.bucket)
		}
		o = b.Ownership
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, &s3xml.OwnershipControls{Rules: []s3xml.OwnershipControlsRule{{ObjectOwnership: string(o)}}})
}

// deleteBucketOwnershipControls implements DeleteBucketOwnershipControls
// (s3:PutBucketOwnershipControls). Afterwards the bucket has no controls and
// objects are owned by their writers, as under ObjectWriter; deleting
// twice is not an error.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketOwnershipControls.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
func deleteBucketOwnershipControls(q *request) {
	err := q.onBucket(true, "s3:PutBucketOwnershipControls", func(tx store.Tx, b *model.Bucket) error {
		b.Ownership = ""
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}
