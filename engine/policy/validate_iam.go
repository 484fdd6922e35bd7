package policy

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/wildcard"
)

// IAM's refusals. IAM answers MalformedPolicyDocument (400) for a bad
// document and LimitExceeded (409) for an oversized one; STS answers
// MalformedPolicyDocument for a bad session policy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html#API_CreatePolicy_Errors
//
// IAM checks a document in phases and reports the first failure, in this
// order (derived from responses of the real service recorded in
// https://github.com/getmoto/moto/blob/master/tests/test_iam/test_iam_policies.py):
// grammar ("Syntax errors in policy."), Version, the "legacy" parser (Effect
// case, condition values, ARN shapes), unique Sids, Action present, Resource
// present, Resource format, Action format.
const (
	iamMalformed = "MalformedPolicyDocument"
	iamLimit     = "LimitExceeded"

	msgIAMSyntax        = "Syntax errors in policy."
	msgIAMInvalidJSON   = "This policy contains invalid Json"
	msgIAMLegacy        = "The policy failed legacy parsing"
	msgIAMVersion       = "Policy document must be version 2012-10-17 or greater."
	msgIAMNoPrincipal   = "Policy document should not specify a principal."
	msgIAMSidUnique     = "Statement IDs (SID) in a single policy must be unique."
	msgIAMSidAlnum      = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgIAMNoActions     = "Policy statement must contain actions."
	msgIAMNoResources   = "Policy statement must contain resources."
	msgIAMVendor        = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgIAMOneColon      = "Actions/Condition can contain only one colon."
	msgIAMResVendor     = "Resource vendor must be fully qualified and cannot contain regexes."
	msgTrustNoPrincipal = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"
	msgTrustActions     = "AssumeRole policy may only specify STS AssumeRole actions."
	msgTrustResource    = "Has prohibited field Resource"
	// UNCONFIRMED: no recorded response for these two; worded like IAM's
	// other "Has prohibited field" refusals.
	msgTrustNotResource  = "Has prohibited field NotResource"
	msgTrustNotPrincipal = "Has prohibited field NotPrincipal"
)

// iamResourcePrefixes are the resource paths an IAM ARN may have, in the
// order of IAM's message.
var iamResourcePrefixes = []string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
	"server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// knownOperators are the condition operator names, to tell a name in the
// wrong case (which IAM words differently) from an unknown one.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
var knownOperators = []string{
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
	"StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
	"NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
	"DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
	"NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}

// trustActions are the actions a role trust policy may name.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy
var trustActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
	"sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"}

func iamFail(msg string, stmt, pos int) *ValidationError {
	return fail(iamMalformed, statusBadRequest, msg, stmt, pos)
}

// identity validates an IAM identity policy or an STS session policy.
func (v *validator) identity() *ValidationError {
	if e := v.iamSize(); e != nil {
		return e
	}
	if e := v.iamCommon(); e != nil {
		return e
	}
	p := v.p
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Principal != nil {
			return iamFail(msgIAMNoPrincipal, i, s.Principal.Pos)
		}
	}
	if e := v.iamActionsPresent(); e != nil {
		return e
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if !s.HasResource || len(s.Resource) == 0 {
			return iamFail(msgIAMNoResources, i, s.Pos)
		}
	}
	return v.iamActionFormat()
}

// trust validates a role trust policy.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
func (v *validator) trust() *ValidationError {
	if e := v.iamSize(); e != nil {
		return e
	}
	if e := v.iamCommon(); e != nil {
		return e
	}
	p := v.p
	for i := range p.Statements {
		s := &p.Statements[i]
		switch {
		case s.Principal == nil:
			return iamFail(msgTrustNoPrincipal, i, s.Pos)
		case s.NotPrincipal:
			// "You cannot use the NotPrincipal element in an IAM
			// identity-based policy or in an IAM role trust policy."
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
			return iamFail(msgTrustNotPrincipal, i, s.Principal.Pos)
		}
		if pv, bad := badPrincipal(s.Principal, &v.opt, "AWS", "Service", "Federated"); bad {
			// Observed: Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/x"
			// (https://github.com/opstrace/opstrace/issues/88). The upper-case
			// type for the other kinds is UNCONFIRMED.
			typ := pv.typ
			if typ != "AWS" {
				typ = strings.ToUpper(typ)
			}
			return iamFail(fmt.Sprintf("Invalid principal in policy: %q:%q", typ, pv.value), i, s.Principal.Pos)
		}
		if len(principalValues(s.Principal)) == 0 && !s.Principal.All {
			return iamFail(msgTrustNoPrincipal, i, s.Principal.Pos)
		}
	}
	if e := v.iamActionsPresent(); e != nil {
		return e
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.HasResource {
			msg := msgTrustResource
			if s.NotResource {
				msg = msgTrustNotResource
			}
			return iamFail(msg, i, s.ResourcePos)
		}
	}
	if e := v.iamActionFormat(); e != nil {
		return e
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.NotAction {
			return iamFail(msgTrustActions, i, s.ActionPos)
		}
		for _, a := range s.Action {
			if !trustAction(a) {
				return iamFail(msgTrustActions, i, s.ActionPos)
			}
		}
	}
	return nil
}

// trustAction reports whether a trust policy may name action pattern a: an
// STS assume-role action or an sts: pattern that covers one. A bare "*" is
// refused (observed in a recorded CreateRole response; UNCONFIRMED for
// "sts:*").
func trustAction(a string) bool {
	if !strings.HasPrefix(strings.ToLower(a), "sts:") {
		return false
	}
	for _, t := range trustActions {
		if wildcard.MatchFold(a, t) {
			return true
		}
	}
	return false
}

// iamSize applies IAM's size quotas, before anything else.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
func (v *validator) iamSize() *ValidationError {
	size := sizeNoSpace(v.data)
	switch v.kind {
	case Session:
		// The plaintext of a session policy can't exceed 2,048 characters; the
		// Policy parameter's length constraint answers ValidationError.
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_RequestParameters
		if n := utf8Len(v.data); n > 2048 {
			return fail("ValidationError", statusBadRequest,
				"1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048", -1, 0)
		}
		return nil
	case Trust:
		limit := v.opt.TrustLimit
		if limit <= 0 {
			limit = 2048
		}
		if size > limit {
			// The "Role trust policy length" quota (2,048 characters, can be
			// raised to 4,096). Observed wording: "Cannot exceed quota for
			// ACLSizePerRole: 2048" (409), e.g. in
			// https://github.com/cloudposse/terraform-aws-components README,
			// "Known Problems".
			return fail(iamLimit, statusConflict, "Cannot exceed quota for ACLSizePerRole: "+strconv.Itoa(limit), -1, 0)
		}
		return nil
	}
	var limit int
	var entity string
	switch v.opt.Holder {
	case InlineUser:
		limit, entity = 2048, "user"
	case InlineRole:
		limit, entity = 10240, "role"
	case InlineGroup:
		limit, entity = 5120, "group"
	default:
		if size > 6144 {
			// Observed: "Cannot exceed the quota for PolicySize: 6144" (409),
			// https://github.com/LBHackney-IT/Data-Platform/pull/2116.
			return fail(iamLimit, statusConflict, "Cannot exceed the quota for PolicySize: 6144", -1, 0)
		}
		return nil
	}
	if size+v.opt.InlineUsed > limit {
		// Observed: "Maximum policy size of 10240 bytes exceeded for role
		// lambda-execution-role" (409).
		return fail(iamLimit, statusConflict,
			fmt.Sprintf("Maximum policy size of %d bytes exceeded for %s %s", limit, entity, v.opt.HolderName), -1, 0)
	}
	return nil
}

// iamCommon parses the document and applies the grammar, Version and legacy
// phases shared by every IAM-checked kind.
func (v *validator) iamCommon() *ValidationError {
	if _, err := parseJSON(v.data); err != nil {
		msg := msgIAMSyntax
		if v.kind == Trust {
			// CreateRole and UpdateAssumeRolePolicy word it differently
			// (observed, https://github.com/AWSCookbook/Security/issues/2).
			msg = msgIAMInvalidJSON
		}
		e := iamFail(msg, -1, 0)
		if je, ok := err.(*jsonError); ok {
			e.Pos = je.pos
		}
		e.Err = err
		return e
	}
	v.parse()
	pe := v.perr
	legacy := false
	if pe != nil {
		switch {
		case effectCase(pe):
			legacy = true
		case pe.Code == ErrInvalidCondition:
			switch code := conditionCode(pe); code {
			case condition.ErrInvalidValue:
				legacy = true
			case condition.ErrUnknownOperator:
				if op := caseOfOperator(pe); op != "" {
					// Observed: "Invalid Condition type : stringEquals".
					return v.withParse(iamFail("Invalid Condition type : "+op, -1, 0))
				}
				return v.withParse(iamFail(msgIAMSyntax, -1, 0))
			default:
				return v.withParse(iamFail(msgIAMSyntax, -1, 0))
			}
		case pe.Code == ErrMissingElement && pe.Element == "Action":
			// Handled after the Version and legacy phases below.
		default:
			return v.withParse(iamFail(msgIAMSyntax, -1, 0))
		}
	}
	// Version phase.
	version := ""
	if v.p != nil {
		version = v.p.Version
	} else {
		version, _ = versionOf(v.data)
	}
	if version != "" && version != Version2012 && version != Version2008 {
		return v.withParse(iamFail(msgIAMSyntax, -1, 0))
	}
	if version != Version2012 && v.kind == Identity && v.opt.Holder == Managed {
		// Managed policies (and so permissions boundaries) need 2012-10-17.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
		return iamFail(msgIAMVersion, -1, 0)
	}
	if legacy {
		return v.withParse(iamFail(msgIAMLegacy, -1, 0))
	}
	if v.p != nil && len(v.p.Statements) == 0 {
		return iamFail(msgIAMSyntax, -1, 0)
	}
	// The per-resource pass (format, partition, legacy ARN shapes) comes
	// before the checks on Sids and on missing actions: "arn:aws:s3::b" in a
	// statement without Action fails legacy parsing (observed).
	stmts := v.p.statementsOrRaw(v.data)
	for i, s := range stmts {
		for _, r := range s.resources {
			if msg := iamResourceError(r); msg != "" {
				return iamFail(msg, i, s.resourcePos)
			}
		}
	}
	if e := iamSids(stmts); e != nil {
		return e
	}
	for i, s := range stmts {
		if !s.hasAction {
			return v.withParse(iamFail(msgIAMNoActions, i, s.pos))
		}
	}
	if v.p == nil {
		return v.withParse(iamFail(msgIAMNoActions, -1, 0))
	}
	return nil
}

// caseOfOperator returns the operator of a condition error when it is a
// known operator written in another case, else "".
func caseOfOperator(pe *Error) string {
	ce, ok := pe.Err.(*condition.Error)
	if !ok {
		return ""
	}
	name := ce.Operator
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	base := name
	if len(base) > len("IfExists") && strings.EqualFold(base[len(base)-len("IfExists"):], "IfExists") {
		base = base[:len(base)-len("IfExists")]
	}
	for _, op := range knownOperators {
		if strings.EqualFold(op, base) {
			return ce.Operator
		}
	}
	return ""
}

// legacyARN reports whether IAM's legacy parser refuses resource r: an
// "arn:" string with four or five parts, or with an empty service.
// Observed: "arn:aws:s3::example_bucket" and "arn:aws::::example_bucket"
// fail legacy parsing while "arn:aws:fdsasf" passes it.
func legacyARN(r string) bool {
	if !strings.HasPrefix(r, "arn:") {
		return false
	}
	parts := strings.Split(r, ":")
	if len(parts) == 4 || len(parts) == 5 {
		return true
	}
	return len(parts) >= 6 && parts[2] == ""
}

// iamSids checks that Sids are unique and, for IAM, alphanumeric.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
func iamSids(stmts []stmtView) *ValidationError {
	seen := map[string]bool{}
	for i, s := range stmts {
		if s.sid == "" {
			continue
		}
		if seen[s.sid] {
			return iamFail(msgIAMSidUnique, i, s.pos)
		}
		seen[s.sid] = true
	}
	for i, s := range stmts {
		for j := 0; j < len(s.sid); j++ {
			c := s.sid[j]
			if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
				return iamFail(msgIAMSidAlnum, i, s.pos)
			}
		}
	}
	return nil
}

// iamActionsPresent refuses a statement with an empty Action or NotAction.
func (v *validator) iamActionsPresent() *ValidationError {
	for i := range v.p.Statements {
		s := &v.p.Statements[i]
		if len(s.Action) == 0 {
			return iamFail(msgIAMNoActions, i, s.Pos)
		}
	}
	return nil
}

// iamResourceError returns IAM's message for a malformed resource, or "".
// IAM reads the first part as if it were "arn" and pads a short ARN with
// "*" parts (observed: "a:bsdfdsafsad" is reported as
// "arn:bsdfdsafsad:*:*:*:*").
func iamResourceError(r string) string {
	if r == "*" {
		return ""
	}
	parts := strings.Split(r, ":")
	if len(parts) < 2 {
		return fmt.Sprintf("Resource %s must be in ARN format or %q.", r, "*")
	}
	for len(parts) < 6 {
		parts = append(parts, "*")
	}
	shown := "arn:" + strings.Join(parts[1:], ":")
	partition, service, region, resource := parts[1], parts[2], parts[3], strings.Join(parts[5:], ":")
	if !validPartitions[partition] && !hasWildcard(partition) {
		return fmt.Sprintf("Partition %q is not valid for resource %q.", partition, shown)
	}
	if legacyARN(r) {
		return msgIAMLegacy
	}
	if service == "" || hasWildcard(service) {
		return msgIAMResVendor
	}
	switch service {
	case "iam":
		if region != "" {
			return fmt.Sprintf("IAM resource %s cannot contain region information.", r)
		}
		if resource != "*" && !hasWildcard(resource) {
			ok := false
			for _, p := range iamResourcePrefixes {
				ok = ok || strings.HasPrefix(resource, p)
			}
			if !ok {
				return "IAM resource path must either be \"*\" or start with " + strings.Join(iamResourcePrefixes, ", ") + "."
			}
		}
	case "s3":
		// Buckets and objects have neither region nor account; a region
		// without an account is refused (observed for
		// "arn:aws:s3:us-east-1::example_bucket").
		if region != "" && !hasWildcard(region) && parts[4] == "" {
			return fmt.Sprintf("Resource %s can not contain region information.", r)
		}
	}
	return ""
}

// iamActionFormat checks each Action and NotAction value: "*" or
// vendor:name with a single colon.
func (v *validator) iamActionFormat() *ValidationError {
	for i := range v.p.Statements {
		s := &v.p.Statements[i]
		for _, a := range s.Action {
			if msg := iamActionError(a); msg != "" {
				return iamFail(msg, i, s.ActionPos)
			}
		}
	}
	return nil
}

// iamActionError returns IAM's message for a malformed action, or "".
// IAM does not check that the action exists: "iam: asdf safdsf af " is
// accepted (observed).
func iamActionError(a string) string {
	if a == "*" {
		return ""
	}
	vendor, _, ok := strings.Cut(a, ":")
	switch {
	case !ok:
		return msgIAMVendor
	case strings.Count(a, ":") > 1:
		return msgIAMOneColon
	}
	for i := 0; i < len(vendor); i++ {
		c := vendor[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '*' || c == '?') {
			return "Vendor " + vendor + " is not valid"
		}
	}
	if vendor == "" {
		return "Vendor  is not valid"
	}
	return ""
}

// utf8Len counts the characters of data.
func utf8Len(data []byte) int {
	n := 0
	for range string(data) {
		n++
	}
	return n
}

// stmtView is what the checks before "must contain actions" need of a
// statement.
type stmtView struct {
	sid              string
	resources        []string
	hasAction        bool
	pos, resourcePos int
}

// statementsOrRaw returns the statements of p, or, when p is nil because
// Parse stopped at a statement without Action, reads them from the JSON tree
// of data: IAM reports a bad resource or a repeated Sid anywhere in the
// document before a missing Action.
func (p *Policy) statementsOrRaw(data []byte) []stmtView {
	var out []stmtView
	if p != nil {
		for i := range p.Statements {
			s := &p.Statements[i]
			out = append(out, stmtView{s.Sid, s.Resource, true, s.Pos, s.ResourcePos})
		}
		return out
	}
	root, err := parseJSON(data)
	if err != nil || root.kind != jsonObject {
		return nil
	}
	for _, m := range root.members {
		if m.key != "Statement" {
			continue
		}
		list := m.val.items
		if m.val.kind == jsonObject {
			list = []*jsonNode{m.val}
		}
		for _, n := range list {
			sv := stmtView{pos: n.pos}
			for _, e := range n.members {
				switch e.key {
				case "Sid":
					sv.sid = e.val.text
				case "Action", "NotAction":
					sv.hasAction = true
				case "Resource", "NotResource":
					sv.resourcePos = e.val.pos
					sv.resources, _ = stringList(e.key, e.val, 0)
				}
			}
			out = append(out, sv)
		}
	}
	return out
}
