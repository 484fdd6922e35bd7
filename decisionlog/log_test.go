package decisionlog

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

func TestRingAndQuery(t *testing.T) {
	l := New(3)
	for i := 0; i < 5; i++ {
		l.Add(Entry{RequestID: fmt.Sprint("r", i), Allowed: i%2 == 0})
	}
	all := l.Query(0, nil)
	if len(all) != 3 || all[0].RequestID != "r2" || all[2].RequestID != "r4" || all[2].Seq != 5 {
		t.Fatalf("ring: %+v", all)
	}
	if d := l.Query(10, func(e *Entry) bool { return !e.Allowed }); len(d) != 1 || d[0].RequestID != "r3" {
		t.Fatalf("filter: %+v", d)
	}
	if got := l.Find("r1"); len(got) != 0 {
		t.Fatal("evicted entry found")
	}
	if got := l.Find("r4"); len(got) != 1 {
		t.Fatal("Find")
	}
}

func TestFollow(t *testing.T) {
	l := New(10)
	ch, stop := l.Follow()
	defer stop()
	l.Add(Entry{RequestID: "x"})
	select {
	case e := <-ch:
		if e.RequestID != "x" {
			t.Fatal(e)
		}
	case <-time.After(time.Second):
		t.Fatal("no entry followed")
	}
}

// TestPersistent: entries survive a reopen, and the table is trimmed to the
// capacity.
func TestPersistent(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	p, err := Open(ctx, st, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		p.Add(Entry{RequestID: fmt.Sprint("r", i)})
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	q, err := Open(ctx, st, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	got := q.Query(0, nil)
	if len(got) != 4 || got[0].RequestID != "r2" || got[3].Seq != 6 {
		t.Fatalf("reloaded: %+v", got)
	}
	q.Add(Entry{RequestID: "r6"})
	if e := q.Find("r6"); len(e) != 1 || e[0].Seq != 7 {
		t.Fatalf("sequence continues after reload: %+v", e)
	}
	if err := q.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestPersistentBatches: each flush is one record; trimming keeps the
// records holding the last capacity entries; records of the older
// one-entry-per-record layout still load.
func TestPersistentBatches(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	// One record in the old layout.
	if err := st.Update(ctx, func(tx store.Tx) error {
		return store.PutJSON(tx, Table, seqKey(1), Entry{Seq: 1, RequestID: "legacy"})
	}); err != nil {
		t.Fatal(err)
	}
	p, err := Open(ctx, st, 10)
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Find("legacy"); len(e) != 1 {
		t.Fatalf("legacy record not loaded: %+v", e)
	}
	for flush := 0; flush < 8; flush++ {
		for i := 0; i < 4; i++ {
			p.Add(Entry{RequestID: fmt.Sprintf("f%d-%d", flush, i)})
		}
		if err := p.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	records := 0
	if err := st.View(ctx, func(tx store.Tx) error {
		return tx.Scan(Table, "", "", func(string, []byte) (bool, error) { records++; return true, nil })
	}); err != nil {
		t.Fatal(err)
	}
	// 33 entries (sequence 1 is the legacy one), the last 10 (24 to 33)
	// kept: they span the last three batches of four (22-25, 26-29,
	// 30-33), so three records remain, or four while trimming lags.
	if records < 3 || records > 4 {
		t.Errorf("%d records after trimming, want 3 or 4", records)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	q, err := Open(ctx, st, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	got := q.Query(0, nil)
	if len(got) != 10 || got[0].RequestID != "f5-2" || got[9].RequestID != "f7-3" || got[9].Seq != 33 {
		t.Fatalf("reloaded %d entries: first %+v last %+v", len(got), got[0], got[len(got)-1])
	}
}
