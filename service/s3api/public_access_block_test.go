package s3api

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestPublicAccessBlockCRUD: new buckets have every setting on; Put replaces
// them (left-out elements are false), Delete removes them, after which Get
// is NoSuchPublicAccessBlockConfiguration.
func TestPublicAccessBlockCRUD(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "pab-a")
	e.createBucket(acctB, "b-exists")
	ctx := context.Background()
	c := e.client(acctA)
	got := func() *types.PublicAccessBlockConfiguration {
		t.Helper()
		out, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("pab-a")})
		if err != nil {
			t.Fatal(err)
		}
		return out.PublicAccessBlockConfiguration
	}
	if p := got(); !aws.ToBool(p.BlockPublicAcls) || !aws.ToBool(p.IgnorePublicAcls) || !aws.ToBool(p.BlockPublicPolicy) || !aws.ToBool(p.RestrictPublicBuckets) {
		t.Fatalf("default %+v", p)
	}
	r := e.do(acctA, http.MethodPut, "/pab-a?publicAccessBlock", nil,
		[]byte(`<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IgnorePublicAcls>true</IgnorePublicAcls></PublicAccessBlockConfiguration>`))
	expectStatus(t, r, 200, "")
	if p := got(); aws.ToBool(p.BlockPublicAcls) || !aws.ToBool(p.IgnorePublicAcls) || aws.ToBool(p.BlockPublicPolicy) || aws.ToBool(p.RestrictPublicBuckets) {
		t.Fatalf("after put %+v", p)
	}
	r = e.do(acctA, http.MethodGet, "/pab-a?publicAccessBlock", nil, nil)
	golden(t, "get_public_access_block", r.body)

	expectStatus(t, e.do(acctA, http.MethodPut, "/pab-a?publicAccessBlock", nil, []byte(`<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>`)), 400, "MalformedXML")
	expectStatus(t, e.do(acctA, http.MethodPut, "/pab-a?publicAccessBlock", nil, []byte(`<Other/>`)), 400, "MalformedXML")
	expectStatus(t, e.do(acctB, http.MethodPut, "/pab-a?publicAccessBlock", nil, []byte(`<PublicAccessBlockConfiguration/>`)), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodGet, "/pab-a?publicAccessBlock", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodDelete, "/pab-a?publicAccessBlock", nil, nil), 403, "AccessDenied")

	expectStatus(t, e.do(acctA, http.MethodDelete, "/pab-a?publicAccessBlock", nil, nil), 204, "")
	r = e.do(acctA, http.MethodGet, "/pab-a?publicAccessBlock", nil, nil)
	expectStatus(t, r, 404, "NoSuchPublicAccessBlockConfiguration")
	if element(r.body, "Message") != "The public access block configuration was not found" || element(r.body, "BucketName") != "pab-a" {
		t.Errorf("body %s", r.body)
	}
	expectStatus(t, e.do(acctA, http.MethodDelete, "/pab-a?publicAccessBlock", nil, nil), 204, "")
}

// TestPublicReadACL: a public-read object ACL lets anonymous callers read
// the object unless IgnorePublicAcls is on, which ignores the grant without
// removing it; BlockPublicAcls refuses new public ACLs but leaves existing
// ones alone.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestPublicReadACL(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "pub-a", types.ObjectOwnershipObjectWriter)
	e.put(acctA, "pub-a", "p.txt", "public")
	if s := e.anonymousGet("pub-a", "p.txt"); s != 403 {
		t.Fatalf("anonymous read of a private object: %d", s)
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/pub-a/p.txt?acl", hdr("x-amz-acl", "public-read"), nil), 200, "")
	if s := e.anonymousGet("pub-a", "p.txt"); s != 200 {
		t.Fatalf("anonymous read of a public-read object: %d", s)
	}
	// Any signed caller is in AllUsers too.
	expectStatus(t, e.do(acctB, http.MethodGet, "/pub-a/p.txt", nil, nil), 200, "")

	pab := func(body string) {
		t.Helper()
		expectStatus(t, e.do(acctA, http.MethodPut, "/pub-a?publicAccessBlock", nil, []byte(`<PublicAccessBlockConfiguration>`+body+`</PublicAccessBlockConfiguration>`)), 200, "")
	}
	pab(`<IgnorePublicAcls>true</IgnorePublicAcls>`)
	if s := e.anonymousGet("pub-a", "p.txt"); s != 403 {
		t.Errorf("anonymous read under IgnorePublicAcls: %d", s)
	}
	expectStatus(t, e.do(acctB, http.MethodGet, "/pub-a/p.txt", nil, nil), 403, "AccessDenied")
	// The grant is still there, and new public ACLs are still accepted.
	r := e.do(acctA, http.MethodGet, "/pub-a/p.txt?acl", nil, nil)
	if element(r.body, "URI") != "http://acs.amazonaws.com/groups/global/AllUsers" {
		t.Errorf("ACL under IgnorePublicAcls: %s", r.body)
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/pub-a/p.txt?acl", hdr("x-amz-acl", "public-read-write"), nil), 200, "")

	pab(`<BlockPublicAcls>true</BlockPublicAcls>`)
	if s := e.anonymousGet("pub-a", "p.txt"); s != 200 {
		t.Errorf("BlockPublicAcls does not affect an existing ACL: %d", s)
	}
	r = e.do(acctA, http.MethodPut, "/pub-a/p.txt?acl", hdr("x-amz-acl", "public-read"), nil)
	expectStatus(t, r, 403, "AccessDenied")
	want := `User: arn:aws:iam::111111111111:root is not authorized to perform: s3:PutObjectAcl on resource: "arn:aws:s3:::pub-a/p.txt" because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access.`
	if got := element(r.body, "Message"); got != want {
		t.Errorf("message:\n%s\nwant:\n%s", got, want)
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/pub-a/p.txt?acl", hdr("x-amz-acl", "private"), nil), 200, "")
	if s := e.anonymousGet("pub-a", "p.txt"); s != 403 {
		t.Errorf("anonymous read after private: %d", s)
	}
}
