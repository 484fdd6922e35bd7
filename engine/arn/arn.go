// Package arn parses, formats and compares Amazon Resource Names.
//
// Format: arn:partition:service:region:account-id:resource, where the resource
// part may itself contain ':' and '/'.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
package arn

import (
	"errors"
	"strings"

	"github.com/verdict-project/verdict/engine/wildcard"
)

// ErrMalformed is returned by Parse for anything that is not an ARN.
var ErrMalformed = errors.New("arn: malformed ARN")

// ARN is a parsed Amazon Resource Name.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// Parse splits s into its six parts. It requires the "arn:" prefix and five
// colons; empty partition or service is rejected.
func Parse(s string) (ARN, error) {
	parts, ok := split(s)
	if !ok || parts[1] == "" || parts[2] == "" {
		return ARN{}, ErrMalformed
	}
	return ARN{parts[1], parts[2], parts[3], parts[4], parts[5]}, nil
}

// String formats a as an ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// split cuts s into its six colon-separated parts; the last part keeps any
// further colons.
func split(s string) ([6]string, bool) {
	var parts [6]string
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i] = s[:j]
		s = s[j+1:]
	}
	parts[5] = s
	return parts, parts[0] == "arn"
}

// Like reports whether value matches pattern under the ArnLike/ArnEquals
// operators: each of the six colon-delimited parts is matched separately, so a
// '*' in one part cannot swallow a ':' of the next. Matching is case-sensitive.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
func Like(pattern, value string) bool {
	pp, ok := split(pattern)
	if !ok {
		// A pattern that is not ARN-shaped can still be the lone "*".
		return pattern == "*"
	}
	vp, ok := split(value)
	if !ok {
		return false
	}
	for i := 1; i < 6; i++ {
		if !wildcard.Match(pp[i], vp[i]) {
			return false
		}
	}
	return true
}

// AccountRoot returns the ARN of account's root principal,
// arn:aws:iam::ACCOUNT:root.
func AccountRoot(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":root"
}

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
