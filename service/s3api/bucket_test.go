package s3api

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/verdict-project/verdict/state"
)

// httpStatus returns the HTTP status of an SDK error (200 for nil).
func httpStatus(err error) int {
	if err == nil {
		return http.StatusOK
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestHeadBucket(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "bucket-b")
	e.createBucket(acctB, "shared-b")
	e.setPolicy("shared-b", allowPolicy(acctA, []string{"s3:ListBucket"}, []string{"arn:aws:s3:::shared-b"}, ""))
	tests := []struct {
		name, account, bucket string
		header                http.Header
		status                int
		region                string
	}{
		{"owner", acctB, "bucket-b", nil, 200, "us-east-1"},
		{"other account without policy", acctA, "bucket-b", nil, 403, "us-east-1"},
		{"other account with policy", acctA, "shared-b", nil, 200, "us-east-1"},
		{"anonymous", "", "bucket-b", nil, 403, "us-east-1"},
		{"missing bucket", acctB, "no-such-bucket", nil, 404, ""},
		{"expected owner matches", acctB, "bucket-b", http.Header{"X-Amz-Expected-Bucket-Owner": {acctB}}, 200, "us-east-1"},
		{"expected owner differs", acctB, "bucket-b", http.Header{"X-Amz-Expected-Bucket-Owner": {acctA}}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.account, http.MethodHead, "/"+tt.bucket, tt.header, nil)
			if r.status != tt.status || r.body != "" {
				t.Errorf("status %d body %q, want %d and no body", r.status, r.body, tt.status)
			}
			if got := r.header.Get("x-amz-bucket-region"); got != tt.region {
				t.Errorf("x-amz-bucket-region %q, want %q", got, tt.region)
			}
			if r.header.Get("x-amz-request-id") == "" || r.header.Get("x-amz-id-2") == "" {
				t.Error("missing request IDs")
			}
		})
	}
}

func TestGetBucketLocation(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "bucket-b")
	r := e.do(acctB, http.MethodGet, "/bucket-b?location", nil, nil)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	golden(t, "location_us_east_1", r.body)
	out, err := e.client(acctB).GetBucketLocation(context.Background(), &s3.GetBucketLocationInput{Bucket: aws.String("bucket-b")})
	if err != nil || out.LocationConstraint != "" {
		t.Errorf("SDK: %q, %v; want empty constraint", out.LocationConstraint, err)
	}
	tests := []struct {
		name, account, bucket string
		status                int
		code                  string
	}{
		{"other account", acctA, "bucket-b", 403, "AccessDenied"},
		{"anonymous", "", "bucket-b", 403, "AccessDenied"},
		{"missing", acctB, "no-such-bucket", 404, "NoSuchBucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.account, http.MethodGet, "/"+tt.bucket+"?location", nil, nil)
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Errorf("got %d %s, want %d %s", r.status, errCode(r.body), tt.status, tt.code)
			}
		})
	}
}

func TestDeleteBucket(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.createBucket(acctB, "full-b")
	e.put(acctB, "full-b", "k", "v")
	e.createBucket(acctB, "empty-b")
	e.createBucket(acctB, "mpu-b")
	cb := e.client(acctB)
	up, err := cb.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu-b"), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cb.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu-b"), Key: aws.String("big"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytesReader("part")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, account, bucket string
		status                int
		code                  string
	}{
		{"other account", acctA, "empty-b", 403, "AccessDenied"},
		{"not empty", acctB, "full-b", 409, "BucketNotEmpty"},
		{"empty", acctB, "empty-b", 204, ""},
		{"gone", acctB, "empty-b", 404, "NoSuchBucket"},
		{"upload in progress does not block", acctB, "mpu-b", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.account, http.MethodDelete, "/"+tt.bucket, nil, nil)
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Errorf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
		})
	}
	if n := e.count(state.Uploads, "mpu-b/"); n != 0 {
		t.Errorf("%d uploads left in the deleted bucket", n)
	}
	if n := e.count(state.Parts, ""); n != 0 {
		t.Errorf("%d parts left", n)
	}
	if n := e.countData(); n != 1 {
		t.Errorf("%d blobs, want 1 (full-b/k)", n)
	}
}
