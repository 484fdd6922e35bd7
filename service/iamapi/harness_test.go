package iamapi_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/store/memory"
)

const (
	acct       = "111111111111"
	otherAcct  = "222222222222"
	rootSecret = "root-secret"
)

// env is a verdict server on 127.0.0.1 with IAM registered and an
// in-memory store.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	store *memory.Store
	log   *decisionlog.Log
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := memory.New()
	e := &env{t: t, store: st, log: decisionlog.New(1000)}
	senv := &service.Env{Store: st, Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: e.log,
		Region: "us-east-1", RootSecret: rootSecret}
	srv := server.New(senv, time.Now)
	srv.Register("iam", iamapi.New())
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)
	return e
}

// client returns an IAM client signing with the given key.
func (e *env) client(keyID, secret, token string) *iam.Client {
	return iam.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(keyID, secret, token),
		BaseEndpoint:     aws.String(e.srv.URL),
		HTTPClient:       e.srv.Client(),
		RetryMaxAttempts: 1,
	})
}

// root returns an IAM client for account's root user.
func (e *env) root(account string) *iam.Client { return e.client(account, rootSecret, "") }

// userClient creates user name (with inline policy doc when not "") in
// account as root, gives it an access key and returns a client for it.
func (e *env) userClient(account, name, doc string) *iam.Client {
	e.t.Helper()
	ctx := context.Background()
	r := e.root(account)
	if _, err := r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		e.t.Fatalf("CreateUser %s: %v", name, err)
	}
	if doc != "" {
		if _, err := r.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"),
			PolicyDocument: aws.String(doc)}); err != nil {
			e.t.Fatalf("PutUserPolicy %s: %v", name, err)
		}
	}
	out, err := r.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		e.t.Fatalf("CreateAccessKey %s: %v", name, err)
	}
	return e.client(aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey), "")
}

// apiError is the code and message of an AWS error, or empty strings.
func apiError(err error) (code, msg string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", ""
}

// wantError fails unless err is an AWS error with code and, when msg is
// not "", that message.
func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s", code)
	}
	c, m := apiError(err)
	if c != code || (msg != "" && m != msg) {
		t.Fatalf("error = %s %q\nwant    %s %q", c, m, code, msg)
	}
}

// noErr fails the test on err.
func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// TestActionsRegistered guards the list of operations verdict's IAM
// answers.
func TestActionsRegistered(t *testing.T) {
	want := []string{"CreateUser", "GetUser", "ListUsers", "DeleteUser", "UpdateUser",
		"CreateGroup", "GetGroup", "ListGroups", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup", "ListGroupsForUser",
		"CreateRole", "GetRole", "ListRoles", "DeleteRole", "UpdateAssumeRolePolicy", "UpdateRole",
		"CreatePolicy", "GetPolicy", "ListPolicies", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion",
		"ListPolicyVersions", "DeletePolicyVersion", "SetDefaultPolicyVersion", "ListEntitiesForPolicy",
		"PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
		"CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey", "GetAccessKeyLastUsed",
		"TagUser", "UntagUser", "ListUserTags", "TagRole", "UntagRole", "ListRoleTags", "GetAccountAuthorizationDetails",
		"CreateInstanceProfile", "GetInstanceProfile", "DeleteInstanceProfile", "AddRoleToInstanceProfile",
		"RemoveRoleFromInstanceProfile", "ListInstanceProfiles", "ListInstanceProfilesForRole",
		"TagInstanceProfile", "UntagInstanceProfile", "ListInstanceProfileTags",
		"CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile",
		"CreateOpenIDConnectProvider", "GetOpenIDConnectProvider", "ListOpenIDConnectProviders", "DeleteOpenIDConnectProvider",
		"AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint",
		"TagOpenIDConnectProvider", "UntagOpenIDConnectProvider", "ListOpenIDConnectProviderTags"}
	for _, k := range []string{"User", "Group", "Role"} {
		want = append(want, "Put"+k+"Policy", "Get"+k+"Policy", "Delete"+k+"Policy", "List"+k+"Policies",
			"Attach"+k+"Policy", "Detach"+k+"Policy", "ListAttached"+k+"Policies")
	}
	have := map[string]bool{}
	for _, a := range iamapi.Actions() {
		have[a] = true
	}
	for _, a := range want {
		if !have[a] {
			t.Errorf("%s is not registered", a)
		}
	}
	if len(have) != len(want) {
		t.Errorf("%d actions registered, %d expected", len(have), len(want))
	}
}
