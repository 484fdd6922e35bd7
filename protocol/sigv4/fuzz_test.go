package sigv4

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the parsers. Their seed corpora live in
// testdata/fuzz/FuzzXxx/ and are generated from the seeds below; run
// `go test -run TestFuzzSeeds -update` after changing them.

var fuzzNow = time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC)

// fuzzRequest is the S3 documentation's GET object as a server sees it.
func fuzzRequest(rawQuery string) *http.Request {
	u := &url.URL{Path: "/test.txt", RawQuery: rawQuery}
	uri := "/test.txt"
	if rawQuery != "" {
		uri += "?" + rawQuery
	}
	return &http.Request{Method: "GET", URL: u, RequestURI: uri, Host: "examplebucket.s3.amazonaws.com",
		Header: http.Header{}, Body: http.NoBody}
}

// checkOutcome fails unless err is nil or an *awserr.Error with a status.
func checkOutcome(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	e := awsErr(err)
	if e == nil || e.Code == "" || e.Status < 400 || e.Status > 599 {
		t.Fatalf("%s: not an AWS error: %#v", what, err)
	}
}

var authorizationSeeds = [][3]string{
	{exampleAuth + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", exampleTime, EmptySHA256},
	{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000", exampleTime, StreamingSignedPayload},
	{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/iam/aws4_request,SignedHeaders=host,Signature=ab", "Fri, 24 May 2013 00:00:00 GMT", ""},
	{"AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=;, Signature=", exampleTime, UnsignedPayload},
	{"AWS4-HMAC-SHA256 ,,,=,Credential==", "", "x"},
	{"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", exampleTime, ""},
	{"AWS4-ECDSA-P256-SHA256 Credential=AKID/20130524/s3/aws4_request", exampleTime, ""},
}

func FuzzParseAuthorization(f *testing.F) {
	for _, s := range authorizationSeeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, auth, amzDate, payloadHash string) {
		r := fuzzRequest("")
		r.Header.Set("Authorization", auth)
		r.Header.Set("Range", "bytes=0-9")
		if amzDate != "" {
			r.Header.Set("X-Amz-Date", amzDate)
			r.Header.Set("Date", amzDate)
		}
		if payloadHash != "" {
			r.Header.Set("X-Amz-Content-Sha256", payloadHash)
		}
		s, err := Parse(r)
		checkOutcome(t, "Parse", err)
		if err != nil || s == nil {
			return
		}
		if s.AccessKeyID == "" || strings.Count(s.Scope, "/") != 3 || len(s.SignedHeaders) == 0 || s.Presigned {
			t.Fatalf("accepted an incomplete signature: %+v", s)
		}
		err = s.Verify(r, exampleSecret, fuzzNow)
		checkOutcome(t, "Verify", err)
		if err == nil {
			body, err := s.Body(r, exampleSecret)
			checkOutcome(t, "Body", err)
			if err == nil {
				_, err = io.ReadAll(body)
				checkOutcome(t, "Read", err)
			}
		}
	})
}

var presignedSeeds = [][2]string{
	{"/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"},
	{"/a%20b/c+d", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20130524%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=00&Action=GetCallerIdentity"},
	{"//x/../y", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a/20130524/r/s3/aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=-1&X-Amz-SignedHeaders=&X-Amz-Signature=x&X-Amz-Security-Token=t"},
	{"/", "X-Amz-Signature=&&=&%zz=%41&X-Amz-Expires=99999999999999999999&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD"},
	{"/k", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D"},
}

func FuzzParsePresigned(f *testing.F) {
	for _, s := range presignedSeeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, path, rawQuery string) {
		r := fuzzRequest(rawQuery)
		r.URL.Path = path
		r.RequestURI = path
		if rawQuery != "" {
			r.RequestURI += "?" + rawQuery
		}
		s, err := Parse(r)
		checkOutcome(t, "Parse", err)
		if err != nil || s == nil {
			return
		}
		if !s.Presigned || s.Expires < 0 || s.Expires > MaxPresignedExpires || s.AccessKeyID == "" {
			t.Fatalf("accepted %+v", s)
		}
		err = s.Verify(r, exampleSecret, fuzzNow)
		checkOutcome(t, "Verify", err)
	})
}

// chunkSeed is one input of FuzzChunkedDecoder: mode 0 is unsigned with
// trailer, 1 signed, 2 signed with trailer; a negative decodedLength omits
// x-amz-decoded-content-length.
type chunkSeed struct {
	body          []byte
	mode          int
	decodedLength int64
	trailer       string
}

func chunkSeeds() []chunkSeed {
	small := bytes.Repeat([]byte("0123456789"), 30) // one chunk: no minimum applies
	sums := NewChecksums(CRC32, CRC64NVME)
	sums.Write(small)
	e := streamingExamples[0]
	return []chunkSeed{
		{encodeChunks(small, 64, nil, true, "x-amz-checksum-crc32:"+sums.Sum(CRC32)), 0, int64(len(small)), "x-amz-checksum-crc32"},
		{encodeChunks(small, len(small), nil, true), 0, -1, ""},
		{encodeChunks(small, len(small), e.signer(), false), 1, int64(len(small)), ""},
		{encodeChunks(small, len(small), e.signer(), true, "x-amz-checksum-crc64nvme:"+sums.Sum(CRC64NVME)), 2, int64(len(small)), "x-amz-checksum-crc64nvme"},
		{[]byte("5\r\nhello\r\n0\r\nx-amz-checksum-sha1:AAAA\r\n\r\n"), 0, 5, "x-amz-checksum-sha1"},
		{[]byte("ffffffffffffffff;chunk-signature=\r\n\r\n"), 1, 10, ""},
		{[]byte("0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\nx-amz-trailer-signature:00\r\n\r\n"), 2, 0, ""},
		{[]byte("\r\n\r\n\n\n0"), 0, 0, ""},
	}
}

func FuzzChunkedDecoder(f *testing.F) {
	for _, s := range chunkSeeds() {
		f.Add(s.body, s.mode, s.decodedLength, s.trailer)
	}
	f.Fuzz(func(t *testing.T, body []byte, mode int, decodedLength int64, trailer string) {
		h := http.Header{}
		if decodedLength >= 0 {
			h.Set("X-Amz-Decoded-Content-Length", strconv.FormatInt(decodedLength, 10))
		}
		if trailer != "" {
			h.Set("X-Amz-Trailer", trailer)
		}
		var signer *chunkSigner
		withTrailer := true
		switch mode & 3 {
		case 1:
			signer, withTrailer = streamingExamples[0].signer(), false
		case 2:
			signer = streamingExamples[0].signer()
		}
		rc, err := newChunkedReader(h, io.NopCloser(bytes.NewReader(body)), signer, withTrailer)
		checkOutcome(t, "newChunkedReader", err)
		if err != nil {
			return
		}
		out, err := io.ReadAll(rc)
		checkOutcome(t, "Read", err)
		if len(out) > len(body) {
			t.Fatalf("decoded %d bytes out of %d", len(out), len(body))
		}
		if err != nil {
			return
		}
		if decodedLength >= 0 && int64(len(out)) != decodedLength {
			t.Fatalf("accepted %d bytes, x-amz-decoded-content-length %d", len(out), decodedLength)
		}
		// Success means well-formed framing: the body ends the encoding.
		if !bytes.HasSuffix(body, []byte("\r\n\r\n")) && !bytes.HasSuffix(body, []byte("\r\n")) {
			t.Fatalf("accepted a body without its final CRLF: %q", body)
		}
	})
}

var checksumSeeds = [][3]string{
	{"x-amz-checksum-crc32", "1B2M2Y8AsgTpgAmY7PhCfg==", "CRC32"},
	{"x-amz-checksum-crc64nvme", "AAAAAAAAAAA=", ""},
	{"x-amz-checksum-sha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "sha256"},
	{"x-amz-checksum-xxhash", "!!", "md4"},
	{"content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==", ""},
}

// FuzzChecksumsFromHeader feeds one integrity header (name and value) and an
// x-amz-sdk-checksum-algorithm to ChecksumsFromHeader.
func FuzzChecksumsFromHeader(f *testing.F) {
	for _, s := range checksumSeeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, name, value, sdkAlgorithm string) {
		h := http.Header{}
		h[name] = []string{value}
		if sdkAlgorithm != "" {
			h.Set("X-Amz-Sdk-Checksum-Algorithm", sdkAlgorithm)
		}
		c, err := ChecksumsFromHeader(h, MD5)
		checkOutcome(t, "ChecksumsFromHeader", err)
		if err != nil {
			return
		}
		_, err = io.ReadAll(c.Reader(io.NopCloser(strings.NewReader("payload"))))
		checkOutcome(t, "Read", err)
		if c.Sum(MD5) == "" {
			t.Fatal("extra algorithm not computed")
		}
	})
}

// TestFuzzSeeds keeps testdata/fuzz in step with the seeds above.
func TestFuzzSeeds(t *testing.T) {
	files := map[string][]string{}
	for i, s := range authorizationSeeds {
		files[filepath.Join("FuzzParseAuthorization", fmt.Sprintf("seed%d", i))] = []string{quoteString(s[0]), quoteString(s[1]), quoteString(s[2])}
	}
	for i, s := range presignedSeeds {
		files[filepath.Join("FuzzParsePresigned", fmt.Sprintf("seed%d", i))] = []string{quoteString(s[0]), quoteString(s[1])}
	}
	for i, s := range checksumSeeds {
		files[filepath.Join("FuzzChecksumsFromHeader", fmt.Sprintf("seed%d", i))] = []string{quoteString(s[0]), quoteString(s[1]), quoteString(s[2])}
	}
	for i, s := range chunkSeeds() {
		files[filepath.Join("FuzzChunkedDecoder", fmt.Sprintf("seed%d", i))] = []string{
			"[]byte(" + strconv.Quote(string(s.body)) + ")",
			"int(" + strconv.Itoa(s.mode) + ")",
			"int64(" + strconv.FormatInt(s.decodedLength, 10) + ")",
			quoteString(s.trailer),
		}
	}
	for name, args := range files {
		path := filepath.Join("testdata", "fuzz", name)
		want := "go test fuzz v1\n" + strings.Join(args, "\n") + "\n"
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is stale (%v); run go test -run TestFuzzSeeds -update", path, err)
		}
	}
}

func quoteString(s string) string { return "string(" + strconv.Quote(s) + ")" }
