package policy

import (
	"net/netip"
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/condition"
)

// S3 Block Public Access's definition of a public policy, from "The meaning
// of public":
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
//
// S3 starts by assuming a policy is public. A policy is non-public only if
// every Allow statement grants access only to fixed values (no wildcard, no
// policy variable) of at least one of: a principal (AWS account, user, role
// or service principal), aws:PrincipalOrgID, aws:SourceIp CIDRs (ranges
// broader than /8 for IPv4 or /32 for IPv6 count as public, RFC 1918 private
// ranges excepted), aws:SourceArn, aws:SourceVpc, aws:SourceVpce,
// aws:SourceOwner, aws:SourceAccount,
// s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid outside the
// pattern "AROLEID:*", s3:DataAccessPointArn (in a bucket policy a wildcard
// in the access point name is fine when the account is fixed) and
// s3:DataAccessPointAccount. One public statement makes the whole policy
// public; Deny statements never do.
//
// Choices where the page says nothing, written down:
//   - Federated principals are public (the page's example
//     {"Federated": "graph.facebook.com"} is public).
//   - NotPrincipal with Allow grants everyone but a few: public unless a
//     condition restricts it.
//   - A condition restricts only with a positive operator (StringEquals,
//     StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike, IpAddress for
//     aws:SourceIp), optionally qualified with ForAnyValue. Negated operators,
//     ...IfExists and ForAllValues match when the key is absent, so they do
//     not restrict.

// publicKeys are the condition keys whose fixed values make a statement
// non-public, lower-cased.
var publicKeys = map[string]bool{
	"aws:principalorgid": true,
	"aws:sourceip":       true,
	"aws:sourcearn":      true,
	"aws:sourcevpc":      true,
	"aws:sourcevpce":     true,
	"aws:sourceowner":    true,
	"aws:sourceaccount":  true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
	"aws:userid":                true,
	"s3:dataaccesspointarn":     true,
	"s3:dataaccesspointaccount": true,
}

// restrictingOperators are the operators (without qualifier) that can make a
// statement non-public.
var restrictingOperators = map[string]bool{
	"StringEquals": true, "StringEqualsIgnoreCase": true, "StringLike": true,
	"ArnEquals": true, "ArnLike": true, "IpAddress": true,
}

// rfc1918 are the private IPv4 ranges.
// https://www.rfc-editor.org/rfc/rfc1918
var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// IsPublic reports whether a bucket policy is public as S3 Block Public
// Access defines it (BlockPublicPolicy refuses it; RestrictPublicBuckets
// limits it).
func IsPublic(p *Policy) bool { return len(PublicStatements(p, false)) > 0 }

// IsPublicAccessPoint reports whether an access point policy is public. It
// differs from IsPublic in one rule: a wildcard in an s3:DataAccessPointArn
// value makes an access point policy public. (An access point with a VPC
// network origin is never public, whatever its policy: that is the
// caller's to know.)
func IsPublicAccessPoint(p *Policy) bool { return len(PublicStatements(p, true)) > 0 }

// PublicStatements returns the indexes of the statements that make p public,
// in order; accessPoint selects the access point policy rules.
func PublicStatements(p *Policy, accessPoint bool) []int {
	var out []int
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Effect == Allow && !restricted(s, p.Variables(), accessPoint) {
			out = append(out, i)
		}
	}
	return out
}

// restricted reports whether an Allow statement grants only to fixed values.
func restricted(s *Statement, variables, accessPoint bool) bool {
	if fixedPrincipal(s, variables) {
		return true
	}
	for _, e := range s.Conditions {
		if restrictingEntry(e, variables, accessPoint) {
			return true
		}
	}
	return false
}

// fixedPrincipal reports whether the statement's Principal names only
// specific AWS principals, service principals or canonical users.
func fixedPrincipal(s *Statement, variables bool) bool {
	p := s.Principal
	if p == nil || s.NotPrincipal || p.All || len(p.Federated) > 0 {
		return false
	}
	values := principalValues(p)
	if len(values) == 0 {
		return false
	}
	for _, v := range values {
		if !fixedValue(v.value, variables) {
			return false
		}
	}
	return true
}

// fixedValue reports whether v has neither wildcard nor policy variable.
func fixedValue(v string, variables bool) bool {
	return !hasWildcard(v) && !(variables && strings.Contains(v, "${"))
}

// restrictingEntry reports whether one condition entry limits the statement
// to fixed values of a key of the list.
func restrictingEntry(e condition.Entry, variables, accessPoint bool) bool {
	key := strings.ToLower(e.Key)
	if !publicKeys[key] || len(e.Values) == 0 {
		return false
	}
	op := e.Operator
	if q, rest, ok := strings.Cut(op, ":"); ok {
		if q != "ForAnyValue" {
			return false
		}
		op = rest
	}
	if !restrictingOperators[op] || (op == "IpAddress") != (key == "aws:sourceip") {
		return false
	}
	for _, v := range e.Values {
		if !fixedFor(key, v, variables, accessPoint) {
			return false
		}
	}
	return true
}

// fixedFor applies the per-key rules to one value.
func fixedFor(key, v string, variables, accessPoint bool) bool {
	if variables && strings.Contains(v, "${") {
		return false
	}
	switch key {
	case "aws:sourceip":
		return narrowCIDR(v)
	case "aws:userid":
		// "aws:userid, outside the pattern AROLEID:*": a role's unique ID
		// followed by ":*" (any session of one role) is fixed.
		if id, ok := strings.CutSuffix(v, ":*"); ok {
			return id != "" && !hasWildcard(id)
		}
	case "s3:dataaccesspointarn":
		// In a bucket policy a wildcard in the access point name keeps the
		// policy non-public as long as the account ID is fixed.
		if !accessPoint && hasWildcard(v) {
			a, err := arn.Parse(v)
			return err == nil && !hasWildcard(a.Partition+a.Service+a.Region) && arn.IsAccountID(a.Account) &&
				strings.HasPrefix(a.Resource, "accesspoint/") && !strings.Contains(a.Resource[len("accesspoint/"):], "/")
		}
	}
	return !hasWildcard(v)
}

// narrowCIDR reports whether an aws:SourceIp value is a fixed range no
// broader than /8 (IPv4) or /32 (IPv6), or lies within an RFC 1918 range.
// A bare address is a /32 or /128.
func narrowCIDR(v string) bool {
	var pfx netip.Prefix
	if strings.Contains(v, "/") {
		var err error
		if pfx, err = netip.ParsePrefix(v); err != nil {
			return false
		}
	} else {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return false
		}
		pfx = netip.PrefixFrom(a, a.BitLen())
	}
	addr := pfx.Addr().Unmap()
	bits := pfx.Bits()
	if pfx.Addr().Is4In6() {
		bits -= 96
	}
	if addr.Is4() {
		for _, private := range rfc1918 {
			if private.Bits() <= bits && private.Contains(addr) {
				return true
			}
		}
		return bits >= 8
	}
	return bits >= 32
}
