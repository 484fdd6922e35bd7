package iamapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestGroups(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	g, err := r.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs"), Path: aws.String("/eng/")})
	noErr(t, err)
	if aws.ToString(g.Group.Arn) != "arn:aws:iam::111111111111:group/eng/devs" || aws.ToString(g.Group.GroupId)[:4] != "AGPA" {
		t.Fatalf("CreateGroup = %+v", g.Group)
	}
	for _, u := range []string{"alice", "bob"} {
		noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)})))
		noErr(t, err2(r.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String(u)})))
	}
	// Adding again is a no-op.
	noErr(t, err2(r.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("DEVS"), UserName: aws.String("alice")})))

	errs := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"create duplicate", func() error { return err2(r.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Devs")})) },
			"EntityAlreadyExists", "Group with name Devs already exists."},
		{"get missing", func() error { return err2(r.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("ops")})) },
			"NoSuchEntity", "The group with name ops cannot be found."},
		{"add to missing group", func() error {
			return err2(r.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: aws.String("alice")}))
		}, "NoSuchEntity", "The group with name ops cannot be found."},
		{"add missing user", func() error {
			return err2(r.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("zed")}))
		}, "NoSuchEntity", "The user with name zed cannot be found."},
		{"delete with members", func() error { return err2(r.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})) },
			"DeleteConflict", "Cannot delete entity, must remove users from group first."},
		{"bad name", func() error { return err2(r.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("a/b")})) },
			"ValidationError", `1 validation error detected: Value 'a/b' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) { wantError(t, tc.call(), tc.code, tc.msg) })
	}

	t.Run("GetGroup lists members", func(t *testing.T) {
		out, err := r.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs"), MaxItems: aws.Int32(1)})
		noErr(t, err)
		if len(out.Users) != 1 || aws.ToString(out.Users[0].UserName) != "alice" || !out.IsTruncated {
			t.Fatalf("page 1 = %+v", out)
		}
		out, err = r.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs"), Marker: out.Marker})
		noErr(t, err)
		if len(out.Users) != 1 || aws.ToString(out.Users[0].UserName) != "bob" || out.IsTruncated {
			t.Fatalf("page 2 = %+v", out)
		}
	})
	t.Run("ListGroups and ListGroupsForUser", func(t *testing.T) {
		noErr(t, err2(r.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admins")})))
		noErr(t, err2(r.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("alice")})))
		all, err := r.ListGroups(ctx, &iam.ListGroupsInput{})
		noErr(t, err)
		if len(all.Groups) != 2 || aws.ToString(all.Groups[0].GroupName) != "admins" {
			t.Errorf("ListGroups = %+v", all.Groups)
		}
		eng, err := r.ListGroups(ctx, &iam.ListGroupsInput{PathPrefix: aws.String("/eng")})
		noErr(t, err)
		if len(eng.Groups) != 1 {
			t.Errorf("ListGroups /eng = %+v", eng.Groups)
		}
		mine, err := r.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("alice")})
		noErr(t, err)
		if len(mine.Groups) != 2 || aws.ToString(mine.Groups[1].GroupName) != "devs" {
			t.Errorf("ListGroupsForUser = %+v", mine.Groups)
		}
	})
	t.Run("group policies reach members", func(t *testing.T) {
		noErr(t, err2(r.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("list"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)})))
		key, err := r.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
		noErr(t, err)
		bob := e.client(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
		noErr(t, err2(bob.ListUsers(ctx, &iam.ListUsersInput{})))
		noErr(t, err2(r.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String("bob")})))
		_, err = bob.ListUsers(ctx, &iam.ListUsersInput{})
		wantError(t, err, "AccessDenied", "User: arn:aws:iam::111111111111:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::111111111111:user/ because no identity-based policy allows the iam:ListUsers action")
	})
	t.Run("delete", func(t *testing.T) {
		noErr(t, err2(r.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")})))
		_, err := r.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
		wantError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
		noErr(t, err2(r.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("list")})))
		noErr(t, err2(r.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})))
	})
}
