package model

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// NameRule is the length and character rule IAM and STS apply to one kind of
// name, with the regular expression AWS quotes when a name breaks it. The
// rules are the API models' constraints:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html#API_CreateUser_RequestParameters
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
type NameRule struct {
	// Min and Max bound the length in characters.
	Min, Max int
	// Pattern is the regular expression as AWS writes it in messages.
	Pattern string
	// Char reports whether r may appear; nil allows every character.
	Char func(r rune) bool
}

// iamNameChar is the class [\w+=,.@-] of IAM entity names.
func iamNameChar(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r == '_' || r == '+' || r == '=' || r == ',' || r == '.' || r == '@' || r == '-')
}

// pathChar is the class [\u0021-\u007E] of IAM paths.
func pathChar(r rune) bool { return r >= 0x21 && r <= 0x7e }

// tagChar is the class [\p{L}\p{Z}\p{N}_.:/=+\-@] of IAM and STS tags.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
func tagChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.In(r, unicode.Z) || unicode.IsNumber(r) ||
		r == '_' || r == '.' || r == ':' || r == '/' || r == '=' || r == '+' || r == '-' || r == '@'
}

// descriptionChar is the class [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]
// of role descriptions.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html#API_CreateRole_RequestParameters
func descriptionChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7e || r >= 0xa1 && r <= 0xff
}

// accessKeyChar is the class [\w] of access key IDs.
func accessKeyChar(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
}

// The name rules of IAM and STS.
var (
	UserNameRule = NameRule{1, 64, `[\w+=,.@-]+`, iamNameChar}
	// RoleNameRule: role names are limited to 64 characters.
	RoleNameRule   = NameRule{1, 64, `[\w+=,.@-]+`, iamNameChar}
	GroupNameRule  = NameRule{1, 128, `[\w+=,.@-]+`, iamNameChar}
	PolicyNameRule = NameRule{1, 128, `[\w+=,.@-]+`, iamNameChar}
	// SessionNameRule is AssumeRole's RoleSessionName.
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_RequestParameters
	SessionNameRule = NameRule{2, 64, `[\w+=,.@-]*`, iamNameChar}
	// FederatedNameRule is GetFederationToken's Name.
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html#API_GetFederationToken_RequestParameters
	FederatedNameRule = NameRule{2, 32, `[\w+=,.@-]*`, iamNameChar}
	// SourceIdentityRule is AssumeRole's SourceIdentity.
	SourceIdentityRule = NameRule{2, 64, `[\w+=,.@-]*`, iamNameChar}
	// ExternalIDRule is AssumeRole's ExternalId.
	ExternalIDRule = NameRule{2, 1224, `[\w+=,.@:\/-]*`, func(r rune) bool { return iamNameChar(r) || r == ':' || r == '/' }}
	// PathRule is the Path of users, groups, roles and policies; a path
	// must also start and end with '/' (see ValidPath).
	PathRule = NameRule{1, 512, `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, pathChar}
	// PathPrefixRule is the PathPrefix of the List operations.
	PathPrefixRule  = NameRule{1, 512, `\u002F[\u0021-\u007E]*`, pathChar}
	TagKeyRule      = NameRule{1, 128, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, tagChar}
	TagValueRule    = NameRule{0, 256, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, tagChar}
	DescriptionRule = NameRule{0, 1000, `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`, descriptionChar}
	AccessKeyIDRule = NameRule{16, 128, `[\w]+`, accessKeyChar}
	// PolicyDescriptionRule is CreatePolicy's Description.
	PolicyDescriptionRule = NameRule{0, 1000, "", nil}
)

// Check returns "" when s follows the rule, else the constraint it breaks in
// AWS's words ("Member must have length less than or equal to 64", "Member
// must satisfy regular expression pattern: [\w+=,.@-]+"). Length is checked
// first, as AWS reports it first.
func (r NameRule) Check(s string) string {
	n := utf8.RuneCountInString(s)
	if n < r.Min {
		return "Member must have length greater than or equal to " + strconv.Itoa(r.Min)
	}
	if n > r.Max {
		return "Member must have length less than or equal to " + strconv.Itoa(r.Max)
	}
	if r.Char != nil {
		for _, c := range s {
			if c == utf8.RuneError || !r.Char(c) {
				return "Member must satisfy regular expression pattern: " + r.Pattern
			}
		}
	}
	return ""
}

// ValidPath reports whether p is an IAM path: "/" or "/" + printable ASCII +
// "/", at most 512 characters.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names
func ValidPath(p string) bool {
	if PathRule.Check(p) != "" {
		return false
	}
	return p == "/" || len(p) >= 3 && p[0] == '/' && p[len(p)-1] == '/'
}
