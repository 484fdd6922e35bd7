package webidentity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// KeyFile is the name of the signing key's file in the data directory.
const KeyFile = "web-identity.key"

// Key is verdict's web identity signing key (ECDSA P-256, ES256).
type Key struct {
	priv *ecdsa.PrivateKey
	kid  string
}

// NewKey returns a fresh key that is not saved anywhere (for tests).
func NewKey() (*Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return fromPrivate(priv)
}

func fromPrivate(priv *ecdsa.PrivateKey) (*Key, error) {
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(der)
	return &Key{priv: priv, kid: hex.EncodeToString(h[:8])}, nil
}

// ReadKey reads the key from dir/web-identity.key without creating it.
func ReadKey(dir string) (*Key, error) {
	p := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("webidentity: %s: not a PEM PRIVATE KEY", p)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("webidentity: %s: %w", p, err)
	}
	priv, ok := k.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, fmt.Errorf("webidentity: %s: not an ECDSA P-256 key", p)
	}
	return fromPrivate(priv)
}

// LoadKey reads the key from dir/web-identity.key, creating the directory
// and the key (mode 0600) on first use.
func LoadKey(dir string) (*Key, error) {
	k, err := ReadKey(dir)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	k, err = NewKey()
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, KeyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		// Another process created it first: use theirs.
		return ReadKey(dir)
	}
	if err != nil {
		return nil, err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return k, f.Close()
}

// KeyID is the kid verdict's tokens carry: the first 8 bytes of the SHA-256
// of the public key, in hex.
func (k *Key) KeyID() string { return k.kid }

// Public returns the public key.
func (k *Key) Public() crypto.PublicKey { return &k.priv.PublicKey }

// Claims are the claims of a token to mint.
type Claims struct {
	Issuer, Subject string
	Audience        []string
	IssuedAt        time.Time
	TTL             time.Duration
	// Extra holds further claims (GitHub's repository, ref, ...); they
	// must not repeat iss, sub, aud, iat, nbf or exp.
	Extra map[string]any
}

// Sign mints an ES256 token with c's claims: iat and nbf are c.IssuedAt,
// exp is c.IssuedAt + c.TTL.
func (k *Key) Sign(c Claims) (string, error) {
	payload := map[string]any{}
	for name, v := range c.Extra {
		switch name {
		case "iss", "sub", "aud", "iat", "nbf", "exp":
			return "", fmt.Errorf("webidentity: claim %q is set by its own option", name)
		}
		payload[name] = v
	}
	payload["iss"] = c.Issuer
	payload["sub"] = c.Subject
	if len(c.Audience) == 1 {
		payload["aud"] = c.Audience[0]
	} else {
		payload["aud"] = c.Audience
	}
	payload["iat"] = c.IssuedAt.Unix()
	payload["nbf"] = c.IssuedAt.Unix()
	payload["exp"] = c.IssuedAt.Add(c.TTL).Unix()
	hb, err := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT", "kid": k.kid})
	if err != nil {
		return "", err
	}
	pb, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	signed := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(pb)
	h := sha256.Sum256([]byte(signed))
	r, s, err := ecdsa.Sign(rand.Reader, k.priv, h[:])
	if err != nil {
		return "", err
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
