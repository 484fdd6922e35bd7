package s3api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestCrossAccountDenied: the bucket belongs to account B, which has no
// bucket policy; the root user of account A is refused every operation with
// 403 AccessDenied and the plain message (different accounts, no
// organization), and nothing changes.
func TestCrossAccountDenied(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "b-only")
	e.put(acctB, "b-only", "k", "data")
	up, err := e.client(acctB).CreateMultipartUpload(context.Background(), &s3.CreateMultipartUploadInput{Bucket: aws.String("b-only"), Key: aws.String("mpu")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(up.UploadId)
	del := `<Delete><Object><Key>k</Key></Object></Delete>`
	complete := `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>`
	tests := []struct {
		op, method, target string
		headers            map[string]string
		body               string
		status             int
		code               string
	}{
		{"HeadBucket", "HEAD", "/b-only", nil, "", 403, ""},
		{"GetBucketLocation", "GET", "/b-only?location", nil, "", 403, "AccessDenied"},
		{"DeleteBucket", "DELETE", "/b-only", nil, "", 403, "AccessDenied"},
		{"ListObjects", "GET", "/b-only", nil, "", 403, "AccessDenied"},
		{"ListObjectsV2", "GET", "/b-only?list-type=2", nil, "", 403, "AccessDenied"},
		{"GetObject", "GET", "/b-only/k", nil, "", 403, "AccessDenied"},
		{"GetObject missing key", "GET", "/b-only/nope", nil, "", 403, "AccessDenied"},
		{"HeadObject", "HEAD", "/b-only/k", nil, "", 403, ""},
		{"PutObject", "PUT", "/b-only/new", nil, "data", 403, "AccessDenied"},
		{"CopyObject into B", "PUT", "/b-only/copy", map[string]string{"x-amz-copy-source": "b-only/k"}, "", 403, "AccessDenied"},
		{"DeleteObject", "DELETE", "/b-only/k", nil, "", 403, "AccessDenied"},
		{"DeleteObjects", "POST", "/b-only?delete", map[string]string{"Content-MD5": md5b64(del)}, del, 200, "AccessDenied"},
		{"CreateMultipartUpload", "POST", "/b-only/mpu2?uploads", nil, "", 403, "AccessDenied"},
		{"UploadPart", "PUT", "/b-only/mpu?partNumber=1&uploadId=" + id, nil, "data", 403, "AccessDenied"},
		{"UploadPartCopy", "PUT", "/b-only/mpu?partNumber=1&uploadId=" + id, map[string]string{"x-amz-copy-source": "b-only/k"}, "", 403, "AccessDenied"},
		{"CompleteMultipartUpload", "POST", "/b-only/mpu?uploadId=" + id, nil, complete, 403, "AccessDenied"},
		{"AbortMultipartUpload", "DELETE", "/b-only/mpu?uploadId=" + id, nil, "", 403, "AccessDenied"},
		{"ListParts", "GET", "/b-only/mpu?uploadId=" + id, nil, "", 403, "AccessDenied"},
		{"ListMultipartUploads", "GET", "/b-only?uploads", nil, "", 403, "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			r := e.do(acctA, tt.method, tt.target, h, []byte(tt.body))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.code == "AccessDenied" && element(r.body, "Message") != "Access Denied" {
				t.Errorf("message %q, want the plain one across accounts", element(r.body, "Message"))
			}
			if tt.op == "DeleteObjects" && !strings.Contains(r.body, "<Error><Key>k</Key><Code>AccessDenied</Code>") {
				t.Errorf("DeleteObjects body: %s", r.body)
			}
		})
	}
	if r := e.do(acctB, http.MethodGet, "/b-only/k", nil, nil); r.body != "data" {
		t.Errorf("object changed: %q", r.body)
	}
	// Each denial is in the decision log, with its reason.
	found := false
	for _, en := range e.env.Log.Query(1000, nil) {
		if en.Action == "s3:PutObject" && en.Account == acctA && !en.Allowed && en.Message != "" {
			found = true
		}
	}
	if !found {
		t.Error("no logged denial of s3:PutObject for account A")
	}
}

// TestMultipartInitiatorDefaults: the initiator of an upload may list its
// parts and abort it without any policy granting those actions; others may
// not.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
func TestMultipartInitiatorDefaults(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "drop-b")
	const acctC = "333333333333"
	e.setPolicy("drop-b", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
		"Principal": {"AWS": ["arn:aws:iam::`+acctA+`:root", "arn:aws:iam::`+acctC+`:root"]}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::drop-b/*"}]}`)
	r := e.do(acctA, http.MethodPost, "/drop-b/upload?uploads", nil, nil)
	if r.status != 200 {
		t.Fatalf("A cannot start an upload: %s", r.body)
	}
	id := element(r.body, "UploadId")
	tests := []struct {
		name, account, method, target string
		status                        int
	}{
		{"initiator lists parts", acctA, "GET", "/drop-b/upload?uploadId=" + id, 200},
		{"other account cannot list parts", acctC, "GET", "/drop-b/upload?uploadId=" + id, 403},
		{"other account cannot abort", acctC, "DELETE", "/drop-b/upload?uploadId=" + id, 403},
		{"initiator cannot list all uploads", acctA, "GET", "/drop-b?uploads", 403},
		{"bucket owner lists all uploads", acctB, "GET", "/drop-b?uploads", 200},
		{"initiator aborts", acctA, "DELETE", "/drop-b/upload?uploadId=" + id, 204},
		{"unknown upload is 403 without the permission", acctC, "DELETE", "/drop-b/upload?uploadId=" + id, 403},
		{"unknown upload is 404 for the bucket owner", acctB, "DELETE", "/drop-b/upload?uploadId=" + id, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.account, tt.method, tt.target, nil, nil)
			if r.status != tt.status {
				t.Errorf("got %d, want %d: %s", r.status, tt.status, r.body)
			}
		})
	}
}
