package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/store"
)

func init() { register("GetBucketLocation", getBucketLocation) }

// getBucketLocation implements GetBucketLocation (s3:GetBucketLocation). A
// bucket in us-east-1 has an empty LocationConstraint.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
func getBucketLocation(q *request) {
	var region string
	err := q.view(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: "s3:GetBucketLocation", resource: bucketARN(b.Name), bucket: b}); !ok {
			return errWritten
		}
		region = b.Region
		return nil
	})
	if q.done(err) {
		return
	}
	if region == "us-east-1" {
		region = ""
	}
	_ = s3xml.Write(q.w, http.StatusOK, &s3xml.LocationConstraint{Region: region})
}
