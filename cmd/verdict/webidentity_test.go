package main

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/webidentity"
)

func TestWebIdentityCmd(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, tok *webidentity.Token)
	}{
		{"GitHub token", []string{"--issuer", "https://token.actions.githubusercontent.com", "--sub", "repo:acme/app:ref:refs/heads/main",
			"--aud", "sts.amazonaws.com", "--claim", "repository=acme/app", "--claim", "ref=refs/heads/main", "--ttl", "10m"}, "",
			func(t *testing.T, tok *webidentity.Token) {
				if v, _ := tok.String("repository"); v != "acme/app" || !tok.Expires.Equal(now.Add(10*time.Minute)) ||
					tok.Subject != "repo:acme/app:ref:refs/heads/main" {
					t.Fatalf("token %+v", tok)
				}
			}},
		{"two audiences", []string{"--issuer", "https://i.example.com", "--sub", "s", "--aud", "a", "--aud", "b"}, "",
			func(t *testing.T, tok *webidentity.Token) {
				if !slices.Equal(tok.Audience, []string{"a", "b"}) {
					t.Fatalf("aud %v", tok.Audience)
				}
			}},
		{"expired on purpose", []string{"--issuer", "https://i.example.com", "--sub", "s", "--aud", "a", "--ttl", "-1h"}, "",
			func(t *testing.T, tok *webidentity.Token) {
				if webidentity.KindOf(tok.CheckTime(now, 0)) != webidentity.Expired {
					t.Fatal("token is not expired")
				}
			}},
		{"http issuer", []string{"--issuer", "http://i", "--sub", "s", "--aud", "a"}, "--issuer must be an https:// URL", nil},
		{"no sub", []string{"--issuer", "https://i", "--aud", "a"}, "--sub is required", nil},
		{"no aud", []string{"--issuer", "https://i", "--sub", "s"}, "--aud is required", nil},
		{"zero ttl", []string{"--issuer", "https://i", "--sub", "s", "--aud", "a", "--ttl", "0s"}, "--ttl must not be zero", nil},
		{"claim without value", []string{"--issuer", "https://i", "--sub", "s", "--aud", "a", "--claim", "x"}, "want NAME=VALUE", nil},
		{"reserved claim", []string{"--issuer", "https://i", "--sub", "s", "--aud", "a", "--claim", "exp=1"}, "set exp with its own option", nil},
		{"extra argument", []string{"--issuer", "https://i", "--sub", "s", "--aud", "a", "more"}, "unexpected argument", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := webIdentityCmd(append([]string{"--data", dir}, tc.args...), &out, io.Discard, now)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tok, err := webidentity.Parse(strings.TrimSpace(out.String()))
			if err != nil {
				t.Fatal(err)
			}
			key, err := webidentity.ReadKey(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := tok.Verify(key.Public()); err != nil {
				t.Fatalf("the token does not verify with the data directory's key: %v", err)
			}
			tc.check(t, tok)
		})
	}
}
