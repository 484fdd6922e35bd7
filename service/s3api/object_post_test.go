package s3api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/store/memory"
)

// postEnv is a server with S3 and IAM for POST upload tests.
type postEnv struct {
	t   *testing.T
	env *service.Env
	srv *httptest.Server
}

func newPostEnv(t *testing.T) *postEnv {
	t.Helper()
	env := &service.Env{Store: memory.New(), Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: decisionlog.New(100),
		Region: "us-east-1", RootSecret: rootSecret}
	s := server.New(env, time.Now)
	s.Register("s3", New())
	s.Register("iam", iamapi.New())
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &postEnv{t: t, env: env, srv: ts}
}

func (e *postEnv) cfg(id, secret string) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(id, secret, ""),
		BaseEndpoint: aws.String(e.srv.URL), HTTPClient: e.srv.Client(), RetryMaxAttempts: 1}
}

func (e *postEnv) s3(id, secret string) *s3.Client {
	return s3.NewFromConfig(e.cfg(id, secret), func(o *s3.Options) { o.UsePathStyle = true })
}

// user creates an IAM user with an inline policy and returns its keys.
func (e *postEnv) user(account, name, policy string) (string, string) {
	e.t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(e.cfg(account, rootSecret))
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}); err != nil {
		e.t.Fatal(err)
	}
	out, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey)
}

// presign asks the SDK for a POST form for bucket/key.
func (e *postEnv) presign(id, secret, bucket, key string, expires time.Duration, conds ...any) *s3.PresignedPostRequest {
	e.t.Helper()
	pc := s3.NewPresignClient(e.s3(id, secret))
	out, err := pc.PresignPostObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		func(o *s3.PresignPostOptions) { o.Expires = expires; o.Conditions = conds })
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// postForm sends fields (then extra, overriding) and a file named filename
// as multipart/form-data to url.
func postMultipart(t *testing.T, url string, fields, extra map[string]string, filename, content string) rawResponse {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	all := map[string]string{}
	for k, v := range fields {
		all[k] = v
	}
	for k, v := range extra {
		all[k] = v
	}
	for k, v := range all {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", filename)
	_, _ = io.WriteString(fw, content)
	_ = w.WriteField("after-the-file", "ignored")
	_ = w.Close()
	resp, err := http.Post(url, w.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (e *postEnv) getBody(bucket, key string) (string, error) {
	out, err := e.s3(acctA, rootSecret).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), err
}

func TestPostObject(t *testing.T) {
	e := newPostEnv(t)
	ctx := context.Background()
	if _, err := e.s3(acctA, rootSecret).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("forms")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		key      string
		expires  time.Duration
		conds    []any
		extra    map[string]string
		filename string
		content  string
		status   int
		code     string
		body     string // substring of the response body
		stored   string // key that must then hold content
	}{
		{name: "default 204", key: "a.txt", expires: time.Minute, content: "hello", status: 204, stored: "a.txt"},
		{name: "201 PostResponse", key: "b.txt", expires: time.Minute, conds: []any{map[string]string{"success_action_status": "201"}},
			extra: map[string]string{"success_action_status": "201"}, content: "hi", status: 201, body: "<Key>b.txt</Key>", stored: "b.txt"},
		{name: "200 empty", key: "c.txt", expires: time.Minute, conds: []any{[]any{"eq", "$success_action_status", "200"}},
			extra: map[string]string{"success_action_status": "200"}, content: "x", status: 200, stored: "c.txt"},
		{name: "filename substituted", key: "uploads/${filename}", expires: time.Minute, conds: []any{[]any{"starts-with", "$key", "uploads/"}},
			filename: "photo.jpg", content: "jpeg", status: 204, stored: "uploads/photo.jpg"},
		{name: "metadata and content type", key: "m.txt", expires: time.Minute,
			conds: []any{[]any{"starts-with", "$Content-Type", "text/"}, map[string]string{"x-amz-meta-color": "blue"}},
			extra: map[string]string{"Content-Type": "text/plain", "x-amz-meta-color": "blue", "x-ignore-me": "free"}, content: "m", status: 204, stored: "m.txt"},
		{name: "expired policy", key: "d.txt", expires: -time.Minute, content: "x", status: 403, code: "AccessDenied", body: "Policy expired."},
		{name: "failing starts-with", key: "e.txt", expires: time.Minute, conds: []any{[]any{"starts-with", "$key", "uploads/"}},
			content: "x", status: 403, code: "AccessDenied", body: `Policy Condition failed: ["starts-with", "$key", "uploads/"]`},
		{name: "field without condition", key: "f.txt", expires: time.Minute, extra: map[string]string{"acl": "public-read"},
			content: "x", status: 403, code: "AccessDenied", body: "Extra input fields: acl"},
		{name: "bad signature", key: "g.txt", expires: time.Minute, extra: map[string]string{"X-Amz-Signature": strings.Repeat("0", 64)},
			content: "x", status: 403, code: "SignatureDoesNotMatch"},
		{name: "too large", key: "h.txt", expires: time.Minute, conds: []any{[]any{"content-length-range", 1, 4}},
			content: "12345", status: 400, code: "EntityTooLarge"},
		{name: "too small", key: "i.txt", expires: time.Minute, conds: []any{[]any{"content-length-range", 3, 10}},
			content: "12", status: 400, code: "EntityTooSmall"},
		{name: "within range", key: "j.txt", expires: time.Minute, conds: []any{[]any{"content-length-range", 1, 5}},
			content: "12345", status: 204, stored: "j.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.presign(acctA, rootSecret, "forms", tt.key, tt.expires, tt.conds...)
			fn := tt.filename
			if fn == "" {
				fn = "upload.bin"
			}
			r := postMultipart(t, p.URL, p.Values, tt.extra, fn, tt.content)
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("status %d code %q, want %d %q: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.body != "" && !strings.Contains(r.body, tt.body) {
				t.Errorf("body %s lacks %s", r.body, tt.body)
			}
			if tt.stored != "" {
				got, err := e.getBody("forms", tt.stored)
				if err != nil || got != tt.content {
					t.Errorf("stored %q, %v; want %q", got, err, tt.content)
				}
			} else if _, err := e.getBody("forms", tt.key); err == nil {
				t.Errorf("%s stored despite the failure", tt.key)
			}
		})
	}
}

func TestPostObjectAuthorization(t *testing.T) {
	e := newPostEnv(t)
	ctx := context.Background()
	root := e.s3(acctA, rootSecret)
	if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared")}); err != nil {
		t.Fatal(err)
	}
	// Account B may write only with the bucket owner getting full control.
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctB + `:root"},
		"Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::shared/*",
		"Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`
	if _, err := root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("shared"), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	// A bucket with ACLs enabled, so that another canned ACL reaches the
	// bucket policy's s3:x-amz-acl condition.
	if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("acls")}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("acls"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipObjectWriter}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("acls"), Policy: aws.String(strings.ReplaceAll(policy, "shared/*", "acls/*"))}); err != nil {
		t.Fatal(err)
	}
	readerID, readerSecret := e.user(acctA, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	writerID, writerSecret := e.user(acctA, "writer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::shared/*"}]}`)
	aclCond := map[string]string{"acl": "bucket-owner-full-control"}
	tests := []struct {
		name         string
		bucket       string
		id, secret   string
		conds        []any
		extra        map[string]string
		status       int
		code         string
		deniedLogged bool
	}{
		{name: "user with PutObject", id: writerID, secret: writerSecret, status: 204},
		{name: "user without PutObject", id: readerID, secret: readerSecret, status: 403, code: "AccessDenied", deniedLogged: true},
		{name: "other account with required acl", id: acctB, secret: rootSecret, conds: []any{aclCond},
			extra: map[string]string{"acl": "bucket-owner-full-control"}, status: 204},
		{name: "other account without acl", id: acctB, secret: rootSecret, status: 403, code: "AccessDenied", deniedLogged: true},
		// Under BucketOwnerEnforced (the default) any other ACL is refused.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
		{name: "other account with another acl", id: acctB, secret: rootSecret, conds: []any{map[string]string{"acl": "private"}},
			extra: map[string]string{"acl": "private"}, status: 400, code: "AccessControlListNotSupported"},
		{name: "acls enabled, required acl", bucket: "acls", id: acctB, secret: rootSecret, conds: []any{aclCond},
			extra: map[string]string{"acl": "bucket-owner-full-control"}, status: 204},
		{name: "acls enabled, another acl", bucket: "acls", id: acctB, secret: rootSecret, conds: []any{map[string]string{"acl": "private"}},
			extra: map[string]string{"acl": "private"}, status: 403, code: "AccessDenied", deniedLogged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bucket := tt.bucket
			if bucket == "" {
				bucket = "shared"
			}
			p := e.presign(tt.id, tt.secret, bucket, "k", time.Minute, tt.conds...)
			r := postMultipart(t, p.URL, p.Values, tt.extra, "f", "data")
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Fatalf("status %d code %q, want %d %q: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
			if tt.deniedLogged {
				entries := e.env.Log.Find(r.header.Get("x-amz-request-id"))
				found := false
				for _, en := range entries {
					if !en.Allowed && en.Action == "s3:PutObject" && en.Message != "" {
						found = true
					}
				}
				if !found {
					t.Errorf("no logged s3:PutObject denial with an explanation: %+v", entries)
				}
			}
		})
	}
}

// TestPostObjectForm covers malformed forms, built by hand.
func TestPostObjectForm(t *testing.T) {
	e := newPostEnv(t)
	if _, err := e.s3(acctA, rootSecret).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("raw")}); err != nil {
		t.Fatal(err)
	}
	policy := func(doc any) string {
		b, _ := json.Marshal(doc)
		return base64.StdEncoding.EncodeToString(b)
	}
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
	}{
		{name: "not multipart", contentType: "text/plain", body: "x", status: 412, code: "PreconditionFailed"},
		{name: "garbage", contentType: "multipart/form-data; boundary=zz", body: "not a form", status: 400, code: "MalformedPOSTRequest"},
		{name: "no file", contentType: "multipart/form-data; boundary=zz",
			body: "--zz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--zz--\r\n", status: 400, code: "InvalidArgument"},
		{name: "no key", contentType: "multipart/form-data; boundary=zz",
			body: "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--zz--\r\n", status: 400, code: "InvalidArgument"},
		{name: "fields too large", contentType: "multipart/form-data; boundary=zz",
			body: "--zz\r\nContent-Disposition: form-data; name=\"x-ignore-big\"\r\n\r\n" + strings.Repeat("a", 30<<10) + "\r\n--zz--\r\n", status: 400, code: "MaxPostPreDataLengthExceeded"},
		{name: "bad policy", contentType: "multipart/form-data; boundary=zz",
			body: "--zz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n" +
				"--zz\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\n" + policy(map[string]any{"conditions": []any{}}) + "\r\n" +
				"--zz\r\nContent-Disposition: form-data; name=\"x-amz-algorithm\"\r\n\r\nAWS4-HMAC-SHA256\r\n" +
				"--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--zz--\r\n", status: 400, code: "InvalidArgument"},
		{name: "anonymous denied", contentType: "multipart/form-data; boundary=zz",
			body: "--zz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n" +
				"--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--zz--\r\n", status: 403, code: "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(e.srv.URL+"/raw", tt.contentType, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || errCode(string(b)) != tt.code {
				t.Fatalf("status %d code %q, want %d %q: %s", resp.StatusCode, errCode(string(b)), tt.status, tt.code, b)
			}
		})
	}
}
