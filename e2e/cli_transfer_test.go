package e2e

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLITransfers: `aws s3 cp` of a 50 MiB file goes multipart (the CLI's
// threshold is 8 MiB) and reads back identical; `aws s3 sync` uploads a tree
// and a second sync has nothing to do.
func TestCLITransfers(t *testing.T) {
	need(t, "aws")
	s := start(t)
	b := root(accountB)
	s.mustCLI(t, b, "s3", "mb", "s3://transfers")
	dir := t.TempDir()
	big := make([]byte, 50<<20)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(src, big, 0o644); err != nil {
		t.Fatal(err)
	}
	s.mustCLI(t, b, "s3", "cp", src, "s3://transfers/big.bin")
	head := s.mustCLI(t, b, "s3api", "head-object", "--bucket", "transfers", "--key", "big.bin")
	if !strings.Contains(head, `-`) || !strings.Contains(head, `"ContentLength": 52428800`) {
		t.Fatalf("50 MiB upload was not multipart (ETag without -N) or has the wrong size:\n%s", head)
	}
	dst := filepath.Join(dir, "back.bin")
	s.mustCLI(t, b, "s3", "cp", "s3://transfers/big.bin", dst)
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("download differs (%d bytes, err %v)", len(got), err)
	}

	tree := filepath.Join(dir, "tree")
	for _, f := range []string{"a.txt", "sub/b.txt", "sub/deeper/c.txt", "with space.txt"} {
		p := filepath.Join(tree, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, "content of "+f)
	}
	out := s.mustCLI(t, b, "s3", "sync", tree, "s3://transfers/tree")
	if n := strings.Count(out, "upload:"); n != 4 {
		t.Fatalf("first sync uploaded %d files:\n%s", n, out)
	}
	if out := s.mustCLI(t, b, "s3", "sync", tree, "s3://transfers/tree"); strings.Contains(out, "upload:") {
		t.Fatalf("second sync should have nothing to do:\n%s", out)
	}
	ls := s.mustCLI(t, b, "s3", "ls", "--recursive", "s3://transfers/tree/")
	for _, f := range []string{"tree/a.txt", "tree/sub/b.txt", "tree/sub/deeper/c.txt", "tree/with space.txt"} {
		if !strings.Contains(ls, f) {
			t.Errorf("ls lacks %s:\n%s", f, ls)
		}
	}
	back := filepath.Join(dir, "back")
	s.mustCLI(t, b, "s3", "sync", "s3://transfers/tree", back)
	if got, _ := os.ReadFile(filepath.Join(back, "sub/deeper/c.txt")); string(got) != "content of sub/deeper/c.txt" {
		t.Fatalf("sync down: %q", got)
	}
}
