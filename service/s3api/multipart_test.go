package s3api

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/state"
)

// multipartETag is S3's ETag of a multipart object.
func multipartETag(parts ...[]byte) string {
	h := md5.New()
	for _, p := range parts {
		s := md5.Sum(p)
		h.Write(s[:])
	}
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(h.Sum(nil)), len(parts))
}

func TestMultipartUpload(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.createBucket(acctB, "mpu-b")
	c := e.client(acctB)
	part1 := bytes.Repeat([]byte("a"), minPartSize)
	part2 := []byte("tail")
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu-b"), Key: aws.String("big"),
		ContentType: aws.String("video/mp4"), Metadata: map[string]string{"m": "1"}, ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	var etags []string
	for i, p := range [][]byte{part1, part2} {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu-b"), Key: aws.String("big"), UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
		if err != nil {
			t.Fatal(err)
		}
		m := md5.Sum(p)
		if aws.ToString(out.ETag) != `"`+hex.EncodeToString(m[:])+`"` {
			t.Errorf("part %d ETag %s", i+1, aws.ToString(out.ETag))
		}
		etags = append(etags, aws.ToString(out.ETag))
	}
	// ListParts, paginated.
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu-b"), Key: aws.String("big"), UploadId: up.UploadId, MaxParts: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(lp.Parts) != 1 || !aws.ToBool(lp.IsTruncated) || aws.ToString(lp.NextPartNumberMarker) != "1" || lp.ChecksumAlgorithm != types.ChecksumAlgorithmSha256 {
		t.Errorf("ListParts page 1: %d parts, truncated %v, next %v", len(lp.Parts), aws.ToBool(lp.IsTruncated), aws.ToString(lp.NextPartNumberMarker))
	}
	lp, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu-b"), Key: aws.String("big"), UploadId: up.UploadId, PartNumberMarker: aws.String("1")})
	if err != nil || len(lp.Parts) != 1 || aws.ToInt32(lp.Parts[0].PartNumber) != 2 || aws.ToBool(lp.IsTruncated) {
		t.Errorf("ListParts page 2: %v %+v", err, lp)
	}
	// ListMultipartUploads.
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("mpu-b")})
	if err != nil || len(lu.Uploads) != 1 || aws.ToString(lu.Uploads[0].UploadId) != aws.ToString(up.UploadId) {
		t.Fatalf("ListMultipartUploads: %v %+v", err, lu)
	}
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu-b"), Key: aws.String("big"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: aws.String(etags[0])}, {PartNumber: aws.Int32(2), ETag: aws.String(etags[1])}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(done.ETag), multipartETag(part1, part2); got != want {
		t.Errorf("ETag %s, want %s", got, want)
	}
	if !strings.HasSuffix(aws.ToString(done.ChecksumSHA256), "-2") || done.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("composite checksum %q type %q", aws.ToString(done.ChecksumSHA256), done.ChecksumType)
	}
	if n := e.count(state.Parts, ""); n != 0 {
		t.Errorf("%d part records left", n)
	}
	if n := e.countData(); n != 1 {
		t.Errorf("%d blobs, want the assembled object only", n)
	}
	// The object, whole and by part.
	g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("mpu-b"), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := io.ReadAll(g.Body)
	if !bytes.Equal(all, append(append([]byte(nil), part1...), part2...)) || aws.ToString(g.ContentType) != "video/mp4" || g.Metadata["m"] != "1" {
		t.Errorf("assembled object: %d bytes, type %q", len(all), aws.ToString(g.ContentType))
	}
	r := e.do(acctB, http.MethodGet, "/mpu-b/big?partNumber=2", http.Header{"X-Amz-Checksum-Mode": {"ENABLED"}}, nil)
	if r.status != 206 || r.body != "tail" || r.header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", minPartSize, minPartSize+3, minPartSize+4) ||
		r.header.Get("x-amz-mp-parts-count") != "2" || r.header.Get("x-amz-checksum-sha256") != sum(sigv4.SHA256, "tail") {
		t.Errorf("part 2: %d %q %v", r.status, r.body, r.header)
	}
	if r := e.do(acctB, http.MethodHead, "/mpu-b/big?partNumber=3", nil, nil); r.status != 416 {
		t.Errorf("part 3 of 2: %d", r.status)
	}
	// The upload is gone.
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu-b"), Key: aws.String("big"), UploadId: up.UploadId}); apiCode(err) != "NoSuchUpload" {
		t.Errorf("abort after complete: %v", err)
	}
}

func TestMultipartErrors(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.createBucket(acctB, "mpu-b")
	c := e.client(acctB)
	newUpload := func() string {
		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu-b"), Key: aws.String("k")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(up.UploadId)
	}
	uploadPart := func(id string, n int, data []byte) string {
		r := e.do(acctB, http.MethodPut, fmt.Sprintf("/mpu-b/k?partNumber=%d&uploadId=%s", n, id), nil, data)
		if r.status != 200 {
			t.Fatalf("UploadPart: %d %s", r.status, r.body)
		}
		return r.header.Get("ETag")
	}
	small := []byte("small")
	id := newUpload()
	e1 := uploadPart(id, 1, small)
	e2 := uploadPart(id, 2, small)
	complete := func(parts ...string) string {
		var b strings.Builder
		b.WriteString("<CompleteMultipartUpload>")
		for i := 0; i+1 < len(parts); i += 2 {
			fmt.Fprintf(&b, "<Part><PartNumber>%s</PartNumber><ETag>%s</ETag></Part>", parts[i], parts[i+1])
		}
		b.WriteString("</CompleteMultipartUpload>")
		return b.String()
	}
	tests := []struct {
		name, method, target, body string
		status                     int
		code                       string
	}{
		{"part number 0", "PUT", "/mpu-b/k?partNumber=0&uploadId=" + id, "x", 400, "InvalidArgument"},
		{"part number 10001", "PUT", "/mpu-b/k?partNumber=10001&uploadId=" + id, "x", 400, "InvalidArgument"},
		{"part number 10000", "PUT", "/mpu-b/k?partNumber=10000&uploadId=" + id, "x", 200, ""},
		{"unknown upload", "PUT", "/mpu-b/k?partNumber=1&uploadId=nope", "x", 404, "NoSuchUpload"},
		{"upload of another key", "PUT", "/mpu-b/other?partNumber=1&uploadId=" + id, "x", 404, "NoSuchUpload"},
		{"descending parts", "POST", "/mpu-b/k?uploadId=" + id, complete("2", e2, "1", e1), 400, "InvalidPartOrder"},
		{"unknown part", "POST", "/mpu-b/k?uploadId=" + id, complete("1", e1, "3", e2), 400, "InvalidPart"},
		{"wrong etag", "POST", "/mpu-b/k?uploadId=" + id, complete("1", e2[:5]+`0"`, "2", e2), 400, "InvalidPart"},
		{"small non-last part", "POST", "/mpu-b/k?uploadId=" + id, complete("1", e1, "2", e2), 400, "EntityTooSmall"},
		{"malformed body", "POST", "/mpu-b/k?uploadId=" + id, "<CompleteMultipartUpload><Part>", 400, "MalformedXML"},
		{"no parts", "POST", "/mpu-b/k?uploadId=" + id, "<CompleteMultipartUpload></CompleteMultipartUpload>", 400, "MalformedXML"},
		{"empty body", "POST", "/mpu-b/k?uploadId=" + id, "", 400, "MissingRequestBodyError"},
		{"list parts of unknown upload", "GET", "/mpu-b/k?uploadId=nope", "", 404, "NoSuchUpload"},
		{"bad max-parts", "GET", "/mpu-b/k?uploadId=" + id + "&max-parts=-1", "", 400, "InvalidArgument"},
		{"bad max-uploads", "GET", "/mpu-b?uploads&max-uploads=x", "", 400, "InvalidArgument"},
		{"unknown checksum algorithm", "POST", "/mpu-b/k2?uploads", "", 0, ""},
		{"complete with the last part alone", "POST", "/mpu-b/k?uploadId=" + id, complete("2", e2), 200, ""},
		{"abort completed upload", "DELETE", "/mpu-b/k?uploadId=" + id, "", 404, "NoSuchUpload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h http.Header
			if tt.status == 0 {
				h = http.Header{"X-Amz-Checksum-Algorithm": {"MD4"}}
				tt.status, tt.code = 400, "InvalidRequest"
			}
			r := e.do(acctB, tt.method, tt.target, h, []byte(tt.body))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Errorf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
		})
	}
	r := e.do(acctB, http.MethodGet, "/mpu-b/k", nil, nil)
	if r.body != "small" || r.header.Get("ETag") != multipartETag(small) {
		t.Errorf("object after completing part 2 alone: %q %s", r.body, r.header.Get("ETag"))
	}
	// Abort removes the parts and their blobs.
	blobs := e.countData()
	id2 := newUpload()
	uploadPart(id2, 1, small)
	uploadPart(id2, 1, small) // replacing a part frees the old blob
	if n := e.countData(); n != blobs+1 {
		t.Errorf("%d blobs with one part, want %d", n, blobs+1)
	}
	if r := e.do(acctB, http.MethodDelete, "/mpu-b/k?uploadId="+id2, nil, nil); r.status != 204 {
		t.Errorf("abort: %d %s", r.status, r.body)
	}
	if n := e.countData(); n != blobs {
		t.Errorf("%d blobs after abort, want %d", n, blobs)
	}
}

func TestUploadPartCopy(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.createBucket(acctB, "mpu-b")
	e.put(acctB, "mpu-b", "src", "0123456789")
	c := e.client(acctB)
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu-b"), Key: aws.String("dst")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(up.UploadId)
	tests := []struct {
		name, rng string
		status    int
		code      string
		etag      string
	}{
		{"whole source", "", 200, "", md5hex("0123456789")},
		{"range", "bytes=2-4", 200, "", md5hex("234")},
		{"range past end", "bytes=2-10", 400, "InvalidArgument", ""},
		{"malformed range", "bytes=2-", 400, "InvalidArgument", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"X-Amz-Copy-Source": {"mpu-b/src"}}
			if tt.rng != "" {
				h.Set("X-Amz-Copy-Source-Range", tt.rng)
			}
			r := e.do(acctB, http.MethodPut, fmt.Sprintf("/mpu-b/dst?partNumber=%d&uploadId=%s", i+1, id), h, nil)
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.etag != "" && (element(r.body, "ETag") != "&quot;"+tt.etag+"&quot;" || !strings.Contains(r.body, "<CopyPartResult")) {
				t.Errorf("body %s", r.body)
			}
		})
	}
	// Part 2 (bytes 2-4) alone makes the object "234".
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu-b"), Key: aws.String("dst"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(2), ETag: aws.String(`"` + md5hex("234") + `"`)}}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do(acctB, http.MethodGet, "/mpu-b/dst", nil, nil); r.body != "234" {
		t.Errorf("object %q", r.body)
	}
}

func TestListMultipartUploads(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "lmu-b")
	var ids []string
	for _, k := range []string{"a/1", "a/2", "b", "b", "c/x/y"} {
		r := e.do(acctB, http.MethodPost, "/lmu-b/"+k+"?uploads", nil, nil)
		if r.status != 200 {
			t.Fatal(r.body)
		}
		ids = append(ids, element(r.body, "UploadId"))
	}
	uploadsRE := func(body string) []string {
		var out []string
		for _, k := range allMatches(keyRE, body) {
			out = append(out, k)
		}
		return out
	}
	tests := []struct {
		name, query string
		keys        []string
		prefixes    []string
		truncated   string
		nextKey     string
	}{
		{"all", "", []string{"a/1", "a/2", "b", "b", "c/x/y"}, nil, "false", "c/x/y"},
		{"delimiter", "delimiter=/", []string{"b", "b"}, []string{"a/", "c/"}, "false", "c/"},
		{"prefix", "prefix=c/&delimiter=/", nil, []string{"c/x/"}, "false", "c/x/"},
		{"max-uploads", "max-uploads=3", []string{"a/1", "a/2", "b"}, nil, "true", "b"},
		{"key-marker", "key-marker=a/2", []string{"b", "b", "c/x/y"}, nil, "false", "c/x/y"},
		{"key-marker and upload-id-marker", "key-marker=b&upload-id-marker=" + ids[2], []string{"b", "c/x/y"}, nil, "false", "c/x/y"},
		{"upload-id-marker without key-marker is ignored", "upload-id-marker=" + ids[2], []string{"a/1", "a/2", "b", "b", "c/x/y"}, nil, "false", "c/x/y"},
		{"url encoding", "encoding-type=url&prefix=c/x/", []string{"c/x/y"}, nil, "false", "c/x/y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctB, http.MethodGet, "/lmu-b?uploads&"+tt.query, nil, nil)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if got := uploadsRE(r.body); !equalStrings(got, tt.keys) {
				t.Errorf("keys %q, want %q", got, tt.keys)
			}
			if got := allMatches(prefixRE, r.body); !equalStrings(got, tt.prefixes) {
				t.Errorf("prefixes %q, want %q", got, tt.prefixes)
			}
			if element(r.body, "IsTruncated") != tt.truncated || element(r.body, "NextKeyMarker") != tt.nextKey {
				t.Errorf("IsTruncated %s NextKeyMarker %q", element(r.body, "IsTruncated"), element(r.body, "NextKeyMarker"))
			}
		})
	}
	// The two uploads of "b" are listed in initiation order.
	r := e.do(acctB, http.MethodGet, "/lmu-b?uploads&prefix=b", nil, nil)
	if got := allMatches(uploadIDRE, r.body); !equalStrings(got, ids[2:4]) {
		t.Errorf("upload order %q, want %q", got, ids[2:4])
	}
	r = e.do(acctB, http.MethodGet, "/lmu-b?uploads&prefix=a/1", nil, nil)
	golden(t, "list_multipart_uploads", r.body)
}

var uploadIDRE = mustRE(`<UploadId>([^<]*)</UploadId>`)

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
