package embedded_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/embedded"
)

var benchValue = make([]byte, 200)

// runWorkers calls op b.N times spread over workers goroutines.
func runWorkers(b *testing.B, workers int, op func(i int64) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if err := op(i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}

func benchmarkUpdate(b *testing.B, workers int) {
	db, err := embedded.Open(b.TempDir(), embedded.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	runWorkers(b, workers, func(i int64) error {
		return db.Update(bg, func(tx store.Tx) error {
			return tx.Put("bench", fmt.Sprintf("key/%012d", i), benchValue)
		})
	})
	st := db.Stats()
	b.ReportMetric(float64(st.Updates)/float64(max(st.Commits, 1)), "updates/commit")
}

// BenchmarkUpdateSerial is one durable Update at a time: one fsync each.
func BenchmarkUpdateSerial(b *testing.B) { benchmarkUpdate(b, 1) }

// BenchmarkUpdateParallel8 is 8 concurrent writers sharing commits.
func BenchmarkUpdateParallel8(b *testing.B) { benchmarkUpdate(b, 8) }

// BenchmarkUpdateParallel32 is 32 concurrent writers sharing commits.
func BenchmarkUpdateParallel32(b *testing.B) { benchmarkUpdate(b, 32) }

// The benchmarks below measure bbolt alone, as the baseline the group
// commit is judged against.

func benchmarkBolt(b *testing.B, workers int, batch bool) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "bolt.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	run := db.Update
	if batch {
		run = db.Batch
	}
	runWorkers(b, workers, func(i int64) error {
		return run(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("bench"))
			if err != nil {
				return err
			}
			return bk.Put(fmt.Appendf(nil, "key/%012d", i), benchValue)
		})
	})
}

// BenchmarkBoltUpdateSerial is bbolt's Update, one writer.
func BenchmarkBoltUpdateSerial(b *testing.B) { benchmarkBolt(b, 1, false) }

// BenchmarkBoltUpdateParallel32 is bbolt's Update with 32 writers: one
// fsync per Update, writers queue.
func BenchmarkBoltUpdateParallel32(b *testing.B) { benchmarkBolt(b, 32, false) }

// BenchmarkBoltBatchSerial is bbolt's Batch with one writer, which waits
// out MaxBatchDelay on every call.
func BenchmarkBoltBatchSerial(b *testing.B) { benchmarkBolt(b, 1, true) }

// BenchmarkBoltBatchParallel32 is bbolt's Batch with 32 writers.
func BenchmarkBoltBatchParallel32(b *testing.B) { benchmarkBolt(b, 32, true) }
