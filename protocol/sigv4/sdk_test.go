package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

// Round trips with aws-sdk-go-v2's own signer: whatever it signs, Verify
// accepts, and the canonical request Verify rebuilds is the SDK's.

var (
	sdkCreds   = aws.Credentials{AccessKeyID: "AKIDSDKEXAMPLE", SecretAccessKey: "sdk/secret+key"}
	sdkSession = aws.Credentials{AccessKeyID: "ASIASDKEXAMPLE", SecretAccessKey: "session/secret", SessionToken: "FwoGZXIvYXdzEXAMPLE//token=="}
	sdkTime    = time.Date(2024, 2, 29, 23, 59, 30, 0, time.UTC)
)

// sdkShape is one request signed by the SDK.
type sdkShape struct {
	name    string
	method  string
	url     string
	rawPath string // set as URL.RawPath, the way the S3 client escapes keys
	header  http.Header
	body    string
	service string
	creds   aws.Credentials
	// unsigned signs UNSIGNED-PAYLOAD instead of the body's hash.
	unsigned bool
}

func sha256Hex(b string) string {
	sum := sha256.Sum256([]byte(b))
	return hex.EncodeToString(sum[:])
}

func (sh sdkShape) request(t testing.TB) (*http.Request, string) {
	t.Helper()
	var body io.Reader
	if sh.body != "" {
		body = strings.NewReader(sh.body)
	}
	req, err := http.NewRequest(sh.method, sh.url, body)
	if err != nil {
		t.Fatal(err)
	}
	if sh.rawPath != "" {
		req.URL.RawPath = sh.rawPath
		p, err := url.PathUnescape(sh.rawPath)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Path = p
	}
	for k, vs := range sh.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	payload := sha256Hex(sh.body)
	if sh.unsigned {
		payload = UnsignedPayload
	}
	if s3Style(sh.service) {
		req.Header.Set("X-Amz-Content-Sha256", payload)
	}
	return req, payload
}

func (sh sdkShape) creds0() aws.Credentials {
	if sh.creds.AccessKeyID == "" {
		return sdkCreds
	}
	return sh.creds
}

// capture collects the canonical request the SDK logs.
type capture struct{ creq string }

func (c *capture) opts(service string) func(*v4.SignerOptions) {
	return func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = s3Style(service)
		o.LogSigning = true
		o.Logger = logging.LoggerFunc(func(_ logging.Classification, _ string, v ...interface{}) {
			if len(v) > 0 {
				c.creq, _ = v[0].(string)
			}
		})
	}
}

var sdkShapes = []sdkShape{
	{name: "GET object", method: "GET", url: "http://bucket.s3.us-east-1.amazonaws.com/photos/2024/cat.jpg", service: "s3"},
	{name: "path style, port", method: "GET", url: "http://127.0.0.1:9000/bucket/key", service: "s3"},
	{name: "list with query", method: "GET", url: "http://127.0.0.1:9000/bucket?list-type=2&prefix=a%20b%2Bc&delimiter=%2F&start-after=%C3%BC&max-keys=10", service: "s3"},
	{name: "query with plus and empty values", method: "GET", url: "http://127.0.0.1:9000/bucket?uploads&prefix=x+y&marker=", service: "s3"},
	{name: "repeated query parameter", method: "GET", url: "http://127.0.0.1:9000/bucket?b=2&a=z&a=y&a=%2F", service: "s3"},
	{name: "query sorting after encoding", method: "GET", url: "http://127.0.0.1:9000/bucket?k=a-b&k=a%2Fb&k%7C=1&ka=2", service: "s3"},
	{name: "key with spaces and plus", method: "GET", url: "http://127.0.0.1:9000/bucket/x", rawPath: "/bucket/a%20b%2Bc", service: "s3"},
	{name: "key with unicode", method: "GET", url: "http://127.0.0.1:9000/bucket/x", rawPath: "/bucket/%C3%BC%2F%C3%B1/%E1%88%B4", service: "s3"},
	{name: "key with reserved characters", method: "PUT", url: "http://127.0.0.1:9000/bucket/x", rawPath: "/bucket/a%21%2A%27%28%29b%3A%3B%40%3D%2C%24%26c", body: "x", service: "s3"},
	{name: "key with double slashes and dots", method: "GET", url: "http://127.0.0.1:9000/bucket/x", rawPath: "/bucket//a//./b/../c", service: "s3"},
	{name: "key with percent and tilde", method: "GET", url: "http://127.0.0.1:9000/bucket/x", rawPath: "/bucket/100%25~x", service: "s3"},
	{name: "key escaped Go's way", method: "GET", url: "http://127.0.0.1:9000/bucket/a!b$c&d'e(f)g*h+i,j;k=l:m@n", service: "s3"},
	{name: "headers trimmed and repeated", method: "PUT", url: "http://127.0.0.1:9000/bucket/key", body: "hello", service: "s3",
		header: http.Header{
			"X-Amz-Meta-Spaced":   {"  a   b    c  "},
			"X-Amz-Meta-Multi":    {"one", "two", " three "},
			"Content-Type":        {"text/plain;  charset=utf-8"},
			"Cache-Control":       {"no-cache"},
			"X-Amz-Acl":           {"bucket-owner-full-control"},
			"X-Amz-Storage-Class": {"STANDARD_IA"},
		}},
	{name: "conditional and range", method: "GET", url: "http://127.0.0.1:9000/bucket/key", service: "s3",
		header: http.Header{"Range": {"bytes=0-9"}, "If-Match": {`"abc"`}, "If-Modified-Since": {"Wed, 21 Oct 2015 07:28:00 GMT"}}},
	{name: "session token", method: "GET", url: "http://127.0.0.1:9000/bucket/key", service: "s3", creds: sdkSession},
	{name: "PUT with payload hash", method: "PUT", url: "http://127.0.0.1:9000/bucket/key", body: strings.Repeat("payload ", 1000), service: "s3"},
	{name: "PUT unsigned payload", method: "PUT", url: "http://127.0.0.1:9000/bucket/key", body: "anything", unsigned: true, service: "s3"},
	{name: "POST delete", method: "POST", url: "http://127.0.0.1:9000/bucket?delete", body: "<Delete><Object><Key>k</Key></Object></Delete>", service: "s3",
		header: http.Header{"Content-Md5": {"Yj1hKNcbSy2QWp8xZCGTmQ=="}}},
	{name: "HEAD", method: "HEAD", url: "http://127.0.0.1:9000/bucket/key", service: "s3"},
	{name: "DELETE with version", method: "DELETE", url: "http://127.0.0.1:9000/bucket/key?versionId=3%2FL4kqtJlcpXroDTDmJ%2Brmsj", service: "s3"},
	{name: "IAM form post", method: "POST", url: "https://iam.amazonaws.com/", body: "Action=ListUsers&Version=2010-05-08",
		service: "iam", header: http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}},
	{name: "STS with session token", method: "POST", url: "https://sts.us-east-1.amazonaws.com/", body: "Action=GetCallerIdentity&Version=2011-06-15",
		service: "sts", creds: sdkSession, header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}},
	{name: "KMS JSON", method: "POST", url: "https://kms.us-east-1.amazonaws.com/", body: `{"KeyId":"alias/x","Plaintext":"aGk="}`,
		service: "kms", header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"TrentService.Encrypt"}}},
	{name: "other service, path encoded twice", method: "GET", url: "https://api.example.com/stage/a%20b/%C3%BC/c", service: "execute-api"},
}

func TestSDKSignHTTPRoundTrip(t *testing.T) {
	signer := v4.NewSigner()
	for _, sh := range sdkShapes {
		t.Run(sh.name, func(t *testing.T) {
			req, payload := sh.request(t)
			var c capture
			if err := signer.SignHTTP(context.Background(), sh.creds0(), req, payload, sh.service, "us-east-1", sdkTime, c.opts(sh.service)); err != nil {
				t.Fatal(err)
			}
			r := overTheWire(t, req)
			s, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if s.SessionToken != sh.creds0().SessionToken {
				t.Errorf("session token %q", s.SessionToken)
			}
			if err := s.Verify(r, sh.creds0().SecretAccessKey, sdkTime.Add(time.Minute)); err != nil {
				t.Fatalf("Verify: %v\nours:\n%s\nSDK's:\n%s", err, field(err, "CanonicalRequest"), c.creq)
			}
			if s.canonical != c.creq {
				t.Errorf("canonical request:\n%s\nSDK's:\n%s", s.canonical, c.creq)
			}
			body, err := s.Body(r, sh.creds0().SecretAccessKey)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(body)
			if err != nil || string(got) != sh.body {
				t.Fatalf("body %q, %v", got, err)
			}
		})
	}
}

func TestSDKPresignHTTPRoundTrip(t *testing.T) {
	signer := v4.NewSigner()
	shapes := []struct {
		sdkShape
		expires string
	}{
		{sdkShape{name: "GET object", method: "GET", url: "https://bucket.s3.amazonaws.com/key.txt", service: "s3"}, "900"},
		{sdkShape{name: "GET with query", method: "GET", url: "http://127.0.0.1:9000/bucket/key?response-content-type=text%2Fplain&versionId=v1", service: "s3"}, "3600"},
		{sdkShape{name: "special key", method: "GET", url: "http://127.0.0.1:9000/bucket/x", rawPath: "/bucket/dir/a%20b%2Bc%C3%BC", service: "s3"}, "60"},
		{sdkShape{name: "PUT with signed headers", method: "PUT", url: "http://127.0.0.1:9000/bucket/key", body: "uploaded", service: "s3",
			header: http.Header{"Content-Type": {"image/png"}, "X-Amz-Meta-Owner": {"me"}}}, "604800"},
		{sdkShape{name: "hoisted x-amz header", method: "PUT", url: "http://127.0.0.1:9000/bucket/key", body: "uploaded", service: "s3",
			header: http.Header{"X-Amz-Request-Payer": {"requester"}, "X-Amz-Expected-Bucket-Owner": {"111122223333"}}}, "600"},
		{sdkShape{name: "session token", method: "GET", url: "http://127.0.0.1:9000/bucket/key", service: "s3", creds: sdkSession}, "600"},
		{sdkShape{name: "STS GetCallerIdentity", method: "GET", url: "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", service: "sts",
			header: http.Header{"X-K8s-Aws-Id": {"my-cluster"}}}, "60"},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			req, _ := sh.request(t)
			req.Header.Del("X-Amz-Content-Sha256")
			q := req.URL.Query()
			q.Set("X-Amz-Expires", sh.expires)
			req.URL.RawQuery = q.Encode()
			payload := UnsignedPayload
			if !s3Style(sh.service) {
				payload = EmptySHA256
			}
			var c capture
			uri, signedHeaders, err := signer.PresignHTTP(context.Background(), sh.creds0(), req, payload, sh.service, "us-east-1", sdkTime, c.opts(sh.service))
			if err != nil {
				t.Fatal(err)
			}
			var body io.Reader
			if sh.body != "" {
				body = strings.NewReader(sh.body)
			}
			out, _ := http.NewRequest(sh.method, uri, body)
			for k, vs := range signedHeaders {
				if strings.EqualFold(k, "host") {
					continue
				}
				out.Header[k] = vs
			}
			r := overTheWire(t, out)
			s, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse %s: %v", uri, err)
			}
			if !s.Presigned || s.Expires.String() == "" || s.SessionToken != sh.creds0().SessionToken {
				t.Errorf("parsed %+v", s)
			}
			if err := s.Verify(r, sh.creds0().SecretAccessKey, sdkTime.Add(time.Second)); err != nil {
				t.Fatalf("Verify: %v\nours:\n%s\nSDK's:\n%s", err, field(err, "CanonicalRequest"), c.creq)
			}
			if s.canonical != c.creq {
				t.Errorf("canonical request:\n%s\nSDK's:\n%s", s.canonical, c.creq)
			}
			rc, err := s.Body(r, sh.creds0().SecretAccessKey)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(rc); err != nil || string(got) != sh.body {
				t.Fatalf("body %q, %v", got, err)
			}
		})
	}
}

// Tampering with an SDK-signed request after signing gives S3's error.
func TestSDKTamper(t *testing.T) {
	signer := v4.NewSigner()
	base := sdkShape{method: "PUT", url: "http://127.0.0.1:9000/bucket/key?tagging=&x=1", body: "original body", service: "s3",
		header: http.Header{"Range": {"bytes=0-9"}, "X-Amz-Meta-A": {"b"}}}
	sign := func(t *testing.T) *http.Request {
		req, payload := base.request(t)
		if err := signer.SignHTTP(context.Background(), sdkCreds, req, payload, "s3", "us-east-1", sdkTime, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
			t.Fatal(err)
		}
		return overTheWire(t, req)
	}
	now := sdkTime.Add(time.Minute)
	tests := []struct {
		name       string
		tamper     func(r *http.Request)
		secret     string
		now        time.Time
		verifyCode string
		bodyCode   string
	}{
		{name: "untouched"},
		{name: "signed header changed", tamper: func(r *http.Request) { r.Header.Set("Range", "bytes=0-99") }, verifyCode: "SignatureDoesNotMatch"},
		{name: "signed header repeated", tamper: func(r *http.Request) { r.Header.Add("X-Amz-Meta-A", "c") }, verifyCode: "SignatureDoesNotMatch"},
		{name: "unsigned x-amz header added", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") }, verifyCode: "AccessDenied"},
		{name: "unsigned ordinary header added", tamper: func(r *http.Request) { r.Header.Set("X-Forwarded-For", "10.0.0.1") }},
		{name: "host changed", tamper: func(r *http.Request) { r.Host = "127.0.0.1:9001" }, verifyCode: "SignatureDoesNotMatch"},
		{name: "method changed", tamper: func(r *http.Request) { r.Method = "POST" }, verifyCode: "SignatureDoesNotMatch"},
		{name: "path changed", tamper: func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "/key", "/kez", 1) }, verifyCode: "SignatureDoesNotMatch"},
		{name: "query value changed", tamper: func(r *http.Request) { r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "x=1", "x=2", 1) }, verifyCode: "SignatureDoesNotMatch"},
		{name: "query parameter added", tamper: func(r *http.Request) { r.URL.RawQuery += "&versionId=1" }, verifyCode: "SignatureDoesNotMatch"},
		{name: "date moved a second", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20240229T235931Z") }, verifyCode: "SignatureDoesNotMatch"},
		{name: "body changed", tamper: func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader("tampered body")) }, bodyCode: "XAmzContentSHA256Mismatch"},
		{name: "body cut short", tamper: func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader("original")) }, bodyCode: "XAmzContentSHA256Mismatch"},
		{name: "wrong secret", secret: "other", verifyCode: "SignatureDoesNotMatch"},
		{name: "clock far ahead", now: sdkTime.Add(20 * time.Minute), verifyCode: "RequestTimeTooSkewed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sign(t)
			if tc.tamper != nil {
				tc.tamper(r)
			}
			s, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			secret, at := sdkCreds.SecretAccessKey, now
			if tc.secret != "" {
				secret = tc.secret
			}
			if !tc.now.IsZero() {
				at = tc.now
			}
			err = s.Verify(r, secret, at)
			if awsCode(err) != tc.verifyCode {
				t.Fatalf("Verify = %v, want %q", err, tc.verifyCode)
			}
			if err != nil {
				return
			}
			rc, err := s.Body(r, secret)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(rc)
			if awsCode(err) != tc.bodyCode {
				t.Fatalf("Body = %v, want %q", err, tc.bodyCode)
			}
		})
	}

	t.Run("mismatch body fields", func(t *testing.T) {
		r := sign(t)
		s, _ := Parse(r)
		if err := s.Verify(r, sdkCreds.SecretAccessKey, now); err != nil {
			t.Fatal(err)
		}
		good := s.canonical
		r = sign(t)
		s, _ = Parse(r)
		err := s.Verify(r, "other", now)
		if field(err, "CanonicalRequest") != good || field(err, "AWSAccessKeyId") != sdkCreds.AccessKeyID ||
			field(err, "SignatureProvided") != s.Signature ||
			field(err, "StringToSign") != stringToSign("20240229T235930Z", s.Scope, good) ||
			field(err, "CanonicalRequestBytes") != spacedHex(good) {
			t.Fatalf("fields: %+v", err)
		}
		if !strings.HasPrefix(field(err, "StringToSignBytes"), "41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a") {
			t.Errorf("StringToSignBytes %q", field(err, "StringToSignBytes")[:40])
		}
		if h := field(err, "HeadersNotSigned"); h != "" {
			t.Error(h)
		}
	})
	t.Run("headers not signed are named", func(t *testing.T) {
		r := sign(t)
		r.Header.Set("X-Amz-Acl", "public-read")
		r.Header.Set("X-Amz-Tagging", "a=b")
		s, _ := Parse(r)
		err := s.Verify(r, sdkCreds.SecretAccessKey, now)
		if field(err, "HeadersNotSigned") != "x-amz-acl, x-amz-tagging" {
			t.Fatalf("%v %+v", err, err)
		}
	})
}

// Presigned URLs tampered with after signing.
func TestSDKPresignTamper(t *testing.T) {
	signer := v4.NewSigner()
	req, _ := http.NewRequest("GET", "http://127.0.0.1:9000/bucket/key?X-Amz-Expires=300", nil)
	uri, _, err := signer.PresignHTTP(context.Background(), sdkCreds, req, UnsignedPayload, "s3", "us-east-1", sdkTime,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func(string) string
		now    time.Time
		header http.Header
		code   string
	}{
		{name: "untouched", edit: func(u string) string { return u }},
		{name: "expires raised", edit: func(u string) string { return strings.Replace(u, "X-Amz-Expires=300", "X-Amz-Expires=301", 1) }, code: "SignatureDoesNotMatch"},
		{name: "parameter added", edit: func(u string) string { return u + "&versionId=2" }, code: "SignatureDoesNotMatch"},
		{name: "signature removed", edit: func(u string) string { return u[:strings.Index(u, "&X-Amz-Signature")] }, code: "AuthorizationQueryParametersError"},
		{name: "used too late", edit: func(u string) string { return u }, now: sdkTime.Add(301 * time.Second), code: "AccessDenied"},
		{name: "unsigned x-amz header", edit: func(u string) string { return u }, header: http.Header{"X-Amz-Acl": {"public-read"}}, code: "AccessDenied"},
		{name: "header auth too", edit: func(u string) string { return u }, header: http.Header{"Authorization": {"AWS4-HMAC-SHA256 Credential=x"}}, code: "InvalidArgument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _ := http.NewRequest("GET", tc.edit(uri), nil)
			for k, v := range tc.header {
				out.Header[k] = v
			}
			r := overTheWire(t, out)
			now := sdkTime.Add(time.Second)
			if !tc.now.IsZero() {
				now = tc.now
			}
			s, err := Parse(r)
			if err == nil {
				err = s.Verify(r, sdkCreds.SecretAccessKey, now)
			}
			if awsCode(err) != tc.code {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
		})
	}
}

// Non-S3 services hash the body in Verify and leave an equivalent body.
func TestVerifyHashesBodyForOtherServices(t *testing.T) {
	const form = "Action=CreateUser&UserName=alice&Version=2010-05-08"
	sign := func() *http.Request {
		req, _ := http.NewRequest("POST", "https://iam.amazonaws.com/", bytes.NewReader([]byte(form)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := v4.NewSigner().SignHTTP(context.Background(), sdkCreds, req, sha256Hex(form), "iam", "us-east-1", sdkTime); err != nil {
			t.Fatal(err)
		}
		return req
	}
	req := sign()
	r := overTheWire(t, req)
	s, _ := Parse(r)
	if s.PayloadHash != "" {
		t.Fatalf("PayloadHash %q before Verify", s.PayloadHash)
	}
	if err := s.Verify(r, sdkCreds.SecretAccessKey, sdkTime); err != nil {
		t.Fatal(err)
	}
	if s.PayloadHash != sha256Hex(form) {
		t.Errorf("PayloadHash %q", s.PayloadHash)
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("UserName") != "alice" {
		t.Fatalf("the body is gone: %v %v", r.PostForm, err)
	}

	// A different body fails the signature itself.
	r = overTheWire(t, sign())
	r.Body = io.NopCloser(strings.NewReader(strings.Replace(form, "alice", "mallory", 1)))
	s, _ = Parse(r)
	if err := s.Verify(r, sdkCreds.SecretAccessKey, sdkTime); awsCode(err) != "SignatureDoesNotMatch" ||
		!strings.Contains(err.Error(), "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.") {
		t.Fatalf("err = %v", err)
	}
}
