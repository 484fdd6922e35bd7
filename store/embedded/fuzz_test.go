package embedded_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/embedded"
	"github.com/verdict-project/verdict/store/memory"
)

// FuzzTxOps decodes the input into a sequence of transactions (reads,
// writes, scans, sequences, scans that write, rollbacks, reopens), runs it
// against the embedded backend, the memory backend and a naive map model,
// and requires all three to agree on every result and on the final state.
func FuzzTxOps(f *testing.F) {
	f.Add([]byte("\x00\x05\x01a1\x02b2\x04\x00\x00\x03\x00\x01a"))
	f.Add([]byte("\x00\x08\x01\x00x\x01\xffy\x06\x00\x00\x04\x00\x00\x02\x00\x05\x01"))
	f.Add([]byte("\x00\x04\x01a\x01b\x05\x05\x81\x02\x01\x00\x03\x01a\x02\x00\x00"))
	dir := f.TempDir()
	db, err := embedded.Open(dir, embedded.Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	defer func() { db.Close() }()
	var run atomic.Int64
	f.Fuzz(func(t *testing.T, data []byte) {
		// Each input gets fresh tables in the shared database.
		runTxOps(t, &db, dir, run.Add(1), data)
	})
}

// runTxOps runs one fuzz input against *db (which it may reopen from dir),
// using tables named after run.
func runTxOps(t testing.TB, db **embedded.DB, dir string, run int64, data []byte) {
	tables := []string{fmt.Sprintf("f%d.a", run), fmt.Sprintf("f%d.b", run)}
	h := &harness{t: t, in: data, tables: tables, mem: memory.New(), model: newModel()}
	h.stores = []store.Store{*db, h.mem}
	for steps := 0; h.more() && steps < 64; steps++ {
		switch h.byte() % 8 {
		case 7:
			if err := (*db).Close(); err != nil {
				t.Fatal(err)
			}
			var err error
			if *db, err = embedded.Open(dir, embedded.Options{NoSync: true}); err != nil {
				t.Fatal(err)
			}
			h.stores[0] = *db
		case 6, 5:
			h.view()
		default:
			h.update()
		}
	}
	h.compareState()
}

// harness decodes the fuzz input and runs it on every store.
type harness struct {
	t      testing.TB
	in     []byte
	tables []string
	stores []store.Store // embedded, memory
	mem    *memory.Store
	model  *model
}

func (h *harness) more() bool { return len(h.in) > 0 }

func (h *harness) byte() byte {
	if len(h.in) == 0 {
		return 0
	}
	b := h.in[0]
	h.in = h.in[1:]
	return b
}

// key draws a short key from a tiny alphabet, so keys collide and prefixes
// nest; length 0 (an invalid key) happens too.
func (h *harness) key() string {
	b := h.byte()
	n := int(b % 4)
	if b == 0xff {
		n = 0
	}
	alphabet := "ab\x00\xff"
	var sb strings.Builder
	for i := range n {
		sb.WriteByte(alphabet[(int(b)>>(2+2*i%6)+i)%len(alphabet)])
		if i > 0 {
			sb.WriteByte(alphabet[h.byte()%4])
		}
	}
	return sb.String()
}

// txOp is one decoded operation, applied identically to every Tx.
type txOp struct {
	kind          byte
	table, key    string
	prefix, after string
	value         []byte
	limit         int
}

func (h *harness) ops() []txOp {
	count := 1 + int(h.byte()%8)
	ops := make([]txOp, 0, count)
	for range count {
		if !h.more() {
			break
		}
		op := txOp{kind: h.byte() % 7, table: h.tables[h.byte()%2]}
		switch op.kind {
		case 1, 2: // Put, Insert
			op.key = h.key()
			op.value = []byte{h.byte()}
			if op.value[0] == 0 {
				op.value = nil
			}
		case 4, 6: // Scan, scan that writes
			op.prefix = h.key()
			op.after = h.key()
			op.limit = int(h.byte() % 6) // 0 means no limit
		default:
			op.key = h.key()
		}
		ops = append(ops, op)
	}
	return ops
}

// apply runs ops on tx and returns a trace of the results.
func apply(tx store.Tx, ops []txOp) []string {
	var trace []string
	for _, op := range ops {
		switch op.kind {
		case 0:
			v, err := tx.Get(op.table, op.key)
			trace = append(trace, fmt.Sprintf("get %q=%q %s", op.key, v, class(err)))
		case 1:
			trace = append(trace, "put "+class(tx.Put(op.table, op.key, op.value)))
		case 2:
			trace = append(trace, "insert "+class(tx.Insert(op.table, op.key, op.value)))
		case 3:
			trace = append(trace, "delete "+class(tx.Delete(op.table, op.key)))
		case 4, 6:
			var seen []string
			err := tx.Scan(op.table, op.prefix, op.after, func(k string, v []byte) (bool, error) {
				seen = append(seen, fmt.Sprintf("%q=%q", k, v))
				if op.kind == 6 {
					// Rewrite the visited key and plant a later one; the
					// scan must not see either change.
					if err := tx.Put(op.table, k, append(v, 'w')); err != nil {
						return false, err
					}
					if err := tx.Put(op.table, k+"\xff", nil); err != nil {
						return false, err
					}
				}
				return op.limit == 0 || len(seen) < op.limit, nil
			})
			trace = append(trace, fmt.Sprintf("scan %q %q %v %s", op.prefix, op.after, seen, class(err)))
		case 5:
			n, err := tx.NextSequence(op.table)
			trace = append(trace, fmt.Sprintf("seq %d %s", n, class(err)))
		}
	}
	return trace
}

func class(err error) string {
	for _, e := range []error{store.ErrNotFound, store.ErrExists, store.ErrInvalid, store.ErrReadOnly, store.ErrTxDone} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	if err != nil {
		return "other error: " + err.Error()
	}
	return "ok"
}

var errRollback = errors.New("rollback requested")

func (h *harness) update() {
	ops := h.ops()
	rollback := h.byte()%4 == 0
	want := h.model.update(ops, rollback)
	for i, s := range h.stores {
		var got []string
		err := s.Update(bg, func(tx store.Tx) error {
			got = apply(tx, ops)
			if rollback {
				return errRollback
			}
			return nil
		})
		if rollback && !errors.Is(err, errRollback) || !rollback && err != nil {
			h.t.Fatalf("store %d: Update = %v (rollback %v)", i, err, rollback)
		}
		if !slices.Equal(got, want) {
			h.t.Fatalf("store %d disagrees with the model on %+v:\n got %q\nwant %q", i, ops, got, want)
		}
	}
}

func (h *harness) view() {
	ops := h.ops()
	want := h.model.view(ops)
	for i, s := range h.stores {
		var got []string
		err := s.View(bg, func(tx store.Tx) error { got = apply(tx, ops); return nil })
		if err != nil {
			h.t.Fatalf("store %d: View = %v", i, err)
		}
		if !slices.Equal(got, want) {
			h.t.Fatalf("store %d disagrees with the model on read-only %+v:\n got %q\nwant %q", i, ops, got, want)
		}
	}
}

func (h *harness) compareState() {
	var want []string
	for _, table := range h.tables {
		for _, k := range slices.Sorted(maps.Keys(h.model.tables[table])) {
			want = append(want, fmt.Sprintf("%s %q=%q", table, k, h.model.tables[table][k]))
		}
	}
	for i, s := range h.stores {
		var got []string
		err := s.View(bg, func(tx store.Tx) error {
			for _, table := range h.tables {
				err := tx.Scan(table, "", "", func(k string, v []byte) (bool, error) {
					got = append(got, fmt.Sprintf("%s %q=%q", table, k, v))
					return true, nil
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			h.t.Fatalf("store %d final state (%v):\n got %q\nwant %q", i, err, got, want)
		}
	}
}

// model is the naive reference: maps copied wholesale per transaction.
type model struct {
	tables map[string]map[string]string
	seqs   map[string]uint64
}

func newModel() *model {
	return &model{tables: map[string]map[string]string{}, seqs: map[string]uint64{}}
}

func (m *model) clone() *model {
	c := newModel()
	for t, kv := range m.tables {
		c.tables[t] = maps.Clone(kv)
	}
	maps.Copy(c.seqs, m.seqs)
	return c
}

func (m *model) update(ops []txOp, rollback bool) []string {
	work := m.clone()
	trace := apply(&modelTx{m: work, writable: true}, ops)
	if !rollback {
		*m = *work
	}
	return trace
}

func (m *model) view(ops []txOp) []string {
	return apply(&modelTx{m: m}, ops)
}

// modelTx implements store.Tx over the model's maps, as simply as possible.
type modelTx struct {
	m        *model
	writable bool
}

func (x *modelTx) check(table, key string, write bool) error {
	if err := store.CheckTable(table); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	if write && !x.writable {
		return store.ErrReadOnly
	}
	return nil
}

func (x *modelTx) Get(table, key string) ([]byte, error) {
	if err := x.check(table, key, false); err != nil {
		return nil, err
	}
	v, ok := x.m.tables[table][key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return []byte(v), nil
}

func (x *modelTx) Put(table, key string, value []byte) error {
	if err := x.check(table, key, true); err != nil {
		return err
	}
	if x.m.tables[table] == nil {
		x.m.tables[table] = map[string]string{}
	}
	x.m.tables[table][key] = string(value)
	return nil
}

func (x *modelTx) Insert(table, key string, value []byte) error {
	if err := x.check(table, key, true); err != nil {
		return err
	}
	if _, ok := x.m.tables[table][key]; ok {
		return store.ErrExists
	}
	return x.Put(table, key, value)
}

func (x *modelTx) Delete(table, key string) error {
	if err := x.check(table, key, true); err != nil {
		return err
	}
	if _, ok := x.m.tables[table][key]; !ok {
		return store.ErrNotFound
	}
	delete(x.m.tables[table], key)
	return nil
}

func (x *modelTx) Scan(table, prefix, after string, fn func(string, []byte) (bool, error)) error {
	if err := store.CheckTable(table); err != nil {
		return err
	}
	snapshot := maps.Clone(x.m.tables[table])
	for _, k := range slices.Sorted(maps.Keys(snapshot)) {
		if !strings.HasPrefix(k, prefix) || after != "" && k <= after {
			continue
		}
		if more, err := fn(k, []byte(snapshot[k])); err != nil || !more {
			return err
		}
	}
	return nil
}

func (x *modelTx) NextSequence(table string) (uint64, error) {
	if err := store.CheckTable(table); err != nil {
		return 0, err
	}
	if !x.writable {
		return 0, store.ErrReadOnly
	}
	x.m.seqs[table]++
	return x.m.seqs[table], nil
}
