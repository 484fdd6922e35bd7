package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("PutBucketTagging", putBucketTagging)
	register("GetBucketTagging", getBucketTagging)
	register("DeleteBucketTagging", deleteBucketTagging)
}

// Bucket tags are cost-allocation tags. They become aws:ResourceTag/<key>
// condition keys only on buckets with attribute-based access control
// enabled (PutBucketAbac), where PutBucketTagging itself is no longer
// allowed; verdict does not model ABAC, so bucket tags never feed a
// decision.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging-enable-abac.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbacStatus.html

// putBucketTagging implements PutBucketTagging: the tag set replaces the
// bucket's (an empty one removes them), and S3 answers 204.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
func putBucketTagging(q *request) {
	body, ok := readConfigBody(q)
	if !ok {
		return
	}
	err := q.onBucket(true, "s3:PutBucketTagging", func(tx store.Tx, b *model.Bucket) error {
		tags, err := decodeTagging(body)
		if err != nil {
			return err
		}
		if err := bucketTags(b.Tags).check(tags); err != nil {
			return err
		}
		b.Tags = modelTags(tags)
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}

// getBucketTagging implements GetBucketTagging: NoSuchTagSet for a bucket
// without tags.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html
func getBucketTagging(q *request) {
	var tags []model.Tag
	err := q.onBucket(false, "s3:GetBucketTagging", func(tx store.Tx, b *model.Bucket) error {
		if len(b.Tags) == 0 {
			return awserr.New("NoSuchTagSet", http.StatusNotFound, "The TagSet does not exist").With("BucketName", q.bucket)
		}
		tags = b.Tags
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, &s3xml.Tagging{TagSet: xmlTags(tags)})
}

// deleteBucketTagging implements DeleteBucketTagging, which needs
// s3:PutBucketTagging.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketTagging.html
func deleteBucketTagging(q *request) {
	err := q.onBucket(true, "s3:PutBucketTagging", func(tx store.Tx, b *model.Bucket) error {
		b.Tags = nil
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}
