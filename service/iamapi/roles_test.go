package iamapi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const trustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}]}`

func TestRoles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	out, err := r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deploy"), Path: aws.String("/ci/"),
		AssumeRolePolicyDocument: aws.String(trustAccount), Description: aws.String("CI deployer"), MaxSessionDuration: aws.Int32(7200),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	noErr(t, err)
	role := out.Role
	if aws.ToString(role.Arn) != "arn:aws:iam::111111111111:role/ci/deploy" || !strings.HasPrefix(aws.ToString(role.RoleId), "AROA") ||
		aws.ToInt32(role.MaxSessionDuration) != 7200 {
		t.Fatalf("CreateRole = %+v", role)
	}
	t.Run("GetRole returns the URL-encoded trust policy", func(t *testing.T) {
		got, err := r.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deploy")})
		noErr(t, err)
		doc, err := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument))
		noErr(t, err)
		if doc != trustAccount || aws.ToString(got.Role.Description) != "CI deployer" || len(got.Role.Tags) != 1 {
			t.Errorf("GetRole = %+v (document %s)", got.Role, doc)
		}
	})

	errs := []struct {
		name      string
		in        iam.CreateRoleInput
		code, msg string
	}{
		{"duplicate", iam.CreateRoleInput{RoleName: aws.String("Deploy"), AssumeRolePolicyDocument: aws.String(trustAccount)},
			"EntityAlreadyExists", "Role with name Deploy already exists."},
		{"trust policy with Resource", iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Resource":"*"}]}`)},
			"MalformedPolicyDocument", "Has prohibited field Resource"},
		{"trust policy naming a user that does not exist", iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/ghost"},"Action":"sts:AssumeRole"}]}`)},
			"MalformedPolicyDocument", `Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:user/ghost"`},
		{"not JSON", iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String("{")},
			"MalformedPolicyDocument", "This policy contains invalid Json"},
		{"session too short", iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(trustAccount), MaxSessionDuration: aws.Int32(60)},
			"ValidationError", "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.CreateRole(ctx, &tc.in)
			wantError(t, err, tc.code, tc.msg)
		})
	}

	t.Run("UpdateAssumeRolePolicy and UpdateRole", func(t *testing.T) {
		noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")})))
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/ops"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`
		noErr(t, err2(r.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("deploy"), PolicyDocument: aws.String(doc)})))
		_, err := r.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("deploy"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:GetObject"}]}`)})
		wantError(t, err, "MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions.")
		noErr(t, err2(r.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("deploy"), MaxSessionDuration: aws.Int32(43200), Description: aws.String("")})))
		got, err := r.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deploy")})
		noErr(t, err)
		d, _ := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument))
		if d != doc || aws.ToInt32(got.Role.MaxSessionDuration) != 43200 || aws.ToString(got.Role.Description) != "" {
			t.Errorf("after updates: %+v", got.Role)
		}
	})
	t.Run("ListRoles", func(t *testing.T) {
		noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("audit"), AssumeRolePolicyDocument: aws.String(trustAccount)})))
		all, err := r.ListRoles(ctx, &iam.ListRolesInput{})
		noErr(t, err)
		ci, err := r.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/ci/")})
		noErr(t, err)
		if len(all.Roles) != 2 || aws.ToString(all.Roles[0].RoleName) != "audit" || len(ci.Roles) != 1 {
			t.Errorf("ListRoles = %+v, /ci/ = %+v", all.Roles, ci.Roles)
		}
	})
	t.Run("DeleteRole", func(t *testing.T) {
		noErr(t, err2(r.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("deploy"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})))
		noErr(t, err2(r.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("deploy"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAll)})))
		_, err := r.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deploy")})
		wantError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
		noErr(t, err2(r.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("deploy"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})))
		_, err = r.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deploy")})
		wantError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
		noErr(t, err2(r.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("deploy"), PolicyName: aws.String("p")})))
		noErr(t, err2(r.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deploy")})))
		_, err = r.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deploy")})
		wantError(t, err, "NoSuchEntity", "The role with name deploy cannot be found.")
	})
	t.Run("Identity Center roles cannot be changed", func(t *testing.T) {
		name := "AWSReservedSSO_Admin_0123456789abcdef"
		noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), Path: aws.String("/aws-reserved/sso.amazonaws.com/eu-west-1/"),
			AssumeRolePolicyDocument: aws.String(trustAccount)})))
		msg := "Cannot perform the operation on the protected role '" + name + "' - this role is only modifiable by AWS"
		_, err := r.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
		wantError(t, err, "UnmodifiableEntity", msg)
		_, err = r.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
		wantError(t, err, "UnmodifiableEntity", msg)
		_, err = r.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAll)})
		wantError(t, err, "UnmodifiableEntity", msg)
	})
}
