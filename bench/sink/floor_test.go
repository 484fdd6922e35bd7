package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func crc32Of(b []byte, tab *crc32.Table) string {
	var s [4]byte
	binary.BigEndian.PutUint32(s[:], crc32.Checksum(b, tab))
	return b64(s[:])
}

func TestFloorPut(t *testing.T) {
	body := []byte(strings.Repeat("floor ", 1000))
	other := []byte("something else")
	md5Sum := md5.Sum(body)
	shaSum := sha256.Sum256(body)
	sha1Sum := sha1.Sum(body)
	var c64 [8]byte
	binary.BigEndian.PutUint64(c64[:], crc64.Checksum(body, crc64NVME))
	wrongMD5 := md5.Sum(other)
	wrongSHA := sha256.Sum256(other)
	etag := `"` + hex.EncodeToString(md5Sum[:]) + `"`
	tests := []struct {
		name   string
		header map[string]string
		body   []byte
		status int
		code   string // S3 error code when status is not 200
	}{
		{name: "no headers", status: http.StatusOK},
		{name: "signed payload", header: map[string]string{"X-Amz-Content-Sha256": hex.EncodeToString(shaSum[:])}, status: http.StatusOK},
		{name: "unsigned payload", header: map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}, status: http.StatusOK},
		{name: "signed payload mismatch", header: map[string]string{"X-Amz-Content-Sha256": hex.EncodeToString(wrongSHA[:])}, status: http.StatusBadRequest, code: "XAmzContentSHA256Mismatch"},
		{name: "content sha256 not hex", header: map[string]string{"X-Amz-Content-Sha256": "zz"}, status: http.StatusBadRequest, code: "InvalidArgument"},
		{name: "content sha256 short", header: map[string]string{"X-Amz-Content-Sha256": "abcd"}, status: http.StatusBadRequest, code: "InvalidArgument"},
		{name: "aws-chunked refused", header: map[string]string{"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, status: http.StatusNotImplemented, code: "NotImplemented"},
		{name: "trailer refused", header: map[string]string{"X-Amz-Trailer": "x-amz-checksum-crc32"}, status: http.StatusNotImplemented, code: "NotImplemented"},
		{name: "content-md5", header: map[string]string{"Content-MD5": b64(md5Sum[:])}, status: http.StatusOK},
		{name: "content-md5 mismatch", header: map[string]string{"Content-MD5": b64(wrongMD5[:])}, status: http.StatusBadRequest, code: "BadDigest"},
		{name: "content-md5 malformed", header: map[string]string{"Content-MD5": "AAAA"}, status: http.StatusBadRequest, code: "InvalidDigest"},
		{name: "crc32", header: map[string]string{"X-Amz-Checksum-Crc32": crc32Of(body, crc32.IEEETable)}, status: http.StatusOK},
		{name: "crc32 mismatch", header: map[string]string{"X-Amz-Checksum-Crc32": crc32Of(other, crc32.IEEETable)}, status: http.StatusBadRequest, code: "BadDigest"},
		{name: "crc32 malformed", header: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAAAA"}, status: http.StatusBadRequest, code: "InvalidRequest"},
		{name: "crc32c", header: map[string]string{"X-Amz-Checksum-Crc32c": crc32Of(body, crc32.MakeTable(crc32.Castagnoli))}, status: http.StatusOK},
		{name: "crc64nvme", header: map[string]string{"X-Amz-Checksum-Crc64nvme": b64(c64[:])}, status: http.StatusOK},
		{name: "sha1", header: map[string]string{"X-Amz-Checksum-Sha1": b64(sha1Sum[:])}, status: http.StatusOK},
		{name: "sha256 checksum with signed payload", header: map[string]string{"X-Amz-Content-Sha256": hex.EncodeToString(shaSum[:]), "X-Amz-Checksum-Sha256": b64(shaSum[:])}, status: http.StatusOK},
		{name: "sha256 checksum mismatch", header: map[string]string{"X-Amz-Content-Sha256": hex.EncodeToString(shaSum[:]), "X-Amz-Checksum-Sha256": b64(wrongSHA[:])}, status: http.StatusBadRequest, code: "BadDigest"},
		{name: "two checksums", header: map[string]string{"X-Amz-Checksum-Crc32": crc32Of(body, crc32.IEEETable), "X-Amz-Checksum-Sha1": b64(sha1Sum[:])}, status: http.StatusBadRequest, code: "InvalidRequest"},
		{name: "too large", body: make([]byte, 1<<16+1), status: http.StatusBadRequest, code: "EntityTooLarge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHandler(1<<16, true)
			b := body
			if tt.body != nil {
				b = tt.body
			}
			req := httptest.NewRequest(http.MethodPut, "/b/k", bytes.NewReader(b))
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == http.StatusOK {
				if got := rec.Header().Get("ETag"); got != etag {
					t.Fatalf("ETag %s, want %s", got, etag)
				}
				for k, v := range tt.header {
					if strings.HasPrefix(k, "X-Amz-Checksum-") && rec.Header().Get(k) != v {
						t.Fatalf("response %s = %q, want it echoed as %q", k, rec.Header().Get(k), v)
					}
				}
				return
			}
			if want := "<Code>" + tt.code + "</Code>"; !strings.Contains(rec.Body.String(), want) {
				t.Fatalf("body %s lacks %s", rec.Body, want)
			}
			h.mu.Lock()
			_, stored := h.sizes["b/k"]
			h.mu.Unlock()
			if stored {
				t.Fatal("a refused PUT was remembered")
			}
		})
	}
}

// TestFloorShortBody checks that a body ending before its Content-Length
// is refused rather than hashed as if whole.
func TestFloorShortBody(t *testing.T) {
	h := newHandler(1<<20, true)
	req := httptest.NewRequest(http.MethodPut, "/b/k", io.MultiReader(strings.NewReader("abc"), errReader{}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "IncompleteBody") {
		t.Fatalf("status %d body %s, want 400 IncompleteBody", rec.Code, rec.Body)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// TestCRC64NVME checks the table against the algorithm's published check
// value (the CRC of "123456789").
func TestCRC64NVME(t *testing.T) {
	if got := crc64.Checksum([]byte("123456789"), crc64NVME); got != 0xae8b14860a799888 {
		t.Fatalf("CRC-64/NVME check value %#x, want 0xae8b14860a799888", got)
	}
}

// TestSDKRequestShape runs aws-sdk-go-v2's S3 client, configured as
// bench/loadgen configures it, against the floor over plain HTTP on
// 127.0.0.1, and checks both what the SDK sends (a hex SHA-256 of the
// payload and an x-amz-checksum-crc32 header, not an aws-chunked body: the
// floor relies on it) and that the floor answers it with the body's MD5 as
// ETag.
func TestSDKRequestShape(t *testing.T) {
	floor := newHandler(1<<20, true)
	var mu sync.Mutex
	var seen http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && strings.Count(r.URL.Path, "/") > 1 {
			mu.Lock()
			seen = r.Header.Clone()
			mu.Unlock()
		}
		floor.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client := s3.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.UsePathStyle = true
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenSupported
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenSupported
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	body := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 100000)
	ctx := context.Background()
	out, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("b"), Key: aws.String("k"),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))),
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(body)
	if want := `"` + hex.EncodeToString(sum[:]) + `"`; aws.ToString(out.ETag) != want {
		t.Fatalf("ETag %s, want %s", aws.ToString(out.ETag), want)
	}
	mu.Lock()
	defer mu.Unlock()
	shaSum := sha256.Sum256(body)
	if got := seen.Get("X-Amz-Content-Sha256"); got != hex.EncodeToString(shaSum[:]) {
		t.Errorf("SDK sent x-amz-content-sha256 %q, want the payload's hex SHA-256", got)
	}
	if got := seen.Get("X-Amz-Checksum-Crc32"); got != crc32Of(body, crc32.IEEETable) {
		t.Errorf("SDK sent x-amz-checksum-crc32 %q, want the payload's CRC-32", got)
	}
	if got := seen.Get("Content-Encoding") + seen.Get("X-Amz-Trailer"); got != "" {
		t.Errorf("SDK sent an aws-chunked body (%q) over plain HTTP", got)
	}
	g, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Body.Close()
	n, err := io.Copy(io.Discard, g.Body)
	if err != nil || n != int64(len(body)) {
		t.Fatalf("GET: %d bytes, %v; want %d", n, err, len(body))
	}
}
