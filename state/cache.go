package state

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/verdict-project/verdict/store"
)

// Decoding JSON was the largest single cost of serving a small object (a
// quarter of a GET's CPU in bench/PROFILE.md): every S3 request decodes its
// bucket, its object and its account, which rarely change. The records read
// on every request therefore go through a cache of decoded values.
//
// An entry is keyed by table and key and holds the stored bytes it was
// decoded from; a read still fetches the stored bytes in its own
// transaction and uses the entry only if they are identical. So the cache
// needs no invalidation, cannot show a transaction anything but its own
// snapshot, and is correct across stores (equal bytes decode to equal
// values). Callers get a Clone they may change freely.

// cacheMax bounds the entries of recordCache. When full, an arbitrary
// entry makes room: hot records are re-added on their next read.
const cacheMax = 8192

type cacheEntry struct {
	raw []byte
	v   any
}

// recordCache is the process-wide cache of decoded records.
var recordCache = struct {
	sync.RWMutex
	m map[string]cacheEntry
}{m: map[string]cacheEntry{}}

// cloner is a record type with a deep copy.
type cloner[T any] interface {
	*T
	Clone() *T
}

// getCached is Get through recordCache.
func getCached[T any, P cloner[T]](tx store.Tx, table, key string) (*T, error) {
	raw, err := tx.Get(table, key)
	if err != nil {
		return nil, err
	}
	ck := table + "\x00" + key
	recordCache.RLock()
	e, ok := recordCache.m[ck]
	recordCache.RUnlock()
	if ok && bytes.Equal(e.raw, raw) {
		if v, ok := e.v.(*T); ok {
			return P(v).Clone(), nil
		}
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, &store.DecodeError{Table: table, Key: key, Err: err}
	}
	keep := P(v).Clone()
	recordCache.Lock()
	if len(recordCache.m) >= cacheMax {
		for k := range recordCache.m {
			delete(recordCache.m, k)
			break
		}
	}
	recordCache.m[ck] = cacheEntry{raw: raw, v: keep}
	recordCache.Unlock()
	return v, nil
}
