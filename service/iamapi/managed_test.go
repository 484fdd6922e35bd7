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

const readDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

func TestManagedPolicies(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	out, err := r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Read"), Path: aws.String("/team/"),
		PolicyDocument: aws.String(readDoc), Description: aws.String("read objects")})
	noErr(t, err)
	arn := aws.ToString(out.Policy.Arn)
	if arn != "arn:aws:iam::111111111111:policy/team/Read" || aws.ToString(out.Policy.DefaultVersionId) != "v1" ||
		!strings.HasPrefix(aws.ToString(out.Policy.PolicyId), "ANPA") || !out.Policy.IsAttachable {
		t.Fatalf("CreatePolicy = %+v", out.Policy)
	}

	errs := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"duplicate name on another path", func() error {
			return err2(r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(readDoc)}))
		}, "EntityAlreadyExists", "A policy called read already exists. Duplicate names are not allowed."},
		{"old Version", func() error {
			return err2(r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Old"),
				PolicyDocument: aws.String(`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}))
		}, "MalformedPolicyDocument", "Policy document must be version 2012-10-17 or greater."},
		{"too large", func() error {
			return err2(r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Big"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::` + strings.Repeat("b", 6200) + `"}]}`)}))
		}, "LimitExceeded", "Cannot exceed the quota for PolicySize: 6144"},
		{"get missing", func() error {
			return err2(r.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::111111111111:policy/Nope")}))
		}, "NoSuchEntity", "Policy arn:aws:iam::111111111111:policy/Nope was not found."},
		{"another account's policy is invisible", func() error {
			return err2(r.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::222222222222:policy/team/Read")}))
		}, "NoSuchEntity", "Policy arn:aws:iam::222222222222:policy/team/Read was not found."},
		{"bad version id", func() error {
			return err2(r.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("1")}))
		}, "ValidationError", `1 validation error detected: Value '1' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`},
		{"missing version", func() error {
			return err2(r.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v9")}))
		}, "NoSuchEntity", "Policy arn:aws:iam::111111111111:policy/team/Read version v9 does not exist or is not attachable."},
		{"AWS managed policies cannot change", func() error {
			return err2(r.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess"),
				PolicyDocument: aws.String(readDoc)}))
		}, "AccessDenied", ""},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) { wantError(t, tc.call(), tc.code, tc.msg) })
	}

	t.Run("GetPolicy of an AWS managed policy", func(t *testing.T) {
		got, err := r.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")})
		noErr(t, err)
		v, err := r.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: got.Policy.Arn, VersionId: got.Policy.DefaultVersionId})
		noErr(t, err)
		doc, _ := url.QueryUnescape(aws.ToString(v.PolicyVersion.Document))
		if aws.ToString(got.Policy.PolicyName) != "AmazonS3ReadOnlyAccess" || !strings.Contains(doc, `"s3:Get*"`) {
			t.Errorf("policy %+v, document %s", got.Policy, doc)
		}
	})

	t.Run("versions", func(t *testing.T) {
		for i := 2; i <= 5; i++ {
			v, err := r.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: aws.String(readDoc), SetAsDefault: i == 3})
			noErr(t, err)
			if want := "v" + string(rune('0'+i)); aws.ToString(v.PolicyVersion.VersionId) != want || v.PolicyVersion.IsDefaultVersion != (i == 3) {
				t.Errorf("version %d = %+v", i, v.PolicyVersion)
			}
		}
		_, err := r.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: aws.String(readDoc)})
		wantError(t, err, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
		_, err = r.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v3")})
		wantError(t, err, "DeleteConflict", "Cannot delete the default version of a policy.")
		noErr(t, err2(r.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v1")})))
		noErr(t, err2(r.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v5")})))
		_, err = r.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: &arn, VersionId: aws.String("v1")})
		wantError(t, err, "NoSuchEntity", "Policy arn:aws:iam::111111111111:policy/team/Read version v1 does not exist or is not attachable.")
		list, err := r.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &arn})
		noErr(t, err)
		var ids []string
		for _, v := range list.Versions {
			id := aws.ToString(v.VersionId)
			if v.IsDefaultVersion {
				id += "*"
			}
			ids = append(ids, id)
		}
		if strings.Join(ids, ",") != "v5*,v4,v3,v2" {
			t.Errorf("versions = %v", ids)
		}
		noErr(t, err2(r.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: aws.String(readDoc)})))
		got, err := r.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &arn})
		noErr(t, err)
		if aws.ToString(got.Policy.DefaultVersionId) != "v5" || aws.ToString(got.Policy.Description) != "read objects" {
			t.Errorf("GetPolicy = %+v", got.Policy)
		}
	})

	t.Run("ListPolicies", func(t *testing.T) {
		noErr(t, err2(r.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Write"), PolicyDocument: aws.String(readDoc)})))
		noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})))
		noErr(t, err2(r.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String("arn:aws:iam::111111111111:policy/Write")})))
		noErr(t, err2(r.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})))
		names := func(in *iam.ListPoliciesInput) string {
			out, err := r.ListPolicies(ctx, in)
			noErr(t, err)
			var s []string
			for _, p := range out.Policies {
				s = append(s, aws.ToString(p.PolicyName))
			}
			return strings.Join(s, ",")
		}
		tests := []struct {
			name string
			in   iam.ListPoliciesInput
			want string
		}{
			{"local", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}, "Read,Write"},
			{"local on a path", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, PathPrefix: aws.String("/team/")}, "Read"},
			{"attached", iam.ListPoliciesInput{OnlyAttached: true}, "ReadOnlyAccess,Write"},
			{"attached AWS", iam.ListPoliciesInput{OnlyAttached: true, Scope: types.PolicyScopeTypeAws}, "ReadOnlyAccess"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := names(&tc.in); got != tc.want {
					t.Errorf("got %s, want %s", got, tc.want)
				}
			})
		}
		all := names(&iam.ListPoliciesInput{})
		if !strings.Contains(all, "AdministratorAccess") || !strings.Contains(all, "Read,") {
			t.Errorf("All = %s", all)
		}
	})

	t.Run("DeletePolicy", func(t *testing.T) {
		w := aws.String("arn:aws:iam::111111111111:policy/Write")
		_, err := r.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: w})
		wantError(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")
		noErr(t, err2(r.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: w})))
		noErr(t, err2(r.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: w})))
		_, err = r.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &arn})
		wantError(t, err, "DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	})
}
