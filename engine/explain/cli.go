package explain

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
)

// stmtDoc is a policy statement as the fixes write it. Field order is the
// order AWS's examples use.
type stmtDoc struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal any                       `json:"Principal,omitempty"`
	Action    any                       `json:"Action"`
	Resource  any                       `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// policyDoc is a whole policy document.
type policyDoc struct {
	Version   string    `json:"Version"`
	Statement []stmtDoc `json:"Statement"`
}

func newPolicy(st stmtDoc) policyDoc {
	// 2012-10-17 is the current policy language version.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
	return policyDoc{Version: "2012-10-17", Statement: []stmtDoc{st}}
}

// compact renders v as one line of JSON, for a command's argument.
func compact(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// indented renders v as indented JSON, for reading.
func indented(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// shq quotes s for a POSIX shell: unchanged when it is made of safe
// characters only, single-quoted otherwise.
func shq(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("@%+=:,./_-", c) >= 0) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cmd joins a command's words, quoting each argument.
func cmd(words ...string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = shq(w)
	}
	return strings.Join(out, " ")
}

// sidFor names a statement after the action it allows: s3:GetObject gives
// "AllowS3GetObject". IAM Sids are alphanumeric.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
func sidFor(prefix, action string) string {
	svc, name, ok := strings.Cut(action, ":")
	if !ok {
		svc, name = "", action
	}
	svc = strings.ToUpper(alnum(svc))
	if len(svc) > 3 {
		svc = svc[:1] + strings.ToLower(svc[1:])
	}
	s := prefix + svc + alnum(name)
	if len(s) > 100 {
		s = s[:100]
	}
	return s
}

// policyNameFor names a new managed or inline policy; IAM allows
// alphanumerics and +=,.@_- up to 128 characters.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html
func policyNameFor(action, bucket string) string {
	n := sidFor("Allow", action)
	if bucket != "" {
		n += "-" + bucket
	}
	var b strings.Builder
	for i := 0; i < len(n) && b.Len() < 128; i++ {
		c := n[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func alnum(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// policyKind classifies a policy name as verdict's inputs write it:
// "user/alice inline policy Read", a managed policy ARN, "session policy",
// an organization policy ID ("p-...") or ARN.
type policyKind struct {
	kind  string // "inline", "managed", "aws-managed", "session", "org", ""
	owner string // "user", "group", "role" for inline policies
	name  string // the owner's name for inline policies
	inner string // the inline policy's name
	arn   string // managed policy ARN
	orgID string // organization policy ID
}

func classifyPolicy(name string) policyKind {
	if owner, rest, ok := strings.Cut(name, "/"); ok && (owner == "user" || owner == "group" || owner == "role") {
		if who, inner, ok := strings.Cut(rest, " inline policy "); ok && who != "" && inner != "" {
			return policyKind{kind: "inline", owner: owner, name: who, inner: inner}
		}
	}
	if name == "session policy" {
		return policyKind{kind: "session"}
	}
	if strings.HasPrefix(name, "p-") && !strings.ContainsAny(name, " /:") {
		return policyKind{kind: "org", orgID: name}
	}
	if a, err := arn.Parse(name); err == nil {
		switch {
		case a.Service == "iam" && strings.HasPrefix(a.Resource, "policy/") && a.Account == "aws":
			return policyKind{kind: "aws-managed", arn: name}
		case a.Service == "iam" && strings.HasPrefix(a.Resource, "policy/"):
			return policyKind{kind: "managed", arn: name}
		case a.Service == "organizations":
			if i := strings.LastIndex(a.Resource, "/p-"); i >= 0 {
				return policyKind{kind: "org", orgID: a.Resource[i+1:]}
			}
		}
	}
	return policyKind{}
}

// s3Command is the aws s3api command for an S3 action on bucket/key, for the
// actions people run by hand; ok is false for others.
func s3Command(action, bucket, key string) ([]string, bool) {
	if bucket == "" {
		return nil, false
	}
	file := lastSegment(key)
	if file == "" {
		file = "object"
	}
	switch strings.ToLower(action) {
	case "s3:getobject", "s3:getobjectversion":
		return []string{"aws", "s3api", "get-object", "--bucket", bucket, "--key", key, file}, key != ""
	case "s3:putobject":
		return []string{"aws", "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", file}, key != ""
	case "s3:deleteobject", "s3:deleteobjectversion":
		return []string{"aws", "s3api", "delete-object", "--bucket", bucket, "--key", key}, key != ""
	case "s3:getobjecttagging":
		return []string{"aws", "s3api", "get-object-tagging", "--bucket", bucket, "--key", key}, key != ""
	case "s3:getobjectacl":
		return []string{"aws", "s3api", "get-object-acl", "--bucket", bucket, "--key", key}, key != ""
	case "s3:listbucket":
		return []string{"aws", "s3api", "list-objects-v2", "--bucket", bucket}, true
	case "s3:listbucketversions":
		return []string{"aws", "s3api", "list-object-versions", "--bucket", bucket}, true
	}
	return nil, false
}
