package state_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

func TestNormalizeIssuer(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"scheme dropped", "https://token.actions.githubusercontent.com", "token.actions.githubusercontent.com"},
		{"scheme in capitals", "HTTPS://idp.example.com", "idp.example.com"},
		{"host lower-cased, path kept", "https://IdP.Example.com/Tenant/A", "idp.example.com/Tenant/A"},
		{"trailing slash", "https://idp.example.com/t/", "idp.example.com/t"},
		{"already without scheme", "idp.example.com", "idp.example.com"},
		{"port kept", "https://idp.example.com:8443/x", "idp.example.com:8443/x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := state.NormalizeIssuer(tc.in); got != tc.want {
				t.Fatalf("NormalizeIssuer(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestOIDCProviders(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	p := &model.OIDCProvider{Account: "111111111111", URL: "idp.example.com/t", ClientIDs: []string{"a"}, Created: time.Unix(1, 0).UTC()}
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := state.InsertOIDCProvider(tx, p); err != nil {
			return err
		}
		if err := state.InsertOIDCProvider(tx, p); !errors.Is(err, store.ErrExists) {
			t.Errorf("second insert: %v", err)
		}
		return state.PutOIDCProvider(tx, &model.OIDCProvider{Account: "222222222222", URL: "idp.example.com/t"})
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, account, url string
		found              bool
	}{
		{"by URL with scheme", "111111111111", "https://IDP.example.com/t", true},
		{"by stored form", "111111111111", "idp.example.com/t", true},
		{"path is case-sensitive", "111111111111", "https://idp.example.com/T", false},
		{"other account", "333333333333", "https://idp.example.com/t", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_ = st.View(ctx, func(tx store.Tx) error {
				got, err := state.OIDCProvider(tx, tc.account, tc.url)
				if tc.found && (err != nil || got.ARN() != "arn:aws:iam::111111111111:oidc-provider/idp.example.com/t") {
					t.Fatalf("got %v, %v", got, err)
				}
				if !tc.found && !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("err = %v, want not found", err)
				}
				return nil
			})
		})
	}
	_ = st.Update(ctx, func(tx store.Tx) error {
		all, err := state.ListOIDCProviders(tx, "111111111111")
		if err != nil || len(all) != 1 {
			t.Fatalf("list = %v, %v", all, err)
		}
		if err := state.DeleteOIDCProvider(tx, "111111111111", "https://idp.example.com/t"); err != nil {
			t.Fatal(err)
		}
		all, _ = state.ListOIDCProviders(tx, "111111111111")
		if len(all) != 0 {
			t.Fatalf("after delete: %v", all)
		}
		return nil
	})
}
