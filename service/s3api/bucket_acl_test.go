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

// acpBody returns an AccessControlPolicy body with the given owner and
// grants (each already an XML Grant element).
func acpBody(owner string, grants ...string) []byte {
	return []byte(`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + owner +
		`</ID></Owner><AccessControlList>` + strings.Join(grants, "") + `</AccessControlList></AccessControlPolicy>`)
}

// userGrant and groupGrant are Grant elements.
func userGrant(id, perm string) string {
	return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + id +
		`</ID></Grantee><Permission>` + perm + `</Permission></Grant>`
}

func groupGrant(uri, perm string) string {
	return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>` + uri +
		`</URI></Grantee><Permission>` + perm + `</Permission></Grant>`
}

func emailGrant(email, perm string) string {
	return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="AmazonCustomerByEmail"><EmailAddress>` + email +
		`</EmailAddress></Grantee><Permission>` + perm + `</Permission></Grant>`
}

// TestPutBucketACLErrors covers every way PutBucketAcl refuses an ACL, with
// the codes, messages and argument elements S3 returns.
func TestPutBucketACLErrors(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "acl-a", types.ObjectOwnershipObjectWriter)
	e.createBucket(acctB, "b-exists") // account B is known from now on
	owner := canonical(acctA)
	tests := []struct {
		name         string
		header       http.Header
		body         []byte
		status       int
		code         string
		message      string
		argName      string
		argValue     string
		missingHeadr string
	}{
		{name: "unknown canned ACL", header: hdr("x-amz-acl", "fake-acl"), status: 400, code: "InvalidArgument", argName: "x-amz-acl", argValue: "fake-acl"},
		{name: "unknown group in a header", header: hdr("x-amz-grant-write", `uri="http://acs.amazonaws.com/groups/s3/FakeGroup"`),
			status: 400, code: "InvalidArgument", message: "Invalid group uri", argName: "uri", argValue: "http://acs.amazonaws.com/groups/s3/FakeGroup"},
		{name: "unknown key in a header", header: hdr("x-amz-grant-write", `fakekey="1234"`),
			status: 400, code: "InvalidArgument", message: "Argument format not recognized", argName: "x-amz-grant-write", argValue: `fakekey="1234"`},
		{name: "no equals sign", header: hdr("x-amz-grant-read", `id`),
			status: 400, code: "InvalidArgument", message: "Argument format not recognized", argName: "x-amz-grant-read", argValue: `id`},
		{name: "unknown id in a header", header: hdr("x-amz-grant-write", `id="wrong-id"`),
			status: 400, code: "InvalidArgument", message: "Invalid id", argName: "id", argValue: "wrong-id"},
		{name: "unknown e-mail", header: hdr("x-amz-grant-read", `emailAddress="nobody@example.com"`),
			status: 400, code: "UnresolvableGrantByEmailAddress", message: "The email address you provided does not match any account on record."},
		{name: "canned and grants", header: hdr("x-amz-acl", "private", "x-amz-grant-read", `uri="http://acs.amazonaws.com/groups/s3/LogDelivery"`),
			status: 400, code: "InvalidRequest", message: "Specifying both Canned ACLs and Header Grants is not allowed"},
		{name: "canned and body", header: hdr("x-amz-acl", "private"), body: acpBody(owner, userGrant(owner, "FULL_CONTROL")),
			status: 400, code: "UnexpectedContent", message: "This request does not support content"},
		{name: "grants and body", header: hdr("x-amz-grant-read", "id="+owner), body: acpBody(owner, userGrant(owner, "FULL_CONTROL")),
			status: 400, code: "UnexpectedContent", message: "This request does not support content"},
		{name: "nothing", status: 400, code: "MissingSecurityHeader", message: "Your request was missing a required header", missingHeadr: "x-amz-acl"},
		{name: "body without owner", body: []byte(`<AccessControlPolicy><AccessControlList>` + groupGrant(acl.LogDelivery, "WRITE") + `</AccessControlList></AccessControlPolicy>`),
			status: 400, code: "MalformedACLError", message: "The XML you provided was not well-formed or did not validate against our published schema"},
		{name: "empty body element", body: []byte(`<AccessControlPolicy/>`), status: 400, code: "MalformedACLError"},
		{name: "unknown permission", body: acpBody(owner, groupGrant(acl.LogDelivery, "WRONG-PERMISSION")), status: 400, code: "MalformedACLError"},
		{name: "unknown grantee type", body: acpBody(owner, strings.Replace(userGrant(owner, "READ"), "CanonicalUser", "BadType", 1)),
			status: 400, code: "MalformedACLError"},
		{name: "not XML", body: []byte("{}"), status: 400, code: "MalformedACLError"},
		{name: "unknown owner id", body: acpBody("wrong-id", groupGrant(acl.LogDelivery, "WRITE")),
			status: 400, code: "InvalidArgument", message: "Invalid id", argName: "CanonicalUser/ID", argValue: "wrong-id"},
		{name: "unknown group in the body", body: acpBody(owner, groupGrant("http://acs.amazonaws.com/groups/s3/FakeGroup", "WRITE")),
			status: 400, code: "InvalidArgument", message: "Invalid group uri", argName: "Group/URI", argValue: "http://acs.amazonaws.com/groups/s3/FakeGroup"},
		{name: "unknown grantee id in the body", body: acpBody(owner, userGrant("wrong-id", "READ")),
			status: 400, code: "InvalidArgument", message: "Invalid id", argName: "CanonicalUser/ID", argValue: "wrong-id"},
		{name: "unknown e-mail in the body", body: acpBody(owner, emailGrant("nobody@example.com", "READ")), status: 400, code: "UnresolvableGrantByEmailAddress"},
		{name: "giving the bucket away", body: acpBody(canonical(acctB), userGrant(canonical(acctB), "FULL_CONTROL")),
			status: 403, code: "AccessDenied", message: "Access Denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodPut, "/acl-a?acl", tt.header, tt.body)
			expectStatus(t, r, tt.status, tt.code)
			if tt.message != "" && element(r.body, "Message") != tt.message {
				t.Errorf("message %q, want %q", element(r.body, "Message"), tt.message)
			}
			if element(r.body, "ArgumentName") != tt.argName || element(r.body, "ArgumentValue") != tt.argValue {
				t.Errorf("argument %q=%q, want %q=%q", element(r.body, "ArgumentName"), element(r.body, "ArgumentValue"), tt.argName, tt.argValue)
			}
			if element(r.body, "MissingHeaderName") != tt.missingHeadr {
				t.Errorf("MissingHeaderName %q, want %q", element(r.body, "MissingHeaderName"), tt.missingHeadr)
			}
		})
	}
	// Nothing was changed by the refused requests.
	out, err := e.client(acctA).GetBucketAcl(context.Background(), &s3.GetBucketAclInput{Bucket: aws.String("acl-a")})
	if err != nil || len(out.Grants) != 1 {
		t.Fatalf("ACL after refused changes: %+v, %v", out, err)
	}
}

// grantSummary renders grants as "TYPE:ID-or-URI:PERMISSION" lines.
func grantSummary(gs []types.Grant) []string {
	var out []string
	for _, g := range gs {
		who := aws.ToString(g.Grantee.ID)
		if g.Grantee.Type == types.TypeGroup {
			who = aws.ToString(g.Grantee.URI)
		}
		out = append(out, string(g.Grantee.Type)+":"+who+":"+string(g.Permission))
	}
	return out
}

// TestPutBucketACL sets ACLs in each of the three forms and reads them back
// with the SDK.
func TestPutBucketACL(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "acl-a", types.ObjectOwnershipBucketOwnerPreferred)
	e.createBucket(acctC, "c-exists") // account C is known from now on
	e.setAccountEmail(acctB, "b@example.com")
	ctx := context.Background()
	a, b, c := canonical(acctA), canonical(acctB), canonical(acctC)
	owner := "CanonicalUser:" + a + ":FULL_CONTROL"
	tests := []struct {
		name string
		in   s3.PutBucketAclInput
		want []string
	}{
		{"private", s3.PutBucketAclInput{ACL: types.BucketCannedACLPrivate}, []string{owner}},
		{"public-read", s3.PutBucketAclInput{ACL: types.BucketCannedACLPublicRead}, []string{owner, "Group:" + acl.AllUsers + ":READ"}},
		{"public-read-write", s3.PutBucketAclInput{ACL: types.BucketCannedACLPublicReadWrite},
			[]string{owner, "Group:" + acl.AllUsers + ":READ", "Group:" + acl.AllUsers + ":WRITE"}},
		{"authenticated-read", s3.PutBucketAclInput{ACL: types.BucketCannedACLAuthenticatedRead}, []string{owner, "Group:" + acl.AuthenticatedUsers + ":READ"}},
		{"log-delivery-write", s3.PutBucketAclInput{ACL: "log-delivery-write"},
			[]string{owner, "Group:" + acl.LogDelivery + ":WRITE", "Group:" + acl.LogDelivery + ":READ_ACP"}},
		{"bucket-owner-full-control is ignored on a bucket", s3.PutBucketAclInput{ACL: "bucket-owner-full-control"}, []string{owner}},
		{"grant headers", s3.PutBucketAclInput{GrantFullControl: aws.String(`id="` + a + `"`), GrantRead: aws.String(`id="` + c + `", uri="` + acl.LogDelivery + `"`)},
			[]string{owner, "CanonicalUser:" + c + ":READ", "Group:" + acl.LogDelivery + ":READ"}},
		{"unquoted id", s3.PutBucketAclInput{GrantWriteACP: aws.String("id=" + c)}, []string{"CanonicalUser:" + c + ":WRITE_ACP"}},
		{"e-mail grantee becomes the account", s3.PutBucketAclInput{GrantReadACP: aws.String(`emailAddress="B@example.com"`)},
			[]string{"CanonicalUser:" + b + ":READ_ACP"}},
		{"body", s3.PutBucketAclInput{AccessControlPolicy: &types.AccessControlPolicy{
			Owner: &types.Owner{ID: aws.String(a)},
			Grants: []types.Grant{
				{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(a)}, Permission: types.PermissionFullControl},
				{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(acl.LogDelivery)}, Permission: types.PermissionWrite},
				{Grantee: &types.Grantee{Type: types.TypeAmazonCustomerByEmail, EmailAddress: aws.String("b@example.com")}, Permission: types.PermissionRead},
			},
		}}, []string{owner, "Group:" + acl.LogDelivery + ":WRITE", "CanonicalUser:" + b + ":READ"}},
		{"body without grants", s3.PutBucketAclInput{AccessControlPolicy: &types.AccessControlPolicy{Owner: &types.Owner{ID: aws.String(a)}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Bucket = aws.String("acl-a")
			if _, err := e.client(acctA).PutBucketAcl(ctx, &in); err != nil {
				t.Fatal(err)
			}
			out, err := e.client(acctA).GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acl-a")})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(out.Owner.ID) != a || aws.ToString(out.Owner.DisplayName) != acctA {
				t.Errorf("owner %s/%s", aws.ToString(out.Owner.ID), aws.ToString(out.Owner.DisplayName))
			}
			// S3 documents no order for the grants of several headers.
			if got := grantSummary(out.Grants); !sameSet(got, tt.want) {
				t.Errorf("grants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestGetBucketACLGolden pins the GetBucketAcl body byte for byte: the
// xsi:type attribute, the grantee display names and the element order.
func TestGetBucketACLGolden(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "acl-golden", types.ObjectOwnershipObjectWriter)
	e.createBucket(acctB, "b-exists")
	r := e.do(acctA, http.MethodPut, "/acl-golden?acl", hdr("x-amz-grant-read", `id="`+canonical(acctB)+`", uri="`+acl.AllUsers+`"`), nil)
	expectStatus(t, r, 200, "")
	r = e.do(acctA, http.MethodGet, "/acl-golden?acl", nil, nil)
	expectStatus(t, r, 200, "")
	if ct := r.header.Get("Content-Type"); ct != "application/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	golden(t, "get_bucket_acl", r.body)
}

// TestBucketACLAuthorization: reading and writing a bucket ACL needs
// s3:GetBucketAcl / s3:PutBucketAcl from the bucket owner, which a bucket
// ACL grant (READ_ACP / WRITE_ACP) or the bucket policy can give.
func TestBucketACLAuthorization(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "acl-auth", types.ObjectOwnershipObjectWriter)
	e.createBucket(acctB, "b-exists")
	if r := e.do(acctB, http.MethodGet, "/acl-auth?acl", nil, nil); r.status != 403 {
		t.Fatalf("B reads A's ACL without a grant: %d", r.status)
	}
	if r := e.do("", http.MethodGet, "/acl-auth?acl", nil, nil); r.status != 403 {
		t.Fatalf("anonymous reads A's ACL: %d", r.status)
	}
	r := e.do(acctA, http.MethodPut, "/acl-auth?acl", hdr("x-amz-grant-read-acp", "id="+canonical(acctB), "x-amz-grant-full-control", "id="+canonical(acctA)), nil)
	expectStatus(t, r, 200, "")
	expectStatus(t, e.do(acctB, http.MethodGet, "/acl-auth?acl", nil, nil), 200, "")
	expectStatus(t, e.do(acctB, http.MethodPut, "/acl-auth?acl", hdr("x-amz-acl", "private"), nil), 403, "AccessDenied")
	// WRITE_ACP lets B replace the ACL (the owner stays A).
	r = e.do(acctA, http.MethodPut, "/acl-auth?acl", hdr("x-amz-grant-write-acp", "id="+canonical(acctB), "x-amz-grant-full-control", "id="+canonical(acctA)), nil)
	expectStatus(t, r, 200, "")
	expectStatus(t, e.do(acctB, http.MethodPut, "/acl-auth?acl", hdr("x-amz-acl", "private"), nil), 200, "")
	r = e.do(acctA, http.MethodGet, "/acl-auth?acl", nil, nil)
	if element(r.body, "ID") != canonical(acctA) || strings.Count(r.body, "<Grant>") != 1 {
		t.Errorf("ACL after B's change: %s", r.body)
	}
	// The bucket policy can grant it too.
	e.putPolicy(acctA, "acl-auth", allowPolicy(acctC, []string{"s3:GetBucketAcl"}, []string{"arn:aws:s3:::acl-auth"}, ""))
	expectStatus(t, e.do(acctC, http.MethodGet, "/acl-auth?acl", nil, nil), 200, "")
	expectStatus(t, e.do(acctA, http.MethodGet, "/no-such-bucket?acl", nil, nil), 404, "NoSuchBucket")
	expectStatus(t, e.do(acctA, http.MethodGet, "/acl-auth?acl", hdr("x-amz-expected-bucket-owner", acctB), nil), 403, "AccessDenied")
}

// TestBucketACLOwnerEnforced: with ACLs disabled GetBucketAcl reports the
// owner's FULL_CONTROL, and PutBucketAcl accepts only
// bucket-owner-full-control or the same grant in XML; private is refused
// too (hashicorp/terraform-provider-aws#34079 shows S3 refusing it).
func TestBucketACLOwnerEnforced(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "enforced-a") // BucketOwnerEnforced by default
	a := canonical(acctA)
	tests := []struct {
		name   string
		header http.Header
		body   []byte
		status int
		code   string
	}{
		{"bucket-owner-full-control", hdr("x-amz-acl", "bucket-owner-full-control"), nil, 200, ""},
		{"owner-only XML", nil, acpBody(a, userGrant(a, "FULL_CONTROL")), 200, ""},
		{"owner-only grant header", hdr("x-amz-grant-full-control", "id="+a), nil, 200, ""},
		{"private", hdr("x-amz-acl", "private"), nil, 400, "AccessControlListNotSupported"},
		{"public-read", hdr("x-amz-acl", "public-read"), nil, 400, "AccessControlListNotSupported"},
		{"owner READ only", nil, acpBody(a, userGrant(a, "READ")), 400, "AccessControlListNotSupported"},
		{"another account", hdr("x-amz-grant-read", "id="+a+",uri="+acl.LogDelivery), nil, 400, "AccessControlListNotSupported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodPut, "/enforced-a?acl", tt.header, tt.body)
			expectStatus(t, r, tt.status, tt.code)
			if tt.code != "" && element(r.body, "Message") != "The bucket does not allow ACLs" {
				t.Errorf("message %q", element(r.body, "Message"))
			}
		})
	}
	out, err := e.client(acctA).GetBucketAcl(context.Background(), &s3.GetBucketAclInput{Bucket: aws.String("enforced-a")})
	if err != nil {
		t.Fatal(err)
	}
	if got := grantSummary(out.Grants); len(got) != 1 || got[0] != "CanonicalUser:"+a+":FULL_CONTROL" {
		t.Errorf("grants %v", got)
	}
}

// TestBlockPublicACLsOnBucket: BlockPublicAcls (bucket or account) refuses a
// public bucket ACL with S3's message; a private one still goes through.
func TestBlockPublicACLsOnBucket(t *testing.T) {
	e := newTestEnv(t)
	e.aclBucket(acctA, "bpa-a", types.ObjectOwnershipObjectWriter)
	ctx := context.Background()
	_, err := e.client(acctA).PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("bpa-a"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []http.Header{
		hdr("x-amz-acl", "public-read"),
		hdr("x-amz-acl", "authenticated-read"),
		hdr("x-amz-grant-read", "uri="+acl.AllUsers),
	} {
		r := e.do(acctA, http.MethodPut, "/bpa-a?acl", h, nil)
		expectStatus(t, r, 403, "AccessDenied")
		want := `User: arn:aws:iam::111111111111:root is not authorized to perform: s3:PutBucketAcl on resource: "arn:aws:s3:::bpa-a" because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access.`
		if got := element(r.body, "Message"); got != want {
			t.Errorf("message:\n%s\nwant:\n%s", got, want)
		}
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/bpa-a?acl", hdr("x-amz-acl", "log-delivery-write"), nil), 200, "")
}
