package iamapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestCreateUserErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	_, err := r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	noErr(t, err)
	tests := []struct {
		name      string
		in        iam.CreateUserInput
		code, msg string
	}{
		{"duplicate, other case", iam.CreateUserInput{UserName: aws.String("ALICE")},
			"EntityAlreadyExists", "User with name ALICE already exists."},
		{"bad character", iam.CreateUserInput{UserName: aws.String("a b")}, "ValidationError",
			`1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"too long", iam.CreateUserInput{UserName: aws.String(strings.Repeat("x", 65))}, "ValidationError",
			"1 validation error detected: Value '" + strings.Repeat("x", 65) + "' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"bad path", iam.CreateUserInput{UserName: aws.String("p"), Path: aws.String("abc")}, "ValidationError",
			`1 validation error detected: Value 'abc' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"two violations", iam.CreateUserInput{UserName: aws.String("a b"), Path: aws.String("/x")}, "ValidationError", ""},
		{"missing boundary policy", iam.CreateUserInput{UserName: aws.String("b"), PermissionsBoundary: aws.String("arn:aws:iam::111111111111:policy/none")},
			"NoSuchEntity", "Scope ARN: arn:aws:iam::111111111111:policy/none does not exist or is not attachable."},
		{"duplicate tag keys", iam.CreateUserInput{UserName: aws.String("c"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")},
			{Key: aws.String("A"), Value: aws.String("2")}}}, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.CreateUser(ctx, &tc.in)
			wantError(t, err, tc.code, tc.msg)
		})
	}
	_, err = r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("a b"), Path: aws.String("/x")})
	if _, msg := apiError(err); !strings.HasPrefix(msg, "2 validation errors detected: ") {
		t.Errorf("two violations: %q", msg)
	}
}

func TestUserLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)

	out, err := r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/"),
		PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
		Tags:                []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	noErr(t, err)
	u := out.User
	if aws.ToString(u.Arn) != "arn:aws:iam::111111111111:user/eng/alice" || !strings.HasPrefix(aws.ToString(u.UserId), "AIDA") ||
		aws.ToString(u.Path) != "/eng/" || u.CreateDate == nil {
		t.Fatalf("CreateUser = %+v", u)
	}

	t.Run("GetUser", func(t *testing.T) {
		got, err := r.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ALICE")})
		noErr(t, err)
		g := got.User
		if aws.ToString(g.UserId) != aws.ToString(u.UserId) || aws.ToString(g.UserName) != "alice" ||
			g.PermissionsBoundary == nil || aws.ToString(g.PermissionsBoundary.PermissionsBoundaryArn) != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" ||
			len(g.Tags) != 1 || aws.ToString(g.Tags[0].Value) != "blue" {
			t.Errorf("GetUser = %+v", g)
		}
	})
	t.Run("GetUser missing", func(t *testing.T) {
		_, err := r.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
		wantError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
	})
	t.Run("GetUser of the root user", func(t *testing.T) {
		got, err := r.GetUser(ctx, &iam.GetUserInput{})
		noErr(t, err)
		if aws.ToString(got.User.Arn) != "arn:aws:iam::111111111111:root" || aws.ToString(got.User.UserId) != acct || got.User.UserName != nil {
			t.Errorf("GetUser() as root = %+v", got.User)
		}
	})
	t.Run("GetUser of the caller", func(t *testing.T) {
		bob := e.userClient(acct, "bob", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`)
		got, err := bob.GetUser(ctx, &iam.GetUserInput{})
		noErr(t, err)
		if aws.ToString(got.User.UserName) != "bob" {
			t.Errorf("GetUser() as bob = %+v", got.User)
		}
		_, err = bob.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
		wantError(t, err, "AccessDenied", "User: arn:aws:iam::111111111111:user/bob is not authorized to perform: iam:GetUser on resource: arn:aws:iam::111111111111:user/eng/alice because no identity-based policy allows the iam:GetUser action")
	})
	t.Run("UpdateUser", func(t *testing.T) {
		_, err := r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taken")})
		noErr(t, err)
		_, err = r.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("Taken")})
		wantError(t, err, "EntityAlreadyExists", "User with name Taken already exists.")
		_, err = r.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
		noErr(t, err)
		_, err = r.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("alicia"), NewPath: aws.String("/ops/")})
		noErr(t, err)
		got, err := r.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alicia")})
		noErr(t, err)
		if aws.ToString(got.User.Arn) != "arn:aws:iam::111111111111:user/ops/alicia" || aws.ToString(got.User.UserId) != aws.ToString(u.UserId) {
			t.Errorf("renamed user = %+v", got.User)
		}
		keys, err := r.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alicia")})
		noErr(t, err)
		if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].UserName) != "alicia" {
			t.Errorf("keys after rename = %+v", keys.AccessKeyMetadata)
		}
		_, err = r.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
		wantError(t, err, "NoSuchEntity", "The user with name alice cannot be found.")
	})
}

func TestDeleteUserConflicts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	name := aws.String("alice")
	_, err := r.CreateUser(ctx, &iam.CreateUserInput{UserName: name})
	noErr(t, err)
	_, err = r.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	noErr(t, err)
	key, err := r.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: name})
	noErr(t, err)
	noErr(t, err2(r.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: name, PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAll)})))
	noErr(t, err2(r.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: name, PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})))
	noErr(t, err2(r.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: name, GroupName: aws.String("devs")})))

	steps := []struct {
		name    string
		msg     string
		resolve func() error
	}{
		{"access keys", "Cannot delete entity, must delete access keys first.", func() error {
			return err2(r.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: name, AccessKeyId: key.AccessKey.AccessKeyId}))
		}},
		{"inline policies", "Cannot delete entity, must delete policies first.", func() error {
			return err2(r.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: name, PolicyName: aws.String("p")}))
		}},
		{"attached policies", "Cannot delete entity, must detach all policies first.", func() error {
			return err2(r.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: name, PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))
		}},
		{"groups", "Cannot delete entity, must remove user from all groups first.", func() error {
			return err2(r.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: name, GroupName: aws.String("devs")}))
		}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			_, err := r.DeleteUser(ctx, &iam.DeleteUserInput{UserName: name})
			wantError(t, err, "DeleteConflict", s.msg)
			noErr(t, s.resolve())
		})
	}
	noErr(t, err2(r.DeleteUser(ctx, &iam.DeleteUserInput{UserName: name})))
	_, err = r.DeleteUser(ctx, &iam.DeleteUserInput{UserName: name})
	wantError(t, err, "NoSuchEntity", "The user with name alice cannot be found.")
}

// err2 drops an operation's output.
func err2[T any](_ T, err error) error { return err }

func TestListUsersPagination(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	for _, n := range []string{"dave", "Carol", "bob", "alice", "eve"} {
		path := "/"
		if n == "eve" || n == "bob" {
			path = "/ops/"
		}
		noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n), Path: aws.String(path)})))
	}
	tests := []struct {
		name   string
		prefix string
		max    int32
		want   [][]string
	}{
		{"all in one page", "", 0, [][]string{{"alice", "bob", "Carol", "dave", "eve"}}},
		{"pages of two", "", 2, [][]string{{"alice", "bob"}, {"Carol", "dave"}, {"eve"}}},
		{"path prefix", "/ops/", 1, [][]string{{"bob"}, {"eve"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &iam.ListUsersInput{}
			if tc.prefix != "" {
				in.PathPrefix = aws.String(tc.prefix)
			}
			if tc.max > 0 {
				in.MaxItems = aws.Int32(tc.max)
			}
			var got [][]string
			for range 10 {
				out, err := r.ListUsers(ctx, in)
				noErr(t, err)
				var names []string
				for _, u := range out.Users {
					names = append(names, aws.ToString(u.UserName))
				}
				got = append(got, names)
				if !out.IsTruncated {
					break
				}
				in.Marker = out.Marker
			}
			if strings.Join(flatten(got), ",") != strings.Join(flatten(tc.want), ",") || len(got) != len(tc.want) {
				t.Errorf("pages = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("MaxItems out of range", func(t *testing.T) {
		_, err := r.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1001)})
		wantError(t, err, "ValidationError", "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000")
	})
	t.Run("bad marker", func(t *testing.T) {
		_, err := r.ListUsers(ctx, &iam.ListUsersInput{Marker: aws.String("!!")})
		wantError(t, err, "ValidationError", "")
	})
}

func flatten(pages [][]string) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}
