package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/service/s3api"
	"github.com/verdict-project/verdict/service/stsapi"
	"github.com/verdict-project/verdict/store/memory"
)

func newServer(t *testing.T) (*httptest.Server, *decisionlog.Log) {
	t.Helper()
	log := decisionlog.New(100)
	env := &service.Env{Store: memory.New(), Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: log, Region: "us-east-1", RootSecret: "test"}
	srv := server.New(env, time.Now)
	srv.Register("s3", s3api.New())
	srv.Register("iam", iamapi.New())
	srv.Register("sts", stsapi.New())
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, log
}

func sign(t *testing.T, r *http.Request, key, secret, service string, at time.Time, body string) {
	t.Helper()
	h := sha256.Sum256([]byte(body))
	hash := hex.EncodeToString(h[:])
	if service == "s3" {
		r.Header.Set("X-Amz-Content-Sha256", hash)
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}, r, hash, service, "us-east-1", at); err != nil {
		t.Fatal(err)
	}
}

func do(t *testing.T, r *http.Request) (int, string, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestAuthentication covers the errors AWS returns before authorization.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
func TestAuthentication(t *testing.T) {
	ts, _ := newServer(t)
	tests := []struct {
		name       string
		service    string
		key        string
		secret     string
		skew       time.Duration
		wantStatus int
		wantBody   []string
	}{
		{"root key works", "s3", "111111111111", "test", 0, 200, []string{"<ListAllMyBucketsResult"}},
		{"unknown key", "s3", "AKIAUNKNOWNKEY000000", "x", 0, 403, []string{"<Code>InvalidAccessKeyId</Code>", "<AWSAccessKeyId>AKIAUNKNOWNKEY000000</AWSAccessKeyId>"}},
		{"wrong secret", "s3", "111111111111", "nope", 0, 403, []string{"<Code>SignatureDoesNotMatch</Code>", "<CanonicalRequest>", "<StringToSign>"}},
		{"clock skew", "s3", "111111111111", "test", 20 * time.Minute, 403, []string{"<Code>RequestTimeTooSkewed</Code>"}},
		{"query protocol unknown key", "iam", "AKIAUNKNOWNKEY000000", "x", 0, 403, []string{"<ErrorResponse", "<Code>InvalidClientTokenId</Code>"}},
		{"query protocol wrong secret", "sts", "111111111111", "nope", 0, 403, []string{"https://sts.amazonaws.com/doc/2011-06-15/", "<Code>SignatureDoesNotMatch</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *http.Request
			body := ""
			if tt.service == "s3" {
				r, _ = http.NewRequest("GET", ts.URL+"/", nil)
			} else {
				body = "Action=GetCallerIdentity&Version=2011-06-15"
				r, _ = http.NewRequest("POST", ts.URL+"/", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			sign(t, r, tt.key, tt.secret, tt.service, time.Now().Add(-tt.skew), body)
			status, got, h := do(t, r)
			if status != tt.wantStatus {
				t.Fatalf("status %d, body %s", status, got)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(got, w) {
					t.Errorf("body lacks %s:\n%s", w, got)
				}
			}
			if tt.service == "s3" && (h.Get("x-amz-request-id") == "" || h.Get("x-amz-id-2") == "") {
				t.Error("missing request id headers")
			}
		})
	}
}

func TestAnonymousAndUnknownService(t *testing.T) {
	ts, _ := newServer(t)
	status, body, _ := do(t, mustReq(t, "GET", ts.URL+"/"))
	if status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Fatalf("anonymous ListBuckets: %d %s", status, body)
	}
	r := mustReq(t, "POST", ts.URL+"/")
	r.Header.Set("X-Amz-Target", "AWSGlue.GetTables")
	sign(t, r, "111111111111", "test", "glue", time.Now(), "")
	if status, body, _ := do(t, r); status != 400 || !strings.Contains(body, "not served by verdict") {
		t.Fatalf("unknown service: %d %s", status, body)
	}
}

func mustReq(t *testing.T, method, url string) *http.Request {
	r, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestAdminAPI: decisions are visible to the accounts they concern only.
func TestAdminAPI(t *testing.T) {
	ts, _ := newServer(t)
	// Account B's root creates a bucket; account A's root is denied a read.
	r := mustReq(t, "PUT", ts.URL+"/b-bucket")
	sign(t, r, "222222222222", "test", "s3", time.Now(), "")
	if status, body, _ := do(t, r); status != 200 {
		t.Fatalf("create bucket: %d %s", status, body)
	}
	r = mustReq(t, "GET", ts.URL+"/b-bucket/k")
	sign(t, r, "111111111111", "test", "s3", time.Now(), "")
	status, _, h := do(t, r)
	if status != 403 {
		t.Fatalf("cross-account read: %d", status)
	}
	reqID := h.Get("x-amz-request-id")
	get := func(key, query string) (int, []decisionlog.Entry) {
		r := mustReq(t, "GET", ts.URL+"/_verdict/api/decisions?"+query)
		sign(t, r, key, "test", "verdict", time.Now(), "")
		status, body, _ := do(t, r)
		var out struct{ Decisions []decisionlog.Entry }
		_ = json.Unmarshal([]byte(body), &out)
		return status, out.Decisions
	}
	if status, ds := get("111111111111", "request-id="+reqID); status != 200 || len(ds) == 0 || ds[0].Allowed || ds[0].Trace == nil {
		t.Fatalf("the caller's account sees its denial with a trace: %d %+v", status, ds)
	}
	if _, ds := get("222222222222", "request-id="+reqID); len(ds) == 0 {
		t.Fatal("the resource's account sees decisions about its bucket")
	}
	if _, ds := get("333333333333", "request-id="+reqID); len(ds) != 0 {
		t.Fatal("a third account must not see the decision")
	}
	if _, ds := get("333333333333", "limit=10"); len(ds) != 0 {
		t.Fatal("a third account must not list others' decisions")
	}
	// A GET of a missing key makes two decisions: s3:ListBucket (which
	// picks 404 or 403) and s3:GetObject.
	if _, ds := get("111111111111", "limit=10&denied=1"); len(ds) != 2 || ds[1].RequestID != reqID || ds[1].Action != "s3:GetObject" {
		t.Fatalf("denied filter: %+v", ds)
	}
	// Unsigned admin calls are refused.
	if status, _, _ := do(t, mustReq(t, "GET", ts.URL+"/_verdict/api/decisions")); status != 403 {
		t.Fatalf("unsigned admin call: %d", status)
	}
	r = mustReq(t, "GET", ts.URL+"/_verdict/api/whoami")
	sign(t, r, "111111111111", "test", "verdict", time.Now(), "")
	if status, body, _ := do(t, r); status != 200 || !strings.Contains(body, "arn:aws:iam::111111111111:root") {
		t.Fatalf("whoami: %d %s", status, body)
	}
}
