package decisionlog

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/verdict-project/verdict/store"
)

// Table is the store table that keeps the decision log across restarts.
const Table = "decisions"

// flushEvery is how often new decisions are written. Writing off the request
// path in batches keeps the log from costing a durable commit per request;
// a crash loses at most this much of the log, never any S3 or IAM state.
const flushEvery = 200 * time.Millisecond

func seqKey(seq uint64) string { return fmt.Sprintf("%020d", seq) }

// Each flush writes one record: the JSON array of its entries, under the
// key of its first entry's sequence number. At thousands of requests per
// second a record per entry made the log a sixth of a GET's CPU (a tree
// insert, a delete and a JSON encoding each, on the store's committer);
// per flush it is one of each. Records of one entry (the layout before
// batches) still load.
// Persistent is a Log backed by a store: it loads the last entries on open,
// writes new ones in the background, and trims the table to the capacity.
type Persistent struct {
	*Log
	st      store.Store
	mu      sync.Mutex
	pending []Entry
	stop    chan struct{}
	done    chan struct{}
}

// Open returns a persistent log keeping capacity entries in st.
func Open(ctx context.Context, st store.Store, capacity int) (*Persistent, error) {
	p := &Persistent{Log: New(capacity), st: st, stop: make(chan struct{}), done: make(chan struct{})}
	var loaded []Entry
	err := st.View(ctx, func(tx store.Tx) error {
		return tx.Scan(Table, "", "", func(_ string, v []byte) (bool, error) {
			var batch []Entry
			if json.Unmarshal(v, &batch) == nil {
				loaded = append(loaded, batch...)
				return true, nil
			}
			var e Entry
			if json.Unmarshal(v, &e) == nil {
				loaded = append(loaded, e)
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	if n := len(loaded); n > p.cap {
		loaded = loaded[n-p.cap:]
	}
	for _, e := range loaded {
		p.Log.restore(e)
	}
	p.Log.onAdd = p.enqueue
	go p.loop()
	return p, nil
}

func (p *Persistent) enqueue(e Entry) {
	p.mu.Lock()
	p.pending = append(p.pending, e)
	p.mu.Unlock()
}

func (p *Persistent) loop() {
	defer close(p.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = p.Flush(context.Background())
		case <-p.stop:
			_ = p.Flush(context.Background())
			return
		}
	}
}

// Flush writes the pending entries and trims the table to the records
// that hold the last capacity entries.
func (p *Persistent) Flush(ctx context.Context) error {
	p.mu.Lock()
	batch := p.pending
	p.pending = nil
	p.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	// Encode before Update: its function runs on the store's committer,
	// which every write of every service waits for.
	v, err := json.Marshal(batch)
	if err != nil {
		return err
	}
	first, last := batch[0].Seq, batch[len(batch)-1].Seq
	return p.st.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put(Table, seqKey(first), v); err != nil {
			return err
		}
		if last <= uint64(p.cap) {
			return nil
		}
		// A record can go when the next one starts at or below the
		// oldest sequence number kept: all its entries are older.
		limit := seqKey(last - uint64(p.cap) + 1)
		var old []string
		prev := ""
		err := tx.Scan(Table, "", "", func(k string, _ []byte) (bool, error) {
			if k > limit {
				return false, nil
			}
			if prev != "" {
				old = append(old, prev)
			}
			prev = k
			return true, nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := tx.Delete(Table, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close writes what is pending and stops the background writer.
func (p *Persistent) Close() error {
	close(p.stop)
	<-p.done
	return nil
}
