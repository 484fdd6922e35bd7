package authz

import (
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/engine/trace"
)

// principalMode says whether a policy's statements carry a Principal element
// and how it is read.
type principalMode uint8

const (
	noPrincipal       principalMode = iota // identity, boundary, session, SCP
	withPrincipal                          // bucket, key, trust policies, RCPs
	endpointPrincipal                      // VPC endpoint policies: an account ID means its root user
)

// hit is a matched statement.
type hit struct {
	ref   *PolicyRef
	st    *policy.Statement
	level level
}

func (h hit) ok() bool { return h.st != nil }

// result is what one policy (or one set of policies) says about a request.
type result struct {
	deny  hit // first matching Deny
	allow hit // strongest matching Allow (lowest index among equals)
}

func (r *result) merge(o result) {
	if !r.deny.ok() && o.deny.ok() {
		r.deny = o.deny
	}
	if o.allow.ok() && (!r.allow.ok() || o.allow.level > r.allow.level) {
		r.allow = o.allow
	}
}

// evaluator carries one request through the policies.
type evaluator struct {
	req    *Request
	action string // lower-case
	ctx    condition.Context
	tr     *trace.Trace
	// hasBoundary is set when the caller has a permissions boundary.
	hasBoundary bool
}

// evalPolicy evaluates every statement of ref that can apply. Without a
// trace only the index's candidates are looked at; with one every statement
// is evaluated in full so near misses can be shown. Both find the same hits.
func (e *evaluator) evalPolicy(ref *PolicyRef, mode principalMode, stage *trace.Stage) result {
	var res result
	p := ref.Policy
	if p == nil {
		return res
	}
	if stage != nil {
		tp := &trace.Policy{Name: ref.Name, Target: ref.Target, Outcome: trace.NoMatch}
		stage.Policies = append(stage.Policies, tp)
		for i := range p.Statements {
			st := &p.Statements[i]
			lv, ts := e.traceStatement(p, st, mode)
			tp.Statements = append(tp.Statements, ts)
			if lv != noMatch {
				res.add(ref, st, lv)
			}
		}
		switch {
		case res.deny.ok():
			tp.Outcome = trace.ExplicitDeny
		case res.allow.ok():
			tp.Outcome = trace.Allow
		}
		return res
	}
	exact, service, any := p.Candidates(e.action)
	for _, list := range [3][]int32{exact, service, any} {
		for _, i := range list {
			st := &p.Statements[i]
			if lv := e.matchStatement(p, st, mode); lv != noMatch {
				res.add(ref, st, lv)
			}
		}
	}
	return res
}

func (r *result) add(ref *PolicyRef, st *policy.Statement, lv level) {
	h := hit{ref, st, lv}
	if st.Effect == policy.Deny {
		if !r.deny.ok() || st.Index < r.deny.st.Index {
			r.deny = h
		}
		return
	}
	if !r.allow.ok() || lv > r.allow.level || (lv == r.allow.level && st.Index < r.allow.st.Index) {
		r.allow = h
	}
}

// matchStatement returns how the statement applies to the request (noMatch
// when it does not).
func (e *evaluator) matchStatement(p *policy.Policy, st *policy.Statement, mode principalMode) level {
	lv := e.principalLevel(st, mode)
	if lv == noMatch {
		return noMatch
	}
	if !st.MatchAction(e.action) {
		return noMatch
	}
	if !st.MatchResource(e.req.Resource, e.ctx, p.Variables()) {
		return noMatch
	}
	if st.Condition != nil && !st.Condition.Eval(e.ctx) {
		return noMatch
	}
	return lv
}

func (e *evaluator) principalLevel(st *policy.Statement, mode principalMode) level {
	if mode == noPrincipal {
		return direct
	}
	if st.Principal == nil {
		// A resource-based statement without a principal names nobody.
		return noMatch
	}
	if st.NotPrincipal {
		// A Deny with NotPrincipal always applies to a principal that has
		// a permissions boundary, whatever the element lists.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
		boundaryQuirk := e.hasBoundary && st.Effect == policy.Deny
		if !boundaryQuirk && notPrincipalExcludes(st.Principal, &e.req.Principal) {
			return noMatch
		}
		return direct
	}
	return matchPrincipal(st.Principal, &e.req.Principal, mode == endpointPrincipal)
}

// traceStatement evaluates every element of st (no short-circuit) and
// records it. It returns the same level matchStatement would.
func (e *evaluator) traceStatement(p *policy.Policy, st *policy.Statement, mode principalMode) (level, *trace.Statement) {
	ts := &trace.Statement{Sid: st.Sid, Index: st.Index, Line: st.Line, Col: st.Col, Effect: st.Effect.String()}
	pr := &e.req.Principal
	lv := direct
	if mode != noPrincipal {
		lv = e.principalLevel(st, mode)
		el := &trace.Element{Name: "Principal", Matched: lv != noMatch, Negated: st.NotPrincipal, Got: principalStrings(pr)}
		if st.Principal != nil {
			el.Want = principalWant(st.Principal)
		}
		if lv == byAccount {
			el.Note = "names the caller's account: the caller also needs an identity-based policy that allows the action"
		}
		ts.Elements = append(ts.Elements, el)
	}
	actOK := st.MatchAction(e.action)
	ts.Elements = append(ts.Elements, &trace.Element{Name: "Action", Matched: actOK, Negated: st.NotAction, Want: st.Action, Got: []string{e.req.Action}})
	resOK := st.MatchResource(e.req.Resource, e.ctx, p.Variables())
	if st.HasResource {
		ts.Elements = append(ts.Elements, &trace.Element{Name: "Resource", Matched: resOK, Negated: st.NotResource, Want: st.Resource, Got: []string{e.req.Resource}})
	}
	condOK := true
	if st.Condition != nil {
		var results []condition.Result
		condOK, results = st.Condition.Trace(e.ctx)
		el := &trace.Element{Name: "Condition", Matched: condOK}
		for _, r := range results {
			el.Conditions = append(el.Conditions, trace.Condition{
				Operator: r.Entry.Operator, Key: r.Entry.Key, Want: r.Entry.Values,
				Got: r.Actual, Present: r.Present, Matched: r.Matched,
			})
		}
		ts.Elements = append(ts.Elements, el)
	}
	for _, el := range ts.Elements {
		if !el.Matched {
			ts.Failed = el.Name
			break
		}
	}
	if lv == noMatch || !actOK || !resOK || !condOK {
		return noMatch, ts
	}
	ts.Matched = true
	return lv, ts
}

func principalStrings(pr *Principal) []string {
	switch pr.Type {
	case Anonymous:
		return []string{"anonymous"}
	case Service:
		return []string{pr.ServiceName}
	}
	out := []string{pr.ARN}
	if pr.RoleARN != "" {
		out = append(out, pr.RoleARN)
	}
	return out
}

func principalWant(p *policy.Principal) []string {
	var out []string
	if p.All {
		out = append(out, "*")
	}
	out = append(out, p.AWS...)
	out = append(out, p.Service...)
	out = append(out, p.Federated...)
	out = append(out, p.CanonicalUser...)
	return out
}
