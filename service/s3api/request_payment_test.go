package s3api

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestRequestPaymentConfig: Put and Get of the payer, and the refusals.
func TestRequestPaymentConfig(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "pay-a")
	ctx := context.Background()
	c := e.client(acctA)
	out, err := c.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: aws.String("pay-a")})
	if err != nil || out.Payer != types.PayerBucketOwner {
		t.Fatalf("default payer %q, %v", out.Payer, err)
	}
	if _, err := c.PutBucketRequestPayment(ctx, &s3.PutBucketRequestPaymentInput{Bucket: aws.String("pay-a"),
		RequestPaymentConfiguration: &types.RequestPaymentConfiguration{Payer: types.PayerRequester}}); err != nil {
		t.Fatal(err)
	}
	r := e.do(acctA, http.MethodGet, "/pay-a?requestPayment", nil, nil)
	golden(t, "get_bucket_request_payment", r.body)
	tests := []struct {
		name, account, bucket, body string
		status                      int
		code                        string
	}{
		{"unknown payer", acctA, "pay-a", `<RequestPaymentConfiguration><Payer>Random</Payer></RequestPaymentConfiguration>`, 400, "MalformedXML"},
		{"missing bucket", acctA, "no-such-pay", `<RequestPaymentConfiguration><Payer>Requester</Payer></RequestPaymentConfiguration>`, 404, "NoSuchBucket"},
		{"another account", acctB, "pay-a", `<RequestPaymentConfiguration><Payer>BucketOwner</Payer></RequestPaymentConfiguration>`, 403, "AccessDenied"},
		{"back to the owner", acctA, "pay-a", `<RequestPaymentConfiguration><Payer>BucketOwner</Payer></RequestPaymentConfiguration>`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectStatus(t, e.do(tt.account, http.MethodPut, "/"+tt.bucket+"?requestPayment", nil, []byte(tt.body)), tt.status, tt.code)
		})
	}
	if r := e.do(acctA, http.MethodGet, "/pay-a?requestPayment", nil, nil); element(r.body, "Payer") != "BucketOwner" {
		t.Errorf("payer after reset: %s", r.body)
	}
}

// presignGet returns a presigned GET URL for target, signed as account,
// with extra query parameters signed in.
func (e *testEnv) presignGet(account, target string, query map[string]string) string {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+target, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	q := req.URL.Query()
	for k, v := range query {
		q.Set(k, v)
	}
	q.Set("X-Amz-Expires", "300")
	req.URL.RawQuery = q.Encode()
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	cred := aws.Credentials{AccessKeyID: account, SecretAccessKey: rootSecret}
	u, _, err := signer.PresignHTTP(context.Background(), cred, req, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// TestRequesterPays: on a Requester Pays bucket another account must
// acknowledge the charge (header, or query parameter on a presigned URL)
// and is then told it was charged; anonymous requests are always refused;
// the owner needs nothing.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
func TestRequesterPays(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.aclBucket(acctA, "rp-a", types.ObjectOwnershipObjectWriter)
	e.put(acctA, "rp-a", "k", "paid")
	e.putPolicy(acctA, "rp-a", allowPolicy(acctB, []string{"s3:GetObject"}, []string{"arn:aws:s3:::rp-a/*"}, ""))
	expectStatus(t, e.do(acctA, http.MethodPut, "/rp-a/k?acl", hdr("x-amz-acl", "public-read"), nil), 200, "")
	if _, err := e.client(acctA).PutBucketRequestPayment(ctx, &s3.PutBucketRequestPaymentInput{Bucket: aws.String("rp-a"),
		RequestPaymentConfiguration: &types.RequestPaymentConfiguration{Payer: types.PayerRequester}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, account string
		header        http.Header
		status        int
		charged       string
	}{
		{"other account without the header", acctB, nil, 403, ""},
		{"other account with the header", acctB, hdr("x-amz-request-payer", "requester"), 200, "requester"},
		{"owner without the header", acctA, nil, 200, ""},
		{"anonymous with the header", "", hdr("x-amz-request-payer", "requester"), 403, ""},
		{"anonymous without the header", "", nil, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.account, http.MethodGet, "/rp-a/k", tt.header, nil)
			if r.status != tt.status || r.header.Get("x-amz-request-charged") != tt.charged {
				t.Errorf("status %d charged %q, want %d %q: %s", r.status, r.header.Get("x-amz-request-charged"), tt.status, tt.charged, r.body)
			}
			if tt.status == 403 && errCode(r.body) != "AccessDenied" {
				t.Errorf("code %q", errCode(r.body))
			}
		})
	}
	// The SDK sends the header for RequestPayer.
	out, err := e.client(acctB).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("rp-a"), Key: aws.String("k"), RequestPayer: types.RequestPayerRequester})
	if err != nil {
		t.Fatal(err)
	}
	_ = out.Body.Close()
	if out.RequestCharged != types.RequestChargedRequester {
		t.Errorf("RequestCharged %q", out.RequestCharged)
	}
	// Presigned URLs acknowledge the charge with a query parameter.
	for _, tc := range []struct {
		name   string
		query  map[string]string
		status int
	}{
		{"presigned without", nil, 403},
		{"presigned with", map[string]string{"x-amz-request-payer": "requester"}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(e.presignGet(acctB, "/rp-a/k", tc.query))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
		})
	}
	// Bucket sub-resource operations of other accounts are gated too.
	expectStatus(t, e.do(acctB, http.MethodGet, "/rp-a?requestPayment", nil, nil), 403, "AccessDenied")
	// The denial is logged under the Requester Pays layer.
	found := false
	for _, en := range e.env.Log.Query(1000, nil) {
		if en.Account == acctB && !en.Allowed && en.Layer == "requester-pays" {
			found = true
		}
	}
	if !found {
		t.Error("no denial logged at the requester-pays layer")
	}
}
