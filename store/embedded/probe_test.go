package embedded_test

import (
	"math/rand/v2"
	"testing"

	"github.com/verdict-project/verdict/store/embedded"
)

func BenchmarkProbeFuzz(b *testing.B) {
	dir := b.TempDir()
	db, _ := embedded.Open(dir, embedded.Options{NoSync: true})
	r := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < b.N; i++ {
		data := make([]byte, 50+r.IntN(300))
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		runTxOps(b, &db, dir, int64(i), data)
	}
}
