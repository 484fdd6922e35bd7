package blob_test

import (
	"testing"
)

func benchmarkCommit(b *testing.B, size int) {
	d := openDir(b)
	data := make([]byte, size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		w, err := d.Create()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			b.Fatal(err)
		}
		if _, err := w.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkBlobCommit4KiB measures a small durable blob: dominated by the
// file fsync and the directory fsync.
func BenchmarkBlobCommit4KiB(b *testing.B) { benchmarkCommit(b, 4<<10) }

// BenchmarkBlobCommit1MiB measures a larger durable blob.
func BenchmarkBlobCommit1MiB(b *testing.B) { benchmarkCommit(b, 1<<20) }
