package sigv4

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// benchGET returns an SDK-signed S3 GET with a session token (host,
// x-amz-content-sha256, x-amz-date and x-amz-security-token signed) as a
// server receives it.
func benchGET(b *testing.B) *http.Request {
	req, _ := http.NewRequest("GET", "http://127.0.0.1:9000/bucket/photos/2024/a%20b.jpg?versionId=3", nil)
	req.Header.Set("X-Amz-Content-Sha256", EmptySHA256)
	if err := v4.NewSigner().SignHTTP(context.Background(), sdkSession, req, EmptySHA256, "s3", "us-east-1", sdkTime,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
		b.Fatal(err)
	}
	return overTheWire(b, req)
}

// benchPresigned returns an SDK-presigned S3 GET URL with a session token
// (seven X-Amz-* query parameters, host signed) as a server receives it.
func benchPresigned(b *testing.B) *http.Request {
	req, _ := http.NewRequest("GET", "http://127.0.0.1:9000/bucket/photos/2024/a%20b.jpg?X-Amz-Expires=3600&response-content-type=image%2Fjpeg", nil)
	uri, _, err := v4.NewSigner().PresignHTTP(context.Background(), sdkSession, req, UnsignedPayload, "s3", "us-east-1", sdkTime,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		b.Fatal(err)
	}
	out, _ := http.NewRequest("GET", uri, nil)
	return overTheWire(b, out)
}

// BenchmarkVerifyGET and BenchmarkVerifyPresigned measure Verify alone (the
// request parsed once) on a header-signed GET and on a presigned URL. The
// "legacy" sub-benchmark runs the frozen pre-optimization path of
// legacy_test.go (no signing-key cache, canonical request built from
// intermediate strings) in the same binary, for a before/after comparison;
// "uncached" is the current Verify with a signing-key cache that keeps
// nothing (every request derives its key); "cached" is the current Verify.
func BenchmarkVerifyGET(b *testing.B)       { benchVerify(b, benchGET(b)) }
func BenchmarkVerifyPresigned(b *testing.B) { benchVerify(b, benchPresigned(b)) }

func benchVerify(b *testing.B, r *http.Request) {
	s, err := Parse(r)
	if err != nil {
		b.Fatal(err)
	}
	now := sdkTime.Add(time.Second)
	for _, c := range []struct {
		name   string
		cache  *keyCache
		verify func(*Signature, *http.Request, string, time.Time) error
	}{
		{"legacy", nil, (*Signature).legacyVerify},
		{"uncached", newKeyCache(0), (*Signature).Verify},
		{"cached", newKeyCache(maxSigningKeys), (*Signature).Verify},
	} {
		b.Run(c.name, func(b *testing.B) {
			if c.cache != nil {
				saved := signingKeys
				signingKeys = c.cache
				b.Cleanup(func() { signingKeys = saved })
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := c.verify(s, r, sdkSession.SecretAccessKey, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseVerifyGET measures Parse and Verify together, as the server
// runs them for every request.
func BenchmarkParseVerifyGET(b *testing.B) {
	r := benchGET(b)
	now := sdkTime.Add(time.Second)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Verify(r, sdkSession.SecretAccessKey, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyHeader measures Parse and Verify of a typical SDK-signed S3
// PUT (seven signed headers, a query, a session token).
func BenchmarkVerifyHeader(b *testing.B) {
	req, _ := http.NewRequest("PUT", "http://127.0.0.1:9000/bucket/photos/2024/a%20b.jpg?tagging=&versionId=3", bytes.NewReader([]byte("x")))
	req.Header.Set("Content-Type", "image/jpeg")
	req.Header.Set("X-Amz-Meta-Owner", "alice")
	req.Header.Set("X-Amz-Storage-Class", "STANDARD_IA")
	req.Header.Set("X-Amz-Content-Sha256", sha256Hex("x"))
	if err := v4.NewSigner().SignHTTP(context.Background(), sdkSession, req, sha256Hex("x"), "s3", "us-east-1", sdkTime,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
		b.Fatal(err)
	}
	r := overTheWire(b, req)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Verify(r, sdkSession.SecretAccessKey, sdkTime); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChunkedDecode measures decoding 1 MiB of aws-chunked data in
// 64 KiB chunks: signed (a SHA-256 and an HMAC per chunk), signed with a
// CRC64NVME trailer, and unsigned with a CRC32 trailer.
func BenchmarkChunkedDecode(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	sums := NewChecksums(CRC32, CRC64NVME)
	sums.Write(data)
	e := streamingExamples[0]
	cases := []struct {
		name    string
		signer  *chunkSigner
		trailer string
	}{
		{"signed", e.signer(), ""},
		{"signed-trailer-crc64nvme", e.signer(), "x-amz-checksum-crc64nvme:" + sums.Sum(CRC64NVME)},
		{"unsigned-trailer-crc32", nil, "x-amz-checksum-crc32:" + sums.Sum(CRC32)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			withTrailer := c.signer == nil || c.trailer != ""
			var trailers []string
			h := http.Header{"X-Amz-Decoded-Content-Length": {strconv.Itoa(len(data))}}
			if c.trailer != "" {
				trailers = []string{c.trailer}
				name, _, _ := bytes.Cut([]byte(c.trailer), []byte(":"))
				h.Set("X-Amz-Trailer", string(name))
			}
			body := encodeChunks(data, 64<<10, c.signer, withTrailer, trailers...)
			src := bytes.NewReader(body)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				src.Reset(body)
				var signer *chunkSigner
				if c.signer != nil {
					signer = e.signer()
				}
				rc, err := newChunkedReader(h, io.NopCloser(src), signer, withTrailer)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, rc); err != nil || n != int64(len(data)) {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// BenchmarkCRC64NVME measures the slicing-by-8 CRC.
func BenchmarkCRC64NVME(b *testing.B) {
	data := make([]byte, 1<<20)
	h := NewCRC64NVME()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		h.Reset()
		h.Write(data)
	}
}
