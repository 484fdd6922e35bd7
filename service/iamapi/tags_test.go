package iamapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestTags(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})))
	noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustAccount)})))
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	kinds := []struct {
		kind  string
		tag   func([]types.Tag) error
		untag func(...string) error
		list  func() ([]types.Tag, error)
	}{
		{"user",
			func(ts []types.Tag) error {
				return err2(r.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("u"), Tags: ts}))
			},
			func(ks ...string) error {
				return err2(r.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("u"), TagKeys: ks}))
			},
			func() ([]types.Tag, error) {
				out, err := r.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("u")})
				if err != nil {
					return nil, err
				}
				return out.Tags, nil
			}},
		{"role",
			func(ts []types.Tag) error {
				return err2(r.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r"), Tags: ts}))
			},
			func(ks ...string) error {
				return err2(r.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("r"), TagKeys: ks}))
			},
			func() ([]types.Tag, error) {
				out, err := r.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("r")})
				if err != nil {
					return nil, err
				}
				return out.Tags, nil
			}},
	}
	for _, k := range kinds {
		t.Run(k.kind, func(t *testing.T) {
			noErr(t, k.tag([]types.Tag{tag("team", "blue"), tag("env", "dev")}))
			noErr(t, k.tag([]types.Tag{tag("Team", "red")})) // same key, other case: replaced
			got, err := k.list()
			noErr(t, err)
			if len(got) != 2 || aws.ToString(got[0].Key) != "Team" || aws.ToString(got[0].Value) != "red" {
				t.Errorf("tags = %+v", got)
			}
			noErr(t, k.untag("TEAM"))
			got, err = k.list()
			noErr(t, err)
			if len(got) != 1 || aws.ToString(got[0].Key) != "env" {
				t.Errorf("tags after untag = %+v", got)
			}
			wantError(t, k.tag([]types.Tag{tag("bad*key", "v")}), "ValidationError",
				`1 validation error detected: Value 'bad*key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
			many := make([]types.Tag, 0, 50)
			for i := range 50 {
				many = append(many, tag("k"+string(rune('A'+i%26))+string(rune('a'+i/26)), "v"))
			}
			wantError(t, k.tag(many), "LimitExceeded", "")
		})
	}
}
