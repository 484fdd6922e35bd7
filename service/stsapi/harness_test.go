package stsapi_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/service/s3api"
	"github.com/verdict-project/verdict/service/stsapi"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/world"
)

const rootSecret = "root-secret"

// env is a verdict server on 127.0.0.1 serving S3, IAM and STS over an
// in-memory store that holds a world.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	store *memory.Store
}

func newEnv(t *testing.T, worldYAML string) *env {
	t.Helper()
	st := memory.New()
	w, err := world.Parse("test.yaml", []byte(worldYAML))
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
	e := &env{t: t, store: st, srv: httptest.NewServer(srv)}
	t.Cleanup(e.srv.Close)
	return e
}

// creds are credentials to sign with.
type creds struct{ id, secret, token string }

func root(account string) creds { return creds{account, rootSecret, ""} }

func fromSTS(c *types.Credentials) creds {
	return creds{aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
}

func (e *env) config(c creds) aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(c.id, c.secret, c.token),
		BaseEndpoint:     aws.String(e.srv.URL),
		HTTPClient:       e.srv.Client(),
		RetryMaxAttempts: 1,
	}
}

func (e *env) sts(c creds) *sts.Client { return sts.NewFromConfig(e.config(c)) }
func (e *env) iam(c creds) *iam.Client { return iam.NewFromConfig(e.config(c)) }
func (e *env) s3(c creds) *s3.Client {
	return s3.NewFromConfig(e.config(c), func(o *s3.Options) { o.UsePathStyle = true })
}

// assume calls AssumeRole and fails the test on error.
func (e *env) assume(c creds, in *sts.AssumeRoleInput) (creds, *sts.AssumeRoleOutput) {
	e.t.Helper()
	out, err := e.sts(c).AssumeRole(context.Background(), in)
	if err != nil {
		e.t.Fatalf("AssumeRole %s: %v", aws.ToString(in.RoleArn), err)
	}
	return fromSTS(out.Credentials), out
}

func apiError(err error) (code, msg string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", ""
}

func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s", code)
	}
	c, m := apiError(err)
	if c != code || (msg != "" && m != msg) {
		t.Fatalf("error = %s %q (%v)\nwant    %s %q", c, m, err, code, msg)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func err2[T any](_ T, err error) error { return err }
