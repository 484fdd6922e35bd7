package embedded

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/internal/keyspace"
	"github.com/verdict-project/verdict/store/internal/treap"
)

// tx is a store.Tx over a bbolt transaction. A writable tx never writes to
// bbolt while fn runs: its writes collect in per-table overlays that apply
// copies into bbolt after fn returns nil.
type tx struct {
	btx      *bolt.Tx
	writable bool
	done     bool
	tables   map[string]*overlay // written tables; nil until the first write
}

// overlay is one table's uncommitted writes.
type overlay struct {
	tree   treap.Tree // values, and tombstones for deletions
	seq    uint64
	seqSet bool
}

func (t *tx) check(table string) error {
	if t.done {
		return store.ErrTxDone
	}
	return store.CheckTable(table)
}

// checkWrite validates a write. Errors rank ErrTxDone, then ErrInvalid,
// then ErrReadOnly, the same order in every backend.
func (t *tx) checkWrite(table, key string, value []byte, hasKey bool) error {
	if err := t.check(table); err != nil {
		return err
	}
	if hasKey {
		if err := store.CheckWrite(table, key, value); err != nil {
			return err
		}
	}
	if !t.writable {
		return store.ErrReadOnly
	}
	return nil
}

func (t *tx) overlay(table string) *overlay {
	if t.tables == nil {
		t.tables = map[string]*overlay{}
	}
	o := t.tables[table]
	if o == nil {
		o = &overlay{}
		t.tables[table] = o
	}
	return o
}

// lookup finds key in the overlay, then in bbolt. The value is only valid
// during the transaction.
func (t *tx) lookup(table, key string) ([]byte, bool) {
	if o := t.tables[table]; o != nil {
		if v, tomb, ok := o.tree.Get(key); ok {
			return v, !tomb
		}
	}
	b := t.btx.Bucket([]byte(table))
	if b == nil {
		return nil, false
	}
	// A cursor tells a present empty value from an absent key, which
	// Bucket.Get does not promise to.
	k, v := b.Cursor().Seek([]byte(key))
	if k == nil || string(k) != key {
		return nil, false
	}
	return v, true
}

func (t *tx) Get(table, key string) ([]byte, error) {
	if err := t.check(table); err != nil {
		return nil, err
	}
	if err := store.CheckKey(key); err != nil {
		return nil, err
	}
	v, ok := t.lookup(table, key)
	if !ok {
		return nil, notFound(table, key)
	}
	return append([]byte{}, v...), nil
}

func (t *tx) Put(table, key string, value []byte) error {
	if err := t.checkWrite(table, key, value, true); err != nil {
		return err
	}
	o := t.overlay(table)
	o.tree = o.tree.Set(key, append([]byte{}, value...), false)
	return nil
}

func (t *tx) Insert(table, key string, value []byte) error {
	if err := t.checkWrite(table, key, value, true); err != nil {
		return err
	}
	if _, ok := t.lookup(table, key); ok {
		return fmt.Errorf("%s/%q: %w", table, key, store.ErrExists)
	}
	return t.Put(table, key, value)
}

func (t *tx) Delete(table, key string) error {
	if err := t.checkWrite(table, key, nil, true); err != nil {
		return err
	}
	if _, ok := t.lookup(table, key); !ok {
		return notFound(table, key)
	}
	o := t.overlay(table)
	o.tree = o.tree.Set(key, nil, true)
	return nil
}

// Scan merges the overlay, as it stands when Scan is called, with a bbolt
// cursor; an overlay entry shadows the bbolt entry with the same key.
func (t *tx) Scan(table, prefix, after string, fn func(string, []byte) (bool, error)) error {
	if err := t.check(table); err != nil {
		return err
	}
	start, ok := keyspace.Start(prefix, after)
	if !ok {
		return nil
	}
	var ov *treap.Iter
	if o := t.tables[table]; o != nil {
		ov = o.tree.Seek(start)
	}
	var c *bolt.Cursor
	var bk, bv []byte
	if b := t.btx.Bucket([]byte(table)); b != nil {
		c = b.Cursor()
		bk, bv = c.Seek([]byte(start))
	}
	pfx := []byte(prefix)
	for {
		var (
			okey       string
			oval       []byte
			tomb, oHas bool
		)
		if ov != nil {
			okey, oval, tomb, oHas = ov.Peek()
			oHas = oHas && keyspace.Match(okey, prefix)
		}
		bHas := bk != nil && bytes.HasPrefix(bk, pfx)
		var key string
		var val []byte
		switch {
		case !oHas && !bHas:
			return nil
		case oHas && (!bHas || okey <= string(bk)):
			if bHas && okey == string(bk) {
				bk, bv = c.Next()
			}
			ov.Next()
			if tomb {
				continue
			}
			key, val = okey, oval
		default:
			key, val = string(bk), bv
			bk, bv = c.Next()
		}
		if more, err := fn(key, val); err != nil || !more {
			return err
		}
	}
}

func (t *tx) NextSequence(table string) (uint64, error) {
	if err := t.checkWrite(table, "", nil, false); err != nil {
		return 0, err
	}
	o := t.overlay(table)
	if !o.seqSet {
		if b := t.btx.Bucket([]byte(table)); b != nil {
			o.seq = b.Sequence()
		}
		o.seqSet = true
	}
	o.seq++
	return o.seq, nil
}

// apply copies the overlays into the bbolt transaction, in key order.
func (t *tx) apply() error {
	for table, o := range t.tables {
		b := t.btx.Bucket([]byte(table))
		if b == nil {
			var err error
			if b, err = t.btx.CreateBucket([]byte(table)); err != nil {
				return fmt.Errorf("create table %s: %w", table, err)
			}
		}
		for it := o.tree.Seek(""); ; it.Next() {
			k, v, tomb, ok := it.Peek()
			if !ok {
				break
			}
			var err error
			if tomb {
				err = b.Delete([]byte(k))
			} else {
				err = b.Put([]byte(k), v)
			}
			if err != nil {
				return fmt.Errorf("%s/%q: %w", table, k, err)
			}
		}
		if o.seqSet {
			if err := b.SetSequence(o.seq); err != nil {
				return fmt.Errorf("table %s sequence: %w", table, err)
			}
		}
	}
	return nil
}

func notFound(table, key string) error {
	return fmt.Errorf("%s/%q: %w", table, key, store.ErrNotFound)
}
