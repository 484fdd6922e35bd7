// Package decisionlog keeps every authorization decision under its request ID:
// who asked, for what, the outcome, the deciding layer and statements, and for
// denials the full trace. `verdict explain` and the decision page read it.
//
// The log is a bounded ring in memory; Follow streams new entries.
package decisionlog

import (
	"sync"

	"github.com/verdict-project/verdict/engine/explain"
)

// Entry is one logged decision: the record `verdict explain` renders.
type Entry = explain.Record

// Log is a bounded, concurrency-safe decision log.
type Log struct {
	mu      sync.Mutex
	cap     int
	entries []Entry // ring
	next    int
	seq     uint64
	subs    map[chan Entry]struct{}
	// onAdd, when set, is told of every new entry (persistence).
	onAdd func(Entry)
}

// New returns a log keeping the last capacity entries.
func New(capacity int) *Log {
	if capacity <= 0 {
		capacity = 10000
	}
	return &Log{cap: capacity, subs: map[chan Entry]struct{}{}}
}

// Add records e, assigning its sequence number.
func (l *Log) Add(e Entry) {
	l.mu.Lock()
	l.seq++
	e.Seq = l.seq
	if len(l.entries) < l.cap {
		l.entries = append(l.entries, e)
	} else {
		l.entries[l.next] = e
		l.next = (l.next + 1) % l.cap
	}
	if l.onAdd != nil {
		l.onAdd(e)
	}
	for ch := range l.subs {
		select {
		case ch <- e:
		default: // a slow follower misses entries rather than blocking requests
		}
	}
	l.mu.Unlock()
}

// restore puts back an entry loaded from storage, keeping its sequence.
func (l *Log) restore(e Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Seq > l.seq {
		l.seq = e.Seq
	}
	if len(l.entries) < l.cap {
		l.entries = append(l.entries, e)
	} else {
		l.entries[l.next] = e
		l.next = (l.next + 1) % l.cap
	}
}

// Find returns the entries of a request ID (a request can make several
// decisions, e.g. S3 and then KMS).
func (l *Log) Find(requestID string) []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Entry
	for _, e := range l.ordered() {
		if e.RequestID == requestID {
			out = append(out, e)
		}
	}
	return out
}

// Query returns up to limit entries, newest last, passing filter.
func (l *Log) Query(limit int, filter func(*Entry) bool) []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	all := l.ordered()
	var out []Entry
	for i := len(all) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		if filter == nil || filter(&all[i]) {
			out = append(out, all[i])
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func (l *Log) ordered() []Entry {
	if len(l.entries) < l.cap {
		return l.entries
	}
	return append(append([]Entry(nil), l.entries[l.next:]...), l.entries[:l.next]...)
}

// Follow returns a channel of new entries and a function to stop following.
func (l *Log) Follow() (<-chan Entry, func()) {
	ch := make(chan Entry, 256)
	l.mu.Lock()
	l.subs[ch] = struct{}{}
	l.mu.Unlock()
	return ch, func() {
		l.mu.Lock()
		delete(l.subs, ch)
		l.mu.Unlock()
	}
}
