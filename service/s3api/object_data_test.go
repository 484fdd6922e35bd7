package s3api

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/kmsapi"
	"github.com/verdict-project/verdict/store/blob"
	"github.com/verdict-project/verdict/store/embedded"
)

// newDiskEnv is a server over the embedded store in a temporary directory
// with the object blob store `verdict serve` uses (SSE-S3 unsealed), so
// that blob files are real files and GET can use sendfile.
func newDiskEnv(t *testing.T, sealing Sealing) (*testEnv, blob.Store) {
	t.Helper()
	db, err := embedded.Open(t.TempDir(), embedded.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	k, err := kmsapi.New(master)
	if err != nil {
		t.Fatal(err)
	}
	env := &service.Env{Store: db, Blobs: ObjectBlobs(db.Blobs(), k.Keyring(), sealing), Compiler: inputs.NewCompiler(),
		Log: decisionlog.New(100), Region: "us-east-1", RootSecret: rootSecret}
	UseKMS(env, k)
	s := server.New(env, time.Now)
	s.Register("s3", New())
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &testEnv{t: t, env: env, srv: ts}, db.Blobs()
}

func countBlobFiles(t *testing.T, s blob.Store) int {
	t.Helper()
	n := 0
	if err := s.List(func(blob.Info) (bool, error) { n++; return true, nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// TestObjectDataPlacement: objects up to inlineMax bytes written by PUT or
// copy are inline records, larger ones blob files; replacing or deleting an
// object removes its bytes wherever they are.
func TestObjectDataPlacement(t *testing.T) {
	e, files := newDiskEnv(t, SealKMS)
	e.createBucket(acctB, "place-b")
	c := e.client(acctB)
	ctx := context.Background()
	type want struct{ inline, files int }
	check := func(step string, w want) {
		t.Helper()
		if got := (want{e.count(objectDataTable, ""), countBlobFiles(t, files)}); got != w {
			t.Errorf("%s: %d inline records and %d blob files, want %d and %d", step, got.inline, got.files, w.inline, w.files)
		}
	}
	put := func(key string, body []byte) {
		t.Helper()
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("place-b"), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s: %v", key, err)
		}
	}
	get := func(key string) []byte {
		t.Helper()
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("place-b"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObject %s: %v", key, err)
		}
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bodies := map[string][]byte{
		"empty": {}, "one": {'x'}, "at-limit": randomBytes(inlineMax), "over-limit": randomBytes(inlineMax + 1),
		// A body that begins like a stored header must read back as it is.
		"header-like":     append([]byte("VSSE\x01\x00\x10"), randomBytes(100)...),
		"big-header-like": append([]byte("VSSE\x02\x00\x10"), randomBytes(inlineMax+100)...),
	}
	for _, k := range []string{"empty", "one", "at-limit", "over-limit", "header-like", "big-header-like"} {
		put(k, bodies[k])
	}
	check("after six PUTs", want{4, 2})
	for k, b := range bodies {
		if got := get(k); !bytes.Equal(got, b) {
			t.Errorf("GET %s: %d bytes, want %d, equal=%v", k, len(got), len(b), bytes.Equal(got, b))
		}
	}
	put("one", bodies["over-limit"]) // inline -> file
	check("inline replaced by a file", want{3, 3})
	put("over-limit", []byte("small")) // file -> inline
	check("file replaced by inline", want{4, 2})
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("place-b"), Key: aws.String("copy-small"),
		CopySource: aws.String("place-b/header-like")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("place-b"), Key: aws.String("copy-big"),
		CopySource: aws.String("place-b/one")}); err != nil {
		t.Fatal(err)
	}
	check("after two copies", want{5, 3})
	if got := get("copy-small"); !bytes.Equal(got, bodies["header-like"]) {
		t.Error("copy of an inline object differs")
	}
	if got := get("copy-big"); !bytes.Equal(got, bodies["over-limit"]) {
		t.Error("copy of a file object differs")
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("place-b"), Key: aws.String("copy-small")}); err != nil {
		t.Fatal(err)
	}
	check("after deleting an inline object", want{4, 3})
	var ids []s3types.ObjectIdentifier
	for _, k := range []string{"empty", "one", "at-limit", "over-limit", "header-like", "big-header-like", "copy-big"} {
		ids = append(ids, s3types.ObjectIdentifier{Key: aws.String(k)})
	}
	if _, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("place-b"), Delete: &s3types.Delete{Objects: ids}}); err != nil {
		t.Fatal(err)
	}
	check("after DeleteObjects", want{0, 0})
}

// TestObjectDataRanges: Range GETs of inline objects and of blob files
// (sent with sendfile) return exactly the requested bytes.
func TestObjectDataRanges(t *testing.T) {
	for _, sealing := range []Sealing{SealKMS, SealAll} {
		e, _ := newDiskEnv(t, sealing)
		e.createBucket(acctB, "range-b")
		for _, size := range []int{1000, inlineMax + 1, 3<<20 + 7} {
			body := randomBytes(size)
			e.put(acctB, "range-b", "k", string(body))
			for _, r := range [][2]int{{0, 0}, {0, size - 1}, {1, 1}, {size / 3, size/2 + 1}, {size - 10, size - 1}} {
				name := fmt.Sprintf("sealing=%d size=%d bytes=%d-%d", sealing, size, r[0], r[1])
				t.Run(name, func(t *testing.T) {
					res := e.do(acctB, http.MethodGet, "/range-b/k", http.Header{"Range": {fmt.Sprintf("bytes=%d-%d", r[0], r[1])}}, nil)
					if res.status != http.StatusPartialContent || res.body != string(body[r[0]:r[1]+1]) {
						t.Errorf("status %d, %d bytes; want 206 and %d bytes (equal=%v)", res.status, len(res.body), r[1]-r[0]+1,
							res.body == string(body[r[0]:r[1]+1]))
					}
				})
			}
		}
	}
}

// TestObjectDataSealing: with SealKMS the stored bytes of an SSE-S3
// object are its plaintext behind the plain header; with SealAll they are
// sealed.
func TestObjectDataSealing(t *testing.T) {
	for _, tt := range []struct {
		name      string
		sealing   Sealing
		plaintext bool
	}{
		{"SealKMS stores SSE-S3 objects plain", SealKMS, true},
		{"SealAll seals them", SealAll, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, files := newDiskEnv(t, tt.sealing)
			e.createBucket(acctB, "seal-b")
			body := bytes.Repeat([]byte("plaintext marker "), inlineMax/8)
			e.put(acctB, "seal-b", "k", string(body))
			var raw []byte
			_ = files.List(func(i blob.Info) (bool, error) {
				r, err := files.Open(i.ID)
				if err != nil {
					return false, err
				}
				defer r.Close()
				raw, err = io.ReadAll(r)
				return false, err
			})
			if got := bytes.Contains(raw, body[:64]); got != tt.plaintext {
				t.Errorf("stored bytes hold the plaintext: %v, want %v", got, tt.plaintext)
			}
			if tt.plaintext && !bytes.HasPrefix(raw, []byte("VSSE\x00")) {
				t.Errorf("stored bytes begin %q, want the plain header", raw[:min(len(raw), 8)])
			}
			if r := e.do(acctB, http.MethodGet, "/seal-b/k", nil, nil); r.body != string(body) {
				t.Errorf("GET returned %d bytes, want %d", len(r.body), len(body))
			}
		})
	}
}
