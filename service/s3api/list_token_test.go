package s3api

import (
	"encoding/base64"
	"testing"
)

func TestContinuationToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := encodeToken(key, "bucket", "photos/2024/")
	if last, e := decodeToken(key, "bucket", tok); e != nil || last != "photos/2024/" {
		t.Fatalf("round trip: %q, %v", last, e)
	}
	raw, _ := base64.StdEncoding.DecodeString(tok)
	flipped := append([]byte(nil), raw...)
	flipped[3] ^= 1
	tests := []struct {
		name, bucket, token string
		key                 []byte
	}{
		{"other bucket", "bucket2", tok, key},
		{"other key", "bucket", tok, []byte("another key")},
		{"altered", "bucket", base64.StdEncoding.EncodeToString(flipped), key},
		{"truncated", "bucket", tok[:8], key},
		{"not base64", "bucket", "!!!", key},
		{"empty", "bucket", "", key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := decodeToken(tt.key, tt.bucket, tt.token)
			if e == nil || e.Code != "InvalidArgument" || e.Message != "The continuation token provided is incorrect" {
				t.Errorf("decodeToken = %v, want InvalidArgument", e)
			}
		})
	}
}
