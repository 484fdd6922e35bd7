package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

const (
	accountA = "111111111111"
	accountB = "222222222222"
	bucket   = "shared-reports"
)

const bucketPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadForAccountA","Effect":"Allow",
"Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-reports/*"}]}`

const readPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadShared","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-reports/*"}]}`

// setupShared makes the scenario of the issue: a bucket in B whose policy
// grants A, an object in it, and a user alice in A with an access key.
func setupShared(t *testing.T, s *server) creds {
	t.Helper()
	ctx := context.Background()
	b := s.s3(root(accountB))
	if _, err := b.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("q1.csv"), Body: strings.NewReader("q1,42\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(bucketPolicy)}); err != nil {
		t.Fatal(err)
	}
	a := s.iam(root(accountA))
	if _, err := a.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	k, err := a.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	return creds{id: *k.AccessKey.AccessKeyId, secret: *k.AccessKey.SecretAccessKey}
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestCrossAccountGoSDK: A's user is denied without an identity policy and
// allowed with one; B's bucket policy alone is not enough.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
func TestCrossAccountGoSDK(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	alice := setupShared(t, s)
	get := func() (string, error) {
		out, err := s.s3(alice).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("q1.csv")})
		if err != nil {
			return "", err
		}
		defer out.Body.Close()
		b, _ := io.ReadAll(out.Body)
		return string(b), nil
	}
	if _, err := get(); apiCode(err) != "AccessDenied" {
		t.Fatalf("without an identity policy: err = %v, want AccessDenied", err)
	}
	if _, err := s.iam(root(accountA)).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("ReadShared"), PolicyDocument: aws.String(readPolicy)}); err != nil {
		t.Fatal(err)
	}
	body, err := get()
	if err != nil || body != "q1,42\n" {
		t.Fatalf("with an identity policy: %q, %v", body, err)
	}
	// Removing B's grant denies again: both sides must allow.
	if _, err := s.s3(root(accountB)).DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := get(); apiCode(err) != "AccessDenied" {
		t.Fatalf("without the bucket policy: err = %v, want AccessDenied", err)
	}
}

// TestPresignedURL: a presigned GET works until it expires, then S3's
// "Request has expired" AccessDenied.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
func TestPresignedURL(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	b := s.s3(root(accountB))
	if _, err := b.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("q1.csv"), Body: strings.NewReader("q1,42\n")}); err != nil {
		t.Fatal(err)
	}
	ps := s3.NewPresignClient(b)
	req, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("q1.csv")}, s3.WithPresignExpires(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(req.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "q1,42\n" {
		t.Fatalf("presigned GET: %d %s", resp.StatusCode, body)
	}
	time.Sleep(3 * time.Second)
	resp, err = http.Get(req.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !bytes.Contains(body, []byte("<Code>AccessDenied</Code>")) || !bytes.Contains(body, []byte("Request has expired")) {
		t.Fatalf("expired presigned GET: %d %s", resp.StatusCode, body)
	}
}

// TestCrossAccountCLI is the same scenario with the aws CLI.
func TestCrossAccountCLI(t *testing.T) {
	need(t, "aws")
	s := start(t)
	b, a := root(accountB), root(accountA)
	s.mustCLI(t, b, "s3", "mb", "s3://"+bucket)
	file := t.TempDir() + "/q1.csv"
	writeFile(t, file, "q1,42\n")
	s.mustCLI(t, b, "s3", "cp", file, "s3://"+bucket+"/q1.csv")
	s.mustCLI(t, b, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", bucketPolicy)
	s.mustCLI(t, a, "iam", "create-user", "--user-name", "alice")
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	if err := json.Unmarshal([]byte(s.mustCLI(t, a, "iam", "create-access-key", "--user-name", "alice")), &key); err != nil {
		t.Fatal(err)
	}
	alice := creds{id: key.AccessKey.AccessKeyId, secret: key.AccessKey.SecretAccessKey}
	_, errOut, err := s.awsCLI(t, alice, "s3api", "get-object", "--bucket", bucket, "--key", "q1.csv", t.TempDir()+"/out")
	if err == nil || !strings.Contains(errOut, "AccessDenied") {
		t.Fatalf("alice without an identity policy: err=%v %s", err, errOut)
	}
	s.mustCLI(t, a, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "ReadShared", "--policy-document", readPolicy)
	if out := s.mustCLI(t, alice, "s3", "cp", "s3://"+bucket+"/q1.csv", "-"); out != "q1,42\n" {
		t.Fatalf("alice with an identity policy read %q", out)
	}
}
