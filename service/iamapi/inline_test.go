package iamapi_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// inlineOps drives the four inline-policy operations of one entity kind.
type inlineOps struct {
	kind   string
	create func(c *iam.Client, name string) error
	put    func(c *iam.Client, name, policy, doc string) error
	get    func(c *iam.Client, name, policy string) (string, error)
	del    func(c *iam.Client, name, policy string) error
	list   func(c *iam.Client, name string) ([]string, error)
	quota  int
}

func inlineKinds() []inlineOps {
	ctx := context.Background()
	return []inlineOps{
		{kind: "user", quota: 2048,
			create: func(c *iam.Client, n string) error {
				return err2(c.CreateUser(ctx, &iam.CreateUserInput{UserName: &n}))
			},
			put: func(c *iam.Client, n, p, d string) error {
				return err2(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: &n, PolicyName: &p, PolicyDocument: &d}))
			},
			get: func(c *iam.Client, n, p string) (string, error) {
				out, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: &n, PolicyName: &p})
				if err != nil {
					return "", err
				}
				return aws.ToString(out.PolicyDocument), nil
			},
			del: func(c *iam.Client, n, p string) error {
				return err2(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: &n, PolicyName: &p}))
			},
			list: func(c *iam.Client, n string) ([]string, error) {
				out, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: &n})
				if err != nil {
					return nil, err
				}
				return out.PolicyNames, nil
			}},
		{kind: "group", quota: 5120,
			create: func(c *iam.Client, n string) error {
				return err2(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: &n}))
			},
			put: func(c *iam.Client, n, p, d string) error {
				return err2(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: &n, PolicyName: &p, PolicyDocument: &d}))
			},
			get: func(c *iam.Client, n, p string) (string, error) {
				out, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: &n, PolicyName: &p})
				if err != nil {
					return "", err
				}
				return aws.ToString(out.PolicyDocument), nil
			},
			del: func(c *iam.Client, n, p string) error {
				return err2(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: &n, PolicyName: &p}))
			},
			list: func(c *iam.Client, n string) ([]string, error) {
				out, err := c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: &n})
				if err != nil {
					return nil, err
				}
				return out.PolicyNames, nil
			}},
		{kind: "role", quota: 10240,
			create: func(c *iam.Client, n string) error {
				return err2(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &n, AssumeRolePolicyDocument: aws.String(trustAccount)}))
			},
			put: func(c *iam.Client, n, p, d string) error {
				return err2(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &n, PolicyName: &p, PolicyDocument: &d}))
			},
			get: func(c *iam.Client, n, p string) (string, error) {
				out, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &n, PolicyName: &p})
				if err != nil {
					return "", err
				}
				return aws.ToString(out.PolicyDocument), nil
			},
			del: func(c *iam.Client, n, p string) error {
				return err2(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: &n, PolicyName: &p}))
			},
			list: func(c *iam.Client, n string) ([]string, error) {
				out, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: &n})
				if err != nil {
					return nil, err
				}
				return out.PolicyNames, nil
			}},
	}
}

func TestInlinePolicies(t *testing.T) {
	e := newEnv(t)
	r := e.root(acct)
	const doc = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}`
	for _, k := range inlineKinds() {
		t.Run(k.kind, func(t *testing.T) {
			name := "x-" + k.kind
			noErr(t, k.create(r, name))
			noErr(t, k.put(r, name, "read", doc))
			noErr(t, k.put(r, name, "all", allowAll))
			noErr(t, k.put(r, name, "ALL", allowAll)) // replaces "all"
			got, err := k.get(r, name, "read")
			noErr(t, err)
			if d, _ := url.QueryUnescape(got); d != doc {
				t.Errorf("document = %q", d)
			}
			names, err := k.list(r, name)
			noErr(t, err)
			if strings.Join(names, ",") != "ALL,read" {
				t.Errorf("names = %v", names)
			}
			_, err = k.get(r, name, "nope")
			wantError(t, err, "NoSuchEntity", "The "+k.kind+" policy with name nope cannot be found.")
			wantError(t, k.del(r, name, "nope"), "NoSuchEntity", "The "+k.kind+" policy with name nope cannot be found.")
			wantError(t, k.put(r, name, "bad", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}`),
				"MalformedPolicyDocument", "Policy statement must contain resources.")
			wantError(t, k.put(r, name, "bad", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`),
				"MalformedPolicyDocument", "Policy document should not specify a principal.")
			// The quota is on the sum of the entity's inline policies.
			big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` +
				strings.Repeat("a", k.quota-150) + `"}]}`
			wantError(t, k.put(r, name, "big", big), "LimitExceeded", "Maximum policy size of "+strconv.Itoa(k.quota)+" bytes exceeded for "+k.kind+" "+name)
			noErr(t, k.del(r, name, "read"))
			noErr(t, k.del(r, name, "all"))
			names, err = k.list(r, name)
			noErr(t, err)
			if len(names) != 0 {
				t.Errorf("names after delete = %v", names)
			}
			wantError(t, k.put(r, "missing", "p", doc), "NoSuchEntity", "The "+k.kind+" with name missing cannot be found.")
		})
	}
}
