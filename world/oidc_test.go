package world

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

// TestOIDCProviders: a world file declares an account's OIDC providers and
// roles that trust them; applying it stores the providers (issuer without
// its scheme, host lower-cased), twice changes nothing, and malformed or
// duplicate providers are refused with their position.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
func TestOIDCProviders(t *testing.T) {
	const good = `accounts:
  - id: "222222222222"
    oidc_providers:
      - url: https://Token.Actions.GitHubUserContent.com
        client_ids: [sts.amazonaws.com]
        thumbprints: [6938fd4d98bab03faadb97b34396831e3780aea1]
    roles:
      - name: deploy
        trust:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"}
              Action: sts:AssumeRoleWithWebIdentity
              Condition: {StringLike: {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}}
`
	w, err := Parse("w.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	ctx := context.Background()
	for range 2 {
		if err := w.Apply(ctx, st, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	err = st.View(ctx, func(tx store.Tx) error {
		ps, err := state.ListOIDCProviders(tx, "222222222222")
		if err != nil {
			return err
		}
		if len(ps) != 1 || ps[0].URL != "token.actions.githubusercontent.com" || len(ps[0].ClientIDs) != 1 || len(ps[0].Thumbprints) != 1 {
			t.Errorf("providers = %+v", ps)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ name, yaml, want string }{
		{"not https", "accounts:\n  - id: \"222222222222\"\n    oidc_providers: [{url: http://issuer.example}]\n", "https://HOST[/PATH]"},
		{"query", "accounts:\n  - id: \"222222222222\"\n    oidc_providers: [{url: \"https://issuer.example/?a=b\"}]\n", "https://HOST[/PATH]"},
		{"bad thumbprint", "accounts:\n  - id: \"222222222222\"\n    oidc_providers: [{url: https://issuer.example, thumbprints: [abc]}]\n", "40 hexadecimal digits"},
		{"twice", "accounts:\n  - id: \"222222222222\"\n    oidc_providers: [{url: https://issuer.example}, {url: https://ISSUER.example/}]\n", "declared twice"},
		{"unknown field", "accounts:\n  - id: \"222222222222\"\n    oidc_providers: [{url: https://issuer.example, audience: x}]\n", "audience"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("w.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "w.yaml:") {
				t.Errorf("Parse error = %v, want one at a position mentioning %q", err, tc.want)
			}
		})
	}
}
