package model

import "time"

// InstanceProfile is an IAM instance profile: a named container that passes
// one role to EC2 instances.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
type InstanceProfile struct {
	Account string    `json:"account"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	// Roles names the roles in the profile; IAM allows at most one.
	Roles []string `json:"roles,omitempty"`
	Tags  []Tag    `json:"tags,omitempty"`
}

// ARN returns the instance profile's ARN.
func (p *InstanceProfile) ARN() string {
	return "arn:aws:iam::" + p.Account + ":instance-profile" + p.Path + p.Name
}

// LoginProfile is an IAM user's console password. Only a salted hash of the
// password is kept, never the password itself.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_LoginProfile.html
type LoginProfile struct {
	Account string `json:"account"`
	// UserID is the unique ID of the user the profile belongs to: a user
	// renamed by UpdateUser keeps its profile, and a new user given a
	// deleted user's name does not inherit one.
	UserID                string    `json:"userId"`
	Created               time.Time `json:"created"`
	PasswordResetRequired bool      `json:"passwordResetRequired,omitempty"`
	// Salt and Hash are the password's key-derivation salt and result,
	// base64-encoded; Iterations is the derivation's work factor.
	Salt       string `json:"salt"`
	Hash       string `json:"hash"`
	Iterations int    `json:"iterations"`
}

// InstanceProfileNameRule is the InstanceProfileName of the instance
// profile operations: 1 to 128 characters of [\w+=,.@-].
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html#API_CreateInstanceProfile_RequestParameters
var InstanceProfileNameRule = NameRule{1, 128, `[\w+=,.@-]+`, iamNameChar}

// PasswordRule is the Password of CreateLoginProfile and
// UpdateLoginProfile: 1 to 128 characters of
// [\u0009\u000A\u000D\u0020-\u00FF].
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html#API_CreateLoginProfile_RequestParameters
var PasswordRule = NameRule{1, 128, `[\u0009\u000A\u000D\u0020-\u00FF]+`, passwordChar}

func passwordChar(r rune) bool { return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xff }
