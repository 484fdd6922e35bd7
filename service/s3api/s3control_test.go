package s3api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	controltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
)

// controlClient returns an S3 Control client signing as the root user of
// account. Like the AWS CLI against a local endpoint, the SDK sends the
// request to ACCOUNT.localhost:PORT; the client's dialer sends every
// connection to the test server, standing in for the resolver that maps
// *.localhost to the loopback address.
func (e *testEnv) controlClient(account string) *s3control.Client {
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	_, port, _ := net.SplitHostPort(addr)
	var d net.Dialer
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}}
	e.t.Cleanup(hc.CloseIdleConnections)
	return s3control.New(s3control.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String("http://localhost:" + port),
		Credentials:      credentials.NewStaticCredentialsProvider(account, rootSecret, ""),
		HTTPClient:       hc,
		RetryMaxAttempts: 1,
	})
}

// putAccountPAB sets account's Block Public Access through S3 Control.
func (e *testEnv) putAccountPAB(account string, cfg controltypes.PublicAccessBlockConfiguration) {
	e.t.Helper()
	_, err := e.controlClient(account).PutPublicAccessBlock(context.Background(), &s3control.PutPublicAccessBlockInput{
		AccountId: aws.String(account), PublicAccessBlockConfiguration: &cfg})
	if err != nil {
		e.t.Fatalf("PutPublicAccessBlock for %s: %v", account, err)
	}
}

// TestAccountPublicAccessBlock drives the account-level settings through the
// S3 Control API with the SDK and checks that they apply to every bucket of
// the account, on top of the bucket's own.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestAccountPublicAccessBlock(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.aclBucket(acctA, "acct-pab-a", types.ObjectOwnershipObjectWriter)
	e.put(acctA, "acct-pab-a", "p.txt", "public")
	expectStatus(t, e.do(acctA, http.MethodPut, "/acct-pab-a/p.txt?acl", hdr("x-amz-acl", "public-read"), nil), 200, "")
	ca := e.controlClient(acctA)

	_, err := ca.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(acctA)})
	var none *controltypes.NoSuchPublicAccessBlockConfiguration
	if !errors.As(err, &none) {
		t.Fatalf("Get before Put: %v", err)
	}

	e.putAccountPAB(acctA, controltypes.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true)})
	out, err := ca.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(acctA)})
	if err != nil {
		t.Fatal(err)
	}
	if p := out.PublicAccessBlockConfiguration; !aws.ToBool(p.BlockPublicAcls) || aws.ToBool(p.IgnorePublicAcls) || !aws.ToBool(p.BlockPublicPolicy) || aws.ToBool(p.RestrictPublicBuckets) {
		t.Errorf("account settings %+v", p)
	}
	// The bucket has no settings of its own; the account's apply.
	expectStatus(t, e.do(acctA, http.MethodPut, "/acct-pab-a?acl", hdr("x-amz-acl", "public-read"), nil), 403, "AccessDenied")
	r := e.do(acctA, http.MethodPut, "/acct-pab-a/p.txt?acl", hdr("x-amz-acl", "public-read-write"), nil)
	expectStatus(t, r, 403, "AccessDenied")
	if !strings.HasSuffix(element(r.body, "Message"), "because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access.") {
		t.Errorf("message %q", element(r.body, "Message"))
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/acct-pab-a?policy", nil,
		[]byte(allowPolicy("*", []string{"s3:GetObject"}, []string{"arn:aws:s3:::acct-pab-a/*"}, ""))), 403, "AccessDenied")
	// Existing public ACLs still work until IgnorePublicAcls.
	if s := e.anonymousGet("acct-pab-a", "p.txt"); s != 200 {
		t.Errorf("anonymous read before IgnorePublicAcls: %d", s)
	}
	e.putAccountPAB(acctA, controltypes.PublicAccessBlockConfiguration{IgnorePublicAcls: aws.Bool(true)})
	if s := e.anonymousGet("acct-pab-a", "p.txt"); s != 403 {
		t.Errorf("anonymous read under the account's IgnorePublicAcls: %d", s)
	}
	// The bucket's own Get shows only the bucket's settings.
	expectStatus(t, e.do(acctA, http.MethodGet, "/acct-pab-a?publicAccessBlock", nil, nil), 404, "NoSuchPublicAccessBlockConfiguration")

	// Only the account itself may read or change its settings.
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"B puts A's", func() error {
			_, err := e.controlClient(acctB).PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{AccountId: aws.String(acctA),
				PublicAccessBlockConfiguration: &controltypes.PublicAccessBlockConfiguration{}})
			return err
		}},
		{"B gets A's", func() error {
			_, err := e.controlClient(acctB).GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(acctA)})
			return err
		}},
		{"B deletes A's", func() error {
			_, err := e.controlClient(acctB).DeletePublicAccessBlock(ctx, &s3control.DeletePublicAccessBlockInput{AccountId: aws.String(acctA)})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := apiCode(tc.call()); code != "AccessDenied" {
				t.Errorf("code %q, want AccessDenied", code)
			}
		})
	}
	r = e.do("", http.MethodGet, "/v20180820/configuration/publicAccessBlock", hdr("x-amz-account-id", acctA), nil)
	if r.status != 403 || !strings.Contains(r.body, "<ErrorResponse><Error><Code>AccessDenied</Code>") {
		t.Errorf("anonymous: %d %s", r.status, r.body)
	}

	if _, err := ca.DeletePublicAccessBlock(ctx, &s3control.DeletePublicAccessBlockInput{AccountId: aws.String(acctA)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.DeletePublicAccessBlock(ctx, &s3control.DeletePublicAccessBlockInput{AccountId: aws.String(acctA)}); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if s := e.anonymousGet("acct-pab-a", "p.txt"); s != 200 {
		t.Errorf("anonymous read after delete: %d", s)
	}
	// Path-style, as the CLI sends it with host prefixes turned off.
	r = e.do(acctA, http.MethodGet, "/v20180820/configuration/publicAccessBlock", hdr("x-amz-account-id", acctA), nil)
	golden(t, "s3control_no_public_access_block", r.body)
	if r.status != 404 {
		t.Errorf("status %d", r.status)
	}
}

// TestS3ControlRouting: a request whose path starts with /v20180820/ and
// that names an account in x-amz-account-id goes to S3 Control; without the
// header it is an ordinary object request for a bucket named v20180820.
// This also guards the order in which the package's init functions run
// (s3control_route.go must wrap the object handlers after they register).
func TestS3ControlRouting(t *testing.T) {
	e := newTestEnv(t)
	body := []byte(`<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>`)
	expectStatus(t, e.do(acctA, http.MethodPut, "/v20180820/configuration/publicAccessBlock", hdr("x-amz-account-id", acctA), body), 200, "")
	r := e.do(acctA, http.MethodGet, "/v20180820/configuration/publicAccessBlock", hdr("x-amz-account-id", acctA), nil)
	golden(t, "s3control_get_public_access_block", r.body)

	e.createBucket(acctB, "v20180820")
	e.put(acctB, "v20180820", "configuration/publicAccessBlock", "an object")
	if r := e.do(acctB, http.MethodGet, "/v20180820/configuration/publicAccessBlock", nil, nil); r.body != "an object" {
		t.Errorf("object request: %d %s", r.status, r.body)
	}
	tests := []struct {
		name, method, target string
		body                 []byte
		status               int
		code                 string
	}{
		{"unknown S3 Control operation", http.MethodGet, "/v20180820/storagelens", nil, 501, "NotImplemented"},
		{"malformed body", http.MethodPut, "/v20180820/configuration/publicAccessBlock", []byte("<PublicAccessBlockConfiguration>"), 400, "MalformedXML"},
		{"wrong root", http.MethodPut, "/v20180820/configuration/publicAccessBlock", []byte("<Other/>"), 400, "MalformedXML"},
		{"S3 namespace", http.MethodPut, "/v20180820/configuration/publicAccessBlock",
			[]byte(`<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`), 400, "MalformedXML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, tt.method, tt.target, hdr("x-amz-account-id", acctA), tt.body)
			if r.status != tt.status || !strings.Contains(r.body, "<ErrorResponse><Error><Code>"+tt.code+"</Code>") {
				t.Errorf("got %d %s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
		})
	}
}
