// Package policy reads AWS's IAM policy language into a form that is parsed,
// checked and indexed once and evaluated many times.
//
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
//
// Parse accepts any structurally valid policy. The per-service rules (what
// IAM, S3, KMS, Organizations and VPC endpoints each refuse, in their own
// words) are applied by Validate with a Kind.
package policy

import (
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/wildcard"
)

// Effect is a statement's Effect element.
type Effect uint8

// The two effects.
const (
	Allow Effect = iota + 1
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "?"
}

// The two policy language versions.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Policy is a parsed policy document.
type Policy struct {
	// Version as written; "" when absent.
	Version string
	ID      string
	// Statements in document order; Statement[i].Index == i.
	Statements []Statement
	// Size is the length of the source document in bytes.
	Size int
	// Source is the document as given, kept for positions and display.
	Source []byte
	index  index
}

// Variables reports whether policy variables are interpreted. Only version
// 2012-10-17 interprets ${...}; under 2008-10-17, or with no Version element,
// they are literal text.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func (p *Policy) Variables() bool { return p.Version == Version2012 }

// Principal is the value of a Principal or NotPrincipal element.
type Principal struct {
	// All is set by "*" and by {"AWS": "*"}; both name every principal,
	// including anonymous callers.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
	All bool
	// AWS holds the AWS principals as written (account IDs, ARNs, unique IDs).
	AWS []string
	// Accounts holds the account IDs that AWS names as account principals
	// ("111122223333" or "arn:aws:iam::111122223333:root"), and Others the
	// remaining AWS values; both are derived from AWS at parse time so that
	// evaluation does not re-parse ARNs.
	Accounts      []string
	Others        []string
	Service       []string
	Federated     []string
	CanonicalUser []string
	// Pos is the byte offset of the element's value.
	Pos int
}

// Statement is one statement of a policy.
type Statement struct {
	Sid   string
	Index int
	// Pos is the byte offset of the statement; Line and Col are 1-based.
	Pos, Line, Col int
	Effect         Effect

	// Principal is nil when the statement has neither Principal nor
	// NotPrincipal (identity-based policies, SCPs).
	Principal    *Principal
	NotPrincipal bool

	Action    []string
	NotAction bool

	Resource    []string
	NotResource bool
	// HasResource is false when neither Resource nor NotResource is present
	// (allowed only in role trust policies).
	HasResource bool

	// Conditions are the condition entries as written; Condition is their
	// compiled form, nil when there is none.
	Conditions []condition.Entry
	Condition  *condition.Block

	// Element positions for explanations (byte offsets; 0 when absent).
	EffectPos, ActionPos, ResourcePos, ConditionPos int

	actions []string // lower-cased Action/NotAction patterns
	// prefixes holds, for each Resource entry, the literal text before its
	// first wildcard or variable: a resource that does not start with it
	// cannot match, which rejects most entries without a full match.
	prefixes []string
}

// MatchAction reports whether the statement's Action (or NotAction) element
// covers action. Action names are case-insensitive.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
func (s *Statement) MatchAction(action string) bool {
	hit := false
	for _, a := range s.actions {
		if wildcard.MatchFold(a, action) {
			hit = true
			break
		}
	}
	return hit != s.NotAction
}

// MatchResource reports whether the statement's Resource (or NotResource)
// element covers resource. Resources are case-sensitive; with variables
// enabled, ${...} are replaced from ctx first, and an element whose variable
// cannot be resolved matches nothing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func (s *Statement) MatchResource(resource string, ctx condition.Context, variables bool) bool {
	if !s.HasResource {
		// Trust policies have no Resource: the role itself is the resource.
		return true
	}
	hit := false
	for i, r := range s.Resource {
		if i < len(s.prefixes) && !strings.HasPrefix(resource, s.prefixes[i]) {
			continue
		}
		var m bool
		if variables {
			// Substituted text and ${*} ${?} ${$} match literally; an
			// unresolved variable makes the entry match nothing.
			m, _ = condition.MatchResource(r, resource, ctx)
		} else {
			m = matchResource(r, resource)
		}
		if m {
			hit = true
			break
		}
	}
	return hit != s.NotResource
}

// matchResource matches one Resource pattern. Wildcards apply within each
// colon-delimited ARN segment, so ARN-shaped patterns are matched segment by
// segment; anything else ("*") is a plain glob.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
func matchResource(pattern, resource string) bool {
	if strings.HasPrefix(pattern, "arn:") {
		return arn.Like(pattern, resource)
	}
	return wildcard.Match(pattern, resource)
}
