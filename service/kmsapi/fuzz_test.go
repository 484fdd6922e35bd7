package kmsapi

import (
	"bytes"
	"testing"
)

// FuzzCiphertextBlob: opening arbitrary bytes as a ciphertext blob never
// panics, and succeeds only for the blob the keyring sealed, with its
// context.
func FuzzCiphertextBlob(f *testing.F) {
	master := bytes.Repeat([]byte{7}, 32)
	k, err := NewKeyring(master)
	if err != nil {
		f.Fatal(err)
	}
	const id = "0123abcd-0000-4000-8000-0123456789ab"
	material := k.NewMaterial(id)
	good, err := k.Seal(id, material, []byte("plaintext"), map[string]string{"k": "v"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, "k", "v")
	f.Add([]byte{}, "", "")
	f.Add([]byte{blobVersion}, "k", "v")
	f.Add(append([]byte{blobVersion}, id...), "a", "b")
	f.Fuzz(func(t *testing.T, blob []byte, key, value string) {
		ec := map[string]string{key: value}
		if _, err := BlobKeyID(blob); err != nil {
			if _, err := k.Open(blob, material, ec); err == nil {
				t.Fatal("opened a blob without a valid header")
			}
			return
		}
		p, err := k.Open(blob, material, ec)
		if err == nil && (!bytes.Equal(blob, good) || string(p) != "plaintext" || key != "k" || value != "v") {
			t.Fatalf("opened a forged blob %x with %q=%q", blob, key, value)
		}
	})
}

func TestCanonicalContext(t *testing.T) {
	tests := []struct {
		name string
		ec   map[string]string
		want string
	}{
		{name: "empty", ec: nil, want: `{}`},
		{name: "sorted", ec: map[string]string{"b": "1", "a": "2"}, want: `{"a":"2","b":"1"}`},
		{name: "escaped", ec: map[string]string{`"`: "\x00"}, want: `{"\"":"\u0000"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(CanonicalContext(tt.ec)); got != tt.want {
				t.Errorf("CanonicalContext = %s, want %s", got, tt.want)
			}
		})
	}
}
