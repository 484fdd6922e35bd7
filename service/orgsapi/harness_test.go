package orgsapi_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/service/orgsapi"
	"github.com/verdict-project/verdict/service/s3api"
	"github.com/verdict-project/verdict/service/stsapi"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/world"
)

const rootSecret = "root-secret"

// Accounts of the test world: mgmt creates the organization, member joins
// it, outsider stays out.
const (
	mgmt     = "111111111111"
	member   = "222222222222"
	outsider = "333333333333"
)

const testWorld = `
accounts:
  - id: "111111111111"
    users:
      - name: admin
        access_keys: [{id: AKIAMGMTADMIN0000001, secret: admin-secret}]
        policies:
          all: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
    buckets:
      - name: mgmt-bucket
  - id: "222222222222"
    users:
      - name: alice
        access_keys: [{id: AKIAALICE00000000001, secret: alice-secret}]
        policies:
          s3: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
    buckets:
      - name: member-bucket
        policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::333333333333:root"}
              Action: s3:GetObject
              Resource: "arn:aws:s3:::member-bucket/*"
  - id: "333333333333"
    users:
      - name: eve
        access_keys: [{id: AKIAEVE0000000000001, secret: eve-secret}]
        policies:
          s3: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
`

type env struct {
	t   *testing.T
	srv *httptest.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := memory.New()
	w, err := world.Parse("test.yaml", []byte(testWorld))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Apply(context.Background(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	senv := &service.Env{Store: st, Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: decisionlog.New(100),
		Region: "us-east-1", RootSecret: rootSecret, MaxObjectSize: 1 << 20}
	srv := server.New(senv, time.Now)
	srv.Register("s3", s3api.New())
	srv.Register("iam", iamapi.New())
	srv.Register("sts", stsapi.New())
	srv.Register("organizations", orgsapi.New())
	e := &env{t: t, srv: httptest.NewServer(srv)}
	t.Cleanup(e.srv.Close)
	return e
}

type creds struct{ id, secret string }

func root(account string) creds { return creds{account, rootSecret} }

var (
	mgmtAdmin = creds{"AKIAMGMTADMIN0000001", "admin-secret"}
	alice     = creds{"AKIAALICE00000000001", "alice-secret"}
	eve       = creds{"AKIAEVE0000000000001", "eve-secret"}
)

func (e *env) config(c creds) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(c.id, c.secret, ""),
		BaseEndpoint: aws.String(e.srv.URL), HTTPClient: e.srv.Client(), RetryMaxAttempts: 1}
}

func (e *env) orgs(c creds) *organizations.Client { return organizations.NewFromConfig(e.config(c)) }

func (e *env) s3(c creds) *s3.Client {
	return s3.NewFromConfig(e.config(c), func(o *s3.Options) { o.UsePathStyle = true })
}

func (e *env) put(c creds, bucket, key string) {
	e.t.Helper()
	_, err := e.s3(c).PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: strings.NewReader("hello")})
	noErr(e.t, err)
}

func (e *env) get(c creds, bucket, key string) error {
	out, err := e.s3(c).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil {
		out.Body.Close()
	}
	return err
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s", want)
	}
	if c := code(err); c != want {
		t.Fatalf("error %s (%v); want %s", c, err, want)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
