package s3api

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/state"
)

// sum returns the base64 checksum of s.
func sum(a sigv4.ChecksumAlgorithm, s string) string {
	c := sigv4.NewChecksums(a)
	c.Write([]byte(s))
	return c.Sum(a)
}

func md5b64(s string) string {
	m := md5.Sum([]byte(s))
	return base64.StdEncoding.EncodeToString(m[:])
}

func TestPutObjectChecksums(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "put-b")
	const body = "hello, world"
	tests := []struct {
		name      string
		headers   map[string]string
		status    int
		code      string
		stored    string // the x-amz-checksum-* header GetObject returns
		storedVal string
	}{
		{"crc32", map[string]string{"x-amz-checksum-crc32": sum(sigv4.CRC32, body)}, 200, "", "x-amz-checksum-crc32", sum(sigv4.CRC32, body)},
		{"crc32c", map[string]string{"x-amz-checksum-crc32c": sum(sigv4.CRC32C, body)}, 200, "", "x-amz-checksum-crc32c", sum(sigv4.CRC32C, body)},
		{"crc64nvme", map[string]string{"x-amz-checksum-crc64nvme": sum(sigv4.CRC64NVME, body)}, 200, "", "x-amz-checksum-crc64nvme", sum(sigv4.CRC64NVME, body)},
		{"sha1", map[string]string{"x-amz-checksum-sha1": sum(sigv4.SHA1, body)}, 200, "", "x-amz-checksum-sha1", sum(sigv4.SHA1, body)},
		{"sha256", map[string]string{"x-amz-checksum-sha256": sum(sigv4.SHA256, body)}, 200, "", "x-amz-checksum-sha256", sum(sigv4.SHA256, body)},
		{"none: default crc64nvme", nil, 200, "", "x-amz-checksum-crc64nvme", sum(sigv4.CRC64NVME, body)},
		{"content-md5", map[string]string{"Content-MD5": md5b64(body)}, 200, "", "x-amz-checksum-crc64nvme", sum(sigv4.CRC64NVME, body)},
		{"wrong crc32", map[string]string{"x-amz-checksum-crc32": sum(sigv4.CRC32, "other")}, 400, "BadDigest", "", ""},
		{"wrong sha256", map[string]string{"x-amz-checksum-sha256": sum(sigv4.SHA256, "other")}, 400, "BadDigest", "", ""},
		{"wrong content-md5", map[string]string{"Content-MD5": md5b64("other")}, 400, "BadDigest", "", ""},
		{"malformed content-md5", map[string]string{"Content-MD5": "not-base64"}, 400, "InvalidDigest", "", ""},
		{"malformed crc32", map[string]string{"x-amz-checksum-crc32": "AAAA"}, 400, "InvalidRequest", "", ""},
		{"two checksums", map[string]string{"x-amz-checksum-crc32": sum(sigv4.CRC32, body), "x-amz-checksum-sha1": sum(sigv4.SHA1, body)}, 400, "InvalidRequest", "", ""},
		{"unknown algorithm", map[string]string{"x-amz-checksum-md4": "AAAA"}, 400, "InvalidRequest", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blobs := e.countData()
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			key := "/put-b/" + strings.ReplaceAll(tt.name, " ", "-")
			r := e.do(acctB, http.MethodPut, key, h, []byte(body))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("PUT: %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.status != 200 {
				// Nothing persisted: no record, no blob.
				if n := e.countData(); n != blobs {
					t.Errorf("%d blobs after a failed PUT, %d before", n, blobs)
				}
				if r := e.do(acctB, http.MethodHead, key, nil, nil); r.status != 404 {
					t.Errorf("HEAD after failed PUT: %d", r.status)
				}
				return
			}
			if r.header.Get("ETag") != `"`+md5hex(body)+`"` || r.header.Get(tt.stored) != tt.storedVal ||
				r.header.Get("x-amz-checksum-type") != "FULL_OBJECT" {
				t.Errorf("PUT response headers: %v", r.header)
			}
			g := e.do(acctB, http.MethodGet, key, http.Header{"X-Amz-Checksum-Mode": {"ENABLED"}}, nil)
			if g.body != body || g.header.Get(tt.stored) != tt.storedVal || g.header.Get("x-amz-checksum-type") != "FULL_OBJECT" {
				t.Errorf("GET with checksum mode: %q %v", g.body, g.header)
			}
			if g := e.do(acctB, http.MethodGet, key, nil, nil); g.header.Get(tt.stored) != "" {
				t.Errorf("checksum returned without x-amz-checksum-mode")
			}
		})
	}
}

func md5hex(s string) string {
	m := md5.Sum([]byte(s))
	const hexdigits = "0123456789abcdef"
	out := make([]byte, 32)
	for i, b := range m {
		out[2*i], out[2*i+1] = hexdigits[b>>4], hexdigits[b&15]
	}
	return string(out)
}

// chunked frames data as an unsigned aws-chunked body whose trailer carries
// trailer (a "name:value" line).
func chunked(data, trailer string) []byte {
	return []byte(fmt.Sprintf("%x\r\n%s\r\n0\r\n%s\r\n\r\n", len(data), data, trailer))
}

func TestPutObjectTrailerChecksum(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "put-b")
	const data = "streamed with a trailing checksum"
	tests := []struct {
		name, trailer string
		status        int
		code          string
	}{
		{"good trailer", "x-amz-checksum-sha256:" + sum(sigv4.SHA256, data), 200, ""},
		{"wrong trailer", "x-amz-checksum-sha256:" + sum(sigv4.SHA256, "other"), 400, "BadDigest"},
		{"malformed trailer value", "x-amz-checksum-sha256:AAAA", 400, "InvalidRequest"},
		{"other trailer than announced", "x-amz-checksum-crc32:" + sum(sigv4.CRC32, data), 400, "MalformedTrailerError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blobs := e.countData()
			h := http.Header{
				"X-Amz-Content-Sha256":         {"STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
				"Content-Encoding":             {"aws-chunked"},
				"X-Amz-Decoded-Content-Length": {fmt.Sprint(len(data))},
				"X-Amz-Trailer":                {"x-amz-checksum-sha256"},
			}
			key := "/put-b/" + strings.ReplaceAll(tt.name, " ", "-")
			r := e.do(acctB, http.MethodPut, key, h, chunked(data, tt.trailer))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.status != 200 {
				if e.countData() != blobs {
					t.Error("a blob was left behind")
				}
				return
			}
			g := e.do(acctB, http.MethodGet, key, http.Header{"X-Amz-Checksum-Mode": {"ENABLED"}}, nil)
			if g.body != data || g.header.Get("x-amz-checksum-sha256") != sum(sigv4.SHA256, data) || g.header.Get("Content-Encoding") != "" {
				t.Errorf("GET: %q %v", g.body, g.header)
			}
		})
	}
}

func TestPutObjectSDKChecksum(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "put-b")
	c := e.client(acctB)
	ctx := context.Background()
	body := strings.Repeat("sdk ", 4000)
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("put-b"), Key: aws.String("t"), Body: strings.NewReader(body),
		ChecksumAlgorithm: "SHA256"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("put-b"), Key: aws.String("t"), ChecksumMode: "ENABLED"})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.ChecksumSHA256); got != sum(sigv4.SHA256, body) {
		t.Errorf("stored SHA256 %q, want %q", got, sum(sigv4.SHA256, body))
	}
}

func TestPutObjectTagging(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "tag-b")
	// Account A may put objects tagged env=dev; only some statements also
	// allow s3:PutObjectTagging.
	e.setPolicy("tag-b", `{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::`+acctA+`:root"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::tag-b/*"},
		{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::`+acctA+`:root"}, "Action": "s3:PutObjectTagging", "Resource": "arn:aws:s3:::tag-b/tagged/*",
		 "Condition": {"StringEquals": {"s3:RequestObjectTag/env": "dev"}, "ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["env", "team"]}}}]}`)
	tests := []struct {
		name, key, tagging string
		status             int
		code               string
	}{
		{"no tags", "plain/k", "", 200, ""},
		{"tags need PutObjectTagging", "plain/k", "env=dev", 403, "AccessDenied"},
		{"allowed tags", "tagged/k", "env=dev&team=x", 200, ""},
		{"tag value refused by condition", "tagged/k2", "env=prod", 403, "AccessDenied"},
		{"tag key refused by condition", "tagged/k3", "env=dev&cost=1", 403, "AccessDenied"},
		{"malformed header", "tagged/k4", "env=dev&env=prod", 400, "InvalidArgument"},
		{"too many tags", "tagged/k5", "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11", 400, "BadRequest"},
		{"invalid tag key", "tagged/k6", "%3Cx%3E=1", 400, "InvalidTag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.tagging != "" {
				h.Set("x-amz-tagging", tt.tagging)
			}
			r := e.do(acctA, http.MethodPut, "/tag-b/"+tt.key, h, []byte("data"))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Errorf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
		})
	}
	g := e.do(acctB, http.MethodHead, "/tag-b/tagged/k", nil, nil)
	if g.header.Get("x-amz-tagging-count") != "2" {
		t.Errorf("x-amz-tagging-count %q, want 2", g.header.Get("x-amz-tagging-count"))
	}
}

func TestPutObjectConditional(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "cond-b")
	tests := []struct {
		name    string
		headers map[string]string
		body    string
		status  int
		code    string
	}{
		{"create if absent", map[string]string{"If-None-Match": "*"}, "v1", 200, ""},
		{"refused when present", map[string]string{"If-None-Match": "*"}, "v2", 412, "PreconditionFailed"},
		{"if-none-match with an etag", map[string]string{"If-None-Match": `"abc"`}, "v2", 501, "NotImplemented"},
		{"if-match current etag", map[string]string{"If-Match": `"` + md5hex("v1") + `"`}, "v3", 200, ""},
		{"if-match stale etag", map[string]string{"If-Match": `"` + md5hex("v1") + `"`}, "v4", 412, "PreconditionFailed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			r := e.do(acctB, http.MethodPut, "/cond-b/k", h, []byte(tt.body))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Errorf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
		})
	}
	if r := e.do(acctB, http.MethodPut, "/cond-b/absent", http.Header{"If-Match": {`"abc"`}}, []byte("x")); r.status != 404 || errCode(r.body) != "NoSuchKey" {
		t.Errorf("If-Match on an absent key: %d %s", r.status, r.body)
	}
	if r := e.do(acctB, http.MethodGet, "/cond-b/k", nil, nil); r.body != "v3" {
		t.Errorf("object is %q, want v3", r.body)
	}
	if n := e.countData(); n != 1 {
		t.Errorf("%d blobs, want 1", n)
	}
}

func TestPutObjectBadInput(t *testing.T) {
	e := newTestEnv(t)
	e.env.MaxObjectSize = 1 << 10
	e.createBucket(acctB, "bad-b")
	long := strings.Repeat("k", 1025)
	tests := []struct {
		name, target string
		headers      map[string]string
		body         string
		status       int
		code         string
	}{
		{"key of 1024 bytes", "/bad-b/" + strings.Repeat("k", 1024), nil, "x", 200, ""},
		{"key too long", "/bad-b/" + long, nil, "x", 400, "KeyTooLongError"},
		{"key not utf-8", "/bad-b/a%FFb", nil, "x", 400, "InvalidURI"},
		{"dot segments are a key", "/bad-b/../x", nil, "x", 200, ""},
		{"body too large", "/bad-b/big", nil, strings.Repeat("x", 1025), 400, "EntityTooLarge"},
		{"metadata too large", "/bad-b/meta", map[string]string{"x-amz-meta-big": strings.Repeat("m", 2100)}, "x", 400, "MetadataTooLarge"},
		{"public ACL blocked by default", "/bad-b/acl", map[string]string{"x-amz-acl": "public-read"}, "x", 400, "AccessControlListNotSupported"},
		{"missing bucket", "/nope-b/k", nil, "x", 404, "NoSuchBucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blobs := e.countData()
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			r := e.do(acctB, http.MethodPut, tt.target, h, []byte(tt.body))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.status != 200 && e.countData() != blobs {
				t.Errorf("a blob was left behind")
			}
		})
	}
	if n := e.count(state.Objects, "bad-b/../x"); n != 1 {
		t.Errorf("key ../x stored %d times", n)
	}
	if r := e.do(acctB, http.MethodPut, "/bad-b/"+long, nil, []byte("x")); element(r.body, "MaxSizeAllowed") != "1024" || element(r.body, "Size") != "1025" {
		t.Errorf("KeyTooLongError body: %s", r.body)
	}
}

// TestExpectContinue checks that a denied upload is refused before the
// body is sent: the client sends only the headers and gets the final 403
// without a "100 Continue" (Go's server sends that only when the handler
// reads the body, which putObject does after authorization).
func TestExpectContinue(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "exp-b")
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "PUT /exp-b/k HTTP/1.1\r\nHost: %s\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n", e.srv.Listener.Addr())
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("first response %d, want 403 without 100 Continue", resp.StatusCode)
	}
	if r := e.do(acctB, http.MethodPut, "/exp-b/k", http.Header{"Expect": {"100-continue"}}, []byte("data")); r.status != 200 {
		t.Errorf("allowed upload with Expect: %d %s", r.status, r.body)
	}
}
