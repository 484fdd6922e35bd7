package s3api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/kmsapi"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/embedded"
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

// benchServer is the server `verdict serve` runs (embedded store without
// fsync, so the benchmark measures CPU, and the default object blob store)
// with one bucket of account B.
func benchServer(b *testing.B) http.Handler {
	b.Helper()
	db, err := embedded.Open(b.TempDir(), embedded.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	master := bytes.Repeat([]byte{7}, 32)
	k, err := kmsapi.New(master)
	if err != nil {
		b.Fatal(err)
	}
	env := &service.Env{Store: db, Blobs: ObjectBlobs(db.Blobs(), k.Keyring(), SealKMS), Compiler: inputs.NewCompiler(),
		Log: decisionlog.New(1000), Region: "us-east-1", RootSecret: rootSecret}
	UseKMS(env, k)
	s := server.New(env, time.Now)
	s.Register("s3", New())
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(b, http.MethodPut, "/bench-b", nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("CreateBucket: %d %s", rec.Code, rec.Body)
	}
	return s
}

// signedRequest is a request signed by account B's root user, with the
// headers given as name, value pairs.
func signedRequest(b testing.TB, method, target string, body []byte, headers ...string) *http.Request {
	b.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:4566"+target, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), aws.Credentials{AccessKeyID: acctB, SecretAccessKey: rootSecret}, req, hash, "s3", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	return req
}

// BenchmarkServeObject is the server side of one signed PUT or GET of a
// 4 KiB object (inline) and a 1 MiB one (a blob file), without the network
// and without fsync: the CPU and allocations verdict spends per request.
func BenchmarkServeObject(b *testing.B) {
	for _, size := range []int{4 << 10, 1 << 20} {
		body := bytes.Repeat([]byte("v"), size)
		h := benchServer(b)
		put := signedRequest(b, http.MethodPut, "/bench-b/k", body)
		first := put.Clone(context.Background())
		first.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(httptest.NewRecorder(), first)
		b.Run(fmt.Sprintf("PUT/%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				r := put.Clone(context.Background())
				r.Body = io.NopCloser(bytes.NewReader(body))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK {
					b.Fatalf("PUT: %d %s", rec.Code, rec.Body)
				}
			}
		})
		get := signedRequest(b, http.MethodGet, "/bench-b/k", nil)
		b.Run(fmt.Sprintf("GET/%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, get)
				if rec.Code != http.StatusOK || rec.Body.Len() != size {
					b.Fatalf("GET: %d, %d bytes", rec.Code, rec.Body.Len())
				}
			}
		})
	}
}
