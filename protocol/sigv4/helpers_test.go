package sigv4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// awsCode returns err's AWS error code, "" for nil, and a marker for any
// other error so that a test fails visibly.
func awsCode(err error) string {
	if err == nil {
		return ""
	}
	var e *awserr.Error
	if !errors.As(err, &e) {
		return "<not awserr: " + err.Error() + ">"
	}
	return e.Code
}

// awsErr returns err as an *awserr.Error, or nil.
func awsErr(err error) *awserr.Error {
	var e *awserr.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// field returns the value of an S3 error body element.
func field(err error, name string) string {
	var e *awserr.Error
	if !errors.As(err, &e) {
		return ""
	}
	for _, f := range e.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// encodeChunks frames data as aws-chunked with chunks of at most size bytes.
// With signer it signs every chunk (and, with trailer, the trailer section),
// chaining from signer.prev, which it leaves untouched. trailers are
// "name:value" lines in order.
func encodeChunks(data []byte, size int, signer *chunkSigner, trailer bool, trailers ...string) []byte {
	var cs chunkSigner
	if signer != nil {
		cs = *signer
	}
	var b []byte
	sign := func(sts string) string {
		sig := hexHMAC(cs.key, sts)
		cs.prev = sig
		return sig
	}
	writeChunk := func(p []byte) {
		b = strconv.AppendInt(b, int64(len(p)), 16)
		if signer != nil {
			sum := sha256.Sum256(p)
			b = append(b, ";chunk-signature="...)
			b = append(b, sign(cs.chunkStringToSign(hex.EncodeToString(sum[:])))...)
		}
		b = append(b, "\r\n"...)
		if len(p) > 0 {
			b = append(b, p...)
			b = append(b, "\r\n"...)
		}
	}
	for len(data) > 0 {
		n := min(size, len(data))
		writeChunk(data[:n])
		data = data[n:]
	}
	writeChunk(nil)
	if trailer {
		var canon strings.Builder
		for _, t := range trailers {
			b = append(b, t+"\r\n"...)
			canon.WriteString(t + "\n")
		}
		if signer != nil {
			sum := sha256.Sum256([]byte(canon.String()))
			b = append(b, "x-amz-trailer-signature:"+sign(cs.trailerStringToSign(hex.EncodeToString(sum[:])))+"\r\n"...)
		}
	}
	return append(b, "\r\n"...)
}

// serverRequest parses raw HTTP the way Go's server does, so that tests see
// what a handler sees (RequestURI verbatim, Host moved out of the header).
func serverRequest(t testing.TB, raw string) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("ReadRequest: %v", err)
	}
	return r
}

// overTheWire serializes a client request and parses it back as a server
// would.
func overTheWire(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		t.Fatalf("Write: %v", err)
	}
	r, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("ReadRequest: %v", err)
	}
	return r
}

func mustTime(t testing.TB, v string) time.Time {
	t.Helper()
	tm, err := time.Parse(TimeFormat, v)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
