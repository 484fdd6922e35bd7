package s3api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// BenchmarkListObjectsV2 lists a bucket of 10,000 keys in 100 folders,
// with and without a delimiter (the delimiter costs one seek per common
// prefix, not a scan of the keys under it).
func BenchmarkListObjectsV2(b *testing.B) {
	s, env := fuzzServerEnv(b)
	err := env.Store.Update(context.Background(), func(tx store.Tx) error {
		for i := 0; i < 10000; i++ {
			o := &model.Object{Bucket: "fuzz-b", Key: fmt.Sprintf("dir%03d/file%05d", i%100, i), Size: 1, ETag: `"x"`, Owner: acctB,
				LastModified: time.Unix(0, 0)}
			if err := state.PutObject(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"list-type=2", "list-type=2&delimiter=/", "list-type=2&prefix=dir042/&max-keys=50"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/fuzz-b?"+q, nil))
				if rec.Code != 200 {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
		})
	}
}
