package sigv4

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// decode runs body through the aws-chunked decoder with headers h.
func decode(h http.Header, body []byte, signer *chunkSigner, trailer bool) ([]byte, error) {
	rc, err := newChunkedReader(h, io.NopCloser(bytes.NewReader(body)), signer, trailer)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(rc)
}

func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// Every way of altering a signed chunked body must break the chain or the
// framing, with the error S3 gives.
func TestSignedChunksRejectTampering(t *testing.T) {
	e := streamingExamples[0]
	sigs := e.chunkSigs
	good := e.body()
	chunk := func(data []byte, sig string) string {
		return strconv.FormatInt(int64(len(data)), 16) + ";chunk-signature=" + sig + "\r\n" + string(data) + "\r\n"
	}
	final := "0;chunk-signature=" + sigs[2] + "\r\n\r\n"
	a64, a1 := exampleData[:65536], exampleData[65536:]
	tests := []struct {
		name, body, wantCode string
		decodedLength        string
	}{
		{"untouched", good, "", "66560"},
		{"a data byte changed", strings.Replace(good, "a\r\n400;", "b\r\n400;", 1), "SignatureDoesNotMatch", "66560"},
		{"a chunk signature changed", strings.Replace(good, sigs[1], strings.Repeat("0", 64), 1), "SignatureDoesNotMatch", "66560"},
		{"a chunk signature missing", strings.Replace(good, "400;chunk-signature="+sigs[1], "400", 1), "SignatureDoesNotMatch", "66560"},
		{"the final chunk's signature changed", strings.Replace(good, sigs[2], sigs[1], 1), "SignatureDoesNotMatch", "66560"},
		{"chunks reordered", chunk(a1, sigs[1]) + chunk(a64, sigs[0]) + final, "SignatureDoesNotMatch", "66560"},
		{"a chunk dropped", chunk(a64, sigs[0]) + final, "SignatureDoesNotMatch", "65536"},
		{"a chunk replaced", chunk(a64, sigs[0]) + chunk(a64, sigs[1]) + final, "SignatureDoesNotMatch", "131072"},
		{"a short chunk followed by more", chunk(a64, sigs[0]) + chunk(a1, sigs[1]) + chunk([]byte("a"), sigs[2]) + final, "InvalidChunkSizeError", "66561"},
		{"cut short at a chunk boundary", chunk(a64, sigs[0]), "IncompleteBody", "66560"},
		{"cut short inside a chunk", good[:1000], "IncompleteBody", "66560"},
		{"cut short before the last CRLF", strings.TrimSuffix(good, "\r\n"), "IncompleteBody", "66560"},
		{"bytes after the end", good + "x", "IncompleteBody", "66560"},
		{"decoded length larger than sent", good, "IncompleteBody", "66561"},
		{"decoded length smaller than sent", good, "IncompleteBody", "66559"},
		{"chunk shorter than announced", strings.Replace(good, "10000;", "fff0;", 1), "IncompleteBody", "66560"},
		{"bare LF after a chunk header", strings.Replace(good, sigs[0]+"\r\n", sigs[0]+"\n", 1), "IncompleteBody", "66560"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := headers("X-Amz-Decoded-Content-Length", tc.decodedLength)
			got, err := decode(h, []byte(tc.body), e.signer(), false)
			if awsCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want code %q", err, tc.wantCode)
			}
			if err == nil && !bytes.Equal(got, exampleData) {
				t.Fatalf("decoded %d bytes", len(got))
			}
			if tc.wantCode == "SignatureDoesNotMatch" && field(err, "StringToSign") != "" &&
				!strings.HasPrefix(field(err, "StringToSign"), "AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n") {
				t.Errorf("chunk StringToSign = %q", field(err, "StringToSign"))
			}
		})
	}
}

func TestSignedTrailerRejectsTampering(t *testing.T) {
	e := streamingExamples[1]
	good := e.body()
	s := e.signer()
	// A correctly signed trailer carrying a wrong checksum.
	resigned := string(encodeChunks(exampleData, 65536, s, true, "x-amz-checksum-crc32c:AAAAAA=="))
	tests := []struct{ name, body, wantCode string }{
		{"untouched", good, ""},
		{"the checksum changed", strings.Replace(good, "sOO8/Q==", "AAAAAA==", 1), "SignatureDoesNotMatch"},
		{"a wrong checksum, correctly signed", resigned, "BadDigest"},
		{"a trailer added", strings.Replace(good, e.trailer+"\r\n", e.trailer+"\r\nx-amz-meta-extra:1\r\n", 1), "SignatureDoesNotMatch"},
		{"the trailer dropped", strings.Replace(good, e.trailer+"\r\n", "", 1), "SignatureDoesNotMatch"},
		{"the trailer signature changed", strings.Replace(good, e.trailerSig, e.seed, 1), "SignatureDoesNotMatch"},
		{"the trailer signature missing", strings.Replace(good, "x-amz-trailer-signature:"+e.trailerSig+"\r\n", "", 1), "SignatureDoesNotMatch"},
		{"a trailer after the signature", strings.Replace(good, e.trailerSig+"\r\n", e.trailerSig+"\r\nx-amz-meta-late:1\r\n", 1), "MalformedTrailerError"},
		{"a trailer line without colon", strings.Replace(good, e.trailer, "x-amz-checksum-crc32c sOO8/Q==", 1), "MalformedTrailerError"},
		{"cut short in the trailers", good[:len(good)-40], "IncompleteBody"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := headers("X-Amz-Decoded-Content-Length", "66560", "X-Amz-Trailer", "x-amz-checksum-crc32c")
			_, err := decode(h, []byte(tc.body), e.signer(), true)
			if awsCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want code %q", err, tc.wantCode)
			}
		})
	}
}

// A signed upload's chunks but the last must be at least 8 KiB.
func TestSignedChunkMinimumSize(t *testing.T) {
	e := streamingExamples[0]
	data := bytes.Repeat([]byte("z"), 3*8192)
	tests := []struct {
		name     string
		size     int
		wantCode string
		badChunk string
	}{
		{"8 KiB chunks", 8192, "", ""},
		{"one chunk", len(data), "", ""},
		{"8 KiB then a short last chunk", 8192 + 8191, "", ""},
		{"1 KiB chunks", 1024, "InvalidChunkSizeError", "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := encodeChunks(data, tc.size, e.signer(), false)
			h := headers("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)))
			got, err := decode(h, body, e.signer(), false)
			if awsCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want %q", err, tc.wantCode)
			}
			if err == nil && !bytes.Equal(got, data) {
				t.Fatal("decoded bytes differ")
			}
			if tc.badChunk != "" && (field(err, "Chunk") != tc.badChunk || field(err, "BadChunkSize") != "1024") {
				t.Errorf("fields: %+v", err)
			}
		})
	}
}

// Unsigned chunks with a trailing checksum, as aws-sdk-go-v2 sends them over
// HTTPS, with each algorithm S3 supports.
func TestUnsignedTrailerChecksums(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 10000)
	for _, a := range FlexibleChecksums {
		t.Run(string(a), func(t *testing.T) {
			sum := NewChecksums(a)
			sum.Write(data)
			name := a.Header()
			for _, size := range []int{len(data), 65536, 100} {
				body := encodeChunks(data, size, nil, true, name+":"+sum.Sum(a))
				h := headers("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)), "X-Amz-Trailer", name)
				got, err := decode(h, body, nil, true)
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("chunk size %d: %d bytes, %v", size, len(got), err)
				}
			}
			// A checksum of other bytes.
			other := NewChecksums(a)
			other.Write([]byte("other"))
			body := encodeChunks(data, 65536, nil, true, name+":"+other.Sum(a))
			_, err := decode(headers("X-Amz-Trailer", name), body, nil, true)
			if awsCode(err) != "BadDigest" || !strings.Contains(err.Error(), "The "+string(a)+" you specified did not match the calculated checksum.") {
				t.Fatalf("wrong checksum: %v", err)
			}
		})
	}
}

func TestUnsignedTrailerErrors(t *testing.T) {
	data := []byte("hello, world")
	sum := NewChecksums(CRC32)
	sum.Write(data)
	good := "x-amz-checksum-crc32:" + sum.Sum(CRC32)
	tests := []struct {
		name     string
		h        http.Header
		body     string
		wantCode string
		wantMsg  string
	}{
		{"good", headers("X-Amz-Trailer", "x-amz-checksum-crc32"), string(encodeChunks(data, 64, nil, true, good)), "", ""},
		{"no decoded length is allowed", headers("X-Amz-Trailer", "x-amz-checksum-crc32"), string(encodeChunks(data, 64, nil, true, good)), "", ""},
		{"no trailer at all", headers(), string(encodeChunks(data, 64, nil, true)), "", ""},
		{"trailer name in another case", headers("X-Amz-Trailer", "X-Amz-Checksum-CRC32"), string(encodeChunks(data, 64, nil, true, "X-Amz-Checksum-Crc32:"+sum.Sum(CRC32))), "", ""},
		{"announced trailer missing", headers("X-Amz-Trailer", "x-amz-checksum-crc32"), string(encodeChunks(data, 64, nil, true)), "MalformedTrailerError", ""},
		{"trailer not announced", headers(), string(encodeChunks(data, 64, nil, true, good)), "MalformedTrailerError", ""},
		{"another trailer than announced", headers("X-Amz-Trailer", "x-amz-checksum-crc32c"), string(encodeChunks(data, 64, nil, true, good)), "MalformedTrailerError", ""},
		{"trailer repeated", headers("X-Amz-Trailer", "x-amz-checksum-crc32"), string(encodeChunks(data, 64, nil, true, good, good)), "MalformedTrailerError", ""},
		{"trailer value not base64", headers("X-Amz-Trailer", "x-amz-checksum-crc32"), string(encodeChunks(data, 64, nil, true, "x-amz-checksum-crc32:!!")), "InvalidRequest", "Value for x-amz-checksum-crc32 trailing header is invalid."},
		{"trailer value of the wrong size", headers("X-Amz-Trailer", "x-amz-checksum-crc32"), string(encodeChunks(data, 64, nil, true, "x-amz-checksum-crc32:AAAAAAAAAAA=")), "InvalidRequest", "Value for x-amz-checksum-crc32 trailing header is invalid."},
		{"unsupported x-amz-trailer", headers("X-Amz-Trailer", "x-amz-meta-foo"), string(encodeChunks(data, 64, nil, true)), "InvalidRequest", "The value specified in the x-amz-trailer header is not supported"},
		{"two checksums in x-amz-trailer", headers("X-Amz-Trailer", "x-amz-checksum-crc32,x-amz-checksum-sha1"), string(encodeChunks(data, 64, nil, true)), "InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."},
		{"decoded length not a number", headers("X-Amz-Decoded-Content-Length", "abc"), string(encodeChunks(data, 64, nil, true)), "MissingContentLength", "You must provide the Content-Length HTTP header."},
		{"decoded length negative", headers("X-Amz-Decoded-Content-Length", "-1"), string(encodeChunks(data, 64, nil, true)), "MissingContentLength", ""},
		{"chunk size not hex", headers(), "xyz\r\nhello\r\n0\r\n\r\n", "IncompleteBody", ""},
		{"chunk size too long", headers(), "00000000000000005\r\nhello\r\n0\r\n\r\n", "IncompleteBody", ""},
		{"chunk size beyond int64", headers(), "ffffffffffffffff\r\nhello\r\n0\r\n\r\n", "IncompleteBody", ""},
		{"empty body", headers(), "", "IncompleteBody", ""},
		{"chunk line too long", headers(), "5;" + strings.Repeat("x", maxChunkLine) + "\r\nhello\r\n0\r\n\r\n", "IncompleteBody", ""},
		{"chunk line longer than the buffer", headers(), "5;" + strings.Repeat("x", 2*chunkBufferSize), "IncompleteBody", ""},
		{"too many trailers", headers(), "0\r\n" + strings.Repeat("x-amz-meta-a:b\r\n", maxTrailers+1) + "\r\n", "MalformedTrailerError", ""},
		{"trailer line too long", headers(), "0\r\nx-amz-meta-a:" + strings.Repeat("b", maxTrailerLine) + "\r\n\r\n", "MalformedTrailerError", ""},
		{"extensions ignored when unsigned", headers(), "5;chunk-signature=whatever\r\nhello\r\n0\r\n\r\n", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode(tc.h, []byte(tc.body), nil, true)
			if awsCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want code %q", err, tc.wantCode)
			}
			if tc.wantMsg != "" && !strings.HasSuffix(err.Error(), tc.wantMsg) {
				t.Errorf("message %q, want %q", err.Error(), tc.wantMsg)
			}
		})
	}
}

// Reads of every size, including one byte at a time, decode the same bytes.
func TestChunkedReaderReadSizes(t *testing.T) {
	e := streamingExamples[1]
	h := headers("X-Amz-Decoded-Content-Length", "66560", "X-Amz-Trailer", "x-amz-checksum-crc32c")
	for _, wrap := range []struct {
		name string
		fn   func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
		{"data errors", iotest.DataErrReader},
	} {
		t.Run(wrap.name, func(t *testing.T) {
			rc, err := newChunkedReader(h, io.NopCloser(wrap.fn(strings.NewReader(e.body()))), e.signer(), true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(iotest.OneByteReader(rc))
			if err != nil || !bytes.Equal(got, exampleData) {
				t.Fatalf("%d bytes, %v", len(got), err)
			}
			// The error is sticky: EOF again.
			if n, err := rc.Read(make([]byte, 1)); n != 0 || err != io.EOF {
				t.Fatalf("after EOF: %d, %v", n, err)
			}
		})
	}
}

// A transport error other than EOF reaches the caller unchanged.
func TestChunkedReaderPassesTransportErrors(t *testing.T) {
	boom := errors.New("connection reset")
	rc, err := newChunkedReader(headers(), io.NopCloser(iotest.ErrReader(boom)), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rc); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestSignedChunksNeedDecodedLength(t *testing.T) {
	e := streamingExamples[0]
	_, err := decode(headers(), []byte(e.body()), e.signer(), false)
	if awsCode(err) != "MissingContentLength" {
		t.Fatalf("err = %v", err)
	}
}

func TestAnonymousBody(t *testing.T) {
	data := []byte("public upload")
	sum := NewChecksums(SHA256, CRC32)
	sum.Write(data)
	hexSum := hexOf(data)
	tests := []struct {
		name     string
		h        http.Header
		body     string
		wantCode string
		wantBody string
	}{
		{"no header", headers(), string(data), "", string(data)},
		{"UNSIGNED-PAYLOAD", headers("X-Amz-Content-Sha256", UnsignedPayload), string(data), "", string(data)},
		{"hash", headers("X-Amz-Content-Sha256", hexSum), string(data), "", string(data)},
		{"wrong hash", headers("X-Amz-Content-Sha256", EmptySHA256), string(data), "XAmzContentSHA256Mismatch", ""},
		{"unsigned trailer", headers("X-Amz-Content-Sha256", StreamingUnsignedPayloadTrailer, "X-Amz-Trailer", "x-amz-checksum-crc32"),
			string(encodeChunks(data, 64, nil, true, "x-amz-checksum-crc32:"+sum.Sum(CRC32))), "", string(data)},
		{"signed chunks", headers("X-Amz-Content-Sha256", StreamingSignedPayload), "", "InvalidRequest", ""},
		{"signed chunks with trailer", headers("X-Amz-Content-Sha256", StreamingSignedPayloadTrailer), "", "InvalidRequest", ""},
		{"garbage", headers("X-Amz-Content-Sha256", "nope"), "", "InvalidArgument", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest("PUT", "http://127.0.0.1/b/k", strings.NewReader(tc.body))
			r.Header = tc.h
			rc, err := AnonymousBody(r)
			var got []byte
			if err == nil {
				got, err = io.ReadAll(rc)
			}
			if awsCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want %q", err, tc.wantCode)
			}
			if err == nil && string(got) != tc.wantBody {
				t.Fatalf("body %q", got)
			}
		})
	}
}

func TestHashReader(t *testing.T) {
	data := []byte("Welcome to Amazon S3.")
	t.Run("mismatch names both hashes", func(t *testing.T) {
		_, err := io.ReadAll(newHashReader(io.NopCloser(bytes.NewReader(data)), EmptySHA256))
		if awsCode(err) != "XAmzContentSHA256Mismatch" || field(err, "ClientComputedContentSHA256") != EmptySHA256 ||
			field(err, "S3ComputedContentSHA256") != hexOf(data) {
			t.Fatalf("%v %+v", err, err)
		}
	})
	t.Run("uppercase hex accepted", func(t *testing.T) {
		_, err := io.ReadAll(newHashReader(io.NopCloser(bytes.NewReader(data)), strings.ToUpper(hexOf(data))))
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("truncated body", func(t *testing.T) {
		_, err := io.ReadAll(newHashReader(io.NopCloser(iotest.ErrReader(io.ErrUnexpectedEOF)), hexOf(data)))
		if awsCode(err) != "IncompleteBody" {
			t.Fatal(err)
		}
	})
}

func hexOf(b []byte) string {
	c := NewChecksums(SHA256)
	c.Write(b)
	raw, _ := base64.StdEncoding.DecodeString(c.Sum(SHA256))
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 64)
	for _, x := range raw {
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}
