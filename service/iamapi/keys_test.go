package iamapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestAccessKeys(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})))
	noErr(t, err2(r.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("keys"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*AccessKey*"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}`)})))
	k1, err := r.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	noErr(t, err)
	key := k1.AccessKey
	if !strings.HasPrefix(aws.ToString(key.AccessKeyId), "AKIA") || len(aws.ToString(key.AccessKeyId)) != 20 ||
		len(aws.ToString(key.SecretAccessKey)) != 40 || key.Status != types.StatusTypeActive || aws.ToString(key.UserName) != "alice" {
		t.Fatalf("CreateAccessKey = %+v", key)
	}
	alice := e.client(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")

	t.Run("last used", func(t *testing.T) {
		k2, err := alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}) // her own, by default
		noErr(t, err)
		unused, err := r.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k2.AccessKey.AccessKeyId})
		noErr(t, err)
		if u := unused.AccessKeyLastUsed; aws.ToString(u.ServiceName) != "N/A" || aws.ToString(u.Region) != "N/A" || u.LastUsedDate != nil {
			t.Errorf("unused key = %+v", u)
		}
		used, err := r.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: key.AccessKeyId})
		noErr(t, err)
		if u := used.AccessKeyLastUsed; aws.ToString(u.ServiceName) != "iam" || aws.ToString(u.Region) != "us-east-1" || u.LastUsedDate == nil ||
			aws.ToString(used.UserName) != "alice" {
			t.Errorf("used key = %+v", u)
		}
		_, err = alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
		wantError(t, err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
		list, err := alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
		noErr(t, err)
		if len(list.AccessKeyMetadata) != 2 || list.AccessKeyMetadata[0].CreateDate == nil {
			t.Errorf("ListAccessKeys = %+v", list.AccessKeyMetadata)
		}
		noErr(t, err2(alice.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: k2.AccessKey.AccessKeyId})))
	})
	t.Run("inactive keys stop working", func(t *testing.T) {
		noErr(t, err2(r.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeInactive})))
		_, err := alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
		wantError(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
		noErr(t, err2(r.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeActive})))
		noErr(t, err2(alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})))
	})
	t.Run("errors", func(t *testing.T) {
		_, err := r.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String("AKIAAAAAAAAAAAAAAAAA")})
		wantError(t, err, "NoSuchEntity", "The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.")
		_, err = r.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: key.AccessKeyId, Status: "Paused"})
		wantError(t, err, "ValidationError", "1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]")
		_, err = r.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("nobody")})
		wantError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
		_, err = alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
		wantError(t, err, "AccessDenied", "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::111111111111:user/bob because no identity-based policy allows the iam:CreateAccessKey action")
	})
	t.Run("root keys", func(t *testing.T) {
		rk, err := r.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
		noErr(t, err)
		if rk.AccessKey.UserName != nil {
			t.Errorf("root key names a user: %+v", rk.AccessKey)
		}
		viaKey := e.client(aws.ToString(rk.AccessKey.AccessKeyId), aws.ToString(rk.AccessKey.SecretAccessKey), "")
		me, err := viaKey.GetUser(ctx, &iam.GetUserInput{})
		noErr(t, err)
		if aws.ToString(me.User.Arn) != "arn:aws:iam::111111111111:root" {
			t.Errorf("root key's caller = %+v", me.User)
		}
		list, err := r.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
		noErr(t, err)
		if len(list.AccessKeyMetadata) != 1 {
			t.Errorf("root keys = %+v", list.AccessKeyMetadata)
		}
	})
}
