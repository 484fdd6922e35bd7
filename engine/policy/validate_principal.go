package policy

import (
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
)

// principalValue is one value of a Principal element with its type as
// written ("AWS", "Service", "Federated", "CanonicalUser").
type principalValue struct {
	typ, value string
}

// principalValues lists the values of p in a fixed order (AWS, Service,
// Federated, CanonicalUser); "*" is not listed.
func principalValues(p *Principal) []principalValue {
	var out []principalValue
	for _, v := range p.AWS {
		out = append(out, principalValue{"AWS", v})
	}
	for _, v := range p.Service {
		out = append(out, principalValue{"Service", v})
	}
	for _, v := range p.Federated {
		out = append(out, principalValue{"Federated", v})
	}
	for _, v := range p.CanonicalUser {
		out = append(out, principalValue{"CanonicalUser", v})
	}
	return out
}

// validPartitions are the AWS partitions.
// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
var validPartitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true,
	"aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// validAWSPrincipal reports whether v is a well-formed AWS principal: an
// account ID, an account root, IAM user or role ARN, an STS assumed-role or
// federated-user session ARN, a CloudFront origin access identity, or a
// unique ID (which is what a policy shows once the user or role it named is
// deleted). Wildcards are not allowed: "*" must be the whole value.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
func validAWSPrincipal(v string) bool {
	if hasWildcard(v) || strings.TrimSpace(v) != v || v == "" {
		return false
	}
	if arn.IsAccountID(v) {
		return true
	}
	if isUniqueID(v) {
		return true
	}
	a, err := arn.Parse(v)
	if err != nil || !validPartitions[a.Partition] || a.Region != "" {
		return false
	}
	switch a.Service {
	case "iam":
		// CloudFront origin access identities are IAM users of the
		// pseudo-account "cloudfront".
		// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
		if a.Account == "cloudfront" {
			return strings.HasPrefix(a.Resource, "user/CloudFront Origin Access Identity ")
		}
		if !arn.IsAccountID(a.Account) {
			return false
		}
		return a.Resource == "root" || namedResource(a.Resource, "user/") || namedResource(a.Resource, "role/")
	case "sts":
		if !arn.IsAccountID(a.Account) {
			return false
		}
		if rest, ok := strings.CutPrefix(a.Resource, "assumed-role/"); ok {
			role, session, ok := strings.Cut(rest, "/")
			return ok && role != "" && session != "" && !strings.Contains(session, "/")
		}
		return namedResource(a.Resource, "federated-user/")
	}
	return false
}

// namedResource reports whether r is prefix followed by an optional path and
// a non-empty name.
func namedResource(r, prefix string) bool {
	rest, ok := strings.CutPrefix(r, prefix)
	return ok && rest != "" && !strings.HasSuffix(rest, "/")
}

// isUniqueID reports whether s looks like an IAM unique ID of a user (AIDA)
// or role (AROA).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 || !(strings.HasPrefix(s, "AIDA") || strings.HasPrefix(s, "AROA")) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// validServicePrincipal reports whether v looks like a service principal
// ("s3.amazonaws.com", "logging.s3.amazonaws.com", "ec2.amazonaws.com.cn").
// The list of real service principals is not published in one place, so
// only the shape is checked.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
func validServicePrincipal(v string) bool {
	if v == "" || !strings.Contains(v, ".") || strings.HasPrefix(v, ".") || strings.HasSuffix(v, ".") {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// validFederatedPrincipal reports whether v names an identity provider: a
// well-known web identity provider name or a SAML / OIDC provider ARN.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity
func validFederatedPrincipal(v string) bool {
	if v == "" || hasWildcard(v) || strings.ContainsAny(v, " \t\n\r") {
		return false
	}
	if strings.HasPrefix(v, "arn:") {
		a, err := arn.Parse(v)
		return err == nil && a.Service == "iam" && arn.IsAccountID(a.Account) &&
			(namedResource(a.Resource, "saml-provider/") || namedResource(a.Resource, "oidc-provider/"))
	}
	return strings.Contains(v, ".")
}

// validCanonicalUser reports whether v is an S3 canonical user ID: 64
// lower-case hexadecimal digits.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/finding-canonical-user-id.html
func validCanonicalUser(v string) bool {
	if len(v) != 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// badPrincipal returns the first value of p that is malformed for a policy
// that accepts the principal types in types, or that opt.PrincipalExists
// says does not exist; ok is false when there is none.
func badPrincipal(p *Principal, opt *Options, types ...string) (principalValue, bool) {
	for _, pv := range principalValues(p) {
		allowed := false
		for _, t := range types {
			allowed = allowed || t == pv.typ
		}
		valid := allowed
		if valid {
			switch pv.typ {
			case "AWS":
				valid = validAWSPrincipal(pv.value) && (opt.PrincipalExists == nil || opt.PrincipalExists(pv.value))
			case "Service":
				valid = validServicePrincipal(pv.value)
			case "Federated":
				valid = validFederatedPrincipal(pv.value)
			case "CanonicalUser":
				valid = validCanonicalUser(pv.value)
			}
		}
		if !valid {
			return pv, true
		}
	}
	return principalValue{}, false
}
