package embedded_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
	"github.com/verdict-project/verdict/store/embedded"
	"github.com/verdict-project/verdict/store/storetest"
)

var bg = context.Background()

func open(t testing.TB, dir string, opts embedded.Options) *embedded.DB {
	t.Helper()
	db, err := embedded.Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, t.TempDir(), embedded.Options{}) })
}

func TestBlobConformance(t *testing.T) {
	storetest.RunBlob(t, func(t *testing.T) blob.Store { return open(t, t.TempDir(), embedded.Options{}).Blobs() })
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, embedded.Options{})
	var id string
	err := db.Update(bg, func(tx store.Tx) error {
		w, err := db.Blobs().Create()
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte("bytes")); err != nil {
			return err
		}
		if id, err = w.Commit(); err != nil {
			return err
		}
		if _, err := tx.NextSequence("t"); err != nil {
			return err
		}
		return tx.Put("t", "k", []byte(id))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open(t, dir, embedded.Options{})
	err = db.Update(bg, func(tx store.Tx) error {
		v, err := tx.Get("t", "k")
		if err != nil || string(v) != id {
			t.Errorf("Get after reopen = %q, %v; want %q", v, err, id)
		}
		if n, err := tx.NextSequence("t"); err != nil || n != 2 {
			t.Errorf("NextSequence after reopen = %d, %v; want 2", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.Blobs().Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size() != 5 {
		t.Errorf("blob size after reopen = %d, want 5", r.Size())
	}
}

func TestLockExcludesSecondOpen(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, embedded.Options{})
	_, err := embedded.Open(dir, embedded.Options{})
	if !errors.Is(err, embedded.ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "pid") {
		t.Errorf("ErrLocked message names no pid: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := embedded.Open(dir, embedded.Options{})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	db2.Close()
}

func TestOpenCleansTmp(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, embedded.Options{})
	w, err := db.Blobs().Create()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("never committed")); err != nil {
		t.Fatal(err)
	}
	db.Close() // w is left behind, as after a crash
	open(t, dir, embedded.Options{})
	entries, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil || len(entries) != 0 {
		t.Fatalf("tmp after Open has %d entries (%v)", len(entries), err)
	}
}

func TestFormatMismatch(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, embedded.Options{})
	db.Close()
	// Pretend a future version wrote the directory.
	bdb, err := bolt.Open(filepath.Join(dir, "state.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("\x00verdict")).Put([]byte("format"), []byte("999"))
	})
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := embedded.Open(dir, embedded.Options{}); !errors.Is(err, embedded.ErrFormat) {
		t.Fatalf("Open of a format-999 directory: %v, want ErrFormat", err)
	}
	// Neither may a file that is not a database at all open.
	if err := os.WriteFile(filepath.Join(dir, "state.db"), []byte("not a bbolt file, just some text"), 0o600); err != nil {
		t.Fatal(err)
	}
	if db, err := embedded.Open(dir, embedded.Options{}); err == nil {
		db.Close()
		t.Fatal("Open of a corrupt database succeeded")
	}
	// Failed Opens must release the lock.
	if err := os.Remove(filepath.Join(dir, "state.db")); err != nil {
		t.Fatal(err)
	}
	open(t, dir, embedded.Options{})
}

// TestPanicCarriesStack checks that a panic in fn, which runs on the
// committer goroutine, reaches the caller as a *store.PanicError.
func TestPanicCarriesStack(t *testing.T) {
	db := open(t, t.TempDir(), embedded.Options{})
	errInner := errors.New("inner")
	defer func() {
		p := recover()
		pe, ok := p.(*store.PanicError)
		if !ok {
			t.Fatalf("recovered %T %v, want *store.PanicError", p, p)
		}
		if !errors.Is(pe, errInner) || !strings.Contains(string(pe.Stack), "TestPanicCarriesStack") {
			t.Errorf("PanicError = %v", pe)
		}
	}()
	_ = db.Update(bg, func(store.Tx) error { panic(errInner) })
}

// TestGoexitInFn checks that runtime.Goexit in fn (t.FailNow, as a test
// helper would call) ends the caller's goroutine, commits the other Updates
// of its batch and leaves the committer working.
func TestGoexitInFn(t *testing.T) {
	db := open(t, t.TempDir(), embedded.Options{})
	var wg sync.WaitGroup
	returned := make(chan bool, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = db.Update(bg, func(tx store.Tx) error {
			_ = tx.Put("t", "goexit", nil)
			exitGoroutine()
			return nil
		})
		returned <- true
	}()
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Update(bg, func(tx store.Tx) error { return tx.Put("t", string(rune('a'+i)), nil) }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	select {
	case <-returned:
		t.Error("Update returned after fn called runtime.Goexit")
	default:
	}
	err := db.View(bg, func(tx store.Tx) error {
		if _, err := tx.Get("t", "goexit"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("write of the exited fn: %v, want ErrNotFound", err)
		}
		n := 0
		err := tx.Scan("t", "", "", func(string, []byte) (bool, error) { n++; return true, nil })
		if n != 20 {
			t.Errorf("%d keys written, want 20", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// exitGoroutine stands in for t.FailNow inside a transaction function.
func exitGoroutine() { runtime.Goexit() }

func TestStatsCountCommits(t *testing.T) {
	db := open(t, t.TempDir(), embedded.Options{})
	for range 3 {
		if err := db.Update(bg, func(tx store.Tx) error { return tx.Put("t", "k", nil) }); err != nil {
			t.Fatal(err)
		}
	}
	// A read-only Update costs no commit.
	if err := db.Update(bg, func(tx store.Tx) error { _, err := tx.Get("t", "k"); return err }); err != nil {
		t.Fatal(err)
	}
	if got := db.Stats(); got.Updates != 4 || got.Commits != 3 {
		t.Errorf("Stats = %+v, want 4 updates, 3 commits", got)
	}
}
