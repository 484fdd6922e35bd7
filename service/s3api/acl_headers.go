package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/store"
)

var grantHeaders = []struct {
	header string
	perm   acl.Permission
}{
	{"x-amz-grant-read", acl.Read}, {"x-amz-grant-write", acl.Write}, {"x-amz-grant-read-acp", acl.ReadACP},
	{"x-amz-grant-write-acp", acl.WriteACP}, {"x-amz-grant-full-control", acl.FullControl},
}

// requestACL reads the ACL a request sets through x-amz-acl or the
// x-amz-grant-* headers (not both), with every grantee resolved as
// Put*Acl resolves them (see aclChange.build). hasACL is false when it sets
// none; the result is then the private ACL. accounts are the accounts known
// without a stored record (the caller's, the bucket owner's).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax
func requestACL(q *request, tx store.Tx, owner, bucketOwner acl.Owner, onBucket bool, accounts ...string) (a acl.ACL, change *aclChange, e *awserr.Error) {
	canned, grants, e := parseACLHeaders(q.r.Header)
	if e != nil {
		return acl.ACL{}, nil, e
	}
	if canned == "" && len(grants) == 0 {
		return acl.Private(owner), nil, nil
	}
	change = &aclChange{canned: canned, grants: grants}
	a, err := change.build(newGrantees(tx, accounts...), owner, bucketOwner, onBucket)
	if err != nil {
		return acl.ACL{}, nil, awserr.As(err)
	}
	return a, change, nil
}

// aclContext adds s3:x-amz-acl and s3:x-amz-grant-* condition keys.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
func aclContext(q *request, ctx condition.Map) {
	if v := q.r.Header.Get("x-amz-acl"); v != "" {
		ctx["s3:x-amz-acl"] = []string{v}
	}
	for _, g := range grantHeaders {
		if v := q.r.Header.Get(g.header); v != "" {
			ctx["s3:"+g.header] = []string{v}
		}
	}
}

// ownerOf returns the ACL owner for an account.
func ownerOf(account string) acl.Owner {
	if account == "" || account == "anonymous" {
		return acl.Owner{ID: acl.AnonymousCanonicalID}
	}
	return acl.Owner{ID: model.CanonicalID(account), DisplayName: displayName(account)}
}

var _ = http.StatusOK
