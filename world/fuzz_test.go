package world

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/verdict-project/verdict/store/memory"
)

// FuzzWorldLoad parses arbitrary files: bad input must give an *Error,
// never a panic or a hang, and a file that loads must apply to an empty
// store (again without panicking), reporting any failure as an *Error.
func FuzzWorldLoad(f *testing.F) {
	if b, err := os.ReadFile("examples/two-accounts.yaml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(sample))
	f.Add([]byte("accounts:\n  - id: \"111111111111\"\n    users: [{name: a, groups: [g]}]\n    groups: [{name: g}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("accounts:\n  - {id: \"111111111111\", buckets: [{name: abc, public_access_block: {block_public_acls: on}}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Parse("f.yaml", data)
		if err != nil {
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("error %v (%T) is not *Error", err, err)
			}
			return
		}
		if err := w.Apply(context.Background(), memory.New(), time.Unix(1700000000, 0)); err != nil {
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("Apply error %v (%T) is not *Error", err, err)
			}
		}
	})
}
