package result

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzRead checks that Read never panics, returns only typed errors, and
// that whatever it accepts survives a Write/Read round trip unchanged.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"target":"verdict","op":"PUT","size":4096,"concurrency":8,"ops":1,"errors":0,"seconds":1,"ops_per_sec":1,"mib_per_sec":0.1,"p50_ms":1,"p99_ms":1}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		rs, err := Read(bytes.NewReader(in))
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		for _, r := range rs {
			if err := Write(&buf, r); err != nil {
				t.Fatalf("Write: %v", err)
			}
		}
		again, err := Read(&buf)
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		if len(again) != len(rs) {
			t.Fatalf("re-read %d results, want %d", len(again), len(rs))
		}
		for i := range rs {
			if again[i] != rs[i] {
				t.Fatalf("result %d changed: %+v -> %+v", i, rs[i], again[i])
			}
		}
	})
}
