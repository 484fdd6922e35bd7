package s3api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestGetObjectRange(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "get-b")
	e.put(acctB, "get-b", "ten", "0123456789")
	e.put(acctB, "get-b", "empty", "")
	tests := []struct {
		name, key, rng string
		status         int
		contentRange   string
		body           string
	}{
		{"no range", "ten", "", 200, "", "0123456789"},
		{"first bytes", "ten", "bytes=0-3", 206, "bytes 0-3/10", "0123"},
		{"open ended", "ten", "bytes=7-", 206, "bytes 7-9/10", "789"},
		{"suffix", "ten", "bytes=-2", 206, "bytes 8-9/10", "89"},
		{"clamped", "ten", "bytes=5-50", 206, "bytes 5-9/10", "56789"},
		{"multiple ranges ignored", "ten", "bytes=0-1,4-5", 200, "", "0123456789"},
		{"malformed ignored", "ten", "bytes=x-y", 200, "", "0123456789"},
		{"reversed ignored", "ten", "bytes=5-2", 200, "", "0123456789"},
		{"past the end", "ten", "bytes=10-", 416, "bytes */10", ""},
		{"empty object", "empty", "bytes=0-", 416, "bytes */0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.rng != "" {
				h.Set("Range", tt.rng)
			}
			r := e.do(acctB, http.MethodGet, "/get-b/"+tt.key, h, nil)
			if r.status != tt.status || r.header.Get("Content-Range") != tt.contentRange {
				t.Fatalf("got %d %q, want %d %q: %s", r.status, r.header.Get("Content-Range"), tt.status, tt.contentRange, r.body)
			}
			if tt.status == 416 {
				if errCode(r.body) != "InvalidRange" || element(r.body, "RangeRequested") != tt.rng {
					t.Errorf("416 body: %s", r.body)
				}
				return
			}
			if r.body != tt.body || r.header.Get("Accept-Ranges") != "bytes" {
				t.Errorf("body %q, want %q", r.body, tt.body)
			}
		})
	}
}

func TestGetObjectConditional(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "get-b")
	e.put(acctB, "get-b", "k", "hello")
	etag := `"5d41402abc4b2a76b9719d911017c592"`
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		method    string
		headers   map[string]string
		status    int
		code      string
		condition string
	}{
		{"if-match", "GET", map[string]string{"If-Match": etag}, 200, "", ""},
		{"if-match fails", "GET", map[string]string{"If-Match": `"nope"`}, 412, "PreconditionFailed", "If-Match"},
		{"if-match fails head", "HEAD", map[string]string{"If-Match": `"nope"`}, 412, "", ""},
		{"if-none-match", "GET", map[string]string{"If-None-Match": etag}, 304, "", ""},
		{"if-none-match head", "HEAD", map[string]string{"If-None-Match": etag}, 304, "", ""},
		{"if-modified-since past", "GET", map[string]string{"If-Modified-Since": past}, 200, "", ""},
		{"if-modified-since future", "GET", map[string]string{"If-Modified-Since": future}, 304, "", ""},
		{"if-unmodified-since past", "GET", map[string]string{"If-Unmodified-Since": past}, 412, "PreconditionFailed", "If-Unmodified-Since"},
		{"if-match true wins over if-unmodified-since false", "GET", map[string]string{"If-Match": etag, "If-Unmodified-Since": past}, 200, "", ""},
		{"if-none-match false and if-modified-since true is 304", "GET", map[string]string{"If-None-Match": etag, "If-Modified-Since": past}, 304, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			r := e.do(acctB, tt.method, "/get-b/k", h, nil)
			if r.status != tt.status || errCode(r.body) != tt.code || element(r.body, "Condition") != tt.condition {
				t.Errorf("got %d %s %q, want %d %s %q", r.status, errCode(r.body), element(r.body, "Condition"), tt.status, tt.code, tt.condition)
			}
			if tt.status == 304 && (r.header.Get("ETag") != etag || r.body != "") {
				t.Errorf("304: ETag %q body %q", r.header.Get("ETag"), r.body)
			}
		})
	}
}

func TestGetObjectOverridesAndAccess(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "get-b")
	e.put(acctB, "get-b", "k", "hello")
	e.createBucket(acctB, "public-b")
	e.put(acctB, "public-b", "k", "hello")
	e.setPolicy("public-b", allowPolicy("*", []string{"s3:GetObject"}, []string{"arn:aws:s3:::public-b/*"}, ""))
	e.createBucket(acctB, "listable-b")
	e.setPolicy("listable-b", allowPolicy(acctA, []string{"s3:GetObject", "s3:ListBucket"}, []string{"arn:aws:s3:::listable-b", "arn:aws:s3:::listable-b/*"}, ""))
	e.createBucket(acctB, "readonly-b")
	e.setPolicy("readonly-b", allowPolicy(acctA, []string{"s3:GetObject"}, []string{"arn:aws:s3:::readonly-b/*"}, ""))
	overrides := "?response-content-type=text/plain&response-content-language=fr&response-expires=Thu,%2001%20Dec%201994%2016:00:00%20GMT" +
		"&response-cache-control=no-cache&response-content-disposition=attachment&response-content-encoding=identity"
	tests := []struct {
		name, account, target string
		status                int
		code                  string
		headers               map[string]string
	}{
		{"overrides", acctB, "/get-b/k" + overrides, 200, "", map[string]string{"Content-Type": "text/plain", "Content-Language": "fr",
			"Expires": "Thu, 01 Dec 1994 16:00:00 GMT", "Cache-Control": "no-cache", "Content-Disposition": "attachment", "Content-Encoding": "identity"}},
		{"anonymous without overrides", "", "/public-b/k", 200, "", map[string]string{"Content-Length": "5"}},
		{"anonymous with overrides", "", "/public-b/k?response-content-type=text/plain", 400, "InvalidRequest", nil},
		{"missing key with ListBucket is 404", acctA, "/listable-b/nope", 404, "NoSuchKey", nil},
		{"missing key without ListBucket is 403", acctA, "/readonly-b/nope", 403, "AccessDenied", nil},
		{"missing key, no access at all", acctA, "/get-b/nope", 403, "AccessDenied", nil},
		{"existing key, other account", acctA, "/get-b/k", 403, "AccessDenied", nil},
		{"owner missing key", acctB, "/get-b/nope", 404, "NoSuchKey", nil},
		{"version null", acctB, "/get-b/k?versionId=null", 200, "", nil},
		{"unknown version", acctB, "/get-b/k?versionId=3HL4kqtJlcpXroDTDmJ", 400, "InvalidArgument", nil},
		{"part 1 of a simple object", acctB, "/get-b/k?partNumber=1", 206, "", map[string]string{"Content-Range": "bytes 0-4/5"}},
		{"part 2 of a simple object", acctB, "/get-b/k?partNumber=2", 416, "InvalidPartNumber", nil},
		{"part 0", acctB, "/get-b/k?partNumber=0", 400, "InvalidArgument", nil},
		{"missing bucket", acctB, "/nope-b/k", 404, "NoSuchBucket", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.account, http.MethodGet, tt.target, nil, nil)
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			for k, v := range tt.headers {
				if got := r.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
	// Range and partNumber together.
	r := e.do(acctB, http.MethodGet, "/get-b/k?partNumber=1", http.Header{"Range": {"bytes=0-1"}}, nil)
	if r.status != 400 || errCode(r.body) != "InvalidRequest" {
		t.Errorf("Range with partNumber: %d %s", r.status, r.body)
	}
	// HEAD of a missing key: no body, 403 or 404 by the same rule.
	if r := e.do(acctA, http.MethodHead, "/readonly-b/nope", nil, nil); r.status != 403 || r.body != "" {
		t.Errorf("HEAD missing key without ListBucket: %d %q", r.status, r.body)
	}
	if r := e.do(acctA, http.MethodHead, "/listable-b/nope", nil, nil); r.status != 404 || r.body != "" {
		t.Errorf("HEAD missing key with ListBucket: %d %q", r.status, r.body)
	}
}

// TestUserMetadataNamesLowerCase: user metadata comes back under
// lower-case x-amz-meta- names, whatever case the upload used (a client
// that strips the prefix then reports "foo", as with S3).
// https://docs.aws.amazon.com/amazonq/detector-library/java/s3-object-user-metadata-key-case-sensitivity
func TestUserMetadataNamesLowerCase(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "meta-b")
	put := signedRequest(t, http.MethodPut, "/meta-b/k", []byte("x"), "X-Amz-Meta-Foo", "bar")
	rec := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, put)
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		rec := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(rec, signedRequest(t, method, "/meta-b/k", nil))
		if got := rec.Result().Header["x-amz-meta-foo"]; len(got) != 1 || got[0] != "bar" {
			t.Errorf("%s: header names %v, want x-amz-meta-foo: bar", method, keys(rec.Result().Header))
		}
	}
}

func keys(h http.Header) []string {
	var out []string
	for k := range h {
		out = append(out, k)
	}
	return out
}
