package s3api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ownershipBody is a PutBucketOwnershipControls body with the given rules.
func ownershipBody(values ...string) []byte {
	var b strings.Builder
	b.WriteString(`<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	for _, v := range values {
		b.WriteString(`<Rule><ObjectOwnership>` + v + `</ObjectOwnership></Rule>`)
	}
	b.WriteString(`</OwnershipControls>`)
	return []byte(b.String())
}

// TestOwnershipControls: the default of a new bucket, Put, Get, Delete (after
// which there are none) and the refusals.
func TestOwnershipControls(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "own-a")
	e.createBucket(acctB, "own-b")
	get := func() rawResponse { return e.do(acctA, http.MethodGet, "/own-a?ownershipControls", nil, nil) }
	if r := get(); r.status != 200 || element(r.body, "ObjectOwnership") != "BucketOwnerEnforced" {
		t.Fatalf("default: %d %s", r.status, r.body)
	}
	tests := []struct {
		name   string
		body   []byte
		status int
		code   string
		want   string
	}{
		{"ObjectWriter", ownershipBody("ObjectWriter"), 200, "", "ObjectWriter"},
		{"BucketOwnerPreferred", ownershipBody("BucketOwnerPreferred"), 200, "", "BucketOwnerPreferred"},
		{"BucketOwnerEnforced", ownershipBody("BucketOwnerEnforced"), 200, "", "BucketOwnerEnforced"},
		{"two rules", ownershipBody("ObjectWriter", "BucketOwnerEnforced"), 400, "MalformedXML", "BucketOwnerEnforced"},
		{"unknown value", ownershipBody("RandomValue"), 400, "MalformedXML", "BucketOwnerEnforced"},
		{"no rule", ownershipBody(), 400, "MalformedXML", "BucketOwnerEnforced"},
		{"no body", nil, 400, "MissingRequestBodyError", "BucketOwnerEnforced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectStatus(t, e.do(acctA, http.MethodPut, "/own-a?ownershipControls", nil, tt.body), tt.status, tt.code)
			if got := element(get().body, "ObjectOwnership"); got != tt.want {
				t.Errorf("ObjectOwnership %q, want %q", got, tt.want)
			}
		})
	}
	expectStatus(t, e.do(acctB, http.MethodPut, "/own-a?ownershipControls", nil, ownershipBody("ObjectWriter")), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodGet, "/own-a?ownershipControls", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodDelete, "/own-a?ownershipControls", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctA, http.MethodPut, "/nope-bucket?ownershipControls", nil, []byte("junk")), 404, "NoSuchBucket")

	expectStatus(t, e.do(acctA, http.MethodDelete, "/own-a?ownershipControls", nil, nil), 204, "")
	r := get()
	expectStatus(t, r, 404, "OwnershipControlsNotFoundError")
	if element(r.body, "Message") != "The bucket ownership controls were not found" || element(r.body, "BucketName") != "own-a" {
		t.Errorf("body %s", r.body)
	}
	expectStatus(t, e.do(acctA, http.MethodDelete, "/own-a?ownershipControls", nil, nil), 204, "")

	// Without controls the bucket behaves as ObjectWriter: ACLs work.
	expectStatus(t, e.do(acctA, http.MethodPut, "/own-a?acl", hdr("x-amz-acl", "log-delivery-write"), nil), 200, "")
	// ... and BucketOwnerEnforced is refused while the ACL grants others.
	r = e.do(acctA, http.MethodPut, "/own-a?ownershipControls", nil, ownershipBody("BucketOwnerEnforced"))
	expectStatus(t, r, 400, "InvalidBucketAclWithObjectOwnership")
	if element(r.body, "Message") != "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting" {
		t.Errorf("message %q", element(r.body, "Message"))
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/own-a?acl", hdr("x-amz-acl", "private"), nil), 200, "")
	expectStatus(t, e.do(acctA, http.MethodPut, "/own-a?ownershipControls", nil, ownershipBody("BucketOwnerEnforced")), 200, "")
}

// TestObjectWriterCrossAccount: in a bucket of account B with ObjectWriter,
// an object account A uploads is A's, and B's root cannot read it, until A
// grants bucket-owner-full-control or B turns on BucketOwnerEnforced, which
// makes B the owner of every object; turning ACLs back on restores the old
// owners and ACLs.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func TestObjectWriterCrossAccount(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.aclBucket(acctB, "drop-b", types.ObjectOwnershipObjectWriter)
	e.putPolicy(acctB, "drop-b", allowPolicy(acctA, []string{"s3:PutObject", "s3:PutObjectAcl"}, []string{"arn:aws:s3:::drop-b/*"}, ""))
	a, b := canonical(acctA), canonical(acctB)
	ca := e.client(acctA)
	if _, err := ca.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("drop-b"), Key: aws.String("a.txt"), Body: strings.NewReader("from A")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("drop-b"), Key: aws.String("full.txt"), Body: strings.NewReader("from A"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Fatal(err)
	}
	// a.txt is A's: B's root can neither read it nor its ACL.
	expectStatus(t, e.do(acctB, http.MethodGet, "/drop-b/a.txt", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodGet, "/drop-b/a.txt?acl", nil, nil), 403, "AccessDenied")
	r := e.do(acctA, http.MethodGet, "/drop-b/a.txt?acl", nil, nil)
	expectStatus(t, r, 200, "")
	if element(r.body, "ID") != a {
		t.Errorf("owner of a.txt: %s", r.body)
	}
	// full.txt is A's too, but its ACL gives B full control.
	expectStatus(t, e.do(acctB, http.MethodGet, "/drop-b/full.txt", nil, nil), 200, "")
	acl, err := e.client(acctB).GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("drop-b"), Key: aws.String("full.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if got := grantSummary(acl.Grants); aws.ToString(acl.Owner.ID) != a || strings.Join(got, " ") != "CanonicalUser:"+a+":FULL_CONTROL CanonicalUser:"+b+":FULL_CONTROL" {
		t.Errorf("full.txt: owner %s grants %v", aws.ToString(acl.Owner.ID), got)
	}

	// BucketOwnerEnforced: B owns every object, including a.txt.
	expectStatus(t, e.do(acctB, http.MethodPut, "/drop-b?ownershipControls", nil, ownershipBody("BucketOwnerEnforced")), 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/drop-b/a.txt", nil, nil), 200, "")
	r = e.do(acctB, http.MethodGet, "/drop-b/a.txt?acl", nil, nil)
	expectStatus(t, r, 200, "")
	if element(r.body, "ID") != b || strings.Count(r.body, "<Grant>") != 1 {
		t.Errorf("a.txt under BucketOwnerEnforced: %s", r.body)
	}
	// A, whom the bucket policy allows only to write, no longer reads it.
	expectStatus(t, e.do(acctA, http.MethodGet, "/drop-b/a.txt?acl", nil, nil), 403, "AccessDenied")
	// ACL writes other than bucket-owner-full-control are refused; that
	// one is accepted and changes nothing.
	expectStatus(t, e.do(acctB, http.MethodPut, "/drop-b/a.txt?acl", hdr("x-amz-acl", "public-read"), nil), 400, "AccessControlListNotSupported")
	expectStatus(t, e.do(acctB, http.MethodPut, "/drop-b/a.txt?acl", hdr("x-amz-acl", "bucket-owner-full-control"), nil), 200, "")

	// Back to ObjectWriter: a.txt is A's again, with its old ACL.
	expectStatus(t, e.do(acctB, http.MethodPut, "/drop-b?ownershipControls", nil, ownershipBody("ObjectWriter")), 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/drop-b/a.txt", nil, nil), 403, "AccessDenied")
	r = e.do(acctA, http.MethodGet, "/drop-b/a.txt?acl", nil, nil)
	if element(r.body, "ID") != a || strings.Count(r.body, "<Grant>") != 1 {
		t.Errorf("a.txt after re-enabling ACLs: %s", r.body)
	}
	// The owner fixes it by granting B full control.
	expectStatus(t, e.do(acctA, http.MethodPut, "/drop-b/a.txt?acl", hdr("x-amz-acl", "bucket-owner-full-control"), nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/drop-b/a.txt", nil, nil), 200, "")
}

// TestBucketOwnerPreferred: an upload with bucket-owner-full-control belongs
// to the bucket owner; one without stays the writer's.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func TestBucketOwnerPreferred(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.aclBucket(acctB, "pref-b", types.ObjectOwnershipBucketOwnerPreferred)
	e.putPolicy(acctB, "pref-b", allowPolicy(acctA, []string{"s3:PutObject", "s3:PutObjectAcl"}, []string{"arn:aws:s3:::pref-b/*"}, ""))
	ca := e.client(acctA)
	if _, err := ca.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pref-b"), Key: aws.String("with.txt"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pref-b"), Key: aws.String("without.txt"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	out, err := e.client(acctB).GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("pref-b"), Key: aws.String("with.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Owner.ID) != canonical(acctB) {
		t.Errorf("with.txt owner %s, want B", aws.ToString(out.Owner.ID))
	}
	expectStatus(t, e.do(acctB, http.MethodGet, "/pref-b/with.txt", nil, nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/pref-b/without.txt", nil, nil), 403, "AccessDenied")
	r := e.do(acctA, http.MethodGet, "/pref-b/without.txt?acl", nil, nil)
	if element(r.body, "ID") != canonical(acctA) {
		t.Errorf("without.txt: %s", r.body)
	}
}
