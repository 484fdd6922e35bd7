package s3api

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func TestCopyObject(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.createBucket(acctB, "src-b")
	e.createBucket(acctB, "dst-b")
	cb := e.client(acctB)
	if _, err := cb.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src-b"), Key: aws.String("dir/a b+c.txt"),
		Body: strings.NewReader("source"), ContentType: aws.String("text/plain"), Metadata: map[string]string{"colour": "blue"},
		Tagging: aws.String("env=dev")}); err != nil {
		t.Fatal(err)
	}
	etag := `"` + md5hex("source") + `"`
	src := "src-b/" + url.PathEscape("dir/a b+c.txt")
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name, target string
		headers      map[string]string
		status       int
		code         string
		contentType  string
		meta         string
		tagCount     string
	}{
		{"copy keeps metadata and tags", "/dst-b/copy1", map[string]string{"x-amz-copy-source": src}, 200, "", "text/plain", "blue", "1"},
		{"leading slash and version null", "/dst-b/copy2", map[string]string{"x-amz-copy-source": "/" + src + "?versionId=null"}, 200, "", "text/plain", "blue", "1"},
		{"replace metadata", "/dst-b/copy3", map[string]string{"x-amz-copy-source": src, "x-amz-metadata-directive": "REPLACE",
			"Content-Type": "image/png", "x-amz-meta-colour": "red"}, 200, "", "image/png", "red", "1"},
		{"replace tags with none", "/dst-b/copy4", map[string]string{"x-amz-copy-source": src, "x-amz-tagging-directive": "REPLACE"}, 200, "", "text/plain", "blue", ""},
		{"replace tags", "/dst-b/copy5", map[string]string{"x-amz-copy-source": src, "x-amz-tagging-directive": "REPLACE", "x-amz-tagging": "a=1&b=2"}, 200, "", "text/plain", "blue", "2"},
		{"self copy refused", "/src-b/dir/a%20b+c.txt", map[string]string{"x-amz-copy-source": src}, 400, "InvalidRequest", "", "", ""},
		{"self copy with replace", "/src-b/dir/a%20b+c.txt", map[string]string{"x-amz-copy-source": src, "x-amz-metadata-directive": "REPLACE",
			"Content-Type": "text/plain", "x-amz-meta-colour": "blue"}, 200, "", "text/plain", "blue", "1"},
		{"self copy changing storage class", "/src-b/dir/a%20b+c.txt", map[string]string{"x-amz-copy-source": src, "x-amz-storage-class": "STANDARD_IA"}, 200, "", "text/plain", "blue", "1"},
		{"source if-match", "/dst-b/c6", map[string]string{"x-amz-copy-source": src, "x-amz-copy-source-if-match": etag}, 200, "", "text/plain", "blue", "1"},
		{"source if-match fails", "/dst-b/c7", map[string]string{"x-amz-copy-source": src, "x-amz-copy-source-if-match": `"x"`}, 412, "PreconditionFailed", "", "", ""},
		{"source if-none-match fails", "/dst-b/c8", map[string]string{"x-amz-copy-source": src, "x-amz-copy-source-if-none-match": etag}, 412, "PreconditionFailed", "", "", ""},
		{"source if-unmodified-since fails", "/dst-b/c9", map[string]string{"x-amz-copy-source": src, "x-amz-copy-source-if-unmodified-since": past}, 412, "PreconditionFailed", "", "", ""},
		{"destination if-none-match", "/dst-b/copy1", map[string]string{"x-amz-copy-source": src, "If-None-Match": "*"}, 412, "PreconditionFailed", "", "", ""},
		{"bad metadata directive", "/dst-b/c10", map[string]string{"x-amz-copy-source": src, "x-amz-metadata-directive": "MOVE"}, 400, "InvalidArgument", "", "", ""},
		{"bad tagging directive", "/dst-b/c10", map[string]string{"x-amz-copy-source": src, "x-amz-tagging-directive": "copy"}, 400, "InvalidArgument", "", "", ""},
		{"source key missing", "/dst-b/c11", map[string]string{"x-amz-copy-source": "src-b/nope"}, 404, "NoSuchKey", "", "", ""},
		{"source bucket missing", "/dst-b/c12", map[string]string{"x-amz-copy-source": "nope-b/k"}, 404, "NoSuchBucket", "", "", ""},
		{"source without key", "/dst-b/c13", map[string]string{"x-amz-copy-source": "src-b"}, 400, "InvalidArgument", "", "", ""},
		{"destination bucket missing", "/nope-b/c14", map[string]string{"x-amz-copy-source": src}, 404, "NoSuchBucket", "", "", ""},
		{"unknown source version", "/dst-b/c15", map[string]string{"x-amz-copy-source": src + "?versionId=xyz"}, 400, "InvalidArgument", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			r := e.do(acctB, http.MethodPut, tt.target, h, nil)
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.status != 200 {
				return
			}
			if !strings.Contains(r.body, "<CopyObjectResult") || element(r.body, "ETag") != "&quot;"+md5hex("source")+"&quot;" {
				t.Errorf("body: %s", r.body)
			}
			g := e.do(acctB, http.MethodGet, tt.target, nil, nil)
			if g.body != "source" || g.header.Get("Content-Type") != tt.contentType || g.header.Get("x-amz-meta-colour") != tt.meta ||
				g.header.Get("x-amz-tagging-count") != tt.tagCount {
				t.Errorf("copy: %q type %q meta %q tags %q", g.body, g.header.Get("Content-Type"), g.header.Get("x-amz-meta-colour"), g.header.Get("x-amz-tagging-count"))
			}
		})
	}
	r := e.do(acctB, http.MethodPut, "/src-b/dir/a%20b+c.txt", http.Header{"x-amz-copy-source": {src}}, nil)
	if html.UnescapeString(element(r.body, "Message")) != "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes." {
		t.Errorf("self-copy message: %s", r.body)
	}
}

// TestCopyObjectCrossAccount: account A copies from B's bucket into its
// own. Reading needs B's permission on the source; the copy belongs to A.
func TestCopyObjectCrossAccount(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "shared-src")
	e.put(acctB, "shared-src", "public/doc", "data")
	e.put(acctB, "shared-src", "private/doc", "data")
	e.createBucket(acctA, "a-dst")
	e.setPolicy("shared-src", allowPolicy(acctA, []string{"s3:GetObject"}, []string{"arn:aws:s3:::shared-src/public/*"}, ""))
	e.createBucket(acctB, "b-dst")
	e.setPolicy("b-dst", allowPolicy(acctA, []string{"s3:PutObject"}, []string{"arn:aws:s3:::b-dst/*"},
		`{"StringLike": {"s3:x-amz-copy-source": "shared-src/public/*"}, "StringEqualsIfExists": {"s3:x-amz-metadata-directive": "COPY"}}`))
	tests := []struct {
		name, target, source string
		headers              map[string]string
		status               int
	}{
		{"readable source", "/a-dst/k1", "shared-src/public/doc", nil, 200},
		{"unreadable source", "/a-dst/k2", "shared-src/private/doc", nil, 403},
		{"missing source without ListBucket", "/a-dst/k3", "shared-src/public/nope", nil, 403},
		{"destination needs PutObject", "/b-dst/k4", "a-dst/k1", nil, 403},
		{"copy-source condition met", "/b-dst/k5", "shared-src/public/doc", nil, 200},
		{"metadata-directive condition not met", "/b-dst/k6", "shared-src/public/doc", map[string]string{"x-amz-metadata-directive": "REPLACE"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"X-Amz-Copy-Source": {tt.source}}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			r := e.do(acctA, http.MethodPut, tt.target, h, nil)
			if r.status != tt.status {
				t.Errorf("got %d, want %d: %s", r.status, tt.status, r.body)
			}
		})
	}
	var owner string
	_ = e.env.Store.View(context.Background(), func(tx store.Tx) error {
		o, err := state.Get[model.Object](tx, state.Objects, state.ObjectKey("a-dst", "k1"))
		if err == nil {
			owner = o.Owner
		}
		return err
	})
	if owner != acctA {
		t.Errorf("copy owned by %q, want the copier %s", owner, acctA)
	}
}
