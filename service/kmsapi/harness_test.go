package kmsapi_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/service/kmsapi"
	"github.com/verdict-project/verdict/store/memory"
)

const rootSecret = "root-secret"

const (
	acctA = "111111111111"
	acctB = "222222222222"
)

// env is a verdict server on 127.0.0.1 serving IAM and KMS over an
// in-memory store.
type env struct {
	t   *testing.T
	srv *httptest.Server
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	k, err := kmsapi.New(master)
	if err != nil {
		t.Fatal(err)
	}
	senv := &service.Env{Store: memory.New(), Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: decisionlog.New(100),
		Region: "us-east-1", RootSecret: rootSecret, MaxObjectSize: 1 << 20}
	e := &env{t: t}
	srv := server.New(senv, time.Now)
	srv.Register("iam", iamapi.New())
	srv.Register("kms", k)
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)
	return e
}

type creds struct{ id, secret string }

func root(account string) creds { return creds{account, rootSecret} }

func (e *env) config(c creds) aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(c.id, c.secret, ""),
		BaseEndpoint:     aws.String(e.srv.URL),
		HTTPClient:       e.srv.Client(),
		RetryMaxAttempts: 1,
	}
}

func (e *env) kms(c creds) *kms.Client { return kms.NewFromConfig(e.config(c)) }

// user creates an IAM user in account with an optional inline policy and
// returns its credentials.
func (e *env) user(account, name, policy string) creds {
	e.t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(e.config(root(account)))
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		e.t.Fatal(err)
	}
	if policy != "" {
		if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}); err != nil {
			e.t.Fatal(err)
		}
	}
	out, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	return creds{aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey)}
}

// errCode returns the AWS error code of err, "" for nil.
func errCode(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return err.Error()
}

func errMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

func (e *env) createKey(c creds, policy string) string {
	e.t.Helper()
	in := &kms.CreateKeyInput{}
	if policy != "" {
		in.Policy = aws.String(policy)
	}
	out, err := e.kms(c).CreateKey(context.Background(), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.KeyMetadata.Arn)
}
