package stsapi

import (
	"context"
	"crypto"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/webidentity"
)

// FuzzWebIdentityCall sends arbitrary unsigned forms to
// AssumeRoleWithWebIdentity, with a provider and a role trusting it in the
// store: the answer is a response or an AWS error other than InternalError,
// and the service never panics.
func FuzzWebIdentityCall(f *testing.F) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	key, err := webidentity.NewKey()
	if err != nil {
		f.Fatal(err)
	}
	tok, err := key.Sign(webidentity.Claims{Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:a/b:ref:refs/heads/main",
		Audience: []string{"sts.amazonaws.com"}, IssuedAt: now, TTL: time.Hour, Extra: map[string]any{"repository": "a/b", "amr": []string{"x"}}})
	if err != nil {
		f.Fatal(err)
	}
	form := func(extra string) string {
		return "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fci&RoleSessionName=job&WebIdentityToken=" +
			url.QueryEscape(tok) + extra
	}
	f.Add(form(""))
	f.Add(form("&DurationSeconds=7200&Policy=%7B%7D"))
	f.Add(form("&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess"))
	svc := &Service{WebIdentityKeys: []crypto.PublicKey{key.Public()}}
	comp := inputs.NewCompiler()
	f.Fuzz(func(t *testing.T, form string) {
		st := memory.New()
		err := st.Update(context.Background(), func(tx store.Tx) error {
			if err := state.PutOIDCProvider(tx, &model.OIDCProvider{Account: "111111111111", URL: "token.actions.githubusercontent.com",
				ClientIDs: []string{"sts.amazonaws.com"}, Created: now}); err != nil {
				return err
			}
			return state.PutRole(tx, &model.Role{Account: "111111111111", Name: "ci", Path: "/", ID: "AROAEXAMPLE", Created: now,
				TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:a/*"}}}]}`})
		})
		if err != nil {
			t.Fatal(err)
		}
		env := &service.Env{Store: st, Compiler: comp, Region: "us-east-1"}
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		svc.ServeAWS(w, &service.Call{Env: env, RequestID: "rid", Now: now, Caller: inputs.Anonymous(), HTTP: r})
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, form, w.Body)
		}
	})
}
