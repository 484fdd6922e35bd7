package model

import (
	"strings"
	"testing"
)

func TestNameRules(t *testing.T) {
	tests := []struct {
		name string
		rule NameRule
		s    string
		want string // "" when valid
	}{
		{"user ok", UserNameRule, "alice+ops@example.com", ""},
		{"user empty", UserNameRule, "", "Member must have length greater than or equal to 1"},
		{"user long", UserNameRule, strings.Repeat("a", 65), "Member must have length less than or equal to 64"},
		{"user slash", UserNameRule, "a/b", `Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"user non-ASCII", UserNameRule, "élise", `Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"group 128", GroupNameRule, strings.Repeat("g", 128), ""},
		{"session 1 char", SessionNameRule, "s", "Member must have length greater than or equal to 2"},
		{"external id colon", ExternalIDRule, "urn:ext/1", ""},
		{"tag key unicode", TagKeyRule, "équipe 1", ""},
		{"tag key star", TagKeyRule, "a*", `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		{"tag value empty", TagValueRule, "", ""},
		{"description tab", DescriptionRule, "a\tb ©", ""},
		{"description emoji", DescriptionRule, "☃", `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`},
		{"key id", AccessKeyIDRule, "AKIAEXAMPLE000000001", ""},
		{"key id short", AccessKeyIDRule, "AKIA", "Member must have length greater than or equal to 16"},
		{"invalid UTF-8", UserNameRule, "a\xffb", `Member must satisfy regular expression pattern: [\w+=,.@-]+`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.Check(tc.s); got != tc.want {
				t.Errorf("Check(%q) = %q, want %q", tc.s, got, tc.want)
			}
		})
	}
}

func TestValidPath(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/", true}, {"/a/", true}, {"/a/b/", true}, {"/aws-reserved/sso.amazonaws.com/eu-west-1/", true},
		{"", false}, {"a/", false}, {"/a", false}, {"/a b/", false}, {"//", false}, {"/" + strings.Repeat("a", 511) + "/", false},
	}
	for _, tc := range tests {
		if got := ValidPath(tc.path); got != tc.want {
			t.Errorf("ValidPath(%q) = %v", tc.path, got)
		}
	}
}
