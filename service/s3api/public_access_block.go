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
	register("PutPublicAccessBlock", putPublicAccessBlock)
	register("GetPublicAccessBlock", getPublicAccessBlock)
	register("DeletePublicAccessBlock", deletePublicAccessBlock)
}

// putPublicAccessBlock implements PutPublicAccessBlock on a bucket. An
// element left out of the body is false. The effective settings of a
// request are these OR'ed with the owner account's (see the s3controlapi
// package).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
func putPublicAccessBlock(q *request) {
	body, ok := readConfigBody(q)
	if !ok {
		return
	}
	err := q.onBucket(true, "s3:PutBucketPublicAccessBlock", func(tx store.Tx, b *model.Bucket) error {
		var cfg s3xml.PublicAccessBlockConfiguration
		if err := decodeConfig(body, &cfg); err != nil {
			return err
		}
		b.PublicAccess = &acl.PublicAccessBlock{BlockPublicAcls: cfg.BlockPublicAcls, IgnorePublicAcls: cfg.IgnorePublicAcls,
			BlockPublicPolicy: cfg.BlockPublicPolicy, RestrictPublicBuckets: cfg.RestrictPublicBuckets}
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusOK)
}

// getPublicAccessBlock implements GetPublicAccessBlock on a bucket: the
// bucket's own settings (not merged with the account's), or
// NoSuchPublicAccessBlockConfiguration when it has none.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html
func getPublicAccessBlock(q *request) {
	var p acl.PublicAccessBlock
	err := q.onBucket(false, "s3:GetBucketPublicAccessBlock", func(tx store.Tx, b *model.Bucket) error {
		if b.PublicAccess == nil {
			return awserr.New("NoSuchPublicAccessBlockConfiguration", http.StatusNotFound, "The public access block configuration was not found").
				With("BucketName", q.bucket)
		}
		p = *b.PublicAccess
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, &s3xml.PublicAccessBlockConfiguration{BlockPublicAcls: p.BlockPublicAcls,
		IgnorePublicAcls: p.IgnorePublicAcls, BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets})
}

// deletePublicAccessBlock implements DeletePublicAccessBlock on a bucket
// (s3:PutBucketPublicAccessBlock); deleting twice is not an error.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeletePublicAccessBlock.html
func deletePublicAccessBlock(q *request) {
	err := q.onBucket(true, "s3:PutBucketPublicAccessBlock", func(tx store.Tx, b *model.Bucket) error {
		b.PublicAccess = nil
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}
