package s3api

import (
	"bytes"
	"crypto/rand"
	"io"
	"testing"

	"github.com/verdict-project/verdict/service/kmsapi"
	"github.com/verdict-project/verdict/store/memory"
)

func TestEncryptedBlobs(t *testing.T) {
	kr, err := kmsapi.NewKeyring(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	inner := memory.NewBlobs()
	s := ObjectBlobs(inner, kr, SealAll)
	for _, tt := range []struct {
		name string
		size int
	}{
		{"empty", 0}, {"one byte", 1}, {"chunk minus one", sseChunk - 1}, {"one chunk", sseChunk},
		{"chunk plus one", sseChunk + 1}, {"three chunks and a bit", 3*sseChunk + 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := make([]byte, tt.size)
			_, _ = rand.Read(data)
			w, err := s.Create()
			if err != nil {
				t.Fatal(err)
			}
			// Write in odd pieces.
			for p := data; len(p) > 0; {
				k := min(len(p), 7777)
				if _, err := w.Write(p[:k]); err != nil {
					t.Fatal(err)
				}
				p = p[k:]
			}
			id, err := w.Commit()
			if err != nil {
				t.Fatal(err)
			}
			raw, err := inner.Open(id)
			if err != nil {
				t.Fatal(err)
			}
			rawBytes, _ := io.ReadAll(raw)
			raw.Close()
			if tt.size >= 16 && bytes.Contains(rawBytes, data[:16]) {
				t.Error("stored bytes hold the plaintext")
			}
			r, err := s.Open(id)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Size() != int64(tt.size) {
				t.Fatalf("Size = %d, want %d", r.Size(), tt.size)
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("ReadAll: %v, equal=%v", err, bytes.Equal(got, data))
			}
			for _, off := range []int{0, tt.size / 2, tt.size - 1, sseChunk - 3} {
				if off < 0 || off >= tt.size {
					continue
				}
				n := min(10, tt.size-off)
				buf := make([]byte, n)
				if _, err := r.ReadAt(buf, int64(off)); err != nil && err != io.EOF {
					t.Fatal(err)
				}
				if !bytes.Equal(buf, data[off:off+n]) {
					t.Errorf("ReadAt(%d) wrong bytes", off)
				}
			}
		})
	}
	t.Run("tampered", func(t *testing.T) {
		w, _ := s.Create()
		_, _ = w.Write([]byte("hello, world"))
		id, _ := w.Commit()
		raw, _ := inner.Open(id)
		b, _ := io.ReadAll(raw)
		raw.Close()
		b[len(b)-1] ^= 1
		w2, _ := inner.Create()
		_, _ = w2.Write(b)
		id2, _ := w2.Commit()
		r, err := s.Open(id2)
		if err != nil {
			return
		}
		defer r.Close()
		if _, err := io.ReadAll(r); err == nil {
			t.Error("tampered blob read without error")
		}
	})
}
