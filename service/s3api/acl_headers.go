package s3api

import (
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
)

var grantHeaders = []struct {
	header string
	perm   acl.Permission
}{
	{"x-amz-grant-read", acl.Read}, {"x-amz-grant-write", acl.Write}, {"x-amz-grant-read-acp", acl.ReadACP},
	{"x-amz-grant-write-acp", acl.WriteACP}, {"x-amz-grant-full-control", acl.FullControl},
}

// requestACL reads the ACL a request sets through x-amz-acl or the
// x-amz-grant-* headers (not both). hasACL is false when it sets none; the
// result is then the private ACL.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
func requestACL(q *request, owner, bucketOwner acl.Owner, onBucket bool) (a acl.ACL, hasACL bool, e *awserr.Error) {
	canned := q.r.Header.Get("x-amz-acl")
	var grants []acl.Grant
	for _, g := range grantHeaders {
		v := q.r.Header.Get(g.header)
		if v == "" {
			continue
		}
		list, err := parseGrantHeader(v, g.perm)
		if err != nil {
			return acl.ACL{}, false, err
		}
		grants = append(grants, list...)
	}
	if canned != "" && len(grants) > 0 {
		return acl.ACL{}, false, awserr.InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed")
	}
	switch {
	case canned != "":
		a, err := acl.Canned(canned, owner, bucketOwner, onBucket)
		if err != nil {
			return acl.ACL{}, false, awserr.InvalidArgument("")
		}
		return a, true, nil
	case len(grants) > 0:
		return acl.ACL{Owner: owner, Grants: grants}, true, nil
	}
	return acl.Private(owner), false, nil
}

// parseGrantHeader reads `id="…", uri="…", emailAddress="…"` lists.
func parseGrantHeader(v string, perm acl.Permission) ([]acl.Grant, *awserr.Error) {
	var out []acl.Grant
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, awserr.InvalidArgument("Argument format not recognized")
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "id":
			out = append(out, acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: val}, Permission: perm})
		case "uri":
			if val != acl.AllUsers && val != acl.AuthenticatedUsers && val != acl.LogDelivery {
				return nil, awserr.InvalidArgument("Invalid group uri")
			}
			out = append(out, acl.Grant{Grantee: acl.Grantee{Type: acl.Group, URI: val}, Permission: perm})
		case "emailaddress":
			// verdict accounts have no e-mail addresses unless the world
			// file gives them; resolution happens at store time.
			out = append(out, acl.Grant{Grantee: acl.Grantee{Type: acl.Email, Email: val}, Permission: perm})
		default:
			return nil, awserr.InvalidArgument("Argument format not recognized")
		}
	}
	return out, nil
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
