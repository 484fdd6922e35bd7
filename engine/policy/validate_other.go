package policy

import (
	"fmt"
	"unicode/utf8"
)

// KMS key policies.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
const (
	kmsMalformed = "MalformedPolicyDocumentException"
	kmsLimit     = "LimitExceededException"
	// The exception's documented description; KMS's exact message for each
	// case is UNCONFIRMED.
	msgKMSMalformed = "The request was rejected because the specified policy is not syntactically or semantically correct."
	// Observed: https://github.com/aws-samples/aws-blog-codepipeline-third-party-git-build-status/issues/6
	msgKMSPrincipal = "Policy contains a statement with one or more invalid principals."
	// UNCONFIRMED wording.
	msgKMSTooLarge = "The key policy exceeds the maximum size of 32768 bytes."
	// keyPolicyMaxSize is the key policy size quota, 32 KB.
	// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html
	keyPolicyMaxSize = 32768
)

// key validates a KMS key policy. The lockout safety check (would the caller
// still be allowed PutKeyPolicy) depends on the caller and is the service's
// job.
func (v *validator) key() *ValidationError {
	// "If the key policy exceeds the length constraint, KMS returns a
	// LimitExceededException."
	if len(v.data) > keyPolicyMaxSize {
		return fail(kmsLimit, statusBadRequest, msgKMSTooLarge, -1, 0)
	}
	// A key policy may hold only printable ASCII, Latin-1 Supplement
	// characters through U+00FF, tab, line feed and carriage return.
	for i := 0; i < len(v.data); {
		r, w := utf8.DecodeRune(v.data[i:])
		if !keyPolicyRune(r) || (r == utf8.RuneError && w == 1) {
			return fail(kmsMalformed, statusBadRequest, msgKMSMalformed, -1, i)
		}
		i += w
	}
	v.parse()
	if v.perr != nil {
		return v.withParse(fail(kmsMalformed, statusBadRequest, msgKMSMalformed, -1, 0))
	}
	p := v.p
	if len(p.Statements) == 0 || (p.Version != "" && p.Version != Version2012 && p.Version != Version2008) {
		return fail(kmsMalformed, statusBadRequest, msgKMSMalformed, -1, 0)
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		// "Each statement in the key policy must contain one or more
		// principals. The principals in the key policy must exist and be
		// visible to KMS."
		if s.Principal == nil {
			return fail(kmsMalformed, statusBadRequest, msgKMSMalformed, i, s.Pos)
		}
		if _, bad := badPrincipal(s.Principal, &v.opt, "AWS", "Service"); bad ||
			(!s.Principal.All && len(principalValues(s.Principal)) == 0) {
			return fail(kmsMalformed, statusBadRequest, msgKMSPrincipal, i, s.Principal.Pos)
		}
	}
	return nil
}

func keyPolicyRune(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7f) || (r >= 0xa0 && r <= 0xff)
}

// Organizations SCPs and RCPs.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html#API_CreatePolicy_Errors
const (
	orgMalformed  = "MalformedPolicyDocumentException"
	orgConstraint = "ConstraintViolationException"
	// Observed: https://github.com/org-formation/org-formation-cli/issues/225
	msgOrgMalformed = "The provided policy document does not meet the requirements of the specified policy type."
	// The reason's documented description; the message is UNCONFIRMED.
	msgOrgTooLarge = "You attempted to create a policy that is larger than the maximum size."
	// orgPolicyMaxSize is the 5,120-character limit of SCPs and RCPs. The API
	// counts every character as sent: only the console removes white space.
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
	orgPolicyMaxSize = 5120
)

// organizations validates an SCP or an RCP.
func (v *validator) organizations() *ValidationError {
	if utf8Len(v.data) > orgPolicyMaxSize {
		e := fail(orgConstraint, statusBadRequest, msgOrgTooLarge, -1, 0)
		e.Reason = "POLICY_CONTENT_LIMIT_EXCEEDED"
		return e
	}
	bad := func(stmt, pos int) *ValidationError {
		return fail(orgMalformed, statusBadRequest, msgOrgMalformed, stmt, pos)
	}
	v.parse()
	if v.perr != nil {
		return v.withParse(bad(-1, 0))
	}
	p := v.p
	// SCPs and RCPs must say Version 2012-10-17.
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
	if p.Version != Version2012 || len(p.Statements) == 0 {
		return bad(-1, 0)
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if !s.HasResource || len(s.Resource) == 0 || len(s.Action) == 0 {
			return bad(i, s.Pos)
		}
		if v.kind == SCP {
			// An SCP has no Principal or NotPrincipal element; restrict
			// principals with aws:PrincipalArn conditions.
			// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
			if s.Principal != nil {
				return bad(i, s.Principal.Pos)
			}
			continue
		}
		// RCP syntax: Principal is required and can only be "*"; NotPrincipal
		// and NotAction are not supported; only the AWS managed
		// RCPFullAWSAccess may use Effect Allow.
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
		switch {
		case s.Principal == nil:
			return bad(i, s.Pos)
		case s.NotPrincipal || !s.Principal.All || len(principalValues(s.Principal)) > 0:
			return bad(i, s.Principal.Pos)
		case s.NotAction:
			return bad(i, s.ActionPos)
		case s.Effect == Allow && !v.opt.AWSManaged:
			return bad(i, s.EffectPos)
		}
	}
	return nil
}

// VPC endpoint policies (EC2 CreateVpcEndpoint / ModifyVpcEndpoint).
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
const (
	// Observed: "InvalidPolicyDocument: The Policy Document is not valid.
	// Syntax error at position (1,75)" (400),
	// https://github.com/hashicorp/terraform-provider-aws/issues/42291.
	ec2Malformed = "InvalidPolicyDocument"
	msgEC2Prefix = "The Policy Document is not valid."
	// endpointPolicyMaxSize is the 20,480-character limit of endpoint
	// policies, white space counted (UNCONFIRMED whether EC2 counts it).
	endpointPolicyMaxSize = 20480
)

// endpoint validates a VPC endpoint policy. Beyond the syntax error
// position, EC2's detail for each refusal is UNCONFIRMED: the message is
// the observed prefix alone.
func (v *validator) endpoint() *ValidationError {
	bad := func(stmt, pos int) *ValidationError {
		return fail(ec2Malformed, statusBadRequest, msgEC2Prefix, stmt, pos)
	}
	if utf8Len(v.data) > endpointPolicyMaxSize {
		return bad(-1, 0)
	}
	if _, err := parseJSON(v.data); err != nil {
		pos := 0
		if je, ok := err.(*jsonError); ok {
			pos = je.pos
		}
		line, col := lineCol(v.data, pos)
		e := fail(ec2Malformed, statusBadRequest, fmt.Sprintf("%s Syntax error at position (%d,%d)", msgEC2Prefix, line, col), -1, pos)
		e.Err = err
		return e
	}
	v.parse()
	if v.perr != nil {
		return v.withParse(bad(-1, 0))
	}
	p := v.p
	if len(p.Statements) == 0 || (p.Version != "" && p.Version != Version2012 && p.Version != Version2008) {
		return bad(-1, 0)
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		// "Endpoint policies must include a Principal element."
		// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
		if s.Principal == nil {
			return bad(i, s.Pos)
		}
		if _, b := badPrincipal(s.Principal, &Options{}, "AWS", "Service"); b ||
			(!s.Principal.All && len(principalValues(s.Principal)) == 0) {
			return bad(i, s.Principal.Pos)
		}
		if !s.HasResource {
			return bad(i, s.Pos)
		}
	}
	return nil
}
