package state

import (
	"context"
	"testing"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

// TestRecordCache: a cached read returns what the transaction's snapshot
// holds (never a newer or older version), and a caller changing what it got
// does not change what the next caller gets.
func TestRecordCache(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	put := func(b *model.Bucket) {
		t.Helper()
		if err := s.Update(ctx, func(tx store.Tx) error { return PutBucket(tx, b) }); err != nil {
			t.Fatal(err)
		}
	}
	get := func() *model.Bucket {
		t.Helper()
		var b *model.Bucket
		if err := s.View(ctx, func(tx store.Tx) error {
			var err error
			b, err = Bucket(tx, "cache-b")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return b
	}
	put(&model.Bucket{Name: "cache-b", Owner: "111111111111", Tags: []model.Tag{{Key: "k", Value: "v1"}}})
	first := get()
	first.Tags[0].Value = "changed by a caller"
	first.Owner = "changed"
	if b := get(); b.Owner != "111111111111" || b.Tags[0].Value != "v1" {
		t.Errorf("second read saw a caller's change: %+v", b)
	}
	put(&model.Bucket{Name: "cache-b", Owner: "111111111111", Tags: []model.Tag{{Key: "k", Value: "v2"}}})
	if b := get(); b.Tags[0].Value != "v2" {
		t.Errorf("read after an update returned %q, want v2", b.Tags[0].Value)
	}
	// Another store holding other bytes under the same key reads its own
	// record, though the cache holds the first store's.
	other := memory.New()
	if err := other.Update(ctx, func(tx store.Tx) error {
		return PutBucket(tx, &model.Bucket{Name: "cache-b", Owner: "222222222222"})
	}); err != nil {
		t.Fatal(err)
	}
	if err := other.View(ctx, func(tx store.Tx) error {
		b, err := Bucket(tx, "cache-b")
		if err == nil && b.Owner != "222222222222" {
			t.Errorf("a second store read another store's record: owner %s", b.Owner)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b := get(); b.Owner != "111111111111" {
		t.Errorf("first store now reads owner %s", b.Owner)
	}
}
