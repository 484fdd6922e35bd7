package inputs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

const readAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

func seed(t *testing.T) store.Store {
	t.Helper()
	st := memory.New()
	now := time.Now()
	err := st.Update(context.Background(), func(tx store.Tx) error {
		if err := state.PutGroup(tx, &model.Group{Account: "111111111111", Name: "devs", Path: "/", Inline: map[string]string{"g": readAll}}); err != nil {
			return err
		}
		if err := state.PutUser(tx, &model.User{Account: "111111111111", Name: "alice", Path: "/team/", ID: "AIDAALICE",
			Inline: map[string]string{"b": readAll, "a": readAll}, Attached: []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"},
			Groups: []string{"devs"}, Boundary: "arn:aws:iam::aws:policy/AmazonS3FullAccess", Tags: []model.Tag{{Key: "Team", Value: "red"}}}); err != nil {
			return err
		}
		if err := state.PutRole(tx, &model.Role{Account: "111111111111", Name: "reader", Path: "/", ID: "AROAREADER", Inline: map[string]string{"r": readAll}}); err != nil {
			return err
		}
		if err := state.PutAccessKey(tx, &model.AccessKey{ID: "AKIAALICE", Secret: "s", Account: "111111111111", User: "alice", Status: "Active", Created: now}); err != nil {
			return err
		}
		if err := state.PutAccessKey(tx, &model.AccessKey{ID: "AKIAOFF", Secret: "s", Account: "111111111111", User: "alice", Status: "Inactive", Created: now}); err != nil {
			return err
		}
		return state.PutSession(tx, &model.Session{AccessKeyID: "ASIAREADER", Secret: "t", Token: "tok", Account: "111111111111",
			Kind: model.AssumedRoleSession, Expiration: now.Add(time.Hour), Issued: now, RoleName: "reader",
			RoleARN: "arn:aws:iam::111111111111:role/reader", RoleID: "AROAREADER", Name: "s1",
			ARN: "arn:aws:sts::111111111111:assumed-role/reader/s1", HasPolicy: true, Policy: readAll})
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestResolveKey(t *testing.T) {
	st := seed(t)
	c := NewCompiler()
	resolve := func(id string) (*Caller, error) {
		var caller *Caller
		err := st.View(context.Background(), func(tx store.Tx) error {
			var err error
			caller, err = c.ResolveKey(tx, id, "test", time.Now())
			return err
		})
		return caller, err
	}
	root, err := resolve("222222222222")
	if err != nil || root.Principal.Type != authz.Root || root.Principal.ARN != "arn:aws:iam::222222222222:root" || root.Secret != "test" ||
		root.Principal.CanonicalID != model.CanonicalID("222222222222") {
		t.Fatalf("root: %+v %v", root, err)
	}
	alice, err := resolve("AKIAALICE")
	if err != nil || alice.Principal.Type != authz.User || alice.Principal.ARN != "arn:aws:iam::111111111111:user/team/alice" {
		t.Fatalf("alice: %+v %v", alice, err)
	}
	// Two inline (sorted), one attached, one group inline policy; a boundary.
	if len(alice.Identity) != 4 || alice.Identity[0].Name != "user/alice inline policy a" || alice.Boundary == nil {
		t.Fatalf("alice's policies: %+v", alice.Identity)
	}
	m := condition.Map{}
	alice.ContextKeys(m)
	if m["aws:principaltag/team"][0] != "red" || m["aws:username"][0] != "alice" {
		t.Fatalf("alice's keys: %v", m)
	}
	sess, err := resolve("ASIAREADER")
	if err != nil || sess.Principal.Type != authz.AssumedRole || sess.Principal.RoleARN != "arn:aws:iam::111111111111:role/reader" ||
		sess.Token != "tok" || len(sess.Session) != 1 || len(sess.Identity) != 1 || sess.Expired {
		t.Fatalf("session: %+v %v", sess, err)
	}
	for _, id := range []string{"AKIANOPE", "AKIAOFF", "ASIANOPE"} {
		if _, err := resolve(id); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("%s: err = %v", id, err)
		}
	}
}

func TestS3Inputs(t *testing.T) {
	c := NewCompiler()
	caller := &Caller{Principal: authz.Principal{Type: authz.Root, Account: "111111111111", ARN: "arn:aws:iam::111111111111:root"}}
	pab := acl.PublicAccessBlock{RestrictPublicBuckets: true}
	b := &model.Bucket{Name: "b", Owner: "222222222222", ACL: acl.Private(acl.Owner{ID: "x"}), PublicAccess: &pab,
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`}
	obj := &model.Object{Bucket: "b", Key: "k", Owner: "333333333333", ACL: acl.Private(acl.Owner{ID: "y"})}
	req, in, err := c.S3(caller, &S3Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Bucket: b, Object: obj, RequestPayer: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := req.Context.(condition.Map)
	if req.ResourceAccount != "222222222222" || ctx["aws:resourceaccount"][0] != "222222222222" || ctx["aws:principaltype"][0] != "Account" {
		t.Fatalf("request: %+v", req)
	}
	if in.ResourceKind != authz.BucketPolicy || in.Resource == nil || !in.S3.PolicyPublic || in.S3.ObjectOwner.Account != "333333333333" ||
		in.S3.Ownership != acl.ObjectWriter || !in.S3.RequestPayer {
		t.Fatalf("inputs: %+v %+v", in, in.S3)
	}
	// Account-level operations carry no bucket.
	if _, in, _ := c.S3(caller, &S3Request{Action: "s3:ListAllMyBuckets", Resource: "*"}); in.S3 != nil {
		t.Fatal("ListAllMyBuckets has no bucket inputs")
	}
	if _, err := c.Compile("{"); err == nil {
		t.Fatal("bad policy compiled")
	}
}
