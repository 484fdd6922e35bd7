package iamapi_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

var instanceProfileID = regexp.MustCompile(`^AIPA[A-Z2-7]{16}$`)

func TestInstanceProfiles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("web"), Path: aws.String("/ec2/"),
		AssumeRolePolicyDocument: aws.String(trustAccount)})))
	noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("batch"), AssumeRolePolicyDocument: aws.String(trustAccount)})))
	out, err := r.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web-profile"),
		Path: aws.String("/ec2/"), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	noErr(t, err)
	ip := out.InstanceProfile
	if aws.ToString(ip.Arn) != "arn:aws:iam::111111111111:instance-profile/ec2/web-profile" ||
		!instanceProfileID.MatchString(aws.ToString(ip.InstanceProfileId)) || len(ip.Roles) != 0 || len(ip.Tags) != 1 {
		t.Fatalf("CreateInstanceProfile = %+v", ip)
	}
	noErr(t, err2(r.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web-profile"),
		RoleName: aws.String("web")})))

	t.Run("GetAccountAuthorizationDetails lists a role's profiles", func(t *testing.T) {
		got, err := r.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole}})
		noErr(t, err)
		profiles := map[string]int{}
		for _, d := range got.RoleDetailList {
			profiles[aws.ToString(d.RoleName)] = len(d.InstanceProfileList)
			if aws.ToString(d.RoleName) == "web" && (len(d.InstanceProfileList) != 1 ||
				aws.ToString(d.InstanceProfileList[0].InstanceProfileName) != "web-profile") {
				t.Errorf("web's profiles = %+v", d.InstanceProfileList)
			}
		}
		if profiles["web"] != 1 || profiles["batch"] != 0 {
			t.Errorf("profiles per role = %v", profiles)
		}
	})

	t.Run("GetInstanceProfile returns the role", func(t *testing.T) {
		got, err := r.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("WEB-PROFILE")})
		noErr(t, err)
		p := got.InstanceProfile
		if len(p.Roles) != 1 || aws.ToString(p.Roles[0].Arn) != "arn:aws:iam::111111111111:role/ec2/web" ||
			aws.ToString(p.InstanceProfileName) != "web-profile" || len(p.Tags) != 1 {
			t.Errorf("GetInstanceProfile = %+v", p)
		}
	})

	errs := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"create duplicate (case-insensitive)", func() error {
			return err2(r.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("Web-Profile")}))
		}, "EntityAlreadyExists", "Instance Profile Web-Profile already exists."},
		{"create bad name", func() error {
			return err2(r.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("a b")}))
		}, "ValidationError", `1 validation error detected: Value 'a b' at 'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"create bad path", func() error {
			return err2(r.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("x"), Path: aws.String("nope")}))
		}, "ValidationError", ""},
		{"get missing", func() error {
			return err2(r.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("ghost")}))
		}, "NoSuchEntity", "Instance Profile ghost cannot be found."},
		{"second role", func() error {
			return err2(r.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web-profile"), RoleName: aws.String("batch")}))
		}, "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"},
		{"same role again", func() error {
			return err2(r.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web-profile"), RoleName: aws.String("web")}))
		}, "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"},
		{"add missing role", func() error {
			return err2(r.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web-profile"), RoleName: aws.String("ghost")}))
		}, "NoSuchEntity", "The role with name ghost cannot be found."},
		{"add to missing profile", func() error {
			return err2(r.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("ghost"), RoleName: aws.String("web")}))
		}, "NoSuchEntity", "Instance Profile ghost cannot be found."},
		{"remove role not in profile", func() error {
			return err2(r.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web-profile"), RoleName: aws.String("batch")}))
		}, "NoSuchEntity", "The role with name batch cannot be found."},
		{"delete profile with a role", func() error {
			return err2(r.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web-profile")}))
		}, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first."},
		{"delete role in a profile", func() error {
			return err2(r.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("web")}))
		}, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first."},
		{"tag with too many", func() error {
			tags := make([]types.Tag, 50)
			for i := range tags {
				tags[i] = types.Tag{Key: aws.String("k" + string(rune('A'+i%26)) + string(rune('a'+i/26))), Value: aws.String("v")}
			}
			return err2(r.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web-profile"), Tags: tags}))
		}, "LimitExceeded", "Cannot exceed quota for TagsPerInstanceProfile: 50"},
		{"list for missing role", func() error {
			return err2(r.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("ghost")}))
		}, "NoSuchEntity", "The role with name ghost cannot be found."},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) { wantError(t, tc.call(), tc.code, tc.msg) })
	}

	t.Run("ListInstanceProfiles pages and filters by path", func(t *testing.T) {
		for _, n := range []string{"a-profile", "z-profile"} {
			noErr(t, err2(r.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(n)})))
		}
		tests := []struct {
			name   string
			prefix string
			want   []string
		}{
			{"all", "", []string{"a-profile", "web-profile", "z-profile"}},
			{"under /ec2/", "/ec2/", []string{"web-profile"}},
			{"nothing under /none/", "/none/", nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				var got []string
				var marker *string
				for {
					in := &iam.ListInstanceProfilesInput{MaxItems: aws.Int32(2), Marker: marker}
					if tc.prefix != "" {
						in.PathPrefix = aws.String(tc.prefix)
					}
					page, err := r.ListInstanceProfiles(ctx, in)
					noErr(t, err)
					for _, p := range page.InstanceProfiles {
						got = append(got, aws.ToString(p.InstanceProfileName))
						if len(p.Tags) != 0 {
							t.Errorf("ListInstanceProfiles returned tags for %s", aws.ToString(p.InstanceProfileName))
						}
					}
					if !page.IsTruncated {
						break
					}
					marker = page.Marker
				}
				if len(got) != len(tc.want) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Fatalf("got %v, want %v", got, tc.want)
					}
				}
			})
		}
	})

	t.Run("ListInstanceProfilesForRole", func(t *testing.T) {
		tests := []struct {
			role string
			want int
		}{{"web", 1}, {"batch", 0}}
		for _, tc := range tests {
			got, err := r.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(tc.role)})
			noErr(t, err)
			if len(got.InstanceProfiles) != tc.want {
				t.Errorf("%s: %d profiles, want %d", tc.role, len(got.InstanceProfiles), tc.want)
			}
		}
	})

	t.Run("tags", func(t *testing.T) {
		noErr(t, err2(r.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web-profile"),
			Tags: []types.Tag{{Key: aws.String("ENV"), Value: aws.String("dev")}, {Key: aws.String("team"), Value: aws.String("blue")}}})))
		got, err := r.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web-profile")})
		noErr(t, err)
		if len(got.Tags) != 2 || aws.ToString(got.Tags[0].Key) != "ENV" || aws.ToString(got.Tags[0].Value) != "dev" {
			t.Fatalf("tags after TagInstanceProfile = %+v", got.Tags)
		}
		noErr(t, err2(r.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String("web-profile"),
			TagKeys: []string{"env", "absent"}})))
		got, err = r.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web-profile")})
		noErr(t, err)
		if len(got.Tags) != 1 || aws.ToString(got.Tags[0].Key) != "team" {
			t.Fatalf("tags after UntagInstanceProfile = %+v", got.Tags)
		}
	})

	t.Run("remove the role, then both deletes succeed", func(t *testing.T) {
		noErr(t, err2(r.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web-profile"),
			RoleName: aws.String("WEB")})))
		noErr(t, err2(r.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("web")})))
		noErr(t, err2(r.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web-profile")})))
		_, err := r.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web-profile")})
		wantError(t, err, "NoSuchEntity", "Instance Profile web-profile cannot be found.")
	})
}

// TestInstanceProfileAuthorization: every operation is authorized with its
// iam: action on the profile's ARN, and AddRoleToInstanceProfile also needs
// iam:PassRole on the role.
func TestInstanceProfileAuthorization(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	noErr(t, err2(r.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(trustAccount)})))
	noErr(t, err2(r.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("p")})))
	const noPass = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*InstanceProfile*"],"Resource":"*"}]}`
	const withPass = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*InstanceProfile*"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/web","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}`
	tests := []struct {
		name, user, doc string
		call            func(c *iam.Client) error
		code, msg       string
	}{
		{"no policy: GetInstanceProfile denied", "nobody", "", func(c *iam.Client) error {
			return err2(c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("p")}))
		}, "AccessDenied", "User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: iam:GetInstanceProfile on resource: arn:aws:iam::111111111111:instance-profile/p because no identity-based policy allows the iam:GetInstanceProfile action"},
		{"no policy: CreateInstanceProfile denied", "nobody2", "", func(c *iam.Client) error {
			return err2(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("q")}))
		}, "AccessDenied", ""},
		{"without PassRole", "nopass", noPass, func(c *iam.Client) error {
			return err2(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("p"), RoleName: aws.String("web")}))
		}, "AccessDenied", "User: arn:aws:iam::111111111111:user/nopass is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111111111111:role/web because no identity-based policy allows the iam:PassRole action"},
		{"with PassRole to EC2", "pass", withPass, func(c *iam.Client) error {
			return err2(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("p"), RoleName: aws.String("web")}))
		}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := e.userClient(acct, tc.user, tc.doc)
			err := tc.call(c)
			if tc.code == "" {
				noErr(t, err)
				return
			}
			wantError(t, err, tc.code, tc.msg)
		})
	}
}
