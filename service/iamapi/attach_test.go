package iamapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestAttachments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	p, err := r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Read"), PolicyDocument: aws.String(readDoc)})
	noErr(t, err)
	arn := p.Policy.Arn
	noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})))
	noErr(t, err2(r.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")})))
	noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustAccount)})))

	kinds := []struct {
		kind   string
		attach func(string) error
		detach func(string) error
		list   func() ([]types.AttachedPolicy, error)
	}{
		{"user",
			func(a string) error {
				return err2(r.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: &a}))
			},
			func(a string) error {
				return err2(r.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: &a}))
			},
			func() ([]types.AttachedPolicy, error) {
				out, err := r.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("u")})
				if err != nil {
					return nil, err
				}
				return out.AttachedPolicies, nil
			}},
		{"group",
			func(a string) error {
				return err2(r.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: &a}))
			},
			func(a string) error {
				return err2(r.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: &a}))
			},
			func() ([]types.AttachedPolicy, error) {
				out, err := r.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("g")})
				if err != nil {
					return nil, err
				}
				return out.AttachedPolicies, nil
			}},
		{"role",
			func(a string) error {
				return err2(r.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: &a}))
			},
			func(a string) error {
				return err2(r.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: &a}))
			},
			func() ([]types.AttachedPolicy, error) {
				out, err := r.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r")})
				if err != nil {
					return nil, err
				}
				return out.AttachedPolicies, nil
			}},
	}
	for _, k := range kinds {
		t.Run(k.kind, func(t *testing.T) {
			noErr(t, k.attach(*arn))
			noErr(t, k.attach(*arn)) // again: no-op
			noErr(t, k.attach("arn:aws:iam::aws:policy/ReadOnlyAccess"))
			wantError(t, k.attach("arn:aws:iam::111111111111:policy/Nope"), "NoSuchEntity",
				"Policy arn:aws:iam::111111111111:policy/Nope does not exist or is not attachable.")
			list, err := k.list()
			noErr(t, err)
			if len(list) != 2 || aws.ToString(list[0].PolicyName) != "Read" || aws.ToString(list[1].PolicyArn) != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
				t.Errorf("attached = %+v", list)
			}
			wantError(t, k.detach("arn:aws:iam::aws:policy/AdministratorAccess"), "NoSuchEntity",
				"Policy arn:aws:iam::aws:policy/AdministratorAccess was not found.")
		})
	}

	t.Run("counts and entities", func(t *testing.T) {
		got, err := r.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
		noErr(t, err)
		if aws.ToInt32(got.Policy.AttachmentCount) != 3 {
			t.Errorf("AttachmentCount = %d", aws.ToInt32(got.Policy.AttachmentCount))
		}
		ents, err := r.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn})
		noErr(t, err)
		if len(ents.PolicyUsers) != 1 || len(ents.PolicyGroups) != 1 || len(ents.PolicyRoles) != 1 ||
			aws.ToString(ents.PolicyRoles[0].RoleName) != "r" || !strings.HasPrefix(aws.ToString(ents.PolicyUsers[0].UserId), "AIDA") {
			t.Errorf("entities = %+v", ents)
		}
		roles, err := r.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn, EntityFilter: types.EntityTypeRole})
		noErr(t, err)
		if len(roles.PolicyUsers) != 0 || len(roles.PolicyRoles) != 1 {
			t.Errorf("role entities = %+v", roles)
		}
	})

	t.Run("quota", func(t *testing.T) {
		for i := 0; i < 8; i++ {
			name := "P" + string(rune('a'+i))
			noErr(t, err2(r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: &name, PolicyDocument: aws.String(readDoc)})))
			noErr(t, kinds[0].attach("arn:aws:iam::111111111111:policy/"+name))
		}
		noErr(t, err2(r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Pz"), PolicyDocument: aws.String(readDoc)})))
		wantError(t, kinds[0].attach("arn:aws:iam::111111111111:policy/Pz"), "LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10")
	})

	t.Run("boundaries", func(t *testing.T) {
		noErr(t, err2(r.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"), PermissionsBoundary: arn})))
		noErr(t, err2(r.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("r"),
			PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/PowerUserAccess")})))
		_, err := r.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("r"),
			PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
		wantError(t, err, "NoSuchEntity", "Scope ARN: arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.")
		got, err := r.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
		noErr(t, err)
		if aws.ToInt32(got.Policy.PermissionsBoundaryUsageCount) != 1 {
			t.Errorf("PermissionsBoundaryUsageCount = %d", aws.ToInt32(got.Policy.PermissionsBoundaryUsageCount))
		}
		role, err := r.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})
		noErr(t, err)
		if b := role.Role.PermissionsBoundary; b == nil || aws.ToString(b.PermissionsBoundaryArn) != "arn:aws:iam::aws:policy/PowerUserAccess" ||
			b.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
			t.Errorf("role boundary = %+v", b)
		}
		bounded, err := r.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn, PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary})
		noErr(t, err)
		if len(bounded.PolicyUsers) != 1 || len(bounded.PolicyRoles) != 0 || len(bounded.PolicyGroups) != 0 {
			t.Errorf("boundary entities = %+v", bounded)
		}
		noErr(t, err2(r.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("u")})))
		noErr(t, err2(r.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("r")})))
		u, err := r.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u")})
		noErr(t, err)
		if u.User.PermissionsBoundary != nil {
			t.Errorf("user boundary after delete = %+v", u.User.PermissionsBoundary)
		}
	})
}
