package webidentity

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// unsigned builds a token from a header and payload with a junk signature.
func unsigned(header, payload string) string {
	return b64(header) + "." + b64(payload) + "." + b64("sig")
}

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignParseVerify(t *testing.T) {
	k := mustKey(t)
	tests := []struct {
		name string
		c    Claims
		aud  []string
	}{
		{"one audience", Claims{Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:acme/app:ref:refs/heads/main",
			Audience: []string{"sts.amazonaws.com"}, IssuedAt: t0, TTL: time.Hour, Extra: map[string]any{"repository": "acme/app", "run_number": 7}},
			[]string{"sts.amazonaws.com"}},
		{"two audiences", Claims{Issuer: "https://idp.example.com/t/1", Subject: "u", Audience: []string{"a", "b"}, IssuedAt: t0, TTL: time.Minute},
			[]string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := k.Sign(tc.c)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Alg != "ES256" || tok.KeyID != k.KeyID() || tok.Issuer != tc.c.Issuer || tok.Subject != tc.c.Subject ||
				!slices.Equal(tok.Audience, tc.aud) || !tok.Expires.Equal(t0.Add(tc.c.TTL)) || !tok.IssuedAt.Equal(t0) || !tok.NotBefore.Equal(t0) {
				t.Fatalf("parsed %+v", tok)
			}
			if err := tok.Verify(k.Public()); err != nil {
				t.Fatal(err)
			}
			if err := tok.Verify(mustKey(t).Public()); KindOf(err) != BadSignature {
				t.Fatalf("other key: %v", err)
			}
			if err := tok.CheckTime(t0.Add(time.Second), 0); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSignRefusesReservedClaims(t *testing.T) {
	for _, name := range []string{"iss", "sub", "aud", "iat", "nbf", "exp"} {
		t.Run(name, func(t *testing.T) {
			if _, err := mustKey(t).Sign(Claims{Extra: map[string]any{name: "x"}, TTL: time.Hour}); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestTamperedToken(t *testing.T) {
	k := mustKey(t)
	s, err := k.Sign(Claims{Issuer: "https://i", Subject: "alice", Audience: []string{"a"}, IssuedAt: t0, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(s, ".")
	tests := []struct {
		name, token string
	}{
		{"other subject", parts[0] + "." + b64(`{"iss":"https://i","sub":"mallory","aud":"a","exp":1900000000}`) + "." + parts[2]},
		{"short signature", parts[0] + "." + parts[1] + "." + b64("short")},
		{"RS256 header on an ES256 signature", b64(`{"alg":"RS256"}`) + "." + parts[1] + "." + parts[2]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := Parse(tc.token)
			if err != nil {
				t.Fatal(err)
			}
			if err := tok.Verify(k.Public()); KindOf(err) != BadSignature {
				t.Fatalf("Verify = %v, want BadSignature", err)
			}
		})
	}
}

func TestRS256(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	signed := b64(`{"alg":"RS256","kid":"r1"}`) + "." + b64(`{"iss":"https://i","sub":"s","aud":"a","exp":1900000000}`)
	h := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, h[:])
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Parse(signed + "." + base64.RawURLEncoding.EncodeToString(sig))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  crypto.PublicKey
		ok   bool
	}{
		{"its key", &priv.PublicKey, true},
		{"an EC key", mustKey(t).Public(), false},
		{"no key", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tok.Verify(tc.key); (err == nil) != tc.ok {
				t.Fatalf("Verify = %v", err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	es := `{"alg":"ES256"}`
	tests := []struct {
		name  string
		token string
		kind  ErrorKind
	}{
		{"two parts", b64(es) + "." + b64(`{}`), Malformed},
		{"four parts", unsigned(es, `{}`) + ".x", Malformed},
		{"bad base64", "a+b." + b64(`{}`) + ".c", Malformed},
		{"padded base64", b64(es) + "=." + b64(`{}`) + ".c", Malformed},
		{"header not JSON", b64("{") + "." + b64(`{}`) + ".c", Malformed},
		{"alg none", unsigned(`{"alg":"none"}`, `{}`), Unsupported},
		{"alg HS256", unsigned(`{"alg":"HS256"}`, `{}`), Unsupported},
		{"critical extension", unsigned(`{"alg":"ES256","crit":["x"]}`, `{}`), Unsupported},
		{"payload an array", unsigned(es, `[1]`), Malformed},
		{"payload null", unsigned(es, `null`), Malformed},
		{"trailing JSON", unsigned(es, `{} {}`), Malformed},
		{"iss a number", unsigned(es, `{"iss":1}`), Malformed},
		{"sub a list", unsigned(es, `{"sub":["a"]}`), Malformed},
		{"aud with a number", unsigned(es, `{"aud":["a",1]}`), Malformed},
		{"aud an object", unsigned(es, `{"aud":{}}`), Malformed},
		{"amr a number", unsigned(es, `{"amr":5}`), Malformed},
		{"exp a string", unsigned(es, `{"exp":"1"}`), Malformed},
		{"exp negative", unsigned(es, `{"exp":-1}`), Malformed},
		{"exp past year 9999", unsigned(es, `{"exp":1e300}`), Malformed},
		{"nbf a bool", unsigned(es, `{"nbf":true}`), Malformed},
		{"too long", unsigned(es, `{"x":"`+strings.Repeat("a", MaxTokenLen)+`"}`), Malformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.token)
			if KindOf(err) != tc.kind {
				t.Fatalf("Parse = %v, want kind %d", err, tc.kind)
			}
		})
	}
}

func TestCheckTime(t *testing.T) {
	skew := 5 * time.Minute
	tok := func(payload string) *Token {
		tk, err := Parse(unsigned(`{"alg":"ES256"}`, payload))
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	now := time.Unix(1000000, 0)
	tests := []struct {
		name    string
		payload string
		kind    ErrorKind
	}{
		{"valid", `{"exp":1000100,"iat":999900,"nbf":999900}`, 0},
		{"fractional exp", `{"exp":1000000.5}`, 0},
		{"expired within skew", `{"exp":999800}`, 0},
		{"expired beyond skew", `{"exp":999000}`, Expired},
		{"exactly at exp plus skew", `{"exp":999700}`, Expired},
		{"no exp", `{"iat":999900}`, Malformed},
		{"nbf within skew", `{"exp":1009000,"nbf":1000200}`, 0},
		{"nbf beyond skew", `{"exp":1009000,"nbf":1000400}`, NotYetValid},
		{"iat beyond skew", `{"exp":1009000,"iat":1000400}`, NotYetValid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := KindOf(tok(tc.payload).CheckTime(now, skew)); got != tc.kind {
				t.Fatalf("kind = %d, want %d", got, tc.kind)
			}
		})
	}
}

func TestString(t *testing.T) {
	tk, err := Parse(unsigned(`{"alg":"ES256"}`, `{"s":"x","n":12,"b":false,"l":["a"],"o":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		claim, want string
		ok          bool
	}{
		{"s", "x", true}, {"n", "12", true}, {"b", "false", true}, {"l", "", false}, {"o", "", false}, {"absent", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.claim, func(t *testing.T) {
			got, ok := tk.String(tc.claim)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("String(%q) = %q, %v", tc.claim, got, ok)
			}
		})
	}
}

func TestLoadKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := ReadKey(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadKey before creation = %v", err)
	}
	k1, err := LoadKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v", fi.Mode())
	}
	k2, err := LoadKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k1.KeyID() != k2.KeyID() {
		t.Fatal("the key changed between loads")
	}
	s, err := k1.Sign(Claims{Issuer: "https://i", Subject: "s", Audience: []string{"a"}, IssuedAt: t0, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := tok.Verify(k2.Public()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, content string
	}{
		{"not PEM", "garbage"},
		{"wrong block", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
		{"bad DER", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			if err := os.WriteFile(filepath.Join(d, KeyFile), []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadKey(d); err == nil {
				t.Fatal("no error")
			}
		})
	}
}
