package stsapi

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

// FuzzSTSCall sends arbitrary forms to STS as an IAM user allowed
// everything: the answer is a response or an AWS error other than
// InternalError, and the service never panics.
func FuzzSTSCall(f *testing.F) {
	for _, s := range []string{
		"Action=GetCallerIdentity&Version=2011-06-15",
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr&RoleSessionName=s1&DurationSeconds=900",
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr&RoleSessionName=s1&Policy=%7B%7D&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess",
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr&RoleSessionName=s1&Tags.member.1.Key=a&Tags.member.1.Value=b&TransitiveTagKeys.member.1=a&SourceIdentity=me&ExternalId=xyz",
		"Action=GetSessionToken&Version=2011-06-15&DurationSeconds=1000&SerialNumber=arn%3Aaws%3Aiam%3A%3A111111111111%3Amfa%2Fa&TokenCode=123456",
		"Action=GetFederationToken&Version=2011-06-15&Name=fed&Policy=%7B%22Version%22%3A%222012-10-17%22%7D",
	} {
		f.Add(s)
	}
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	svc := New()
	comp := inputs.NewCompiler()
	all, err := comp.Compile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	if err != nil {
		f.Fatal(err)
	}
	user := &model.User{Account: "111111111111", Name: "alice", Path: "/", ID: "AIDAEXAMPLE"}
	caller := &inputs.Caller{Principal: authz.Principal{Type: authz.User, Account: "111111111111", ARN: user.ARN(), UniqueID: user.ID},
		Identity: []authz.PolicyRef{{Name: "all", Policy: all}}, User: user}
	f.Fuzz(func(t *testing.T, form string) {
		st := memory.New()
		err := st.Update(context.Background(), func(tx store.Tx) error {
			return state.PutRole(tx, &model.Role{Account: "111111111111", Name: "r", Path: "/", ID: "AROAEXAMPLE", Created: now,
				TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`})
		})
		if err != nil {
			t.Fatal(err)
		}
		env := &service.Env{Store: st, Compiler: comp, Region: "us-east-1"}
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		svc.ServeAWS(w, &service.Call{Env: env, RequestID: "rid", Now: now, Caller: caller, HTTP: r})
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, form, w.Body)
		}
	})
}
