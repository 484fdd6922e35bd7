package iamapi_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// instanceProfileIDs masks the random InstanceProfileId in golden output.
var instanceProfileIDs = regexp.MustCompile(`<InstanceProfileId>AIPA[A-Z2-7]{16}</InstanceProfileId>`)

// TestProfilesGolden compares the wire form of the instance profile and
// login profile operations with testdata/profiles_*.golden (run with
// -update to rewrite them). The calls run in order against one server, each
// seeing the state the previous ones left.
func TestProfilesGolden(t *testing.T) {
	hs := goldenServer(t)
	tests := []struct {
		name string
		form url.Values
	}{
		{"create_instance_profile", form("Action", "CreateInstanceProfile", "InstanceProfileName", "web", "Path", "/ec2/",
			"Tags.member.1.Key", "env", "Tags.member.1.Value", "prod")},
		{"add_role_to_instance_profile", form("Action", "AddRoleToInstanceProfile", "InstanceProfileName", "web", "RoleName", "deploy")},
		{"get_instance_profile", form("Action", "GetInstanceProfile", "InstanceProfileName", "web")},
		{"list_instance_profiles", form("Action", "ListInstanceProfiles")},
		{"list_instance_profiles_for_role", form("Action", "ListInstanceProfilesForRole", "RoleName", "deploy")},
		{"error_delete_instance_profile_with_role", form("Action", "DeleteInstanceProfile", "InstanceProfileName", "web")},
		{"error_delete_role_in_instance_profile", form("Action", "DeleteRole", "RoleName", "deploy")},
		{"error_instance_profile_limit", form("Action", "AddRoleToInstanceProfile", "InstanceProfileName", "web", "RoleName", "deploy")},
		{"create_login_profile", form("Action", "CreateLoginProfile", "UserName", "alice", "Password", "Correct-Horse-9",
			"PasswordResetRequired", "true")},
		{"get_login_profile", form("Action", "GetLoginProfile", "UserName", "alice")},
		{"error_update_login_profile_no_user", form("Action", "UpdateLoginProfile", "Password", "x")},
		{"error_password_policy", form("Action", "UpdateLoginProfile", "UserName", "alice", "Password", "weakpassword")},
		{"error_delete_user_with_login_profile", form("Action", "DeleteUser", "UserName", "alice")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(t, hs, acct, rootSecret, tc.form)
			body = requestIDs.ReplaceAllString(body, "<RequestId>REQUEST-ID</RequestId>")
			body = instanceProfileIDs.ReplaceAllString(body, "<InstanceProfileId>AIPA-MASKED</InstanceProfileId>")
			got := fmt.Sprintf("HTTP %d\n%s", status, body)
			path := filepath.Join("testdata", "profiles_"+tc.name+".golden")
			if *update {
				noErr(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("body differs from %s\n got:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}
