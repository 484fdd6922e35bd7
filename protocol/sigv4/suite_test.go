package sigv4

import (
	"bufio"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The AWS Signature Version 4 Test Suite (testdata/aws-sig-v4-test-suite,
// see its README). Each case is a raw signed request; the suite's signer
// takes the request line's path as the unencoded path, which is exactly what
// a server receives on the wire when the client encodes it once, so the
// verifier's "encode the wire path" rule for non-S3 services reproduces the
// suite's canonical requests.
const (
	suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	suiteTime   = "20150830T123600Z"
)

// readSuiteRequest turns a .sreq file into the request Go's server would
// hand a handler: Host moved to r.Host, RequestURI verbatim. A folded header
// line (the get-header-value-multiline case) becomes another value of the
// header, which the canonical form joins with commas as the suite expects;
// Go's own server does not accept obsolete line folding.
func readSuiteRequest(t *testing.T, path string) *http.Request {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(string(raw), "\n\n")
	sc := bufio.NewScanner(strings.NewReader(head))
	if !sc.Scan() {
		t.Fatalf("%s: empty", path)
	}
	line := sc.Text()
	method, rest, _ := strings.Cut(line, " ")
	target := strings.TrimSuffix(rest, " HTTP/1.1")
	u, err := url.ParseRequestURI(target)
	if err != nil {
		p, q, _ := strings.Cut(target, "?")
		u = &url.URL{Path: p, RawQuery: q}
	}
	r := &http.Request{
		Method:     method,
		RequestURI: target,
		URL:        u,
		Header:     http.Header{},
		Body:       io.NopCloser(strings.NewReader(body)),
	}
	var last string
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			r.Header.Add(last, strings.TrimSpace(l))
			continue
		}
		k, v, _ := strings.Cut(l, ":")
		last = k
		if strings.EqualFold(k, "Host") {
			r.Host = strings.TrimSpace(v)
			continue
		}
		r.Header.Add(k, strings.TrimSpace(v))
	}
	r.ContentLength = int64(len(body))
	return r
}

func TestAWSSigV4TestSuite(t *testing.T) {
	now, _ := time.Parse(TimeFormat, suiteTime)
	var cases []string
	err := filepath.WalkDir("testdata/aws-sig-v4-test-suite", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".sreq") {
			cases = append(cases, strings.TrimSuffix(path, ".sreq"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 25 {
		t.Fatalf("found %d suite cases, want the whole suite", len(cases))
	}
	for _, c := range cases {
		name := filepath.Base(c)
		t.Run(name, func(t *testing.T) {
			r := readSuiteRequest(t, c+".sreq")
			s, err := Parse(r)
			if err != nil || s == nil {
				t.Fatalf("Parse: %v, %v", s, err)
			}
			if err := s.Verify(r, suiteSecret, now); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			wantCreq, _ := os.ReadFile(c + ".creq")
			if got := s.canonicalRequests(r)[0]; got != string(wantCreq) {
				t.Errorf("canonical request:\n%s\nwant:\n%s", got, wantCreq)
			}
			wantSTS, _ := os.ReadFile(c + ".sts")
			if got := stringToSign(suiteTime, s.Scope, s.canonical); got != string(wantSTS) {
				t.Errorf("string to sign:\n%s\nwant:\n%s", got, wantSTS)
			}
			if err := s.Verify(r, "not-"+suiteSecret, now); awsCode(err) != "SignatureDoesNotMatch" {
				t.Errorf("wrong secret: %v, want SignatureDoesNotMatch", err)
			}
		})
	}
}

// The suite's normalize-path note says S3 must not normalize: the same paths
// signed for S3 keep their dot segments and repeated slashes.
func TestS3DoesNotNormalizePaths(t *testing.T) {
	for _, p := range []string{"/example/..", "//example//", "/./", "/example1/example2/../..", "/my-object//example//photo.user"} {
		t.Run(p, func(t *testing.T) {
			r := &http.Request{Method: "GET", RequestURI: p, URL: &url.URL{Path: p}, Host: "examplebucket.s3.amazonaws.com"}
			if got := canonicalURIs(r, "s3")[0]; got != p {
				t.Errorf("S3 canonical URI = %q, want the path as sent %q", got, p)
			}
			if got := canonicalURIs(r, "service")[0]; got == p {
				t.Errorf("other services must normalize %q", p)
			}
		})
	}
}
