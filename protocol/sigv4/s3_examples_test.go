package sigv4

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The worked examples of the S3 API Reference, with their published
// signatures. Credentials and time are the examples' own.
const (
	exampleKeyID  = "AKIAIOSFODNN7EXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	exampleTime   = "20130524T000000Z"
	exampleAuth   = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
)

// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
func TestS3HeaderAuthExamples(t *testing.T) {
	now := mustTime(t, exampleTime)
	tests := []struct {
		name, raw, body string
	}{
		{
			name: "GET object",
			raw: "GET /test.txt HTTP/1.1\r\nHost: examplebucket.s3.amazonaws.com\r\n" +
				"Authorization: " + exampleAuth + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41\r\n" +
				"Range: bytes=0-9\r\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\nx-amz-date: 20130524T000000Z\r\n\r\n",
		},
		{
			// The document's request line shows "test$file.text"; its
			// canonical request "/test%24file.text".
			name: "PUT object, path sent unescaped",
			raw: "PUT /test$file.text HTTP/1.1\r\nHost: examplebucket.s3.amazonaws.com\r\nDate: Fri, 24 May 2013 00:00:00 GMT\r\n" +
				"Authorization: " + exampleAuth + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd\r\n" +
				"x-amz-date: 20130524T000000Z\r\nx-amz-storage-class: REDUCED_REDUNDANCY\r\n" +
				"x-amz-content-sha256: 44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\r\nContent-Length: 21\r\n\r\nWelcome to Amazon S3.",
			body: "Welcome to Amazon S3.",
		},
		{
			name: "PUT object, path sent escaped",
			raw: "PUT /test%24file.text HTTP/1.1\r\nHost: examplebucket.s3.amazonaws.com\r\nDate: Fri, 24 May 2013 00:00:00 GMT\r\n" +
				"Authorization: " + exampleAuth + " SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd\r\n" +
				"x-amz-date: 20130524T000000Z\r\nx-amz-storage-class: REDUCED_REDUNDANCY\r\n" +
				"x-amz-content-sha256: 44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\r\nContent-Length: 21\r\n\r\nWelcome to Amazon S3.",
			body: "Welcome to Amazon S3.",
		},
		{
			name: "GET bucket lifecycle",
			raw: "GET /?lifecycle HTTP/1.1\r\nHost: examplebucket.s3.amazonaws.com\r\n" +
				"Authorization: " + exampleAuth + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543\r\n" +
				"x-amz-date: 20130524T000000Z\r\nx-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n\r\n",
		},
		{
			name: "GET bucket (list objects)",
			raw: "GET /?max-keys=2&prefix=J HTTP/1.1\r\nHost: examplebucket.s3.amazonaws.com\r\n" +
				"Authorization: " + exampleAuth + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7\r\n" +
				"x-amz-date: 20130524T000000Z\r\nx-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n\r\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := serverRequest(t, tc.raw)
			s, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := s.Verify(r, exampleSecret, now); err != nil {
				t.Fatalf("Verify: %v\n%s", err, field(err, "CanonicalRequest"))
			}
			body, err := s.Body(r, exampleSecret)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(body)
			if err != nil || string(got) != tc.body {
				t.Fatalf("body = %q, %v; want %q", got, err, tc.body)
			}
		})
	}
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
func TestS3PresignedExample(t *testing.T) {
	const raw = "GET /test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404 HTTP/1.1\r\nHost: examplebucket.s3.amazonaws.com\r\n\r\n"
	signedAt := mustTime(t, exampleTime)
	tests := []struct {
		name     string
		now      time.Time
		wantCode string
	}{
		{"at signing time", signedAt, ""},
		{"a day later, the last valid second", signedAt.Add(24 * time.Hour), ""},
		{"after X-Amz-Expires", signedAt.Add(24*time.Hour + time.Second), "AccessDenied"},
		{"before signing, within the skew", signedAt.Add(-10 * time.Minute), ""},
		{"before signing, beyond the skew", signedAt.Add(-16 * time.Minute), "AccessDenied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := serverRequest(t, raw)
			s, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Presigned || s.Expires != 24*time.Hour || s.PayloadHash != UnsignedPayload {
				t.Fatalf("parsed %+v", s)
			}
			if err := s.Verify(r, exampleSecret, tc.now); awsCode(err) != tc.wantCode {
				t.Fatalf("Verify = %v, want code %q", err, tc.wantCode)
			}
		})
	}
	r := serverRequest(t, raw)
	s, _ := Parse(r)
	err := s.Verify(r, exampleSecret, signedAt.Add(48*time.Hour))
	if e := err.Error(); !strings.Contains(e, "Request has expired") ||
		field(err, "X-Amz-Expires") != "86400" || field(err, "Expires") != "2013-05-25T00:00:00Z" ||
		field(err, "ServerTime") != "2013-05-26T00:00:00Z" {
		t.Errorf("expired: %v %+v", err, err)
	}
}

// The chunked-upload examples of
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html:
// 65 KiB of 'a' in a 64 KiB chunk, a 1 KiB chunk and the final chunk.
type streamingExample struct {
	name, payloadHash, signedHeaders, seed string
	chunkSigs                              [3]string
	trailer, trailerSig                    string
}

var streamingExamples = []streamingExample{
	{
		name:          "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
		payloadHash:   StreamingSignedPayload,
		signedHeaders: "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
		seed:          "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
		chunkSigs: [3]string{
			"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
			"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
			"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
		},
	},
	{
		name:          "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
		payloadHash:   StreamingSignedPayloadTrailer,
		signedHeaders: "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
		seed:          "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
		chunkSigs: [3]string{
			"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
			"1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
			"2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
		},
		trailer:    "x-amz-checksum-crc32c:sOO8/Q==",
		trailerSig: "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435",
	},
}

var exampleData = bytes.Repeat([]byte{'a'}, 65536+1024)

func (e streamingExample) body() string {
	b := "10000;chunk-signature=" + e.chunkSigs[0] + "\r\n" + string(exampleData[:65536]) + "\r\n" +
		"400;chunk-signature=" + e.chunkSigs[1] + "\r\n" + string(exampleData[65536:]) + "\r\n" +
		"0;chunk-signature=" + e.chunkSigs[2] + "\r\n"
	if e.trailer != "" {
		b += e.trailer + "\r\n" + "x-amz-trailer-signature:" + e.trailerSig + "\r\n"
	}
	return b + "\r\n"
}

func (e streamingExample) request(t testing.TB, body string) string {
	raw := "PUT /examplebucket/chunkObject.txt HTTP/1.1\r\nHost: s3.amazonaws.com\r\n" +
		"x-amz-date: 20130524T000000Z\r\nx-amz-storage-class: REDUCED_REDUNDANCY\r\n" +
		"Authorization: " + exampleAuth + "SignedHeaders=" + e.signedHeaders + ",Signature=" + e.seed + "\r\n" +
		"x-amz-content-sha256: " + e.payloadHash + "\r\nContent-Encoding: aws-chunked\r\nx-amz-decoded-content-length: 66560\r\n"
	if e.trailer != "" {
		raw += "x-amz-trailer: x-amz-checksum-crc32c\r\n"
	}
	return raw + "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

// signer is the chain the example's chunks are signed with.
func (e streamingExample) signer() *chunkSigner {
	return &chunkSigner{
		key:     signingKey(exampleSecret, "20130524", "us-east-1", "s3"),
		amzDate: exampleTime, scope: "20130524/us-east-1/s3/aws4_request",
		prev: e.seed, service: "s3", accessKeyID: exampleKeyID,
	}
}

func TestS3StreamingExamples(t *testing.T) {
	now := mustTime(t, exampleTime)
	for _, e := range streamingExamples {
		t.Run(e.name, func(t *testing.T) {
			body := e.body()
			if e.trailer == "" && len(body) != 66824 {
				t.Fatalf("example body is %d bytes, the document says 66824", len(body))
			}
			// The test encoder reproduces the documented bytes.
			var trailers []string
			if e.trailer != "" {
				trailers = []string{e.trailer}
			}
			if enc := encodeChunks(exampleData, 65536, e.signer(), e.trailer != "", trailers...); string(enc) != body {
				t.Fatalf("encodeChunks does not reproduce the documented body")
			}
			r := serverRequest(t, e.request(t, body))
			s, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Verify(r, exampleSecret, now); err != nil {
				t.Fatalf("seed signature: %v\n%s", err, field(err, "CanonicalRequest"))
			}
			rc, err := s.Body(r, exampleSecret)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("documented chunks rejected: %v %+v", err, err)
			}
			if !bytes.Equal(got, exampleData) {
				t.Fatalf("decoded %d bytes, want 66560 bytes of 'a'", len(got))
			}
		})
	}
}
