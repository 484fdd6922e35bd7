package iamapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

const goodPassword = "Correct-Horse-9"

func TestLoginProfiles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")})))
	out, err := r.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("carol"), Password: aws.String(goodPassword),
		PasswordResetRequired: true})
	noErr(t, err)
	if aws.ToString(out.LoginProfile.UserName) != "carol" || !out.LoginProfile.PasswordResetRequired || out.LoginProfile.CreateDate == nil {
		t.Fatalf("CreateLoginProfile = %+v", out.LoginProfile)
	}

	t.Run("only a salted hash is stored", func(t *testing.T) {
		err := e.store.View(ctx, func(tx store.Tx) error {
			return tx.Scan(state.LoginProfiles, "", "", func(_ string, v []byte) (bool, error) {
				if strings.Contains(string(v), goodPassword) {
					t.Errorf("the stored record holds the password: %s", v)
				}
				if !strings.Contains(string(v), `"salt"`) || !strings.Contains(string(v), `"hash"`) {
					t.Errorf("the stored record has no salt or hash: %s", v)
				}
				return true, nil
			})
		})
		noErr(t, err)
	})

	errs := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"create twice", func() error {
			return err2(r.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("Carol"), Password: aws.String(goodPassword)}))
		}, "EntityAlreadyExists", "Login Profile for user carol already exists."},
		{"create for a missing user", func() error {
			return err2(r.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("ghost"), Password: aws.String(goodPassword)}))
		}, "NoSuchEntity", "The user with name ghost cannot be found."},
		{"get without a profile", func() error {
			noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")})))
			return err2(r.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("dave")}))
		}, "NoSuchEntity", "Login Profile for User dave cannot be found."},
		{"delete user with a profile", func() error {
			return err2(r.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")}))
		}, "DeleteConflict", "Cannot delete entity, must delete login profile first."},
		{"update a user without a profile", func() error {
			return err2(r.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String(goodPassword)}))
		}, "NoSuchEntity", "Login Profile for User dave cannot be found."},
		{"root without UserName", func() error {
			return err2(r.GetLoginProfile(ctx, &iam.GetLoginProfileInput{}))
		}, "ValidationError", "Must specify userName when calling with non-User credentials"},
		{"password too long", func() error {
			return err2(r.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String(strings.Repeat("Aa1!", 33))}))
		}, "ValidationError", "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) { wantError(t, tc.call(), tc.code, tc.msg) })
	}

	t.Run("default password policy", func(t *testing.T) {
		tests := []struct {
			name, password string
			ok             bool
		}{
			{"upper, lower, digit, symbol", "Abcdef1!", true},
			{"upper, lower, digit", "Abcdefg1", true},
			{"lower, digit, symbol", "abcdef1!", true},
			{"seven characters", "Abcde1!", false},
			{"two classes", "abcdefgh1", false},
			{"one class", "abcdefghijkl", false},
			{"symbols outside IAM's set do not count", "abcdefg1~~", false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := r.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String(tc.password)})
				if tc.ok {
					noErr(t, err)
					noErr(t, err2(r.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("dave")})))
					return
				}
				wantError(t, err, "PasswordPolicyViolation", "")
			})
		}
	})

	t.Run("update keeps what is not given", func(t *testing.T) {
		noErr(t, err2(r.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("carol"), Password: aws.String("Another-Pass-2")})))
		got, err := r.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("carol")})
		noErr(t, err)
		if !got.LoginProfile.PasswordResetRequired {
			t.Errorf("PasswordResetRequired changed by an update that did not name it")
		}
		noErr(t, err2(r.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("carol"), PasswordResetRequired: aws.Bool(false)})))
		got, err = r.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("carol")})
		noErr(t, err)
		if got.LoginProfile.PasswordResetRequired {
			t.Errorf("PasswordResetRequired = true after setting it false")
		}
		_, err = r.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("carol"), Password: aws.String("short")})
		wantError(t, err, "PasswordPolicyViolation", "")
	})

	t.Run("a renamed user keeps its profile; a new user of the old name has none", func(t *testing.T) {
		noErr(t, err2(r.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("carol"), NewUserName: aws.String("caroline")})))
		got, err := r.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("caroline")})
		noErr(t, err)
		if aws.ToString(got.LoginProfile.UserName) != "caroline" {
			t.Errorf("UserName = %s", aws.ToString(got.LoginProfile.UserName))
		}
		noErr(t, err2(r.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")})))
		_, err = r.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("carol")})
		wantError(t, err, "NoSuchEntity", "Login Profile for User carol cannot be found.")
	})

	t.Run("delete the profile, then the user", func(t *testing.T) {
		noErr(t, err2(r.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("caroline")})))
		noErr(t, err2(r.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("caroline")})))
	})
}

// TestLoginProfileCaller: without UserName, a user acts on its own
// profile, authorized with the operation's iam: action on its own ARN.
func TestLoginProfileCaller(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const self = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateLoginProfile","iam:GetLoginProfile"],"Resource":"arn:aws:iam::111111111111:user/${aws:username}"}]}`
	tests := []struct {
		name, user, doc string
		code, msg       string
	}{
		{"allowed on itself", "erin", self, "", ""},
		{"no policy", "frank", "", "AccessDenied",
			"User: arn:aws:iam::111111111111:user/frank is not authorized to perform: iam:CreateLoginProfile on resource: arn:aws:iam::111111111111:user/frank because no identity-based policy allows the iam:CreateLoginProfile action"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := e.userClient(acct, tc.user, tc.doc)
			_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{Password: aws.String(goodPassword)})
			if tc.code != "" {
				wantError(t, err, tc.code, tc.msg)
				return
			}
			noErr(t, err)
			got, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{})
			noErr(t, err)
			if aws.ToString(got.LoginProfile.UserName) != tc.user {
				t.Errorf("GetLoginProfile = %+v", got.LoginProfile)
			}
		})
	}
}
