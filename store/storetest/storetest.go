// Package storetest is the conformance suite for store.Store and blob.Store
// implementations. Every backend's tests call Run (and RunBlob for blob
// stores); a backend that passes honours the contract documented in package
// store.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-project/verdict/store"
)

// Run runs the conformance suite against stores made by open. Each subtest
// calls open once and expects an empty store; the suite closes every store
// it opens, and a store must tolerate a second Close from the caller's
// cleanup.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"GetMissing", testGetMissing},
		{"PutGetOverwrite", testPutGetOverwrite},
		{"EmptyValue", testEmptyValue},
		{"Insert", testInsert},
		{"Delete", testDelete},
		{"Ordering", testOrdering},
		{"BinaryKeys", testBinaryKeys},
		{"PrefixAfter", testPrefixAfter},
		{"ScanStop", testScanStop},
		{"ScanPaging", testScanPaging},
		{"TablesIndependent", testTablesIndependent},
		{"ReadYourWrites", testReadYourWrites},
		{"ScanSnapshotDuringWrites", testScanSnapshot},
		{"Rollback", testRollback},
		{"RollbackOnPanic", testRollbackOnPanic},
		{"ViewReadOnly", testViewReadOnly},
		{"TxDone", testTxDone},
		{"ViewIsolation", testViewIsolation},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"Sequence", testSequence},
		{"ConcurrentSequence", testConcurrentSequence},
		{"LargeValues", testLargeValues},
		{"ManyKeys", testManyKeys},
		{"Invalid", testInvalid},
		{"ValuesCopied", testValuesCopied},
		{"ContextDone", testContextDone},
		{"ErrorPassThrough", testErrorPassThrough},
		{"Close", testClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

var bg = context.Background()

func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(bg, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.View(bg, fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func put(t *testing.T, s store.Store, table string, kv ...string) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if err := tx.Put(table, kv[i], []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
}

// get returns the value under key, or "<nil>" when absent.
func get(t *testing.T, tx store.Tx, table, key string) string {
	t.Helper()
	v, err := tx.Get(table, key)
	if errors.Is(err, store.ErrNotFound) {
		return "<nil>"
	}
	if err != nil {
		t.Fatalf("Get(%s, %q): %v", table, key, err)
	}
	return string(v)
}

func getView(t *testing.T, s store.Store, table, key string) string {
	t.Helper()
	var v string
	view(t, s, func(tx store.Tx) error { v = get(t, tx, table, key); return nil })
	return v
}

// scan returns the keys (and values, as key=value) Scan visits.
func scan(t *testing.T, tx store.Tx, table, prefix, after string) []string {
	t.Helper()
	out := []string{}
	err := tx.Scan(table, prefix, after, func(k string, v []byte) (bool, error) {
		out = append(out, k+"="+string(v))
		return true, nil
	})
	if err != nil {
		t.Fatalf("Scan(%s, %q, %q): %v", table, prefix, after, err)
	}
	return out
}

func scanKeys(t *testing.T, tx store.Tx, table, prefix, after string) []string {
	t.Helper()
	out := []string{}
	err := tx.Scan(table, prefix, after, func(k string, _ []byte) (bool, error) {
		out = append(out, k)
		return true, nil
	})
	if err != nil {
		t.Fatalf("Scan(%s, %q, %q): %v", table, prefix, after, err)
	}
	return out
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

func testGetMissing(t *testing.T, s store.Store) {
	view(t, s, func(tx store.Tx) error {
		_, err := tx.Get("never", "k")
		wantErr(t, "Get on unwritten table", err, store.ErrNotFound)
		if got := scan(t, tx, "never", "", ""); len(got) != 0 {
			t.Errorf("Scan on unwritten table = %q, want nothing", got)
		}
		return nil
	})
	put(t, s, "t", "a", "1")
	view(t, s, func(tx store.Tx) error {
		_, err := tx.Get("t", "b")
		wantErr(t, "Get of absent key", err, store.ErrNotFound)
		_, err = tx.Get("t", "a\x00")
		wantErr(t, "Get of absent longer key", err, store.ErrNotFound)
		return nil
	})
}

func testPutGetOverwrite(t *testing.T, s store.Store) {
	put(t, s, "t", "k", "v1")
	if got := getView(t, s, "t", "k"); got != "v1" {
		t.Fatalf("Get = %q, want v1", got)
	}
	put(t, s, "t", "k", "v2")
	if got := getView(t, s, "t", "k"); got != "v2" {
		t.Fatalf("Get after overwrite = %q, want v2", got)
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "k", []byte("v3")); err != nil {
			return err
		}
		return tx.Put("t", "k", []byte("v4"))
	})
	if got := getView(t, s, "t", "k"); got != "v4" {
		t.Fatalf("Get after two Puts in one tx = %q, want v4", got)
	}
}

func testEmptyValue(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "nil", nil); err != nil {
			return err
		}
		return tx.Put("t", "empty", []byte{})
	})
	view(t, s, func(tx store.Tx) error {
		for _, k := range []string{"nil", "empty"} {
			v, err := tx.Get("t", k)
			if err != nil || len(v) != 0 {
				t.Errorf("Get(%q) = %q, %v; want empty value", k, v, err)
			}
		}
		if got, want := scan(t, tx, "t", "", ""), []string{"empty=", "nil="}; !slices.Equal(got, want) {
			t.Errorf("Scan = %q, want %q", got, want)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		wantErr(t, "Insert over empty value", tx.Insert("t", "empty", []byte("x")), store.ErrExists)
		return tx.Delete("t", "nil")
	})
}

func testInsert(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error { return tx.Insert("t", "a", []byte("1")) })
	update(t, s, func(tx store.Tx) error {
		wantErr(t, "Insert of committed key", tx.Insert("t", "a", []byte("2")), store.ErrExists)
		if got := get(t, tx, "t", "a"); got != "1" {
			t.Errorf("value after failed Insert = %q, want 1", got)
		}
		// A failed Insert does not abort the transaction.
		if err := tx.Insert("t", "b", []byte("3")); err != nil {
			return err
		}
		wantErr(t, "Insert of key written in this tx", tx.Insert("t", "b", []byte("4")), store.ErrExists)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		if got, want := scan(t, tx, "t", "", ""), []string{"a=1", "b=3"}; !slices.Equal(got, want) {
			t.Errorf("Scan = %q, want %q", got, want)
		}
		return nil
	})
}

func testDelete(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		wantErr(t, "Delete on unwritten table", tx.Delete("t", "a"), store.ErrNotFound)
		return nil
	})
	put(t, s, "t", "a", "1", "b", "2")
	update(t, s, func(tx store.Tx) error {
		wantErr(t, "Delete of absent key", tx.Delete("t", "zz"), store.ErrNotFound)
		if err := tx.Delete("t", "a"); err != nil {
			return err
		}
		wantErr(t, "second Delete", tx.Delete("t", "a"), store.ErrNotFound)
		if got := get(t, tx, "t", "a"); got != "<nil>" {
			t.Errorf("Get after Delete in tx = %q", got)
		}
		// Put then Delete of a new key, and Delete then Insert of an old one.
		if err := tx.Put("t", "c", []byte("3")); err != nil {
			return err
		}
		if err := tx.Delete("t", "c"); err != nil {
			return err
		}
		if err := tx.Delete("t", "b"); err != nil {
			return err
		}
		return tx.Insert("t", "b", []byte("22"))
	})
	view(t, s, func(tx store.Tx) error {
		if got, want := scan(t, tx, "t", "", ""), []string{"b=22"}; !slices.Equal(got, want) {
			t.Errorf("Scan = %q, want %q", got, want)
		}
		_, err := tx.Get("t", "a")
		wantErr(t, "Get of deleted key", err, store.ErrNotFound)
		return nil
	})
}

func randomKey(r *rand.Rand) string {
	b := make([]byte, 1+r.IntN(6))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

func testOrdering(t *testing.T, s store.Store) {
	r := rand.New(rand.NewPCG(7, 7))
	set := map[string]bool{}
	for len(set) < 400 {
		set[randomKey(r)] = true
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	// Insert in random order across several transactions.
	for i := 0; i < len(keys); i += 100 {
		update(t, s, func(tx store.Tx) error {
			for _, k := range keys[i:min(i+100, len(keys))] {
				if err := tx.Put("t", k, []byte(k)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	slices.Sort(keys) // Go string order is byte order
	view(t, s, func(tx store.Tx) error {
		if got := scanKeys(t, tx, "t", "", ""); !slices.Equal(got, keys) {
			t.Errorf("Scan order differs from byte order:\n got %q\nwant %q", got, keys)
		}
		return nil
	})
}

func testBinaryKeys(t *testing.T, s store.Store) {
	keys := []string{"\x00", "\x00\x00", "\x00\xff", "A", "a", "a\x00", "a\x00b", "a\x01", "a\xff", "b", "\xc3\x28", "\xff", "\xff\xff"}
	update(t, s, func(tx store.Tx) error {
		for i := len(keys) - 1; i >= 0; i-- {
			if err := tx.Insert("t", keys[i], []byte(keys[i])); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		if got := scanKeys(t, tx, "t", "", ""); !slices.Equal(got, keys) {
			t.Errorf("Scan = %q, want %q", got, keys)
		}
		for _, k := range keys {
			if got := get(t, tx, "t", k); got != k {
				t.Errorf("Get(%q) = %q", k, got)
			}
		}
		if got, want := scanKeys(t, tx, "t", "a\x00", ""), []string{"a\x00", "a\x00b"}; !slices.Equal(got, want) {
			t.Errorf("Scan prefix a\\x00 = %q, want %q", got, want)
		}
		if got, want := scanKeys(t, tx, "t", "\xff", ""), []string{"\xff", "\xff\xff"}; !slices.Equal(got, want) {
			t.Errorf("Scan prefix \\xff = %q, want %q", got, want)
		}
		if got, want := scanKeys(t, tx, "t", "\x00", "\x00"), []string{"\x00\x00", "\x00\xff"}; !slices.Equal(got, want) {
			t.Errorf("Scan prefix \\x00 after \\x00 = %q, want %q", got, want)
		}
		return nil
	})
}

func testPrefixAfter(t *testing.T, s store.Store) {
	keys := []string{"a", "a/", "a/1", "a/2", "a/2/x", "a/3", "a0", "ab", "b", "b/1"}
	update(t, s, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Put("t", k, nil); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name, prefix, after string
		want                []string
	}{
		{name: "all", want: keys},
		{name: "prefix a/", prefix: "a/", want: []string{"a/", "a/1", "a/2", "a/2/x", "a/3"}},
		{name: "prefix is a key", prefix: "a", want: []string{"a", "a/", "a/1", "a/2", "a/2/x", "a/3", "a0", "ab"}},
		{name: "prefix without keys", prefix: "c", want: []string{}},
		{name: "prefix between keys", prefix: "a/2/", want: []string{"a/2/x"}},
		{name: "after existing key", prefix: "a/", after: "a/2", want: []string{"a/2/x", "a/3"}},
		{name: "after absent key", prefix: "a/", after: "a/15", want: []string{"a/2", "a/2/x", "a/3"}},
		{name: "after equals prefix", prefix: "a/", after: "a/", want: []string{"a/1", "a/2", "a/2/x", "a/3"}},
		{name: "after below prefix", prefix: "b", after: "a", want: []string{"b", "b/1"}},
		{name: "after beyond prefix", prefix: "a/", after: "a0", want: []string{}},
		{name: "after last key", prefix: "a/", after: "a/3", want: []string{}},
		{name: "after without prefix", after: "ab", want: []string{"b", "b/1"}},
		{name: "after past everything", after: "\xff", want: []string{}},
	}
	view(t, s, func(tx store.Tx) error {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := scanKeys(t, tx, "t", tt.prefix, tt.after); !slices.Equal(got, tt.want) {
					t.Errorf("Scan(%q, %q) = %q, want %q", tt.prefix, tt.after, got, tt.want)
				}
			})
		}
		return nil
	})
}

func testScanStop(t *testing.T, s store.Store) {
	put(t, s, "t", "a", "1", "b", "2", "c", "3", "d", "4")
	errStop := errors.New("stop here")
	view(t, s, func(tx store.Tx) error {
		var seen []string
		err := tx.Scan("t", "", "", func(k string, _ []byte) (bool, error) {
			seen = append(seen, k)
			return len(seen) < 2, nil
		})
		if err != nil || !slices.Equal(seen, []string{"a", "b"}) {
			t.Errorf("Scan stopping after 2 = %q, %v", seen, err)
		}
		seen = nil
		err = tx.Scan("t", "", "", func(k string, _ []byte) (bool, error) {
			seen = append(seen, k)
			if k == "c" {
				return true, errStop
			}
			return true, nil
		})
		if !errors.Is(err, errStop) || len(seen) != 3 {
			t.Errorf("Scan with error = %q, %v; want 3 keys, %v", seen, err, errStop)
		}
		return nil
	})
}

func testScanPaging(t *testing.T, s store.Store) {
	var want []string
	update(t, s, func(tx store.Tx) error {
		for i := range 25 {
			k := fmt.Sprintf("p/%03d", i)
			want = append(want, k)
			if err := tx.Put("t", k, []byte(k)); err != nil {
				return err
			}
		}
		return tx.Put("t", "q", nil)
	})
	var got []string
	after := ""
	for page := 0; ; page++ {
		var n int
		view(t, s, func(tx store.Tx) error {
			return tx.Scan("t", "p/", after, func(k string, _ []byte) (bool, error) {
				got = append(got, k)
				after = k
				n++
				return n < 4, nil
			})
		})
		if n == 0 {
			break
		}
		if page > 20 {
			t.Fatal("paging does not terminate")
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged scan = %q, want %q", got, want)
	}
}

func testTablesIndependent(t *testing.T, s store.Store) {
	put(t, s, "a", "k", "in a", "only-a", "1")
	put(t, s, "ab", "k", "in ab")
	put(t, s, "a/b", "k", "in a/b")
	view(t, s, func(tx store.Tx) error {
		for table, want := range map[string][]string{
			"a":   {"k=in a", "only-a=1"},
			"ab":  {"k=in ab"},
			"a/b": {"k=in a/b"},
		} {
			if got := scan(t, tx, table, "", ""); !slices.Equal(got, want) {
				t.Errorf("Scan(%s) = %q, want %q", table, got, want)
			}
		}
		return nil
	})
}

func testReadYourWrites(t *testing.T, s store.Store) {
	put(t, s, "t", "b", "old", "d", "old", "f", "old")
	update(t, s, func(tx store.Tx) error {
		for _, kv := range [][2]string{{"a", "new"}, {"b", "new"}, {"c", "new"}, {"g", "new"}} {
			if err := tx.Put("t", kv[0], []byte(kv[1])); err != nil {
				return err
			}
		}
		if err := tx.Delete("t", "d"); err != nil {
			return err
		}
		if got := get(t, tx, "t", "b"); got != "new" {
			t.Errorf("Get(b) in tx = %q, want new", got)
		}
		if got := get(t, tx, "t", "d"); got != "<nil>" {
			t.Errorf("Get(d) in tx = %q, want absent", got)
		}
		want := []string{"a=new", "b=new", "c=new", "f=old", "g=new"}
		if got := scan(t, tx, "t", "", ""); !slices.Equal(got, want) {
			t.Errorf("Scan in tx = %q, want %q", got, want)
		}
		if got, want := scan(t, tx, "t", "", "c"), []string{"f=old", "g=new"}; !slices.Equal(got, want) {
			t.Errorf("Scan after c in tx = %q, want %q", got, want)
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		want := []string{"a=new", "b=new", "c=new", "f=old", "g=new"}
		if got := scan(t, tx, "t", "", ""); !slices.Equal(got, want) {
			t.Errorf("Scan after commit = %q, want %q", got, want)
		}
		return nil
	})
}

func testScanSnapshot(t *testing.T, s store.Store) {
	put(t, s, "t", "k1", "1", "k2", "2", "k3", "3")
	update(t, s, func(tx store.Tx) error {
		var seen []string
		err := tx.Scan("t", "k", "", func(k string, v []byte) (bool, error) {
			seen = append(seen, k+"="+string(v))
			// Delete what we visit, add keys before and after it, and
			// change a key not yet visited.
			if err := tx.Delete("t", k); err != nil {
				return false, err
			}
			if err := tx.Put("t", k+"x", []byte("new")); err != nil {
				return false, err
			}
			if err := tx.Put("t", "k0", []byte("new")); err != nil {
				return false, err
			}
			if k == "k1" {
				if err := tx.Put("t", "k3", []byte("changed")); err != nil {
					return false, err
				}
				if err := tx.Put("t", "k9", []byte("new")); err != nil {
					return false, err
				}
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		if want := []string{"k1=1", "k2=2", "k3=3"}; !slices.Equal(seen, want) {
			t.Errorf("Scan while writing visited %q, want the snapshot %q", seen, want)
		}
		want := []string{"k0=new", "k1x=new", "k2x=new", "k3x=new", "k9=new"}
		if got := scan(t, tx, "t", "", ""); !slices.Equal(got, want) {
			t.Errorf("Scan after writes = %q, want %q", got, want)
		}
		return nil
	})
}

var errBoom = errors.New("boom")

func testRollback(t *testing.T, s store.Store) {
	put(t, s, "t", "keep", "1", "gone", "2")
	var seq uint64
	update(t, s, func(tx store.Tx) (err error) { seq, err = tx.NextSequence("t"); return err })
	err := s.Update(bg, func(tx store.Tx) error {
		for _, err := range []error{
			tx.Put("t", "keep", []byte("changed")),
			tx.Put("t", "new", []byte("x")),
			tx.Put("other", "new", []byte("x")),
			tx.Delete("t", "gone"),
		} {
			if err != nil {
				return err
			}
		}
		if _, err := tx.NextSequence("t"); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", errBoom)
	})
	wantErr(t, "Update returning an error", err, errBoom)
	view(t, s, func(tx store.Tx) error {
		if got, want := scan(t, tx, "t", "", ""), []string{"gone=2", "keep=1"}; !slices.Equal(got, want) {
			t.Errorf("Scan after rollback = %q, want %q", got, want)
		}
		if got := scan(t, tx, "other", "", ""); len(got) != 0 {
			t.Errorf("rolled-back table has %q", got)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		next, err := tx.NextSequence("t")
		if next != seq+1 {
			t.Errorf("NextSequence after rollback = %d, want %d", next, seq+1)
		}
		return err
	})
}

func testRollbackOnPanic(t *testing.T, s store.Store) {
	put(t, s, "t", "k", "1")
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic in fn did not reach the caller of Update")
			}
		}()
		_ = s.Update(bg, func(tx store.Tx) error {
			if err := tx.Put("t", "k", []byte("2")); err != nil {
				return err
			}
			panic("fn panicked")
		})
	}()
	if got := getView(t, s, "t", "k"); got != "1" {
		t.Errorf("value after panicking Update = %q, want 1", got)
	}
	put(t, s, "t", "k", "3")
	if got := getView(t, s, "t", "k"); got != "3" {
		t.Errorf("store unusable after a panic: Get = %q, want 3", got)
	}
}

func testViewReadOnly(t *testing.T, s store.Store) {
	put(t, s, "t", "k", "1")
	view(t, s, func(tx store.Tx) error {
		wantErr(t, "Put in View", tx.Put("t", "k", []byte("2")), store.ErrReadOnly)
		wantErr(t, "Insert in View", tx.Insert("t", "n", []byte("2")), store.ErrReadOnly)
		wantErr(t, "Delete in View", tx.Delete("t", "k"), store.ErrReadOnly)
		_, err := tx.NextSequence("t")
		wantErr(t, "NextSequence in View", err, store.ErrReadOnly)
		return nil
	})
	if got := getView(t, s, "t", "k"); got != "1" {
		t.Errorf("value after View writes = %q, want 1", got)
	}
}

func testTxDone(t *testing.T, s store.Store) {
	put(t, s, "t", "k", "1")
	var kept store.Tx
	update(t, s, func(tx store.Tx) error { kept = tx; return nil })
	check := func(name string) {
		_, err := kept.Get("t", "k")
		wantErr(t, name+": Get", err, store.ErrTxDone)
		wantErr(t, name+": Put", kept.Put("t", "k", nil), store.ErrTxDone)
		wantErr(t, name+": Delete", kept.Delete("t", "k"), store.ErrTxDone)
		err = kept.Scan("t", "", "", func(string, []byte) (bool, error) { return true, nil })
		wantErr(t, name+": Scan", err, store.ErrTxDone)
		_, err = kept.NextSequence("t")
		wantErr(t, name+": NextSequence", err, store.ErrTxDone)
	}
	check("after Update")
	view(t, s, func(tx store.Tx) error { kept = tx; return nil })
	check("after View")
}

func testViewIsolation(t *testing.T, s store.Store) {
	put(t, s, "t", "x", "1", "z", "1")
	started, written := make(chan struct{}), make(chan error)
	go func() {
		<-started
		written <- s.Update(bg, func(tx store.Tx) error {
			if err := tx.Put("t", "x", []byte("2")); err != nil {
				return err
			}
			if err := tx.Put("t", "y", []byte("2")); err != nil {
				return err
			}
			return tx.Delete("t", "z")
		})
	}()
	view(t, s, func(tx store.Tx) error {
		if got := get(t, tx, "t", "x"); got != "1" {
			t.Errorf("first read = %q, want 1", got)
		}
		close(started)
		// Wait for the Update to commit, but not forever: the contract
		// lets a backend's commit wait for open Views.
		select {
		case err := <-written:
			if err != nil {
				t.Errorf("concurrent Update: %v", err)
			}
			written = nil
		case <-time.After(5 * time.Second):
			t.Log("Update did not commit while a View was open")
		}
		// The Update has committed; this snapshot must not see it.
		if got := get(t, tx, "t", "x"); got != "1" {
			t.Errorf("repeated read = %q, want 1 (snapshot)", got)
		}
		if got, want := scan(t, tx, "t", "", ""), []string{"x=1", "z=1"}; !slices.Equal(got, want) {
			t.Errorf("Scan in old snapshot = %q, want %q", got, want)
		}
		return nil
	})
	if written != nil {
		if err := <-written; err != nil {
			t.Fatalf("concurrent Update: %v", err)
		}
	}
	view(t, s, func(tx store.Tx) error {
		if got, want := scan(t, tx, "t", "", ""), []string{"x=2", "y=2"}; !slices.Equal(got, want) {
			t.Errorf("Scan in new snapshot = %q, want %q", got, want)
		}
		return nil
	})
}

func testConcurrentUpdates(t *testing.T, s store.Store) {
	const workers, rounds = 32, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				errs <- s.Update(bg, func(tx store.Tx) error {
					// Read-modify-write of one counter: lost updates would
					// show as a short total.
					n := 0
					if v, err := tx.Get("t", "counter"); err == nil {
						fmt.Sscan(string(v), &n)
					} else if !errors.Is(err, store.ErrNotFound) {
						return err
					}
					if err := tx.Put("t", "counter", []byte(fmt.Sprint(n+1))); err != nil {
						return err
					}
					if i == 3 && w%4 == 0 {
						return errBoom // some fail; their increments must vanish
					}
					return tx.Insert("t", fmt.Sprintf("w%02d/%02d", w, i), nil)
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		switch {
		case errors.Is(err, errBoom):
			failed++
		case err != nil:
			t.Errorf("Update: %v", err)
		}
	}
	want := workers*rounds - failed
	if got := getView(t, s, "t", "counter"); got != fmt.Sprint(want) {
		t.Errorf("counter = %s, want %d", got, want)
	}
	view(t, s, func(tx store.Tx) error {
		if got := len(scanKeys(t, tx, "t", "w", "")); got != want {
			t.Errorf("%d inserted keys, want %d", got, want)
		}
		return nil
	})
}

func testSequence(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		for want := uint64(1); want <= 3; want++ {
			if got, err := tx.NextSequence("a"); err != nil || got != want {
				t.Errorf("NextSequence(a) = %d, %v; want %d", got, err, want)
			}
		}
		if got, err := tx.NextSequence("b"); err != nil || got != 1 {
			t.Errorf("NextSequence(b) = %d, %v; want 1", got, err)
		}
		return tx.Put("a", "k", nil)
	})
	put(t, s, "a", "k2", "v")
	update(t, s, func(tx store.Tx) error {
		if got, err := tx.NextSequence("a"); err != nil || got != 4 {
			t.Errorf("NextSequence(a) in a later tx = %d, %v; want 4", got, err)
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		if got, want := scanKeys(t, tx, "a", "", ""), []string{"k", "k2"}; !slices.Equal(got, want) {
			t.Errorf("sequence leaked into keys: %q", got)
		}
		return nil
	})
}

func testConcurrentSequence(t *testing.T, s store.Store) {
	const workers, rounds = 16, 10
	var (
		mu   sync.Mutex
		seen = map[uint64]bool{}
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				var n uint64
				err := s.Update(bg, func(tx store.Tx) (err error) {
					n, err = tx.NextSequence("seq")
					return err
				})
				if err != nil {
					t.Errorf("NextSequence: %v", err)
					return
				}
				mu.Lock()
				if seen[n] {
					t.Errorf("sequence %d handed out twice", n)
				}
				seen[n] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for i := uint64(1); i <= workers*rounds; i++ {
		if !seen[i] {
			t.Errorf("sequence %d never handed out", i)
		}
	}
}

func testLargeValues(t *testing.T, s store.Store) {
	r := rand.New(rand.NewPCG(1, 1))
	big := make([]byte, 4<<20)
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "big", big); err != nil {
			return err
		}
		for i := range 20 {
			if err := tx.Put("t", fmt.Sprintf("mid%02d", i), big[i*1000:i*1000+70<<10]); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		v, err := tx.Get("t", "big")
		if err != nil || !bytes.Equal(v, big) {
			t.Errorf("Get(big): %d bytes, %v; want %d identical bytes", len(v), err, len(big))
		}
		n := 0
		err = tx.Scan("t", "mid", "", func(k string, v []byte) (bool, error) {
			if !bytes.Equal(v, big[n*1000:n*1000+70<<10]) {
				t.Errorf("Scan value of %s differs", k)
			}
			n++
			return true, nil
		})
		if err != nil || n != 20 {
			t.Errorf("Scan: %d values, %v", n, err)
		}
		return nil
	})
	key := strings.Repeat("k", store.MaxKeyLen)
	put(t, s, "t", key, "longest key")
	if got := getView(t, s, "t", key); got != "longest key" {
		t.Errorf("Get(longest key) = %q", got)
	}
}

func testManyKeys(t *testing.T, s store.Store) {
	const n = 5000
	update(t, s, func(tx store.Tx) error {
		for i := range n {
			if err := tx.Put("t", fmt.Sprintf("%c/%05d", 'a'+i%3, i), []byte(fmt.Sprint(i))); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		for i := 0; i < n; i += 2 {
			if err := tx.Delete("t", fmt.Sprintf("%c/%05d", 'a'+i%3, i)); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		all := scanKeys(t, tx, "t", "", "")
		if len(all) != n/2 || !slices.IsSorted(all) {
			t.Errorf("Scan: %d keys, sorted=%v; want %d sorted", len(all), slices.IsSorted(all), n/2)
		}
		want := 0
		for i := 1; i < n; i += 2 {
			if i%3 == 1 {
				want++
			}
		}
		if got := len(scanKeys(t, tx, "t", "b/", "")); got != want {
			t.Errorf("Scan b/: %d keys, want %d", got, want)
		}
		return nil
	})
}

func testInvalid(t *testing.T, s store.Store) {
	long := strings.Repeat("k", store.MaxKeyLen+1)
	tests := []struct {
		name, table, key string
		value            []byte
	}{
		{name: "empty table", table: "", key: "k"},
		{name: "table with space", table: "a b", key: "k"},
		{name: "table with NUL", table: "a\x00", key: "k"},
		{name: "table too long", table: strings.Repeat("t", store.MaxTableLen+1), key: "k"},
		{name: "empty key", table: "t", key: ""},
		{name: "key too long", table: "t", key: long},
		{name: "value too long", table: "t", key: "k", value: make([]byte, store.MaxValueLen+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Update(bg, func(tx store.Tx) error {
				wantErr(t, "Put", tx.Put(tt.table, tt.key, tt.value), store.ErrInvalid)
				wantErr(t, "Insert", tx.Insert(tt.table, tt.key, tt.value), store.ErrInvalid)
				if tt.value != nil {
					return nil
				}
				_, err := tx.Get(tt.table, tt.key)
				wantErr(t, "Get", err, store.ErrInvalid)
				wantErr(t, "Delete", tx.Delete(tt.table, tt.key), store.ErrInvalid)
				if tt.key == "k" {
					err := tx.Scan(tt.table, "", "", func(string, []byte) (bool, error) { return true, nil })
					wantErr(t, "Scan", err, store.ErrInvalid)
					_, err = tx.NextSequence(tt.table)
					wantErr(t, "NextSequence", err, store.ErrInvalid)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Update: %v", err)
			}
		})
	}
}

func testValuesCopied(t *testing.T, s store.Store) {
	buf := []byte("original")
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "k", buf); err != nil {
			return err
		}
		copy(buf, "CHANGED!") // after Put, inside the tx
		return nil
	})
	copy(buf, "changed2")
	view(t, s, func(tx store.Tx) error {
		v, err := tx.Get("t", "k")
		if err != nil || string(v) != "original" {
			t.Fatalf("Get = %q, %v; want original", v, err)
		}
		copy(v, "XXXXXXXX") // the caller owns Get's result
		if got := get(t, tx, "t", "k"); got != "original" {
			t.Errorf("Get after modifying a returned value = %q", got)
		}
		return nil
	})
}

func testContextDone(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(bg)
	cancel()
	called := false
	err := s.Update(ctx, func(tx store.Tx) error { called = true; return tx.Put("t", "k", nil) })
	wantErr(t, "Update with done context", err, context.Canceled)
	err = s.View(ctx, func(store.Tx) error { called = true; return nil })
	wantErr(t, "View with done context", err, context.Canceled)
	if called {
		t.Error("fn called despite a done context")
	}
	if got := getView(t, s, "t", "k"); got != "<nil>" {
		t.Errorf("write with done context landed: %q", got)
	}
}

type customError struct{ code int }

func (e *customError) Error() string { return fmt.Sprintf("custom %d", e.code) }

func testErrorPassThrough(t *testing.T, s store.Store) {
	for _, run := range []func(context.Context, func(store.Tx) error) error{s.Update, s.View} {
		err := run(bg, func(store.Tx) error { return &customError{code: 7} })
		var ce *customError
		if !errors.As(err, &ce) || ce.code != 7 {
			t.Errorf("error from fn came back as %v", err)
		}
	}
}

func testClose(t *testing.T, s store.Store) {
	put(t, s, "t", "k", "v")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wantErr(t, "Update after Close", s.Update(bg, func(store.Tx) error { return nil }), store.ErrClosed)
	wantErr(t, "View after Close", s.View(bg, func(store.Tx) error { return nil }), store.ErrClosed)
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
