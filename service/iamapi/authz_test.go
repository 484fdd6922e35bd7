package iamapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestAuthorization checks that every kind of call goes through the engine
// and that denials read as IAM's.
func TestAuthorization(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustAccount),
		Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("alice")}}})))
	nobody := e.userClient(acct, "nobody", "")
	tagger := e.userClient(acct, "tagger", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:CreateUser","iam:TagUser"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"blue"}}},
		{"Effect":"Allow","Action":"iam:GetRole","Resource":"*","Condition":{"StringEquals":{"iam:ResourceTag/owner":"${aws:username}"}}},
		{"Effect":"Allow","Action":"iam:*","Resource":"*"},
		{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"},
		{"Effect":"Deny","Action":"iam:AttachRolePolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/AdministratorAccess"}}}]}`)
	alice := e.userClient(acct, "alice", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:GetRole","Resource":"*","Condition":{"StringEquals":{"iam:ResourceTag/owner":"${aws:username}"}}}]}`)

	denied := func(user, action, resource, why string) string {
		return "User: arn:aws:iam::111111111111:user/" + user + " is not authorized to perform: " + action + " on resource: " + resource + " " + why
	}
	noIdentity := func(action string) string { return "because no identity-based policy allows the " + action + " action" }
	tests := []struct {
		name string
		call func() error
		msg  string // "" for success
	}{
		{"CreateUser", func() error { return err2(nobody.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})) },
			denied("nobody", "iam:CreateUser", "arn:aws:iam::111111111111:user/x", noIdentity("iam:CreateUser"))},
		{"CreateUser on a path", func() error {
			return err2(nobody.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x"), Path: aws.String("/a/b/")}))
		}, denied("nobody", "iam:CreateUser", "arn:aws:iam::111111111111:user/a/b/x", noIdentity("iam:CreateUser"))},
		{"ListRoles", func() error { return err2(nobody.ListRoles(ctx, &iam.ListRolesInput{})) },
			denied("nobody", "iam:ListRoles", "arn:aws:iam::111111111111:role/", noIdentity("iam:ListRoles"))},
		{"ListPolicies", func() error { return err2(nobody.ListPolicies(ctx, &iam.ListPoliciesInput{})) },
			denied("nobody", "iam:ListPolicies", "policy path /", noIdentity("iam:ListPolicies"))},
		{"GetAccountAuthorizationDetails", func() error {
			return err2(nobody.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{}))
		}, denied("nobody", "iam:GetAccountAuthorizationDetails", "*", noIdentity("iam:GetAccountAuthorizationDetails"))},
		{"GetPolicy", func() error {
			return err2(nobody.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))
		}, denied("nobody", "iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess", noIdentity("iam:GetPolicy"))},
		{"denial before existence", func() error { return err2(nobody.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ghost")})) },
			denied("nobody", "iam:GetRole", "arn:aws:iam::111111111111:role/ghost", noIdentity("iam:GetRole"))},
		{"request tag condition met", func() error {
			return err2(tagger.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("t1"),
				Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}))
		}, ""},
		{"explicit deny", func() error { return err2(tagger.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r")})) },
			denied("tagger", "iam:DeleteRole", "arn:aws:iam::111111111111:role/r", "with an explicit deny in an identity-based policy")},
		{"iam:PolicyARN condition", func() error {
			return err2(tagger.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
		}, denied("tagger", "iam:AttachRolePolicy", "arn:aws:iam::111111111111:role/r", "with an explicit deny in an identity-based policy")},
		{"iam:PolicyARN condition not met", func() error {
			return err2(tagger.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))
		}, ""},
		{"resource tag matches the caller", func() error { return err2(alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})) }, ""},
		{"resource tag names someone else", func() error {
			noErr(t, err2(r.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r"), Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("bob")}}})))
			return err2(alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}))
		}, denied("alice", "iam:GetRole", "arn:aws:iam::111111111111:role/r", noIdentity("iam:GetRole"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if tc.msg == "" {
				noErr(t, err)
				return
			}
			wantError(t, err, "AccessDenied", tc.msg)
		})
	}
	t.Run("denials are logged", func(t *testing.T) {
		var found bool
		for _, en := range e.log.Query(1000, nil) {
			if en.Action == "iam:CreateUser" && !en.Allowed && en.Trace != nil &&
				en.Message == denied("nobody", "iam:CreateUser", "arn:aws:iam::111111111111:user/x", noIdentity("iam:CreateUser")) {
				found = true
			}
		}
		if !found {
			t.Error("no logged denial of iam:CreateUser with a trace")
		}
	})
}
