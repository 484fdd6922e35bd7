package s3api

import (
	"bufio"
	"bytes"
	"context"
	"github.com/verdict-project/verdict/service/s3controlapi"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

// FuzzRange: parseRange never panics and a satisfiable range lies within
// the object; parseCopyRange either refuses or returns a range within it.
func FuzzRange(f *testing.F) {
	f.Add("bytes=0-9", int64(10))
	f.Add("bytes=-5", int64(3))
	f.Add("bytes=5-", int64(0))
	f.Add("bytes=1-2,3-4", int64(10))
	f.Add("bytes=9223372036854775807-", int64(9223372036854775807))
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -size
			if size < 0 {
				size = 0
			}
		}
		r, outcome := parseRange(h, size)
		if outcome == rangeSatisfiable && (r.first < 0 || r.last < r.first || r.last >= size) {
			t.Fatalf("parseRange(%q, %d) = %v outside the object", h, size, r)
		}
		cr, e := parseCopyRange(h, size)
		if e == nil && (cr.first < 0 || cr.last < cr.first || cr.last >= size) {
			t.Fatalf("parseCopyRange(%q, %d) = %v outside the object", h, size, cr)
		}
	})
}

// FuzzCopySource: parseCopySource never panics; what it accepts names a
// bucket and a valid key, and re-encoding the key parses back to it.
func FuzzCopySource(f *testing.F) {
	f.Add("bucket/key")
	f.Add("/bucket/dir/a%20b?versionId=null")
	f.Add("bucket/%E2%82%AC%3F?versionId=")
	f.Add("bucket")
	f.Fuzz(func(t *testing.T, v string) {
		c, e := parseCopySource(v)
		if e != nil {
			if e.Status != http.StatusBadRequest {
				t.Fatalf("status %d for %q", e.Status, v)
			}
			return
		}
		if c.bucket == "" || c.key == "" || checkKey(c.key) != nil || !validCopyBucket(c.bucket) {
			t.Fatalf("parseCopySource(%q) accepted %+v", v, c)
		}
		back, e := parseCopySource(c.bucket + "/" + pathEscapeAll(c.key))
		if e != nil || back.key != c.key || back.bucket != c.bucket {
			t.Fatalf("round trip of %+v: %+v, %v", c, back, e)
		}
	})
}

// pathEscapeAll percent-encodes every byte that is not unreserved.
func pathEscapeAll(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// fuzzCompiler is shared by the FuzzRoute runs so policies compile once.
var fuzzCompiler = inputs.NewCompiler()

// fuzzServer returns a server over a fresh in-memory store holding a
// bucket that anyone may do anything with, so that anonymous fuzzed
// requests reach every operation's code.
func fuzzServer(tb testing.TB) *server.Server {
	s, _ := fuzzServerEnv(tb)
	return s
}

// fuzzServerEnv is fuzzServer with its Env.
func fuzzServerEnv(tb testing.TB) (*server.Server, *service.Env) {
	blobs := memory.NewBlobs()
	env := &service.Env{Store: memory.New(), Blobs: blobs, Compiler: fuzzCompiler, Log: decisionlog.New(16),
		Region: "us-east-1", RootSecret: rootSecret, MaxObjectSize: 1 << 20}
	err := env.Store.Update(context.Background(), func(tx store.Tx) error {
		b := &model.Bucket{Name: "fuzz-b", Owner: acctB, Region: "us-east-1", Created: time.Unix(0, 0), Ownership: "BucketOwnerEnforced",
			Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::fuzz-b","arn:aws:s3:::fuzz-b/*"]}]}`}
		if err := state.PutBucket(tx, b); err != nil {
			return err
		}
		w, err := blobs.Create()
		if err != nil {
			return err
		}
		_, _ = w.Write([]byte("0123456789"))
		id, err := w.Commit()
		if err != nil {
			return err
		}
		o := &model.Object{Bucket: "fuzz-b", Key: "k", Size: 10, ETag: `"781e5e245d69b566979b86e28d23f2c7"`, Owner: acctB, BlobID: id,
			LastModified: time.Unix(0, 0), ContentType: "text/plain"}
		if err := state.PutObject(tx, o); err != nil {
			return err
		}
		u := &model.Upload{ID: "0000000000000001" + strings.Repeat("ab", 16), Bucket: "fuzz-b", Key: "k", Owner: acctB, InitAcct: "anonymous"}
		return store.PutJSON(tx, state.Uploads, uploadKey(u.Bucket, u.Key, u.ID), u)
	})
	if err != nil {
		tb.Fatal(err)
	}
	s := server.New(env, func() time.Time { return time.Unix(1700000000, 0) })
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s.Register("s3", New())
	s.Register("s3control", s3controlapi.New())
	return s, env
}

// FuzzRoute sends arbitrary anonymous requests (method, target, headers,
// body) through the whole server: routing, header parsing, every operation.
// No request may panic, hang or end in a 500.
func FuzzRoute(f *testing.F) {
	f.Add("GET", "/fuzz-b/k", "Range: bytes=2-4\n", []byte(nil))
	f.Add("PUT", "/fuzz-b/new?partNumber=2&uploadId=0000000000000001abababababababababababababababab", "", []byte("part"))
	f.Add("PUT", "/fuzz-b/c", "x-amz-copy-source: fuzz-b/k\nx-amz-metadata-directive: REPLACE\n", []byte(nil))
	f.Add("POST", "/fuzz-b?delete", "Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\n", []byte("<Delete><Object><Key>k</Key></Object></Delete>"))
	f.Add("GET", "/fuzz-b?list-type=2&delimiter=/&max-keys=1&encoding-type=url", "", []byte(nil))
	f.Add("POST", "/fuzz-b/k?uploadId=0000000000000001abababababababababababababababab", "", []byte("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>"))
	f.Fuzz(func(t *testing.T, method, target, headers string, body []byte) {
		if len(target) == 0 || target[0] != '/' || len(target) > 4096 || len(headers) > 8192 || len(body) > 1<<16 {
			return
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+target, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.RequestURI = target
		req.RemoteAddr = "127.0.0.1:1234"
		sc := bufio.NewScanner(strings.NewReader(headers))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			k = strings.TrimSpace(k)
			if !ok || k == "" || strings.EqualFold(k, "Authorization") || !validHeaderName(k) {
				continue
			}
			req.Header.Add(k, strings.TrimSpace(v))
		}
		rec := httptest.NewRecorder()
		fuzzServer(t).ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented {
			t.Fatalf("%s %s with %q: %d %s", method, target, headers, rec.Code, rec.Body.String())
		}
	})
}

// validHeaderName reports whether k is an HTTP token.
func validHeaderName(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// FuzzContinuationToken: decodeToken never panics, accepts only tokens
// encodeToken made for the bucket, and round-trips them.
func FuzzContinuationToken(f *testing.F) {
	key := []byte("fuzz key")
	f.Add("bucket", "photos/", encodeToken(key, "bucket", "photos/"))
	f.Add("bucket", "", "AQ==")
	f.Add("b", "k", "!!!")
	f.Fuzz(func(t *testing.T, bucket, last, token string) {
		if got, e := decodeToken(key, bucket, token); e == nil && encodeToken(key, bucket, got) != token {
			t.Fatalf("accepted a token encodeToken would not make: %q", token)
		}
		// Bucket names have at most 63 bytes and no NUL; keys (and common
		// prefixes) at most 1,024 bytes.
		if strings.Contains(bucket, "\x00") || len(bucket) > 63 || len(last) > maxKeyLen {
			return
		}
		tok := encodeToken(key, bucket, last)
		if got, e := decodeToken(key, bucket, tok); e != nil || got != last {
			t.Fatalf("round trip of %q in %q: %q, %v", last, bucket, got, e)
		}
	})
}
