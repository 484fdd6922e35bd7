package webidentity

import (
	"testing"
	"time"
)

// FuzzParse: Parse never panics, and what it accepts can be verified,
// time-checked and read without panicking.
func FuzzParse(f *testing.F) {
	k, err := NewKey()
	if err != nil {
		f.Fatal(err)
	}
	s, err := k.Sign(Claims{Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:a/b:ref:refs/heads/main",
		Audience: []string{"sts.amazonaws.com"}, IssuedAt: t0, TTL: time.Hour, Extra: map[string]any{"repository": "a/b"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s)
	f.Add(unsigned(`{"alg":"RS256"}`, `{"aud":["a","b"],"amr":"x","exp":1.5}`))
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Parse(s)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if err := tok.Verify(k.Public()); err != nil && KindOf(err) != BadSignature {
			t.Fatalf("Verify: %v", err)
		}
		_ = tok.CheckTime(t0, time.Minute)
		for name := range tok.Claims {
			tok.String(name)
		}
	})
}
