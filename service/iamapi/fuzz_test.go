package iamapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

// fuzzStore returns a store holding a user, a group, a role and a
// customer managed policy of account 111111111111.
func fuzzStore(tb testing.TB, now time.Time) *memory.Store {
	st := memory.New()
	err := st.Update(context.Background(), func(tx store.Tx) error {
		const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
		if err := state.PutUser(tx, &model.User{Account: "111111111111", Name: "alice", Path: "/", ID: "AIDAEXAMPLE", Created: now,
			Inline: map[string]string{"p": doc}, Groups: []string{"devs"}}); err != nil {
			return err
		}
		if err := state.PutGroup(tx, &model.Group{Account: "111111111111", Name: "devs", Path: "/", ID: "AGPAEXAMPLE", Created: now}); err != nil {
			return err
		}
		if err := state.PutRole(tx, &model.Role{Account: "111111111111", Name: "r", Path: "/", ID: "AROAEXAMPLE", Created: now,
			TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}`}); err != nil {
			return err
		}
		return state.PutPolicy(tx, &model.ManagedPolicy{ARN: "arn:aws:iam::111111111111:policy/P", Account: "111111111111", Name: "P", Path: "/",
			ID: "ANPAEXAMPLE", DefaultVersion: "v1", Versions: []model.PolicyVersion{{ID: "v1", Document: doc, Created: now}}, NextVersion: 2})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// FuzzIAMCall sends arbitrary forms to the IAM service as the root user:
// whatever the parameters, the answer is a response or an AWS error other
// than InternalError, and the service never panics.
func FuzzIAMCall(f *testing.F) {
	for _, s := range []string{
		"Action=CreateUser&Version=2010-05-08&UserName=bob&Path=%2Fa%2F&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Action=PutUserPolicy&Version=2010-05-08&UserName=alice&PolicyName=x&PolicyDocument=%7B%7D",
		"Action=CreateRole&Version=2010-05-08&RoleName=x&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D",
		"Action=ListUsers&Version=2010-05-08&MaxItems=1&Marker=YWxpY2U",
		"Action=AttachGroupPolicy&Version=2010-05-08&GroupName=devs&PolicyArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Apolicy%2FP",
		"Action=CreatePolicyVersion&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Apolicy%2FP&PolicyDocument=x&SetAsDefault=true",
		"Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=User",
		"Action=DeleteUser&Version=2010-05-08&UserName=alice",
		"Action=UpdateUser&Version=2010-05-08&UserName=alice&NewUserName=Alice&NewPath=%2F",
		"Action=UntagRole&Version=2010-05-08&RoleName=r&TagKeys.member.1=a",
	} {
		f.Add(s)
	}
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	svc := New()
	caller := &inputs.Caller{Principal: authz.Principal{Type: authz.Root, Account: "111111111111", ARN: "arn:aws:iam::111111111111:root"}}
	f.Fuzz(func(t *testing.T, form string) {
		env := &service.Env{Store: fuzzStore(t, now), Compiler: inputs.NewCompiler(), Region: "us-east-1"}
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		svc.ServeAWS(w, &service.Call{Env: env, RequestID: "rid", Now: now, Caller: caller, HTTP: r})
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, form, w.Body)
		}
	})
}
