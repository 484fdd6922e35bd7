package main

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzFloorPut feeds the floor's PUT arbitrary hash headers and bodies: it
// must answer 200 with the body's MD5 as ETag, or an S3 error (400, or 501
// for the aws-chunked forms it does not decode), and never panic.
func FuzzFloorPut(f *testing.F) {
	f.Add("", "", "X-Amz-Checksum-Crc32", "", []byte("hello"))
	f.Add("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "XUFAKrxLKna5cZ2REBfFkg==", "X-Amz-Checksum-Crc32", "NhCmhg==", []byte("hello"))
	f.Add("UNSIGNED-PAYLOAD", "", "X-Amz-Checksum-Sha256", "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", []byte("hello"))
	f.Add("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "", "", "", []byte{})
	f.Fuzz(func(t *testing.T, contentSHA, contentMD5, sumHeader, sumValue string, body []byte) {
		h := newHandler(1<<16, true)
		req := httptest.NewRequest(http.MethodPut, "/b/k", bytes.NewReader(body))
		if contentSHA != "" {
			req.Header.Set("X-Amz-Content-Sha256", contentSHA)
		}
		if contentMD5 != "" {
			req.Header.Set("Content-MD5", contentMD5)
		}
		if sumHeader != "" && !strings.ContainsAny(sumHeader, ":\r\n\x00") {
			req.Header.Set(sumHeader, sumValue)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			sum := md5.Sum(body)
			if want := `"` + hex.EncodeToString(sum[:]) + `"`; rec.Header().Get("ETag") != want {
				t.Fatalf("ETag %s, want %s", rec.Header().Get("ETag"), want)
			}
		case http.StatusBadRequest, http.StatusNotImplemented:
			if !strings.Contains(rec.Body.String(), "<Code>") {
				t.Fatalf("error without an S3 code: %s", rec.Body)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
