package storetest

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
)

// RunBlob runs the conformance suite against blob stores made by open. Each
// subtest calls open once and expects an empty store.
func RunBlob(t *testing.T, open func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"RoundTrip", testBlobRoundTrip},
		{"Empty", testBlobEmpty},
		{"Large", testBlobLarge},
		{"Abort", testBlobAbort},
		{"CommitTwice", testBlobCommitTwice},
		{"Remove", testBlobRemove},
		{"NotFound", testBlobNotFound},
		{"InvalidID", testBlobInvalidID},
		{"List", testBlobList},
		{"Concurrent", testBlobConcurrent},
		{"Collect", testBlobCollect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// commit writes data in uneven chunks and commits it.
func commit(t *testing.T, s blob.Store, data []byte) string {
	t.Helper()
	w, err := s.Create()
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	defer w.Abort()
	for rest, n := data, 1; len(rest) > 0; n = n*3 + 1 {
		c := min(n, len(rest))
		if _, err := w.Write(rest[:c]); err != nil {
			t.Fatalf("Write: %v", err)
		}
		rest = rest[c:]
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if err := blob.CheckID(id); err != nil {
		t.Fatalf("Commit returned a malformed id: %v", err)
	}
	return id
}

func readAll(t *testing.T, s blob.Store, id string) []byte {
	t.Helper()
	r, err := s.Open(id)
	if err != nil {
		t.Fatalf("Open(%s): %v", id, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	if r.Size() != int64(len(b)) {
		t.Errorf("Size() = %d, read %d bytes", r.Size(), len(b))
	}
	return b
}

func list(t *testing.T, s blob.Store) []blob.Info {
	t.Helper()
	var out []blob.Info
	if err := s.List(func(info blob.Info) (bool, error) { out = append(out, info); return true, nil }); err != nil {
		t.Fatalf("List: %v", err)
	}
	return out
}

func ids(infos []blob.Info) []string {
	out := make([]string, len(infos))
	for i, info := range infos {
		out[i] = info.ID
	}
	return out
}

func testBlobRoundTrip(t *testing.T, s blob.Store) {
	data := randomBytes(1, 100_000)
	id := commit(t, s, data)
	if got := readAll(t, s, id); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes differing from the %d written", len(got), len(data))
	}
	r, err := s.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if pos, err := r.Seek(60_000, io.SeekStart); err != nil || pos != 60_000 {
		t.Fatalf("Seek = %d, %v", pos, err)
	}
	buf := make([]byte, 100)
	if _, err := io.ReadFull(r, buf); err != nil || !bytes.Equal(buf, data[60_000:60_100]) {
		t.Errorf("read after Seek differs (%v)", err)
	}
	if _, err := r.ReadAt(buf, 99_950); !errors.Is(err, io.EOF) {
		t.Errorf("ReadAt past the end: err = %v, want io.EOF", err)
	}
	if n, err := r.ReadAt(buf, 10); err != nil || n != 100 || !bytes.Equal(buf, data[10:110]) {
		t.Errorf("ReadAt = %d, %v", n, err)
	}
	if pos, err := r.Seek(-10, io.SeekEnd); err != nil || pos != int64(len(data))-10 {
		t.Errorf("Seek from end = %d, %v", pos, err)
	}
}

func testBlobEmpty(t *testing.T, s blob.Store) {
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s, id); len(got) != 0 {
		t.Errorf("empty blob reads %d bytes", len(got))
	}
}

func testBlobLarge(t *testing.T, s blob.Store) {
	data := randomBytes(2, 8<<20+13)
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s, id); !bytes.Equal(got, data) {
		t.Fatalf("large blob differs: %d bytes read, %d written", len(got), len(data))
	}
}

func testBlobAbort(t *testing.T, s blob.Store) {
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("never")); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, blob.ErrWriterDone) {
		t.Errorf("Write after Abort: %v, want ErrWriterDone", err)
	}
	if _, err := w.Commit(); !errors.Is(err, blob.ErrWriterDone) {
		t.Errorf("Commit after Abort: %v, want ErrWriterDone", err)
	}
	if got := list(t, s); len(got) != 0 {
		t.Errorf("aborted blob listed: %v", got)
	}
}

func testBlobCommitTwice(t *testing.T, s blob.Store) {
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("once")); err != nil {
		t.Fatal(err)
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); !errors.Is(err, blob.ErrWriterDone) {
		t.Errorf("second Commit: %v, want ErrWriterDone", err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, blob.ErrWriterDone) {
		t.Errorf("Write after Commit: %v, want ErrWriterDone", err)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v, want nil", err)
	}
	if got := readAll(t, s, id); string(got) != "once" {
		t.Errorf("blob after Abort-after-Commit = %q, want once", got)
	}
}

func testBlobRemove(t *testing.T, s blob.Store) {
	id := commit(t, s, []byte("doomed"))
	r, err := s.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := s.Remove(id); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := s.Open(id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Open after Remove: %v, want ErrNotFound", err)
	}
	if err := s.Remove(id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second Remove: %v, want ErrNotFound", err)
	}
	if b, err := io.ReadAll(r); err != nil || string(b) != "doomed" {
		t.Errorf("reader opened before Remove read %q, %v", b, err)
	}
	if got := list(t, s); len(got) != 0 {
		t.Errorf("removed blob listed: %v", got)
	}
}

func testBlobNotFound(t *testing.T, s blob.Store) {
	id := blob.NewID()
	if _, err := s.Open(id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Open of unknown id: %v, want ErrNotFound", err)
	}
	if err := s.Remove(id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Remove of unknown id: %v, want ErrNotFound", err)
	}
}

func testBlobInvalidID(t *testing.T, s blob.Store) {
	commit(t, s, []byte("x"))
	tests := []struct{ name, id string }{
		{"empty", ""},
		{"traversal", "../../../../../../../../etc/passwd"},
		{"traversal of id length", "00/../../../../../../../etc/pass"},
		{"upper case", "0123456789ABCDEF0123456789ABCDEF"},
		{"short", "0123456789abcdef0123456789abcde"},
		{"long", "0123456789abcdef0123456789abcdef0"},
		{"not hex", "0123456789abcdef0123456789abcdeg"},
		{"NUL", "0123456789abcdef0123456789abcde\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Open(tt.id); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Open(%q): %v, want ErrInvalid", tt.id, err)
			}
			if err := s.Remove(tt.id); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Remove(%q): %v, want ErrInvalid", tt.id, err)
			}
		})
	}
}

func testBlobList(t *testing.T, s blob.Store) {
	var want []string
	sizes := map[string]int64{}
	for i := range 20 {
		data := randomBytes(uint64(i), i*100)
		id := commit(t, s, data)
		want = append(want, id)
		sizes[id] = int64(len(data))
	}
	slices.Sort(want)
	got := list(t, s)
	if !slices.Equal(ids(got), want) {
		t.Fatalf("List = %v, want %v in ascending order", ids(got), want)
	}
	for _, info := range got {
		if info.Size != sizes[info.ID] {
			t.Errorf("List size of %s = %d, want %d", info.ID, info.Size, sizes[info.ID])
		}
		if info.Committed.IsZero() || time.Since(info.Committed) > time.Hour {
			t.Errorf("List commit time of %s = %v", info.ID, info.Committed)
		}
	}
	n := 0
	err := s.List(func(blob.Info) (bool, error) { n++; return n < 5, nil })
	if err != nil || n != 5 {
		t.Errorf("List stopping after 5 visited %d, %v", n, err)
	}
	errStop := errors.New("stop")
	if err := s.List(func(blob.Info) (bool, error) { return true, errStop }); !errors.Is(err, errStop) {
		t.Errorf("List with error: %v, want %v", err, errStop)
	}
	// Removing while listing is allowed.
	err = s.List(func(info blob.Info) (bool, error) { return true, s.Remove(info.ID) })
	if err != nil {
		t.Errorf("List with Remove: %v", err)
	}
	if got := list(t, s); len(got) != 0 {
		t.Errorf("after removing all, List = %v", ids(got))
	}
}

func testBlobConcurrent(t *testing.T, s blob.Store) {
	const workers = 16
	idc := make(chan [2]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := s.Create()
			if err != nil {
				t.Error(err)
				return
			}
			data := randomBytes(uint64(i), 10_000+i)
			if _, err := w.Write(data); err != nil {
				t.Error(err)
				return
			}
			id, err := w.Commit()
			if err != nil {
				t.Error(err)
				return
			}
			idc <- [2]string{id, string(data)}
		}()
	}
	wg.Wait()
	close(idc)
	seen := map[string]bool{}
	for p := range idc {
		if seen[p[0]] {
			t.Errorf("id %s handed out twice", p[0])
		}
		seen[p[0]] = true
		if got := readAll(t, s, p[0]); string(got) != p[1] {
			t.Errorf("blob %s differs", p[0])
		}
	}
	if len(seen) != workers {
		t.Errorf("%d blobs committed, want %d", len(seen), workers)
	}
}

func testBlobCollect(t *testing.T, s blob.Store) {
	keep := map[string]bool{}
	var all []string
	for i := range 6 {
		id := commit(t, s, randomBytes(uint64(i), 10))
		all = append(all, id)
		if i%2 == 0 {
			keep[id] = true
		}
	}
	referenced := func(id string) (bool, error) { return keep[id], nil }
	// Every blob is younger than a cutoff in the past: nothing goes.
	res, err := blob.Collect(s, time.Now().Add(-time.Hour), referenced)
	if err != nil || res.Scanned != 6 || res.Removed != 0 {
		t.Fatalf("Collect with old cutoff = %+v, %v; want 6 scanned, 0 removed", res, err)
	}
	res, err = blob.Collect(s, time.Now().Add(time.Hour), referenced)
	if err != nil || res.Removed != 3 || res.RemovedBytes != 30 {
		t.Fatalf("Collect = %+v, %v; want 3 removed, 30 bytes", res, err)
	}
	var want []string
	for _, id := range all {
		if keep[id] {
			want = append(want, id)
		}
	}
	slices.Sort(want)
	if got := ids(list(t, s)); !slices.Equal(got, want) {
		t.Errorf("after Collect, List = %v, want %v", got, want)
	}
	errLookup := errors.New("lookup failed")
	_, err = blob.Collect(s, time.Now().Add(time.Hour), func(string) (bool, error) { return false, errLookup })
	if !errors.Is(err, errLookup) {
		t.Errorf("Collect with failing lookup: %v, want %v", err, errLookup)
	}
	if got := ids(list(t, s)); !slices.Equal(got, want) {
		t.Errorf("failing lookup removed blobs: %v", got)
	}
}
