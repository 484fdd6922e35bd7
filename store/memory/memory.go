// Package memory is an in-process store.Store and blob.Store for fast tests.
// It keeps every table in a persistent ordered tree: a View takes a snapshot
// by copying one pointer, and an Update builds a new version that replaces
// the current one only if its function succeeds. Nothing is written to disk.
package memory

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/internal/keyspace"
	"github.com/verdict-project/verdict/store/internal/treap"
)

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	writer  sync.Mutex // serializes Update
	current atomic.Pointer[state]
	closed  atomic.Bool
}

var _ store.Store = (*Store)(nil)

// state is one immutable version of the whole store.
type state struct {
	tables map[string]table
}

type table struct {
	tree treap.Tree
	seq  uint64
}

// New returns an empty store.
func New() *Store {
	s := &Store{}
	s.current.Store(&state{tables: map[string]table{}})
	return s
}

// View runs fn against the current version.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return store.ErrClosed
	}
	t := &tx{st: s.current.Load()}
	defer func() { t.done = true }()
	return fn(t)
}

// Update runs fn against a private copy of the current version and publishes
// the copy if fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.writer.Lock()
	defer s.writer.Unlock()
	if s.closed.Load() {
		return store.ErrClosed
	}
	t := &tx{st: s.current.Load(), writable: true}
	defer func() { t.done = true }()
	if err := fn(t); err != nil {
		return err
	}
	if t.owned {
		s.current.Store(t.st)
	}
	return nil
}

// Close makes later calls fail with ErrClosed. It waits for a running Update.
func (s *Store) Close() error {
	s.writer.Lock()
	defer s.writer.Unlock()
	s.closed.Store(true)
	return nil
}

type tx struct {
	st       *state
	writable bool
	owned    bool // st is a private copy that may be modified
	done     bool
}

func (t *tx) check(tbl string) error {
	if t.done {
		return store.ErrTxDone
	}
	return store.CheckTable(tbl)
}

// checkWrite validates a write. Errors rank ErrTxDone, then ErrInvalid,
// then ErrReadOnly, the same order in every backend.
func (t *tx) checkWrite(tbl, key string, value []byte, hasKey bool) error {
	if err := t.check(tbl); err != nil {
		return err
	}
	if hasKey {
		if err := store.CheckWrite(tbl, key, value); err != nil {
			return err
		}
	}
	if !t.writable {
		return store.ErrReadOnly
	}
	return nil
}

// set replaces one table in a private copy of the state.
func (t *tx) set(name string, tb table) {
	if !t.owned {
		tables := make(map[string]table, len(t.st.tables)+1)
		for k, v := range t.st.tables {
			tables[k] = v
		}
		t.st = &state{tables: tables}
		t.owned = true
	}
	t.st.tables[name] = tb
}

func (t *tx) Get(tbl, key string) ([]byte, error) {
	if err := t.check(tbl); err != nil {
		return nil, err
	}
	if err := store.CheckKey(key); err != nil {
		return nil, err
	}
	v, _, ok := t.st.tables[tbl].tree.Get(key)
	if !ok {
		return nil, notFound(tbl, key)
	}
	return clone(v), nil
}

func (t *tx) Put(tbl, key string, value []byte) error {
	if err := t.checkWrite(tbl, key, value, true); err != nil {
		return err
	}
	tb := t.st.tables[tbl]
	tb.tree = tb.tree.Set(key, clone(value), false)
	t.set(tbl, tb)
	return nil
}

func (t *tx) Insert(tbl, key string, value []byte) error {
	if err := t.checkWrite(tbl, key, value, true); err != nil {
		return err
	}
	if _, _, ok := t.st.tables[tbl].tree.Get(key); ok {
		return fmt.Errorf("%s/%q: %w", tbl, key, store.ErrExists)
	}
	return t.Put(tbl, key, value)
}

func (t *tx) Delete(tbl, key string) error {
	if err := t.checkWrite(tbl, key, nil, true); err != nil {
		return err
	}
	tb := t.st.tables[tbl]
	if _, _, ok := tb.tree.Get(key); !ok {
		return notFound(tbl, key)
	}
	tb.tree = tb.tree.Delete(key)
	t.set(tbl, tb)
	return nil
}

func (t *tx) Scan(tbl, prefix, after string, fn func(string, []byte) (bool, error)) error {
	if err := t.check(tbl); err != nil {
		return err
	}
	start, ok := keyspace.Start(prefix, after)
	if !ok {
		return nil
	}
	// Iterating the tree as it is now gives the snapshot semantics the
	// contract asks for: later writes build new trees.
	var buf []byte
	for it := t.st.tables[tbl].tree.Seek(start); ; it.Next() {
		k, v, _, ok := it.Peek()
		if !ok || !keyspace.Match(k, prefix) {
			return nil
		}
		// Hand out a scratch copy and scribble over it afterwards, so
		// tests catch callers that retain values past the callback.
		buf = append(buf[:0], v...)
		more, err := fn(k, buf)
		for i := range buf {
			buf[i] = 0xA5
		}
		if err != nil || !more {
			return err
		}
	}
}

func (t *tx) NextSequence(tbl string) (uint64, error) {
	if err := t.checkWrite(tbl, "", nil, false); err != nil {
		return 0, err
	}
	tb := t.st.tables[tbl]
	tb.seq++
	t.set(tbl, tb)
	return tb.seq, nil
}

func notFound(tbl, key string) error {
	return fmt.Errorf("%s/%q: %w", tbl, key, store.ErrNotFound)
}

func clone(b []byte) []byte {
	c := make([]byte, len(b))
	copy(c, b)
	return c
}
