package kmsapi

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// MasterKeyFile is the name of the master key file in the data directory.
const MasterKeyFile = "kms-master.key"

// blobVersion is the first byte of every ciphertext blob this server makes.
const blobVersion = 0x01

// keyIDLen is the length of a key ID (a UUID in its 36-character form).
const keyIDLen = 36

// ErrInvalidCiphertext reports a blob this server did not make, one that was
// altered, or one opened with the wrong encryption context.
var ErrInvalidCiphertext = errors.New("kmsapi: invalid ciphertext")

// LoadMasterKey reads the 256-bit master key from dir/kms-master.key,
// creating it (mode 0600) on first start.
func LoadMasterKey(dir string) ([]byte, error) {
	p := filepath.Join(dir, MasterKeyFile)
	b, err := os.ReadFile(p)
	if err == nil {
		if len(b) != 32 {
			return nil, fmt.Errorf("kmsapi: %s: want 32 bytes, have %d", p, len(b))
		}
		return b, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	b = make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return LoadMasterKey(dir)
		}
		return nil, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return b, f.Close()
}

// Keyring does the server's cryptography: it wraps key material with the
// master key and seals and opens ciphertext blobs.
type Keyring struct {
	master cipher.AEAD
}

// NewKeyring returns a keyring over a 32-byte master key.
func NewKeyring(master []byte) (*Keyring, error) {
	a, err := newGCM(master)
	if err != nil {
		return nil, err
	}
	return &Keyring{master: a}, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("kmsapi: key of %d bytes, want 32", len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// seal encrypts with a random nonce prepended.
func seal(a cipher.AEAD, plaintext, aad []byte) []byte {
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(plaintext)+a.Overhead())
	_, _ = rand.Read(nonce)
	return a.Seal(nonce, nonce, plaintext, aad)
}

func open(a cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < a.NonceSize()+a.Overhead() {
		return nil, ErrInvalidCiphertext
	}
	p, err := a.Open(nil, sealed[:a.NonceSize()], sealed[a.NonceSize():], aad)
	if err != nil {
		return nil, ErrInvalidCiphertext
	}
	return p, nil
}

// NewMaterial returns fresh key material for keyID, wrapped by the master
// key (bound to the key ID).
func (k *Keyring) NewMaterial(keyID string) []byte {
	m := make([]byte, 32)
	_, _ = rand.Read(m)
	return seal(k.master, m, []byte("material:"+keyID))
}

// Wrap encrypts data (a data key) with the master key itself, bound to
// label; SSE-S3 uses it.
func (k *Keyring) Wrap(data []byte, label string) []byte {
	return seal(k.master, data, []byte("wrap:"+label))
}

// Unwrap reverses Wrap.
func (k *Keyring) Unwrap(sealed []byte, label string) ([]byte, error) {
	return open(k.master, sealed, []byte("wrap:"+label))
}

func (k *Keyring) keyCipher(keyID string, material []byte) (cipher.AEAD, error) {
	m, err := open(k.master, material, []byte("material:"+keyID))
	if err != nil {
		return nil, err
	}
	return newGCM(m)
}

// CanonicalContext is an encryption context in a canonical byte form: a JSON
// object with sorted keys, so that the same pairs in any order give the
// same additional authenticated data.
// https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html
func CanonicalContext(ec map[string]string) []byte {
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(ec[k])
		b = append(b, kb...)
		b = append(b, ':')
		b = append(b, vb...)
	}
	return append(b, '}')
}

// Seal encrypts plaintext under the KMS key (keyID, wrapped material) with
// the encryption context as AAD. The blob is: version byte, the 36-byte key
// ID, then nonce, ciphertext and tag; the header is authenticated too.
func (k *Keyring) Seal(keyID string, material, plaintext []byte, ec map[string]string) ([]byte, error) {
	if len(keyID) != keyIDLen {
		return nil, fmt.Errorf("kmsapi: bad key ID %q", keyID)
	}
	a, err := k.keyCipher(keyID, material)
	if err != nil {
		return nil, err
	}
	hdr := append([]byte{blobVersion}, keyID...)
	return append(hdr, seal(a, plaintext, append(hdr[:len(hdr):len(hdr)], CanonicalContext(ec)...))...), nil
}

// BlobKeyID returns the key ID a blob names, or ErrInvalidCiphertext when
// the blob is not one of this server's.
func BlobKeyID(blob []byte) (string, error) {
	if len(blob) < 1+keyIDLen || blob[0] != blobVersion {
		return "", ErrInvalidCiphertext
	}
	id := string(blob[1 : 1+keyIDLen])
	if !isUUID(id) {
		return "", ErrInvalidCiphertext
	}
	return id, nil
}

// Open decrypts a blob made by Seal with the key's wrapped material. A
// blob altered in any byte, or opened with another context, fails with
// ErrInvalidCiphertext.
func (k *Keyring) Open(blob, material []byte, ec map[string]string) ([]byte, error) {
	id, err := BlobKeyID(blob)
	if err != nil {
		return nil, err
	}
	a, err := k.keyCipher(id, material)
	if err != nil {
		return nil, ErrInvalidCiphertext
	}
	hdr := blob[:1+keyIDLen]
	return open(a, blob[1+keyIDLen:], append(hdr[:len(hdr):len(hdr)], CanonicalContext(ec)...))
}

// isUUID reports whether s has the 8-4-4-4-12 lower-case hex form.
func isUUID(s string) bool {
	if len(s) != keyIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
