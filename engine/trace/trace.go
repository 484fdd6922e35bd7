// Package trace is an authorization decision's explanation as data: the stages
// AWS evaluates, the policies each stage consulted, every statement of those
// policies and, for each statement, which element matched and which did not,
// with what the request carried against what the statement required.
//
// The engine fills a Trace only when asked; rendering lives in engine/explain.
package trace

// Outcome is the result of a stage, policy or statement.
type Outcome string

// Outcomes.
const (
	// NotApplicable: the stage does not take part in this request (no
	// organization, no VPC endpoint, no boundary...).
	NotApplicable Outcome = "not-applicable"
	// Allow: an Allow matched (or the stage passed).
	Allow Outcome = "allow"
	// ExplicitDeny: a Deny statement matched.
	ExplicitDeny Outcome = "explicit-deny"
	// ImplicitDeny: nothing allowed.
	ImplicitDeny Outcome = "implicit-deny"
	// NoMatch: a statement or policy that did not apply.
	NoMatch Outcome = "no-match"
	// Skipped: the stage was not reached or was exempt (e.g. the management
	// account for SCPs); Note says why.
	Skipped Outcome = "skipped"
)

// Trace is the whole explanation of one decision.
type Trace struct {
	Stages []*Stage `json:"stages"`
}

// Stage is one layer of AWS's evaluation: "scp", "rcp", "vpc-endpoint",
// "identity", "permissions-boundary", "session", "resource", "acl", ...
type Stage struct {
	Layer    string    `json:"layer"`
	Outcome  Outcome   `json:"outcome"`
	Note     string    `json:"note,omitempty"`
	Policies []*Policy `json:"policies,omitempty"`
	// Grants lists ACL grants considered, for the acl stage.
	Grants []Grant `json:"grants,omitempty"`
}

// Policy is one policy document considered in a stage.
type Policy struct {
	// Name is the policy's name or ARN; Target is where it is attached
	// (an OU, an account, a role...), when that matters.
	Name       string       `json:"name"`
	Target     string       `json:"target,omitempty"`
	Outcome    Outcome      `json:"outcome"`
	Statements []*Statement `json:"statements"`
}

// Statement is the evaluation of one statement.
type Statement struct {
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Effect string `json:"effect"`
	// Matched is true when every element matched, so the statement applied.
	Matched bool `json:"matched"`
	// Failed names the first element that did not match
	// ("Principal", "Action", "Resource", "Condition"); "" when Matched.
	Failed   string     `json:"failed,omitempty"`
	Elements []*Element `json:"elements"`
}

// Element is one element of a statement checked against the request.
type Element struct {
	Name    string `json:"name"`
	Matched bool   `json:"matched"`
	// Want is what the statement lists; Got is what the request carried.
	Want []string `json:"want,omitempty"`
	Got  []string `json:"got,omitempty"`
	// Negated marks NotPrincipal / NotAction / NotResource.
	Negated    bool        `json:"negated,omitempty"`
	Conditions []Condition `json:"conditions,omitempty"`
	Note       string      `json:"note,omitempty"`
}

// Condition is one operator/key test of a Condition element.
type Condition struct {
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Want     []string `json:"want"`
	Got      []string `json:"got,omitempty"`
	Present  bool     `json:"present"`
	Matched  bool     `json:"matched"`
}

// Grant is one ACL grant considered.
type Grant struct {
	On         string `json:"on"` // "bucket" or "object"
	Grantee    string `json:"grantee"`
	Permission string `json:"permission"`
	Matched    bool   `json:"matched"`
}

// Add appends a stage and returns it.
func (t *Trace) Add(layer string) *Stage {
	s := &Stage{Layer: layer, Outcome: NotApplicable}
	t.Stages = append(t.Stages, s)
	return s
}

// Stage returns the stage for layer, or nil.
func (t *Trace) Stage(layer string) *Stage {
	for _, s := range t.Stages {
		if s.Layer == layer {
			return s
		}
	}
	return nil
}
