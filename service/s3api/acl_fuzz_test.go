package s3api

import (
	"errors"
	"net/http"
	"testing"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
)

// checkGrants fails unless every grant has a known permission and a grantee
// of a known type whose group, if any, is one of the three.
func checkGrants(t *testing.T, grants []acl.Grant) {
	t.Helper()
	if len(grants) > acl.MaxGrants {
		t.Fatalf("%d grants accepted", len(grants))
	}
	for _, g := range grants {
		if !g.Permission.Valid() {
			t.Fatalf("permission %q accepted", g.Permission)
		}
		switch g.Grantee.Type {
		case acl.CanonicalUser, acl.Email:
		case acl.Group:
			if !knownGroup(g.Grantee.URI) {
				t.Fatalf("group %q accepted", g.Grantee.URI)
			}
		default:
			t.Fatalf("grantee type %q accepted", g.Grantee.Type)
		}
	}
}

// FuzzACLHeaders feeds arbitrary x-amz-acl and x-amz-grant-* values to the
// header parser: it must return grants that are all well formed, or a 400
// *awserr.Error, and never panic.
func FuzzACLHeaders(f *testing.F) {
	f.Add("public-read", "", "", "", "", "")
	f.Add("", `id="abc"`, `uri="http://acs.amazonaws.com/groups/global/AllUsers", emailAddress="a@example.com"`, "", "", "")
	f.Add("", "", "", `fakekey="1"`, "", "")
	f.Add("private", "", "id=x", "", "", "")
	f.Add("", ",,,", "id=\"", "uri=", "emailaddress= \"\" ", "ID = \"x\"")
	f.Fuzz(func(t *testing.T, canned, full, read, readACP, write, writeACP string) {
		h := http.Header{}
		for _, kv := range [][2]string{{"x-amz-acl", canned}, {"x-amz-grant-full-control", full}, {"x-amz-grant-read", read},
			{"x-amz-grant-read-acp", readACP}, {"x-amz-grant-write", write}, {"x-amz-grant-write-acp", writeACP}} {
			if kv[1] != "" {
				h[http.CanonicalHeaderKey(kv[0])] = []string{kv[1]}
			}
		}
		c, grants, e := parseACLHeaders(h)
		if e != nil {
			if e.Status != http.StatusBadRequest {
				t.Fatalf("status %d for %v", e.Status, h)
			}
			return
		}
		if c != "" && len(grants) > 0 {
			t.Fatal("canned ACL and grants both accepted")
		}
		if c != "" {
			if _, err := acl.Canned(c, acl.Owner{}, acl.Owner{}, true); err != nil {
				t.Fatalf("canned ACL %q accepted", c)
			}
		}
		checkGrants(t, grants)
	})
}

// FuzzAccessControlPolicy feeds arbitrary bodies to the AccessControlPolicy
// reader and to the conversion into an ACL (with a resolver that knows the
// owner): a body is refused with a typed 400, or becomes an ACL whose
// rendering reads back to the same grants.
func FuzzAccessControlPolicy(f *testing.F) {
	owner := model.CanonicalID(acctA)
	f.Add(acpBody(owner, userGrant(owner, "FULL_CONTROL"), groupGrant(acl.AllUsers, "READ")))
	f.Add(acpBody(owner, emailGrant("a@example.com", "WRITE_ACP")))
	f.Add([]byte(`<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList><Grant><Grantee xsi:type="Group"><URI>u</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a><AccessControlPolicy/>`))
	f.Add([]byte(`<AccessControlPolicy xmlns:x="http://www.w3.org/2001/XMLSchema-instance"><Owner><ID>` + owner + `</ID></Owner><AccessControlList><Grant><Grantee x:type="CanonicalUser"><ID>` + owner + `</ID></Grantee><Permission>READ_ACP</Permission></Grant></AccessControlList></AccessControlPolicy>trailing`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, e := decodeACLBody(body)
		if e != nil {
			if e.Status != http.StatusBadRequest {
				t.Fatalf("status %d", e.Status)
			}
			return
		}
		if p.Owner.ID == "" {
			t.Fatal("body without an owner accepted")
		}
		g := &grantees{loaded: true, byID: map[string]string{p.Owner.ID: acctA}, byEmail: map[string][]string{"a@example.com": {acctA}}}
		for _, xg := range p.AccessControlList {
			if xg.Grantee.Type == s3xml.GranteeCanonicalUser {
				g.byID[xg.Grantee.ID] = acctB
			}
		}
		a, err := (&aclChange{body: p}).build(g, acl.Owner{ID: p.Owner.ID}, acl.Owner{ID: p.Owner.ID}, false)
		if err != nil {
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
				t.Fatalf("error %v", err)
			}
			return
		}
		checkGrants(t, a.Grants)
		out, err := s3xml.Marshal(aclXML(a))
		if err != nil {
			t.Fatal(err)
		}
		back, e := decodeACLBody(out)
		if e != nil {
			t.Fatalf("rendering does not read back: %v\n%s", e, out)
		}
		if len(back.AccessControlList) != len(a.Grants) || back.Owner.ID != a.Owner.ID {
			t.Fatalf("round trip changed the ACL:\n%s", out)
		}
	})
}
