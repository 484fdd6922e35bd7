package world_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/s3api"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/world"
)

// TestTwoAccountsExample serves examples/two-accounts.yaml and checks the
// scenario it describes: alice, in 111111111111, reads an object from the
// bucket of 222222222222, whose policy grants her account s3:GetObject.
func TestTwoAccountsExample(t *testing.T) {
	w, err := world.Load("examples/two-accounts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	if err := w.Apply(context.Background(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	env := &service.Env{Store: st, Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: decisionlog.New(10),
		Region: "us-east-1", RootSecret: "test", MaxObjectSize: 1 << 20}
	srv := server.New(env, time.Now)
	srv.Register("s3", s3api.New())
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client := func(id, secret string) *s3.Client {
		return s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(id, secret, ""),
			BaseEndpoint: aws.String(hs.URL), HTTPClient: hs.Client(), UsePathStyle: true, RetryMaxAttempts: 1})
	}
	ctx := context.Background()
	owner := client("222222222222", "test")
	alice := client("AKIAALICE0000EXAMPLE", "alice-secret")
	if _, err := owner.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared-reports"), Key: aws.String("q1.csv"),
		Body: strings.NewReader("a,b\n")}); err != nil {
		t.Fatal(err)
	}
	out, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared-reports"), Key: aws.String("q1.csv")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(body) != "a,b\n" {
		t.Errorf("body = %q", body)
	}
	// The bucket policy grants reads only.
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared-reports"), Key: aws.String("x"), Body: strings.NewReader("x")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Errorf("alice's PutObject: %v", err)
	}
}
