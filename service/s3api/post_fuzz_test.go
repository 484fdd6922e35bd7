package s3api

import (
	"bytes"
	"encoding/base64"
	"io"
	"testing"
	"time"
)

// FuzzPostPolicy feeds arbitrary documents to the POST policy parser and
// checks the result against a small form: it must return a policy or a
// typed error, never panic.
func FuzzPostPolicy(f *testing.F) {
	f.Add(`{"expiration":"2030-01-01T00:00:00Z","conditions":[{"bucket":"b"},["starts-with","$key","u/"],["content-length-range",1,10]]}`)
	f.Add(`{"expiration":"2030-01-01T00:00:00.000Z","conditions":[["eq","$acl","private"]]}`)
	f.Add(`{"expiration":1,"conditions":{}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, e := parsePostPolicy(base64.StdEncoding.EncodeToString([]byte(doc)))
		if (p == nil) == (e == nil) {
			t.Fatalf("policy %v and error %v", p, e)
		}
		if p != nil {
			if p.hasRange && p.minSize > p.maxSize {
				t.Fatalf("range %d > %d accepted", p.minSize, p.maxSize)
			}
			_ = p.check(map[string]string{"key": "u/x", "acl": "private", "content-type": "a,b"}, "b", time.Unix(0, 0))
		}
	})
}

// FuzzPostForm feeds arbitrary bodies to the multipart form reader: it
// must return the fields and file or a typed error, within the pre-data
// bound.
func FuzzPostForm(f *testing.F) {
	f.Add("--zz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--zz--\r\n")
	f.Add("--zz\r\nContent-Disposition: form-data; name=\"Key\"\r\n\r\nk\r\n--zz\r\nContent-Disposition: form-data; name=\"KEY\"\r\n\r\nk\r\n--zz--\r\n")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, body string) {
		form, e := readPostForm(bytes.NewReader([]byte(body)), "zz")
		if (form == nil) == (e == nil) {
			t.Fatalf("form %v and error %v", form, e)
		}
		if form == nil {
			return
		}
		n := 0
		for k, v := range form.fields {
			n += len(v)
			if k == "file" {
				t.Fatal("file kept as a field")
			}
		}
		if n > maxPostPreData {
			t.Fatalf("%d bytes of fields accepted", n)
		}
		_, _ = io.Copy(io.Discard, form.file)
	})
}
