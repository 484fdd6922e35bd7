package s3api

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestAccessControlConditionKeys: the condition keys the ACL and tagging
// operations fill from the request (s3:x-amz-acl, s3:x-amz-grant-*,
// s3:ExistingObjectTag/<key>, s3:RequestObjectTag/<key>,
// s3:RequestObjectTagKeys, s3:VersionId) reach the bucket policy. Each
// statement denies what its condition matches, even to the owner's root.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html
func TestAccessControlConditionKeys(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "ck-a", types.ObjectOwnershipObjectWriter)
	e.createBucket(acctB, "b-exists")
	e.put(acctA, "ck-a", "plain", "x")
	e.put(acctA, "ck-a", "secret", "x")
	expectStatus(t, e.do(acctA, http.MethodPut, "/ck-a/secret?tagging", nil, taggingBody("secret=yes")), 200, "")
	const all = `["arn:aws:s3:::ck-a", "arn:aws:s3:::ck-a/*"]`
	e.putPolicy(acctA, "ck-a", `{"Version": "2012-10-17", "Statement": [
		{"Sid": "CannedACL", "Effect": "Deny", "Principal": "*", "Action": ["s3:PutObjectAcl", "s3:PutBucketAcl"], "Resource": `+all+`,
		 "Condition": {"StringEquals": {"s3:x-amz-acl": "public-read"}}},
		{"Sid": "GrantHeader", "Effect": "Deny", "Principal": "*", "Action": ["s3:PutObjectAcl", "s3:PutBucketAcl"], "Resource": `+all+`,
		 "Condition": {"StringLike": {"s3:x-amz-grant-read": "*AllUsers*"}}},
		{"Sid": "ExistingTag", "Effect": "Deny", "Principal": "*",
		 "Action": ["s3:GetObjectAcl", "s3:PutObjectAcl", "s3:GetObjectTagging", "s3:PutObjectTagging", "s3:DeleteObjectTagging"], "Resource": `+all+`,
		 "Condition": {"StringEquals": {"s3:ExistingObjectTag/secret": "yes"}}},
		{"Sid": "RequestTag", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObjectTagging", "Resource": `+all+`,
		 "Condition": {"StringEquals": {"s3:RequestObjectTag/env": "prod"}}},
		{"Sid": "RequestTagKeys", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObjectTagging", "Resource": `+all+`,
		 "Condition": {"ForAnyValue:StringEquals": {"s3:RequestObjectTagKeys": "forbidden"}}},
		{"Sid": "Version", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObjectVersionAcl", "Resource": `+all+`,
		 "Condition": {"StringEquals": {"s3:VersionId": "null"}}}
	]}`)
	tests := []struct {
		name, method, target string
		header               http.Header
		body                 []byte
		status               int
	}{
		{"s3:x-amz-acl matches", http.MethodPut, "/ck-a/plain?acl", hdr("x-amz-acl", "public-read"), nil, 403},
		{"s3:x-amz-acl differs", http.MethodPut, "/ck-a/plain?acl", hdr("x-amz-acl", "authenticated-read"), nil, 200},
		{"s3:x-amz-acl on the bucket", http.MethodPut, "/ck-a?acl", hdr("x-amz-acl", "public-read"), nil, 403},
		{"s3:x-amz-grant-read matches", http.MethodPut, "/ck-a?acl", hdr("x-amz-grant-read", `uri="http://acs.amazonaws.com/groups/global/AllUsers"`), nil, 403},
		{"s3:x-amz-grant-read differs", http.MethodPut, "/ck-a?acl",
			hdr("x-amz-grant-read", "id="+canonical(acctB), "x-amz-grant-full-control", "id="+canonical(acctA)), nil, 200},
		{"an ACL body sets no header key", http.MethodPut, "/ck-a/plain?acl", nil,
			acpBody(canonical(acctA), userGrant(canonical(acctA), "FULL_CONTROL"), groupGrant("http://acs.amazonaws.com/groups/global/AllUsers", "READ")), 200},
		{"s3:ExistingObjectTag on GetObjectAcl", http.MethodGet, "/ck-a/secret?acl", nil, nil, 403},
		{"s3:ExistingObjectTag absent", http.MethodGet, "/ck-a/plain?acl", nil, nil, 200},
		{"s3:ExistingObjectTag on PutObjectAcl", http.MethodPut, "/ck-a/secret?acl", hdr("x-amz-acl", "private"), nil, 403},
		{"s3:ExistingObjectTag on GetObjectTagging", http.MethodGet, "/ck-a/secret?tagging", nil, nil, 403},
		{"s3:ExistingObjectTag on PutObjectTagging", http.MethodPut, "/ck-a/secret?tagging", nil, taggingBody("secret=no"), 403},
		{"s3:ExistingObjectTag on DeleteObjectTagging", http.MethodDelete, "/ck-a/secret?tagging", nil, nil, 403},
		{"s3:RequestObjectTag matches", http.MethodPut, "/ck-a/plain?tagging", nil, taggingBody("env=prod"), 403},
		{"s3:RequestObjectTag differs", http.MethodPut, "/ck-a/plain?tagging", nil, taggingBody("env=dev"), 200},
		{"s3:RequestObjectTagKeys matches", http.MethodPut, "/ck-a/plain?tagging", nil, taggingBody("a=1", "forbidden=2"), 403},
		{"s3:RequestObjectTagKeys differs", http.MethodPut, "/ck-a/plain?tagging", nil, taggingBody("a=1", "allowed=2"), 200},
		{"s3:VersionId matches", http.MethodGet, "/ck-a/plain?acl&versionId=null", nil, nil, 403},
		{"no version, no s3:GetObjectVersionAcl", http.MethodGet, "/ck-a/plain?acl", nil, nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, tt.method, tt.target, tt.header, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status == 403 && element(r.body, "Message") == "Access Denied" {
				t.Errorf("same-account denial without the detailed message: %s", r.body)
			}
		})
	}
}
