package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/store"
)

func init() { register("HeadBucket", headBucket) }

// headBucket implements HeadBucket: 200 when the caller may s3:ListBucket,
// 403 when not, 404 when no such bucket, all without a body. The bucket's
// Region is reported in x-amz-bucket-region on 200 and 403 alike, which is
// how clients find a bucket's Region.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
func headBucket(q *request) {
	err := q.view(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		h := q.w.Header()
		h.Set("x-amz-bucket-region", b.Region)
		h.Set("x-amz-access-point-alias", "false")
		if _, ok := q.authorize(tx, authCheck{action: "s3:ListBucket", resource: bucketARN(b.Name), bucket: b}); !ok {
			return errWritten
		}
		return nil
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusOK)
}
