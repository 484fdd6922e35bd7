package s3api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"github.com/verdict-project/verdict/service/s3controlapi"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
	"github.com/verdict-project/verdict/store/memory"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The two accounts of the tests; their root users sign with rootSecret.
const (
	acctA      = "111111111111"
	acctB      = "222222222222"
	rootSecret = "verdict-test-root-secret"
)

// testEnv is a verdict server on 127.0.0.1 with an in-memory store.
type testEnv struct {
	t     *testing.T
	env   *service.Env
	blobs *memory.Blobs
	srv   *httptest.Server
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	blobs := memory.NewBlobs()
	env := &service.Env{Store: memory.New(), Blobs: blobs, Compiler: inputs.NewCompiler(), Log: decisionlog.New(1000),
		Region: "us-east-1", RootSecret: rootSecret}
	s := server.New(env, time.Now)
	s.Register("s3", New())
	s.Register("s3control", s3controlapi.New())
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &testEnv{t: t, env: env, blobs: blobs, srv: ts}
}

// client returns an S3 client signing as the root user of account, with
// path-style addressing and the checksums the SDK sends by default.
func (e *testEnv) client(account string) *s3.Client {
	return s3.New(s3.Options{
		Region:                     "us-east-1",
		BaseEndpoint:               aws.String(e.srv.URL),
		UsePathStyle:               true,
		Credentials:                credentials.NewStaticCredentialsProvider(account, rootSecret, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
		RetryMaxAttempts:           1,
	})
}

// createBucket creates a bucket owned by account.
func (e *testEnv) createBucket(account, name string) {
	e.t.Helper()
	if _, err := e.client(account).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		e.t.Fatalf("CreateBucket %s: %v", name, err)
	}
}

// put stores an object as account.
func (e *testEnv) put(account, bucket, key, body string) {
	e.t.Helper()
	_, err := e.client(account).PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: strings.NewReader(body)})
	if err != nil {
		e.t.Fatalf("PutObject %s/%s: %v", bucket, key, err)
	}
}

// setBucket changes a bucket record directly (policy, public access, ...),
// standing in for the bucket-configuration operations.
func (e *testEnv) setBucket(name string, fn func(b *model.Bucket)) {
	e.t.Helper()
	err := e.env.Store.Update(context.Background(), func(tx store.Tx) error {
		b, err := state.Bucket(tx, name)
		if err != nil {
			return err
		}
		fn(b)
		return state.PutBucket(tx, b)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// setPolicy sets a bucket policy and turns Block Public Access off.
func (e *testEnv) setPolicy(bucket, doc string) {
	e.setBucket(bucket, func(b *model.Bucket) { b.Policy = doc; b.PublicAccess = nil })
}

// countBlobs returns how many blobs exist.
// countData returns how many objects' bytes are stored: blob files plus
// inline records.
func (e *testEnv) countData() int {
	n := e.count(objectDataTable, "")
	_ = e.blobs.List(func(_ blob.Info) (bool, error) { n++; return true, nil })
	return n
}

// count returns how many records a table holds under prefix.
func (e *testEnv) count(table, prefix string) int {
	n := 0
	_ = e.env.Store.View(context.Background(), func(tx store.Tx) error {
		return tx.Scan(table, prefix, "", func(string, []byte) (bool, error) { n++; return true, nil })
	})
	return n
}

// rawResponse is a response read in full.
type rawResponse struct {
	status int
	header http.Header
	body   string
}

// do sends a request signed as account ("" for anonymous) with the body
// hashed into x-amz-content-sha256 (unless the header sets it, for the
// streaming encodings), and reads the whole response.
func (e *testEnv) do(account, method, target string, header http.Header, body []byte) rawResponse {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+target, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if strings.Contains(target, "%") {
		// Keep the path exactly as written (the test wants those bytes).
		path, _, _ := strings.Cut(target, "?")
		req.URL.RawPath = path
		if p, err := url.PathUnescape(path); err == nil {
			req.URL.Path = p
		}
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if account != "" {
		hash := req.Header.Get("X-Amz-Content-Sha256")
		if hash == "" {
			sum := sha256.Sum256(body)
			hash = hex.EncodeToString(sum[:])
			req.Header.Set("X-Amz-Content-Sha256", hash)
		}
		signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
		cred := aws.Credentials{AccessKeyID: account, SecretAccessKey: rootSecret}
		if err := signer.SignHTTP(context.Background(), cred, req, hash, "s3", "us-east-1", time.Now()); err != nil {
			e.t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// apiCode returns the AWS error code of an SDK error ("" for nil).
func apiCode(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return "not an API error: " + err.Error()
}

// errCode extracts <Code> from an S3 error body.
func errCode(body string) string {
	m := regexp.MustCompile(`<Code>([^<]*)</Code>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// volatile matches the parts of a body that change from run to run.
var volatile = regexp.MustCompile(`<(RequestId|HostId|LastModified|Initiated|UploadId|NextContinuationToken|NextUploadIdMarker)>[^<]*</`)

// normalize replaces the volatile parts of a body.
func normalize(s string) string {
	return volatile.ReplaceAllString(s, "<$1>*</")
}

// golden compares got with testdata/name.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	got = normalize(got)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from its golden file:\n got: %s\nwant: %s", name, got, want)
	}
}

// bytesReader is a seekable body for the SDK.
func bytesReader(s string) *bytes.Reader { return bytes.NewReader([]byte(s)) }

func mustRE(s string) *regexp.Regexp { return regexp.MustCompile(s) }
