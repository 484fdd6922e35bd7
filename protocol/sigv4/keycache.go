package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"sync"
)

// Deriving a signing key costs four chained HMAC-SHA256 computations
// (signingKey), about a quarter of Verify; yet a client signs every request of
// a day with the same key. signingKeys remembers derived keys per (secret,
// date, region, service).
//
// Safety of the cache key. An entry is found by the SHA-256 of the
// length-prefixed tuple (secret, date, region, service), never by the access
// key ID or the scope alone, so one caller's secret can never serve another's:
// two different secrets (or scopes) share an entry only through a SHA-256
// collision, and the length prefixes make the encoding injective ("ab"+"c"
// and "a"+"bc" differ). Hashing rather than storing the tuple also means that
// the secret itself is not kept, that map lookups compare digests (whose
// timing tells nothing about the secret, SHA-256 being preimage resistant)
// rather than secrets, and that every entry has the same small size whatever
// the length of the region and service a client sends, so the memory bound
// holds.
//
// Bounds. At most maxSigningKeys entries; when full, the oldest insertion is
// evicted (FIFO), which also ages out the keys of past dates. Verify inserts a
// key only once a signature made with it verified, so requests with bad
// signatures (for instance from someone who knows an access key ID but not
// its secret) neither fill nor churn the cache.
const maxSigningKeys = 1024

// signingKeys is the process-wide cache used by Verify and Body.
var signingKeys = newKeyCache(maxSigningKeys)

// keyID identifies a cache entry: SHA-256 of the length-prefixed
// (secret, date, region, service).
type keyID [sha256.Size]byte

// derivedKey is a signing key and a pool of HMAC-SHA256 states keyed with it,
// so that computing a request's signature allocates no new HMAC.
type derivedKey struct {
	key  []byte // read-only once built
	macs sync.Pool
}

// keyedMAC is an HMAC-SHA256 keyed with a derivedKey's key, with buffers for
// the string to sign and the MAC, reused along with it (writing to and
// summing through the hash.Hash interface would make stack buffers escape).
type keyedMAC struct {
	hash.Hash
	sts []byte
	sum [sha256.Size]byte
}

// newDerivedKey derives the signing key of (secret, date, region, service).
func newDerivedKey(secret, date, region, service string) *derivedKey {
	return &derivedKey{key: signingKey(secret, date, region, service)}
}

// mac returns a reset HMAC-SHA256 keyed with the signing key; hand it back
// with release.
func (k *derivedKey) mac() *keyedMAC {
	if m, ok := k.macs.Get().(*keyedMAC); ok {
		m.Reset()
		return m
	}
	return &keyedMAC{Hash: hmac.New(sha256.New, k.key)}
}

// release returns a MAC obtained from mac to the pool.
func (k *derivedKey) release(m *keyedMAC) { k.macs.Put(m) }

// keyCache is a bounded, concurrency-safe map from keyID to derivedKey with
// FIFO eviction.
type keyCache struct {
	mu sync.RWMutex
	m  map[keyID]*derivedKey
	// order holds the IDs in insertion order as a ring; next is the slot the
	// next insertion takes, evicting its occupant once the cache is full.
	order []keyID
	next  int
}

func newKeyCache(size int) *keyCache {
	return &keyCache{m: make(map[keyID]*derivedKey, size), order: make([]keyID, size)}
}

// newKeyID hashes the tuple; see the comment on maxSigningKeys for why.
func newKeyID(secret, date, region, service string) keyID {
	var stack [256]byte
	b := stack[:0]
	for _, f := range [...]string{secret, date, region, service} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return sha256.Sum256(b)
}

// get returns the cached key of the tuple, or derives it without caching it
// (cached is then false; call add once the key has proved right).
func (c *keyCache) get(secret, date, region, service string) (k *derivedKey, id keyID, cached bool) {
	id = newKeyID(secret, date, region, service)
	c.mu.RLock()
	k = c.m[id]
	c.mu.RUnlock()
	if k != nil {
		return k, id, true
	}
	return newDerivedKey(secret, date, region, service), id, false
}

// add caches k under id, evicting the oldest entry when the cache is full.
// A concurrent add of the same id keeps the first. A cache of size 0 caches
// nothing.
func (c *keyCache) add(id keyID, k *derivedKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[id]; ok || len(c.order) == 0 {
		return
	}
	if len(c.m) >= len(c.order) {
		delete(c.m, c.order[c.next])
	}
	c.m[id] = k
	c.order[c.next] = id
	c.next = (c.next + 1) % len(c.order)
}

// len returns the number of cached keys.
func (c *keyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
