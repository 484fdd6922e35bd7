package stsapi_test

import (
	"context"
	"crypto"
	"errors"
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
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/service/s3api"
	"github.com/verdict-project/verdict/service/stsapi"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/webidentity"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	acctA   = "111111111111"
	acctB   = "222222222222"
	ghIss   = "https://token.actions.githubusercontent.com"
	idpIss  = "https://idp.example.com/tenant"
	mainSub = "repo:acme/app:ref:refs/heads/main"
)

var (
	ghProvider  = "arn:aws:iam::" + acctB + ":oidc-provider/token.actions.githubusercontent.com"
	idpProvider = "arn:aws:iam::" + acctB + ":oidc-provider/idp.example.com/tenant"
)

// wiEnv is a server whose STS trusts key for web identity tokens, with
// account B holding two OIDC providers, roles trusting them and a bucket.
type wiEnv struct {
	*env
	key *webidentity.Key
}

func newWIEnv(t *testing.T) *wiEnv {
	t.Helper()
	key, err := webidentity.NewKey()
	noErr(t, err)
	st := memory.New()
	senv := &service.Env{Store: st, Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: decisionlog.New(100),
		Region: "us-east-1", RootSecret: rootSecret, MaxObjectSize: 1 << 20}
	srv := server.New(senv, time.Now)
	srv.Register("s3", s3api.New())
	srv.Register("iam", iamapi.New())
	srv.Register("sts", &stsapi.Service{WebIdentityKeys: []crypto.PublicKey{key.Public()}})
	e := &wiEnv{env: &env{t: t, store: st, srv: httptest.NewServer(srv)}, key: key}
	t.Cleanup(e.srv.Close)

	ctx := context.Background()
	b := e.iam(root(acctB))
	for iss, aud := range map[string]string{ghIss: "sts.amazonaws.com", idpIss: "app"} {
		noErr(t, err2(b.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(iss), ClientIDList: []string{aud}})))
	}
	// Account A has a provider for the other issuer only.
	noErr(t, err2(e.iam(root(acctA)).CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://only-in-a.example.com"), ClientIDList: []string{"sts.amazonaws.com"}})))
	roles := []struct {
		name, trust string
		maxSession  int32
	}{
		{"ci", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + ghProvider + `"},
			"Action":"sts:AssumeRoleWithWebIdentity","Condition":{
			"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:repository_owner":"acme"},
			"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app:ref:refs/heads/main"}}}]}`, 7200},
		{"mfa", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + idpProvider + `"},
			"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"ForAnyValue:StringEquals":{"idp.example.com/tenant:amr":"mfa"}}}]}`, 0},
		{"assume-only", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + ghProvider + `"},
			"Action":"sts:AssumeRole"}]}`, 0},
	}
	for _, r := range roles {
		in := &iam.CreateRoleInput{RoleName: aws.String(r.name), AssumeRolePolicyDocument: aws.String(r.trust)}
		if r.maxSession != 0 {
			in.MaxSessionDuration = aws.Int32(r.maxSession)
		}
		noErr(t, err2(b.CreateRole(ctx, in)))
		noErr(t, err2(b.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(r.name), PolicyName: aws.String("read"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b-bucket/*"}]}`)})))
	}
	s3b := e.s3(root(acctB))
	noErr(t, err2(s3b.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("b-bucket")})))
	noErr(t, err2(s3b.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("b-bucket"), Key: aws.String("k"), Body: strings.NewReader("v")})))
	return e
}

// token mints a token; mod adjusts the claims first.
func (e *wiEnv) token(t *testing.T, iss, sub, aud string, mod func(*webidentity.Claims)) string {
	t.Helper()
	c := webidentity.Claims{Issuer: iss, Subject: sub, Audience: []string{aud}, IssuedAt: time.Now(), TTL: time.Hour,
		Extra: map[string]any{"repository_owner": "acme"}}
	if mod != nil {
		mod(&c)
	}
	s, err := e.key.Sign(c)
	noErr(t, err)
	return s
}

// anonSTS is an STS client that signs nothing.
func (e *wiEnv) anonSTS() *sts.Client {
	cfg := e.config(creds{})
	cfg.Credentials = aws.AnonymousCredentials{}
	return sts.NewFromConfig(cfg)
}

func status(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	e := newWIEnv(t)
	roleARN := func(name string) string { return "arn:aws:iam::" + acctB + ":role/" + name }
	other, err := webidentity.NewKey()
	noErr(t, err)
	const denied = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
	tests := []struct {
		name   string
		role   string
		token  string
		mod    func(*sts.AssumeRoleWithWebIdentityInput)
		code   string
		status int
		msg    string
	}{
		{name: "matching sub", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil)},
		{name: "other branch", role: "ci", token: e.token(t, ghIss, "repo:acme/app:ref:refs/heads/dev", "sts.amazonaws.com", nil),
			code: "AccessDenied", status: 403, msg: denied},
		{name: "GitHub claim condition", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", func(c *webidentity.Claims) {
			c.Extra["repository_owner"] = "evil"
		}), code: "AccessDenied", status: 403, msg: denied},
		{name: "trust allows only AssumeRole", role: "assume-only", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil),
			code: "AccessDenied", status: 403, msg: denied},
		{name: "no such role", role: "nobody", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil),
			code: "AccessDenied", status: 403, msg: denied},
		{name: "amr condition met", role: "mfa", token: e.token(t, idpIss, "u1", "app", func(c *webidentity.Claims) {
			c.Extra["amr"] = []string{"pwd", "mfa"}
		})},
		{name: "amr condition unmet", role: "mfa", token: e.token(t, idpIss, "u1", "app", func(c *webidentity.Claims) {
			c.Extra["amr"] = []string{"pwd"}
		}), code: "AccessDenied", status: 403, msg: denied},
		{name: "no provider for the issuer", role: "ci", token: e.token(t, "https://unknown.example.com", mainSub, "sts.amazonaws.com", nil),
			code: "InvalidIdentityToken", status: 400, msg: "No OpenIDConnect provider found in your account for https://unknown.example.com"},
		{name: "provider only in the caller's other account", role: "ci", token: e.token(t, "https://only-in-a.example.com", mainSub, "sts.amazonaws.com", nil),
			code: "InvalidIdentityToken", status: 400},
		{name: "issuer without https", role: "ci", token: e.token(t, "token.actions.githubusercontent.com", mainSub, "sts.amazonaws.com", nil),
			code: "InvalidIdentityToken", status: 400},
		{name: "wrong audience", role: "ci", token: e.token(t, ghIss, mainSub, "other", nil),
			code: "InvalidIdentityToken", status: 400, msg: "Incorrect token audience"},
		{name: "expired", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", func(c *webidentity.Claims) {
			c.IssuedAt, c.TTL = time.Now().Add(-2*time.Hour), time.Hour
		}), code: "ExpiredTokenException", status: 400},
		{name: "not yet valid", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", func(c *webidentity.Claims) {
			c.IssuedAt = time.Now().Add(time.Hour)
		}), code: "IDPRejectedClaim", status: 403},
		{name: "untrusted key", role: "ci", token: func() string {
			s, err := other.Sign(webidentity.Claims{Issuer: ghIss, Subject: mainSub, Audience: []string{"sts.amazonaws.com"}, IssuedAt: time.Now(), TTL: time.Hour})
			noErr(t, err)
			return s
		}(), code: "InvalidIdentityToken", status: 400},
		{name: "garbage", role: "ci", token: "not.a.token", code: "InvalidIdentityToken", status: 400},
		{name: "token too short", role: "ci", token: "abc", code: "ValidationError", status: 400},
		{name: "session name too short", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil),
			mod: func(in *sts.AssumeRoleWithWebIdentityInput) { in.RoleSessionName = aws.String("a") }, code: "ValidationError", status: 400},
		{name: "duration within the role's maximum", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil),
			mod: func(in *sts.AssumeRoleWithWebIdentityInput) { in.DurationSeconds = aws.Int32(7200) }},
		{name: "duration beyond the role's maximum", role: "mfa", token: e.token(t, idpIss, "u", "app", func(c *webidentity.Claims) {
			c.Extra["amr"] = "mfa"
		}), mod: func(in *sts.AssumeRoleWithWebIdentityInput) { in.DurationSeconds = aws.Int32(7200) },
			code: "ValidationError", status: 400, msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "malformed session policy", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil),
			mod: func(in *sts.AssumeRoleWithWebIdentityInput) { in.Policy = aws.String("{") }, code: "MalformedPolicyDocument", status: 400},
		{name: "OAuth provider ID", role: "ci", token: e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil),
			mod:  func(in *sts.AssumeRoleWithWebIdentityInput) { in.ProviderId = aws.String("graph.facebook.com") },
			code: "InvalidIdentityToken", status: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN(tc.role)), RoleSessionName: aws.String("job-1"),
				WebIdentityToken: aws.String(tc.token)}
			if tc.mod != nil {
				tc.mod(in)
			}
			out, err := e.anonSTS().AssumeRoleWithWebIdentity(context.Background(), in)
			if tc.code != "" {
				wantError(t, err, tc.code, tc.msg)
				if got := status(err); got != tc.status {
					t.Fatalf("HTTP status = %d, want %d", got, tc.status)
				}
				return
			}
			noErr(t, err)
			if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::"+acctB+":assumed-role/"+tc.role+"/job-1"; got != want {
				t.Errorf("Arn = %s, want %s", got, want)
			}
			if !strings.HasPrefix(aws.ToString(out.Credentials.AccessKeyId), "ASIA") || aws.ToString(out.Credentials.SessionToken) == "" {
				t.Errorf("credentials %+v", out.Credentials)
			}
			if aws.ToString(out.SubjectFromWebIdentityToken) == "" || !strings.HasPrefix(aws.ToString(out.Provider), "https://") ||
				aws.ToString(out.Audience) == "" {
				t.Errorf("subject %q provider %q audience %q", aws.ToString(out.SubjectFromWebIdentityToken), aws.ToString(out.Provider), aws.ToString(out.Audience))
			}
		})
	}
}

// TestWebIdentitySession: the session is an assumed-role session of the
// role, limited by its session policy, and the call may also be signed.
func TestWebIdentitySession(t *testing.T) {
	e := newWIEnv(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		client *sts.Client
		policy string
		read   bool
	}{
		{"unsigned", e.anonSTS(), "", true},
		{"signed by another account's root", e.sts(root(acctA)), "", true},
		{"session policy allows nothing", e.anonSTS(), `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("arn:aws:iam::" + acctB + ":role/ci"), RoleSessionName: aws.String("job-2"),
				WebIdentityToken: aws.String(e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil))}
			if tc.policy != "" {
				in.Policy = aws.String(tc.policy)
			}
			out, err := tc.client.AssumeRoleWithWebIdentity(ctx, in)
			noErr(t, err)
			c := fromSTS(out.Credentials)
			who, err := e.sts(c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			noErr(t, err)
			if aws.ToString(who.Arn) != aws.ToString(out.AssumedRoleUser.Arn) || aws.ToString(who.Account) != acctB {
				t.Fatalf("caller identity %s", aws.ToString(who.Arn))
			}
			_, err = e.s3(c).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b-bucket"), Key: aws.String("k")})
			if tc.read {
				noErr(t, err)
			} else {
				wantError(t, err, "AccessDenied", "")
			}
		})
	}
}

var (
	secretish = regexp.MustCompile(`<(RequestId|AccessKeyId|SecretAccessKey|SessionToken|Expiration)>[^<]*</`)
	roleIDs   = regexp.MustCompile(`AROA[A-Z2-7]{16}`)
)

// TestWebIdentityGolden posts unsigned form requests as SDKs send them and
// compares the whole bodies with testdata/web_identity_*.golden (-update
// rewrites them); generated values are masked.
func TestWebIdentityGolden(t *testing.T) {
	e := newWIEnv(t)
	tok := e.token(t, ghIss, mainSub, "sts.amazonaws.com", nil)
	tests := []struct {
		name string
		form url.Values
	}{
		{"web_identity_ok", url.Values{"RoleArn": {"arn:aws:iam::" + acctB + ":role/ci"}, "WebIdentityToken": {tok}}},
		{"web_identity_denied", url.Values{"RoleArn": {"arn:aws:iam::" + acctB + ":role/assume-only"}, "WebIdentityToken": {tok}}},
		{"web_identity_bad_token", url.Values{"RoleArn": {"arn:aws:iam::" + acctB + ":role/ci"}, "WebIdentityToken": {"xxxx"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("Action", "AssumeRoleWithWebIdentity")
			tc.form.Set("Version", "2011-06-15")
			tc.form.Set("RoleSessionName", "golden")
			resp, err := http.Post(e.srv.URL+"/", "application/x-www-form-urlencoded; charset=utf-8", strings.NewReader(tc.form.Encode()))
			noErr(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			noErr(t, err)
			body := secretish.ReplaceAllString(string(b), "<$1>MASKED</")
			got := fmt.Sprintf("HTTP %d\n%s", resp.StatusCode, roleIDs.ReplaceAllString(body, "AROAMASKED"))
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
