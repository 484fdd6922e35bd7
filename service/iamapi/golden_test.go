package iamapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
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

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/world"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenTime is the fixed clock of the golden tests: the world is applied
// and every request signed at this instant.
var goldenTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

const goldenWorld = `
accounts:
  - id: "111111111111"
    policies:
      - name: Read
        path: /team/
        description: read the reports
        document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: arn:aws:s3:::reports/*
    groups:
      - name: devs
        attached: [ReadOnlyAccess]
    users:
      - name: alice
        path: /eng/
        groups: [devs]
        attached: [Read]
        boundary: arn:aws:iam::aws:policy/IAMReadOnlyAccess
        tags: {team: blue}
        policies:
          list: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}'
        access_keys:
          - {id: AKIAALICEEXAMPLE0001, secret: alice-secret}
    roles:
      - name: deploy
        description: "CI & CD"
        max_session_duration: 2h
        trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:user/eng/alice"}, Action: "sts:AssumeRole"}]}
`

// goldenServer is a server whose clock stands at goldenTime, over a store
// holding goldenWorld.
func goldenServer(t *testing.T) *httptest.Server {
	t.Helper()
	st := memory.New()
	w, err := world.Parse("golden.yaml", []byte(goldenWorld))
	noErr(t, err)
	noErr(t, w.Apply(context.Background(), st, goldenTime))
	senv := &service.Env{Store: st, Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: decisionlog.New(100),
		Region: "us-east-1", RootSecret: rootSecret}
	srv := server.New(senv, func() time.Time { return goldenTime })
	srv.Register("iam", iamapi.New())
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs
}

// rawCall POSTs form to the server signed as keyID at goldenTime and
// returns the status and body.
func rawCall(t *testing.T, hs *httptest.Server, keyID, secret string, form url.Values) (int, string) {
	t.Helper()
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, hs.URL+"/", strings.NewReader(body))
	noErr(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), "iam", "us-east-1", goldenTime)
	noErr(t, err)
	resp, err := hs.Client().Do(req)
	noErr(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	noErr(t, err)
	return resp.StatusCode, string(b)
}

var requestIDs = regexp.MustCompile(`<RequestId>[^<]*</RequestId>`)

func form(kv ...string) url.Values {
	v := url.Values{"Version": {"2010-05-08"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// TestGolden compares whole response bodies with testdata/*.golden (run
// with -update to rewrite them). Request IDs are masked.
func TestGolden(t *testing.T) {
	hs := goldenServer(t)
	tests := []struct {
		name string
		key  string
		form url.Values
	}{
		{"get_user", acct, form("Action", "GetUser", "UserName", "alice")},
		{"get_user_self", "AKIAALICEEXAMPLE0001", form("Action", "GetUser")},
		{"get_role", acct, form("Action", "GetRole", "RoleName", "deploy")},
		{"list_policies_local", acct, form("Action", "ListPolicies", "Scope", "Local")},
		{"get_user_policy", acct, form("Action", "GetUserPolicy", "UserName", "alice", "PolicyName", "list")},
		{"list_entities_for_policy", acct, form("Action", "ListEntitiesForPolicy", "PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")},
		{"get_account_authorization_details", acct, form("Action", "GetAccountAuthorizationDetails")},
		{"error_no_such_user", acct, form("Action", "GetUser", "UserName", "nobody")},
		{"error_missing_parameter", acct, form("Action", "CreateRole", "RoleName", "x")},
		{"error_unknown_action", acct, form("Action", "CreateUnicorn")},
		{"error_denied", "AKIAALICEEXAMPLE0001", form("Action", "DeleteRole", "RoleName", "deploy")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			secret := rootSecret
			if tc.key != acct {
				secret = "alice-secret"
			}
			status, body := rawCall(t, hs, tc.key, secret, tc.form)
			got := fmt.Sprintf("HTTP %d\n%s", status, requestIDs.ReplaceAllString(body, "<RequestId>REQUEST-ID</RequestId>"))
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				noErr(t, os.MkdirAll("testdata", 0o755))
				noErr(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("body differs from %s\n got:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}
