package blob_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/verdict-project/verdict/store/blob"
	"github.com/verdict-project/verdict/store/storetest"
)

func openDir(t testing.TB) *blob.Dir {
	root := t.TempDir()
	d, err := blob.OpenDir(filepath.Join(root, "blobs"), filepath.Join(root, "tmp"), blob.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDirConformance(t *testing.T) {
	storetest.RunBlob(t, func(t *testing.T) blob.Store { return openDir(t) })
}

func TestOpenDirCleansTmp(t *testing.T) {
	root := t.TempDir()
	blobs, tmp := filepath.Join(root, "blobs"), filepath.Join(root, "tmp")
	d, err := blob.OpenDir(blobs, tmp, blob.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := d.Create()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("interrupted")); err != nil {
		t.Fatal(err)
	}
	// Leave w open, as a crash would, plus a stray directory.
	if err := os.MkdirAll(filepath.Join(tmp, "stray", "deep"), 0o700); err != nil {
		t.Fatal(err)
	}
	d2, err := blob.OpenDir(blobs, tmp, blob.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil || len(entries) != 0 {
		t.Fatalf("tmp after reopen has %d entries (%v)", len(entries), err)
	}
	if n := countBlobs(t, d2); n != 0 {
		t.Errorf("%d blobs listed, want 0", n)
	}
}

func TestListIgnoresForeignFiles(t *testing.T) {
	root := t.TempDir()
	blobs := filepath.Join(root, "blobs")
	d, err := blob.OpenDir(blobs, filepath.Join(root, "tmp"), blob.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := blob.NewID()
	for _, p := range []string{
		filepath.Join(blobs, "README"),
		filepath.Join(blobs, "ab", "not-an-id"),
		// A well-formed id in the wrong fan-out directory.
		filepath.Join(blobs, "00", "ff"+id[2:]),
	} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n := countBlobs(t, d); n != 0 {
		t.Errorf("%d foreign files listed as blobs", n)
	}
}

func countBlobs(t *testing.T, s blob.Store) int {
	t.Helper()
	n := 0
	if err := s.List(func(blob.Info) (bool, error) { n++; return true, nil }); err != nil {
		t.Fatal(err)
	}
	return n
}
