package webidentity

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

// MaxTokenLen is the longest token Parse accepts: STS's limit on the
// WebIdentityToken parameter (4 to 20,000 characters).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_RequestParameters
const MaxTokenLen = 20000

// ErrorKind classifies why a token was refused.
type ErrorKind uint8

// Error kinds.
const (
	// Malformed: not a well-formed JWT (encoding, JSON, claim types).
	Malformed ErrorKind = iota + 1
	// Unsupported: an algorithm other than RS256 and ES256.
	Unsupported
	// BadSignature: the signature does not verify with any trusted key.
	BadSignature
	// Expired: the exp claim has passed.
	Expired
	// NotYetValid: nbf or iat lies in the future.
	NotYetValid
)

// Error is a refused token.
type Error struct {
	Kind ErrorKind
	Msg  string
}

func (e *Error) Error() string { return "webidentity: " + e.Msg }

func errorf(k ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of a token error, 0 for other errors.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// Token is a parsed, not yet verified, JWT.
type Token struct {
	// Alg and KeyID are the header's alg and kid.
	Alg, KeyID string
	// Issuer, Subject and Audience are iss, sub and aud (aud may be a
	// string or a list).
	Issuer, Subject string
	Audience        []string
	// Expires, NotBefore and IssuedAt are exp, nbf and iat; zero when
	// absent.
	Expires, NotBefore, IssuedAt time.Time
	// AMR is the amr claim (a string or a list).
	AMR []string
	// Claims holds every claim as decoded JSON.
	Claims map[string]any

	signed []byte // header.payload, the signing input
	sig    []byte
}

// decodeSegment decodes one base64url part of a token.
func decodeSegment(s, what string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errorf(Malformed, "the token's %s is not base64url", what)
	}
	return b, nil
}

// Parse splits and decodes a compact-serialized JWS whose payload is a JWT.
// It checks form only; see Verify and CheckTime.
// https://www.rfc-editor.org/rfc/rfc7519
func Parse(s string) (*Token, error) {
	if len(s) > MaxTokenLen {
		return nil, errorf(Malformed, "the token is longer than %d characters", MaxTokenLen)
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, errorf(Malformed, "the token does not have three dot-separated parts")
	}
	hb, err := decodeSegment(parts[0], "header")
	if err != nil {
		return nil, err
	}
	pb, err := decodeSegment(parts[1], "payload")
	if err != nil {
		return nil, err
	}
	sig, err := decodeSegment(parts[2], "signature")
	if err != nil {
		return nil, err
	}
	var h struct {
		Alg  string `json:"alg"`
		Kid  string `json:"kid"`
		Crit []any  `json:"crit"`
	}
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, errorf(Malformed, "the token's header is not a JSON object")
	}
	if h.Crit != nil {
		// No extension is understood, so any critical one is refused.
		// https://www.rfc-editor.org/rfc/rfc7515#section-4.1.11
		return nil, errorf(Unsupported, "the token's header has critical extensions")
	}
	if h.Alg != "RS256" && h.Alg != "ES256" {
		return nil, errorf(Unsupported, "the token's algorithm %q is not RS256 or ES256", h.Alg)
	}
	dec := json.NewDecoder(bytes.NewReader(pb))
	dec.UseNumber()
	var claims map[string]any
	if err := dec.Decode(&claims); err != nil || claims == nil || dec.More() {
		return nil, errorf(Malformed, "the token's payload is not a JSON object")
	}
	t := &Token{Alg: h.Alg, KeyID: h.Kid, Claims: claims, signed: []byte(parts[0] + "." + parts[1]), sig: sig}
	if t.Issuer, err = stringClaim(claims, "iss"); err != nil {
		return nil, err
	}
	if t.Subject, err = stringClaim(claims, "sub"); err != nil {
		return nil, err
	}
	if t.Audience, err = listClaim(claims, "aud"); err != nil {
		return nil, err
	}
	if t.AMR, err = listClaim(claims, "amr"); err != nil {
		return nil, err
	}
	if t.Expires, err = timeClaim(claims, "exp"); err != nil {
		return nil, err
	}
	if t.NotBefore, err = timeClaim(claims, "nbf"); err != nil {
		return nil, err
	}
	if t.IssuedAt, err = timeClaim(claims, "iat"); err != nil {
		return nil, err
	}
	return t, nil
}

func stringClaim(c map[string]any, name string) (string, error) {
	v, ok := c[name]
	if !ok {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", errorf(Malformed, "the token's %s claim is not a string", name)
	}
	return s, nil
}

// listClaim reads a claim that is a string or a list of strings.
func listClaim(c map[string]any, name string) ([]string, error) {
	switch v := c[name].(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, errorf(Malformed, "the token's %s claim has a member that is not a string", name)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, errorf(Malformed, "the token's %s claim is not a string or a list of strings", name)
}

// timeClaim reads a NumericDate (seconds since the epoch, possibly
// fractional).
func timeClaim(c map[string]any, name string) (time.Time, error) {
	v, ok := c[name]
	if !ok {
		return time.Time{}, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, errorf(Malformed, "the token's %s claim is not a number", name)
	}
	f, err := n.Float64()
	// Years beyond 9999 cannot be formatted; refuse them with the rest.
	if err != nil || math.IsNaN(f) || f < 0 || f > 253402300799 {
		return time.Time{}, errorf(Malformed, "the token's %s claim is not a valid date", name)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}

// String returns a claim's value as a condition key sees it: strings as
// they are, numbers and booleans in their JSON form; ok is false for
// absent claims, objects and lists.
func (t *Token) String(name string) (string, bool) {
	switch v := t.Claims[name].(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// Verify checks the signature with pub, an *rsa.PublicKey for RS256 or an
// *ecdsa.PublicKey (P-256) for ES256.
// https://www.rfc-editor.org/rfc/rfc7518#section-3.1
func (t *Token) Verify(pub crypto.PublicKey) error {
	h := sha256.Sum256(t.signed)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if t.Alg == "RS256" && rsa.VerifyPKCS1v15(k, crypto.SHA256, h[:], t.sig) == nil {
			return nil
		}
	case *ecdsa.PublicKey:
		// ES256 signatures are R and S, 32 bytes each, not ASN.1.
		// https://www.rfc-editor.org/rfc/rfc7518#section-3.4
		if t.Alg == "ES256" && len(t.sig) == 64 {
			r, s := new(big.Int).SetBytes(t.sig[:32]), new(big.Int).SetBytes(t.sig[32:])
			if ecdsa.Verify(k, h[:], r, s) {
				return nil
			}
		}
	}
	return errorf(BadSignature, "the token's signature does not verify")
}

// CheckTime checks exp, nbf and iat against now, allowing skew either way.
// A token without exp is refused: OIDC ID tokens must carry one.
// https://openid.net/specs/openid-connect-core-1_0.html#IDToken
func (t *Token) CheckTime(now time.Time, skew time.Duration) error {
	switch {
	case t.Expires.IsZero():
		return errorf(Malformed, "the token has no exp claim")
	case !now.Before(t.Expires.Add(skew)):
		return errorf(Expired, "the token expired at %s", t.Expires.Format(time.RFC3339))
	case !t.NotBefore.IsZero() && now.Add(skew).Before(t.NotBefore):
		return errorf(NotYetValid, "the token is not valid before %s", t.NotBefore.Format(time.RFC3339))
	case !t.IssuedAt.IsZero() && now.Add(skew).Before(t.IssuedAt):
		return errorf(NotYetValid, "the token was issued in the future, at %s", t.IssuedAt.Format(time.RFC3339))
	}
	return nil
}
