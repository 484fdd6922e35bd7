package sigv4

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The current verification path must build byte-for-byte the canonical
// requests of the frozen one in legacy_test.go, list the same unsigned
// headers, and reach the same verdict with the same error fields.

// equivalenceCase is one request shape: the headers are set both through
// Header.Add (canonical keys) and, for rawHeader, directly in the map.
type equivalenceCase struct {
	name      string
	method    string
	path      string
	rawQuery  string
	service   string
	signed    string
	rawHeader string
	value     string
	presigned bool
}

var equivalenceCases = []equivalenceCase{
	{"S3 GET", "GET", "/bucket/key", "", "s3", "host;x-amz-content-sha256;x-amz-date", "", "", false},
	{"S3 canonical escapes", "GET", "/bucket/a%20b%2Bc%C3%BC", "versionId=3&acl", "s3", "host;x-amz-date", "", "", false},
	{"S3 dollar on the wire", "PUT", "/bucket/test$file.text", "", "s3", "host;x-amz-date;x-amz-storage-class", "X-Amz-Storage-Class", "REDUCED_REDUNDANCY", false},
	{"S3 lowercase escape", "GET", "/bucket/a%2fb%7e", "", "s3", "host", "", "", false},
	{"lowercase escapes of non-ASCII", "GET", "/bucket/%c3%bc%C3%bC", "k=%c3%bc&%e2%82%AC=1", "s3", "host", "", "", false},
	{"S3 escaped unreserved", "GET", "/bucket/%41%2F", "prefix=%41%2f&x=a+b", "s3", "host", "", "", false},
	{"S3 bad escape", "GET", "/bucket/%zz/%4", "a=%zz&b=%4&%=%", "s3", "host", "", "", false},
	{"presigned", "GET", "/bucket/key", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Security-Token=a%2Bb%3D%3D", "s3", "host", "", "", true},
	{"presigned signature escaped", "GET", "/k", "X-Amz%2DSignature=1&X-Amz-Signature=2&X%2DAmz-Signature", "s3", "host", "", "", true},
	{"STS normalizes", "POST", "//a/./b/../c%20d/", "Action=GetCallerIdentity&Version=2011-06-15", "sts", "content-type;host;x-amz-date", "", "", false},
	{"non-canonical map key", "GET", "/", "", "execute-api", "host;x-custom", "x-custom", "  a   b  ", false},
	{"unsigned x-amz header", "GET", "/b/k", "", "s3", "x-amz-date", "x-amz-meta-Owner", "me", false},
	{"non-ASCII header key", "GET", "/b/k", "", "s3", "host;x-amz-date;x-amz-ſ", "X-Amz-ſ", "v", false},
	{"upper-case signed names", "GET", "/b/k", "", "s3", "Host;X-Amz-Date", "", "", false},
	{"content-length and transfer-encoding", "PUT", "/b/k", "", "s3", "content-length;host;transfer-encoding;x-amz-date", "", "", false},
	{"uncommon header", "GET", "/b/k", "", "s3", "host;x-amz-date;x-amz-grant-read", "X-Amz-Grant-Read", "id=1", false},
}

// equivalenceRequest builds the request a server would see for c.
func equivalenceRequest(c equivalenceCase) *http.Request {
	uri := c.path
	if c.rawQuery != "" {
		uri += "?" + c.rawQuery
	}
	r := &http.Request{
		Method: c.method, URL: &url.URL{Path: c.path, RawQuery: c.rawQuery}, RequestURI: uri,
		Host: "examplebucket.s3.amazonaws.com", Header: http.Header{}, ContentLength: 5,
		TransferEncoding: []string{"chunked"},
	}
	r.Header.Add("X-Amz-Date", exampleTime)
	r.Header.Add("X-Amz-Content-Sha256", EmptySHA256)
	r.Header.Add("Content-Type", "text/plain;  charset=utf-8 ")
	r.Header.Add("Content-Type", "x")
	if c.rawHeader != "" {
		r.Header[c.rawHeader] = append(r.Header[c.rawHeader], c.value, c.value+"  2")
	}
	return r
}

// checkMatchesLegacy compares the current and the frozen path on c.
func checkMatchesLegacy(t *testing.T, c equivalenceCase) {
	t.Helper()
	newSig := func() *Signature {
		s := &Signature{
			AccessKeyID: "AKID", Date: mustTime(t, exampleTime), Region: "us-east-1", Service: c.service,
			Scope:         "20130524/us-east-1/" + c.service + "/aws4_request",
			SignedHeaders: strings.Split(c.signed, ";"), PayloadHash: EmptySHA256,
			Presigned: c.presigned, Expires: MaxPresignedExpires, requestTime: exampleTime,
		}
		return s
	}
	s := newSig()
	r := equivalenceRequest(c)
	want := s.legacyCanonicalRequests(r)
	if got := s.canonicalRequests(r); !slices.Equal(got, want) {
		t.Fatalf("canonical requests:\n%q\nlegacy:\n%q", got, want)
	}
	if got, want := unsignedHeaders(r, s.SignedHeaders), legacyUnsignedHeaders(r, s.SignedHeaders); !slices.Equal(got, want) {
		t.Fatalf("unsigned headers %q, legacy %q", got, want)
	}

	// Sign each candidate the legacy way, plus a wrong signature: both paths
	// must agree on the outcome, the matching canonical request and the
	// error's fields.
	key := signingKey(exampleSecret, "20130524", "us-east-1", c.service)
	sigs := []string{"0000"}
	for _, creq := range want {
		sigs = append(sigs, hexHMAC(key, stringToSign(exampleTime, s.Scope, creq)))
	}
	verified := false
	for _, sig := range sigs {
		a, b := newSig(), newSig()
		a.Signature, b.Signature = sig, sig
		errA := a.Verify(equivalenceRequest(c), exampleSecret, fuzzNow)
		errB := b.legacyVerify(equivalenceRequest(c), exampleSecret, fuzzNow)
		if fmt.Sprintf("%#v", errA) != fmt.Sprintf("%#v", errB) || a.canonical != b.canonical {
			t.Fatalf("signature %s: Verify = %#v (canonical %q)\nlegacy = %#v (canonical %q)", sig, errA, a.canonical, errB, b.canonical)
		}
		verified = verified || errA == nil
	}
	// Unless S3 refuses unsigned headers first, one of the signatures is
	// right: the comparison covers success, not only failures.
	if !verified && (!s3Style(c.service) || len(legacyUnsignedHeaders(r, s.SignedHeaders)) == 0) {
		t.Fatal("no signature verified")
	}
}

func TestCanonicalMatchesLegacy(t *testing.T) {
	for _, c := range equivalenceCases {
		t.Run(c.name, func(t *testing.T) { checkMatchesLegacy(t, c) })
	}
}

func FuzzCanonicalMatchesLegacy(f *testing.F) {
	for _, c := range equivalenceCases {
		f.Add(c.method, c.path, c.rawQuery, c.service, c.signed, c.rawHeader, c.value, c.presigned)
	}
	f.Fuzz(func(t *testing.T, method, path, rawQuery, service, signed, rawHeader, value string, presigned bool) {
		checkMatchesLegacy(t, equivalenceCase{"", method, path, rawQuery, service, signed, rawHeader, value, presigned})
	})
}

// TestEquivalenceFuzzSeeds keeps testdata/fuzz/FuzzCanonicalMatchesLegacy in
// step with equivalenceCases; run with -update after changing them.
func TestEquivalenceFuzzSeeds(t *testing.T) {
	for i, c := range equivalenceCases {
		path := filepath.Join("testdata", "fuzz", "FuzzCanonicalMatchesLegacy", fmt.Sprintf("seed%d", i))
		args := []string{quoteString(c.method), quoteString(c.path), quoteString(c.rawQuery), quoteString(c.service),
			quoteString(c.signed), quoteString(c.rawHeader), quoteString(c.value), "bool(" + strconv.FormatBool(c.presigned) + ")"}
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
		if got, err := os.ReadFile(path); err != nil || string(got) != want {
			t.Errorf("%s is stale (%v); run go test -run TestEquivalenceFuzzSeeds -update", path, err)
		}
	}
}
