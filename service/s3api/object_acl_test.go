package s3api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/engine/acl"
)

// TestObjectACL sets an object's ACL in each form and reads it back; the
// object's owner stays the writer.
func TestObjectACL(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "oacl-a", types.ObjectOwnershipObjectWriter)
	e.createBucket(acctB, "b-exists")
	e.put(acctA, "oacl-a", "k", "data")
	ctx := context.Background()
	a, b := canonical(acctA), canonical(acctB)
	owner := "CanonicalUser:" + a + ":FULL_CONTROL"
	out, err := e.client(acctA).GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("oacl-a"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	if got := grantSummary(out.Grants); len(got) != 1 || got[0] != owner || aws.ToString(out.Owner.ID) != a {
		t.Fatalf("default object ACL: owner %s grants %v", aws.ToString(out.Owner.ID), got)
	}
	tests := []struct {
		name string
		in   s3.PutObjectAclInput
		want []string
	}{
		{"public-read", s3.PutObjectAclInput{ACL: types.ObjectCannedACLPublicRead}, []string{owner, "Group:" + acl.AllUsers + ":READ"}},
		{"bucket-owner-read in the owner's bucket", s3.PutObjectAclInput{ACL: types.ObjectCannedACLBucketOwnerRead}, []string{owner}},
		{"aws-exec-read", s3.PutObjectAclInput{ACL: types.ObjectCannedACLAwsExecRead}, []string{owner, "CanonicalUser:" + acl.EC2CanonicalID + ":READ"}},
		{"grant headers", s3.PutObjectAclInput{GrantRead: aws.String("id=" + b), GrantFullControl: aws.String("id=" + a)},
			[]string{owner, "CanonicalUser:" + b + ":READ"}},
		{"body", s3.PutObjectAclInput{AccessControlPolicy: &types.AccessControlPolicy{
			Owner: &types.Owner{ID: aws.String(a)},
			Grants: []types.Grant{
				{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(a)}, Permission: types.PermissionFullControl},
				{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(acl.AuthenticatedUsers)}, Permission: types.PermissionReadAcp},
			},
		}}, []string{owner, "Group:" + acl.AuthenticatedUsers + ":READ_ACP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Bucket, in.Key = aws.String("oacl-a"), aws.String("k")
			if _, err := e.client(acctA).PutObjectAcl(ctx, &in); err != nil {
				t.Fatal(err)
			}
			out, err := e.client(acctA).GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("oacl-a"), Key: aws.String("k")})
			if err != nil {
				t.Fatal(err)
			}
			// S3 documents no order for the grants of several headers.
			if got := grantSummary(out.Grants); !sameSet(got, tt.want) {
				t.Errorf("grants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	// An ACL read back can be written back (the EC2 grantee included).
	r := e.do(acctA, http.MethodPut, "/oacl-a/k?acl", hdr("x-amz-acl", "aws-exec-read"), nil)
	expectStatus(t, r, 200, "")
	r = e.do(acctA, http.MethodGet, "/oacl-a/k?acl", nil, nil)
	expectStatus(t, e.do(acctA, http.MethodPut, "/oacl-a/k?acl", nil, []byte(r.body)), 200, "")
}

// TestObjectACLErrors covers the refusals specific to objects (the ACL
// syntax errors are those of TestPutBucketACLErrors).
func TestObjectACLErrors(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "oerr-a", types.ObjectOwnershipObjectWriter)
	e.put(acctA, "oerr-a", "k", "data")
	a := canonical(acctA)
	tests := []struct {
		name, method, target string
		header               http.Header
		body                 []byte
		status               int
		code                 string
	}{
		{"missing key (get)", "GET", "/oerr-a/nope?acl", nil, nil, 404, "NoSuchKey"},
		{"missing key (put)", "PUT", "/oerr-a/nope?acl", hdr("x-amz-acl", "private"), nil, 404, "NoSuchKey"},
		{"missing bucket", "GET", "/no-such-bucket/k?acl", nil, nil, 404, "NoSuchBucket"},
		{"unknown canned ACL", "PUT", "/oerr-a/k?acl", hdr("x-amz-acl", "fake-acl"), nil, 400, "InvalidArgument"},
		{"nothing to set", "PUT", "/oerr-a/k?acl", nil, nil, 400, "MissingSecurityHeader"},
		{"the null version", "GET", "/oerr-a/k?acl&versionId=null", nil, nil, 200, ""},
		{"another version", "GET", "/oerr-a/k?acl&versionId=3HL4kqtJlcpXroDTDmJ", nil, nil, 400, "InvalidArgument"},
		{"an owner verdict does not know", "PUT", "/oerr-a/k?acl", nil, acpBody(canonical(acctB), userGrant(a, "FULL_CONTROL")), 400, "InvalidArgument"},
		{"other account's key", "GET", "/oerr-a/k?acl", hdr("x-amz-expected-bucket-owner", acctB), nil, 403, "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectStatus(t, e.do(acctA, tt.method, tt.target, tt.header, tt.body), tt.status, tt.code)
		})
	}
	// Another account's callers get 403 for a key they may not act on, not
	// 404: the key's existence is not revealed.
	expectStatus(t, e.do(acctB, http.MethodGet, "/oerr-a/nope?acl", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodGet, "/oerr-a/k?acl", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do("", http.MethodPut, "/oerr-a/k?acl", hdr("x-amz-acl", "public-read"), nil), 403, "AccessDenied")
}

// TestObjectACLGrantsAccess: READ_ACP, WRITE_ACP and READ on an object ACL
// give another account GetObjectAcl, PutObjectAcl and GetObject.
func TestObjectACLGrantsAccess(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "ogrant-a", types.ObjectOwnershipObjectWriter)
	e.createBucket(acctB, "b-exists")
	e.put(acctA, "ogrant-a", "k", "data")
	b := "id=" + canonical(acctB)
	own := "id=" + canonical(acctA)
	expectStatus(t, e.do(acctB, http.MethodGet, "/ogrant-a/k", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctA, http.MethodPut, "/ogrant-a/k?acl", hdr("x-amz-grant-read", b, "x-amz-grant-read-acp", b, "x-amz-grant-full-control", own), nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/ogrant-a/k", nil, nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/ogrant-a/k?acl", nil, nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodPut, "/ogrant-a/k?acl", hdr("x-amz-acl", "private"), nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctA, http.MethodPut, "/ogrant-a/k?acl", hdr("x-amz-grant-write-acp", b, "x-amz-grant-full-control", own), nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodPut, "/ogrant-a/k?acl", hdr("x-amz-acl", "private"), nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/ogrant-a/k?acl", nil, nil), 403, "AccessDenied")
}
