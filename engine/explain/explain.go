package explain

import (
	"sort"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/trace"
)

// maxNearMisses bounds the near misses an explanation lists.
const maxNearMisses = 5

// Explain turns a logged decision into an explanation. It never fails: a
// record missing facts gives a shorter explanation that says what to look up.
// A nil record explains nothing and returns an empty explanation.
func Explain(r *Record) *Explanation {
	if r == nil {
		r = &Record{}
	}
	f := newFacts(r)
	e := &Explanation{
		Schema: SchemaID, RequestID: r.RequestID, Seq: r.Seq,
		Request: Request{
			Principal: r.Principal, PrincipalType: f.c.typ, Account: f.c.account, Action: r.Action,
			Resource: r.Resource, ResourceAccount: r.ResourceAccount, CrossAccount: f.cross,
		},
		Deciding: []Statement{}, Findings: []string{}, NearMisses: []NearMiss{}, Chain: []Step{}, Fixes: []Fix{}, Notes: []string{},
	}
	if !r.Time.IsZero() {
		e.Time = r.Time.UTC().Format(time.RFC3339Nano)
	}
	e.Verdict = Verdict{
		Allowed: r.Allowed, Effect: r.Effect, Layer: r.Layer, LayerName: layerName(r.Layer),
		LayerTitle: layerTitle(r.Layer), Message: r.Message,
	}
	for _, ref := range r.Statements {
		e.Deciding = append(e.Deciding, f.refStatement(ref))
	}
	e.Verdict.Summary = f.summary(e.Deciding)
	e.NearMisses = f.nearMisses()
	e.Findings = f.findings(e.Deciding, e.NearMisses)
	e.Chain = f.chain()
	if !r.Allowed {
		e.Fixes = f.fixes(e.Deciding)
	}
	e.Notes = f.notes()
	for i := range e.Fixes {
		fx := &e.Fixes[i]
		fx.Commands = nonNil(fx.Commands)
		fx.Notes = nonNil(fx.Notes)
	}
	return e
}

// nonNil keeps the schema's arrays arrays: nil becomes empty.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// refStatement turns a deciding statement reference into a statement view,
// with the trace's detail when the trace has it.
func (f *facts) refStatement(ref authz.Ref) Statement {
	if p, s := f.find(ref); s != nil {
		v := f.statementView(string(ref.Layer), p, s)
		v.Source = f.quote(ref)
		return v
	}
	return Statement{
		Layer: string(ref.Layer), Policy: ref.Policy, Target: ref.Target, Sid: ref.Sid, Index: ref.Index,
		Line: ref.Line, Col: ref.Col, Label: statementLabel(ref.Sid, ref.Index), Effect: ref.Effect,
		Matched: true, Elements: []Element{}, Source: f.quote(ref),
	}
}

// find locates the trace statement a reference names.
func (f *facts) find(ref authz.Ref) (*trace.Policy, *trace.Statement) {
	st := f.stage(string(ref.Layer))
	if st == nil {
		return nil, nil
	}
	for _, p := range st.Policies {
		if p == nil || p.Name != ref.Policy || (ref.Target != "" && p.Target != ref.Target) {
			continue
		}
		for _, s := range p.Statements {
			if s != nil && s.Index == ref.Index {
				return p, s
			}
		}
	}
	return nil, nil
}

func (f *facts) quote(ref authz.Ref) string {
	for _, q := range f.r.Quotes {
		if q.Layer == string(ref.Layer) && q.Policy == ref.Policy && q.Index == ref.Index && (q.Target == "" || q.Target == ref.Target) {
			return q.Text
		}
	}
	return ""
}

// statementView renders a trace statement, marking the decisive element: for
// a matched Deny what made it apply, for an unmatched statement what failed.
func (f *facts) statementView(layer string, p *trace.Policy, s *trace.Statement) Statement {
	v := Statement{
		Layer: layer, Sid: s.Sid, Index: s.Index, Line: s.Line, Col: s.Col,
		Label: statementLabel(s.Sid, s.Index), Effect: s.Effect, Matched: s.Matched, Elements: []Element{},
	}
	if p != nil {
		v.Policy, v.Target = p.Name, p.Target
	}
	decisive := decisiveElement(s)
	v.Decisive = decisive
	for _, el := range s.Elements {
		if el == nil {
			continue
		}
		ev := Element{
			Name: elementName(el), Matched: el.Matched, Want: el.Want, Got: el.Got, Note: el.Note,
			Decisive: el.Name == decisive || (!s.Matched && !el.Matched),
		}
		for i := range el.Conditions {
			c := &el.Conditions[i]
			ev.Conditions = append(ev.Conditions, Condition{
				Operator: c.Operator, Key: c.Key, Want: nonNil(c.Want), Got: c.Got, Present: c.Present, Matched: c.Matched,
				Decisive: ev.Decisive && (s.Matched || !c.Matched), Text: conditionText(c, s.Effect),
			})
		}
		v.Elements = append(v.Elements, ev)
	}
	if !s.Matched && v.Decisive == "" {
		v.Decisive = s.Failed
	}
	return v
}

// decisiveElement names the element that decided a statement's outcome. For
// a matched statement it is the narrowest element that made it apply: the
// Condition when there is one, else a negated element, else the Action. For
// an unmatched one it is the first element that failed.
func decisiveElement(s *trace.Statement) string {
	if !s.Matched {
		return s.Failed
	}
	if s.Effect != "Deny" {
		// A matched Allow has no decisive element; its Condition, if any,
		// is what narrowed it.
		for _, el := range s.Elements {
			if el != nil && el.Name == "Condition" {
				return "Condition"
			}
		}
		return ""
	}
	var names []string
	negated := ""
	for _, el := range s.Elements {
		if el == nil {
			continue
		}
		names = append(names, el.Name)
		if el.Negated && negated == "" {
			negated = el.Name
		}
	}
	switch {
	case contains(names, "Condition"):
		return "Condition"
	case negated != "":
		return negated
	case contains(names, "Action"):
		return "Action"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// summary is the verdict in one sentence.
func (f *facts) summary(deciding []Statement) string {
	r := f.r
	who, what := f.c.arn, r.Action+" on "+r.Resource
	if who == "" {
		who = "the caller"
	}
	if r.Allowed {
		if r.Layer == string(authz.LayerRoot) || len(deciding) == 0 {
			return "Allowed: " + who + " may perform " + what + "; the root user needs no policy to act on its own account's resources."
		}
		var parts []string
		for _, d := range deciding {
			parts = append(parts, policyPhrase(d.Layer, d.Policy)+" ("+d.Label+")")
		}
		return "Allowed: " + who + " may perform " + what + ", granted by " + strings.Join(parts, " and ") + "."
	}
	layer := r.Layer
	if r.Effect == string(authz.ExplicitDeny) && layer != string(authz.LayerPublicAccess) {
		s := "Denied: "
		if len(deciding) > 0 {
			d := &deciding[0]
			s += d.Label + " in " + policyPhrase(layer, d.Policy)
			if d.Target != "" {
				s += " attached at " + d.Target
			}
			if n := layerName(layer); n != "" && !strings.Contains(layerTitle(layer), n) {
				s += " (" + withArticle(n) + ")"
			}
			s += " is an explicit deny that matches "
		} else {
			s += "an explicit deny in " + withArticle(layerName(layer)) + " matches "
		}
		return s + what + "; an explicit deny overrides every Allow."
	}
	switch authz.Layer(layer) {
	case authz.LayerPublicAccess:
		return "Denied: S3 Block Public Access (RestrictPublicBuckets) keeps the public bucket policy's grants from callers outside the bucket owner's account " +
			r.ResourceAccount + "; AWS reports this as an explicit deny in a resource-based policy."
	case authz.LayerRequesterPays:
		if f.c.typ == typeAnonymous {
			return "Denied: the bucket is Requester Pays, and S3 never allows anonymous requests to a Requester Pays bucket."
		}
		return "Denied: the bucket is Requester Pays and the request did not carry x-amz-request-payer: requester."
	case authz.LayerObjectOwner:
		owner := r.ObjectOwner
		if owner == "" {
			owner = "another account"
		} else {
			owner = "account " + owner
		}
		return "Denied: the object is owned by " + owner + ", not by the bucket owner " + r.ResourceAccount +
			"; a bucket policy cannot grant access to it, and its ACL grants the caller nothing."
	case authz.LayerSCP:
		s := "Denied: no service control policy allows " + r.Action
		if lvl := f.failedOrgLevel(authz.LayerSCP); lvl != "" {
			s += " at " + lvl
		}
		return s + "; every level from the organization root down to the account must allow it."
	case authz.LayerRCP:
		s := "Denied: no resource control policy allows " + r.Action
		if lvl := f.failedOrgLevel(authz.LayerRCP); lvl != "" {
			s += " at " + lvl
		}
		return s + "; every level from the organization root down to the resource's account must allow it."
	case authz.LayerBoundary:
		return "Denied: an identity-based policy allows " + r.Action + ", but the permissions boundary does not; a boundary caps what identity-based policies grant."
	case authz.LayerSession:
		return "Denied: no session policy allows " + r.Action + "; a session gets only what both its identity-based policies and its session policies allow."
	case authz.LayerKeyPolicy:
		return "Denied: the key policy of " + orUnknown(f.keyARN(), "the key") + " does not allow " + who + " to use " + r.Action +
			"; a KMS key policy must allow the caller, or its account so that IAM policies count."
	case authz.LayerTrustPolicy:
		return "Denied: the role trust policy of " + r.Resource + " does not allow " + who + " to " + r.Action + "."
	case authz.LayerEndpoint:
		return "Denied: the VPC endpoint policy of " + orUnknown(f.r.EndpointID, "the VPC endpoint") + " does not allow " + what + "."
	case authz.LayerIdentity:
		s := "Denied: no identity-based policy allows " + who + " to perform " + what
		if f.cross {
			s += "; across accounts, the caller's own account must allow the request as well as the resource's"
		}
		return s + "."
	case authz.LayerBucketPolicy, authz.LayerResourcePolicy:
		s := "Denied: no " + layerName(layer) + " allows " + who + " to perform " + what
		if f.cross || f.c.typ == typeAnonymous || f.c.typ == typeService {
			s += "; a caller outside the bucket owner's account " + r.ResourceAccount + " needs a grant in the bucket policy (or an ACL)"
		}
		return s + "."
	}
	if n := layerName(layer); n != "" {
		return "Denied: no " + n + " allows " + r.Action + "."
	}
	return "Denied by the " + layerTitle(layer) + "."
}

func withArticle(s string) string {
	if s == "" {
		return "a policy"
	}
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	return "a " + s
}

func orUnknown(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// policyPhrase names a policy with its kind: "the identity-based policy
// arn:...", but "the bucket policy of b" for a name that already says it.
func policyPhrase(layer, name string) string {
	t := layerTitle(layer)
	if name == "" {
		return "the " + t
	}
	if strings.HasPrefix(strings.ToLower(name), strings.ToLower(t)) {
		return "the " + name
	}
	if layer == string(authz.LayerACL) {
		return "the " + name
	}
	return "the " + t + " " + name
}

// quoteName shows a policy name; names with spaces read better quoted.
func quoteName(s string) string {
	if s == "" {
		return "(unnamed)"
	}
	return s
}

// failedOrgLevel returns the first organization level (root, OU, account)
// where no policy of the layer allows the request, or "".
func (f *facts) failedOrgLevel(layer authz.Layer) string {
	st := f.stage(string(layer))
	path := f.r.OrgPath
	if layer == authz.LayerRCP {
		path = f.r.ResourceOrgPath
	}
	allows := map[string]bool{}
	var seen []string
	if st != nil {
		for _, p := range st.Policies {
			if p == nil {
				continue
			}
			if _, ok := allows[p.Target]; !ok {
				seen = append(seen, p.Target)
				allows[p.Target] = false
			}
			if p.Outcome == trace.Allow {
				allows[p.Target] = true
			}
		}
	}
	if len(path) == 0 {
		path = seen
	}
	for _, t := range path {
		if !allows[t] {
			return t
		}
	}
	// The engine names the level in the stage note.
	if st != nil {
		for _, kind := range []string{"service", "resource"} {
			prefix := "no " + kind + " control policy attached at "
			if rest, ok := strings.CutPrefix(st.Note, prefix); ok {
				if lvl, ok := strings.CutSuffix(rest, " allows the action"); ok {
					return lvl
				}
			}
		}
	}
	return ""
}

// missingStages are the trace stages whose lack of an Allow the fixes
// address: the deciding one for an implicit denial and, across accounts,
// the other side too when it also grants nothing.
func (f *facts) nearMissStages() []*trace.Stage {
	r := f.r
	if r.Allowed || r.Effect != string(authz.ImplicitDeny) {
		return nil
	}
	var out []*trace.Stage
	add := func(s *trace.Stage) {
		if s != nil && !contains(stageLayers(out), s.Layer) {
			out = append(out, s)
		}
	}
	switch authz.Layer(r.Layer) {
	case authz.LayerBucketPolicy, authz.LayerKeyPolicy, authz.LayerTrustPolicy, authz.LayerResourcePolicy,
		authz.LayerIdentity, authz.LayerBoundary, authz.LayerSession, authz.LayerEndpoint, authz.LayerSCP, authz.LayerRCP:
		add(f.stage(r.Layer))
	}
	if r.Layer == string(authz.LayerIdentity) && f.cross {
		if rs := f.resourceStage(); rs != nil && !stageAllows(rs) {
			add(rs)
		}
	}
	return out
}

// otherService reports whether a statement failed on an Action element that
// names only other services: no near miss, just a statement about something
// else.
func otherService(s *trace.Statement, action string) bool {
	svc, _, _ := strings.Cut(strings.ToLower(action), ":")
	for _, el := range s.Elements {
		if el == nil || el.Name != "Action" || el.Matched || el.Negated {
			continue
		}
		for _, w := range el.Want {
			ws, _, ok := strings.Cut(strings.ToLower(w), ":")
			if !ok || ws == svc || strings.ContainsAny(ws, "*?") {
				return false
			}
		}
		return true
	}
	return false
}

func stageLayers(list []*trace.Stage) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Layer)
	}
	return out
}

// nearMisses lists the Allow statements that came closest to allowing the
// request: those that failed on one element only, or on two while covering
// the action. Closest first.
func (f *facts) nearMisses() []NearMiss {
	type cand struct {
		nm    NearMiss
		score int
		order int
	}
	var cands []cand
	order := 0
	level := ""
	if f.r.Layer == string(authz.LayerSCP) || f.r.Layer == string(authz.LayerRCP) {
		level = f.failedOrgLevel(authz.Layer(f.r.Layer))
	}
	for _, st := range f.nearMissStages() {
		for _, p := range st.Policies {
			if p == nil || (level != "" && st.Layer == f.r.Layer && p.Target != level) {
				continue
			}
			for _, s := range p.Statements {
				order++
				if s == nil || s.Matched || s.Effect != "Allow" {
					continue
				}
				var failed, reasons []string
				actionOK := false
				score := 0
				for _, el := range s.Elements {
					if el == nil {
						continue
					}
					if el.Matched {
						actionOK = actionOK || el.Name == "Action"
						continue
					}
					failed = append(failed, elementName(el))
					rs := missText(el)
					reasons = append(reasons, rs...)
					score += len(rs)
				}
				if len(failed) == 0 || !(len(failed) == 1 || (actionOK && len(failed) == 2)) || otherService(s, f.r.Action) {
					continue
				}
				cands = append(cands, cand{NearMiss{Statement: f.statementView(st.Layer, p, s), Failed: failed, Reasons: reasons}, score, order})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score < cands[j].score
		}
		return cands[i].order < cands[j].order
	})
	out := []NearMiss{}
	for i := 0; i < len(cands) && i < maxNearMisses; i++ {
		out = append(out, cands[i].nm)
	}
	return out
}

// findings say what the request carried against what the deciding statement
// (or the closest near miss) needed, plus what the engine noted.
func (f *facts) findings(deciding []Statement, near []NearMiss) []string {
	r := f.r
	out := []string{}
	if f.cross && !r.Allowed {
		out = append(out, "The caller's account "+orUnknown(f.c.account, "(unknown)")+" differs from the resource's account "+r.ResourceAccount+
			": both accounts must allow the request.")
	}
	if r.Effect == string(authz.ExplicitDeny) && len(deciding) > 0 && r.Layer != string(authz.LayerPublicAccess) {
		d := deciding[0]
		out = append(out, denyFindings(&d)...)
	}
	st := f.decidingStage()
	if st != nil && st.Note != "" && !r.Allowed {
		out = append(out, sentence(st.Note))
	}
	if r.Effect == string(authz.ImplicitDeny) {
		out = append(out, f.emptyStageFindings()...)
		if len(near) > 0 {
			nm := near[0]
			out = append(out, nm.Statement.Label+" of "+quoteName(nm.Statement.Policy)+" would allow the request, but "+strings.Join(nm.Reasons, "; and ")+".")
		}
		if r.Layer == string(authz.LayerIdentity) && !f.cross && isS3(r.Action) {
			if rs := f.resourceStage(); rs != nil && !stageAllows(rs) {
				// Within one account either kind of policy suffices.
				// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
				out = append(out, "Within one account an Allow in either an identity-based policy or the bucket policy is enough; neither allows this request.")
			}
		}
		if r.Layer == string(authz.LayerBoundary) || r.Layer == string(authz.LayerSession) {
			if id := firstAllow(f.stage(string(authz.LayerIdentity))); id != "" {
				out = append(out, "The identity-based policy "+id+" allows the request.")
			}
		}
	}
	return out
}

// denyFindings says why a matched Deny applied and what would make it not.
func denyFindings(d *Statement) []string {
	var out []string
	for _, el := range d.Elements {
		if el.Name != "Condition" {
			continue
		}
		for _, c := range el.Conditions {
			out = append(out, c.Text+".")
		}
		if len(el.Conditions) > 1 {
			out = append(out, "Every condition held; the statement stops matching as soon as any one of them does not.")
		}
		return out
	}
	for _, el := range d.Elements {
		if el.Decisive {
			out = append(out, "The statement applies because "+elementMatchText(&el)+"; it has no Condition, so every such request matches it.")
		}
	}
	return out
}

func elementMatchText(el *Element) string {
	base, negated := strings.CutPrefix(el.Name, "Not")
	if el.Name == "Condition" {
		base, negated = "Condition", false
	}
	return matchText(&trace.Element{Name: base, Negated: negated, Want: el.Want, Got: el.Got})
}

// decidingStage is the trace stage of the deciding layer (for ownership and
// Block Public Access, the resource stage that holds the engine's note).
func (f *facts) decidingStage() *trace.Stage {
	switch authz.Layer(f.r.Layer) {
	case authz.LayerObjectOwner, authz.LayerPublicAccess:
		return f.resourceStage()
	}
	return f.stage(f.r.Layer)
}

// emptyStageFindings notes a deciding layer that had no policy at all.
func (f *facts) emptyStageFindings() []string {
	st := f.stage(f.r.Layer)
	if st == nil || len(st.Policies) > 0 {
		return nil
	}
	switch authz.Layer(f.r.Layer) {
	case authz.LayerIdentity:
		return []string{"No identity-based policy is attached to " + orUnknown(f.c.arn, "the caller") + "."}
	case authz.LayerBucketPolicy:
		return []string{"The bucket " + orUnknown(f.bucket, "") + " has no bucket policy, and no ACL grants the caller " + f.r.Action + "."}
	case authz.LayerKeyPolicy:
		return []string{"No key policy statement was evaluated for " + orUnknown(f.keyARN(), "the key") + "."}
	case authz.LayerSession:
		return []string{"The session was created with session policies, none of which allow " + f.r.Action + "."}
	}
	return nil
}

// firstAllow names the first matched Allow statement of a stage.
func firstAllow(st *trace.Stage) string {
	if st == nil {
		return ""
	}
	for _, p := range st.Policies {
		if p == nil {
			continue
		}
		for _, s := range p.Statements {
			if s != nil && s.Matched && s.Effect == "Allow" {
				return quoteName(p.Name) + " (" + statementLabel(s.Sid, s.Index) + ")"
			}
		}
	}
	return ""
}

// sentence capitalizes s and ends it with a period.
func sentence(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		s = string(c-'a'+'A') + s[1:]
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// notes are caveats about the explanation itself.
func (f *facts) notes() []string {
	out := []string{}
	if len(f.tr.Stages) == 0 {
		out = append(out, "The record carries no trace (the server traces denials only), so the chain shows only the deciding layer and no near misses.")
	}
	if !f.r.Allowed && f.r.Message == "Access Denied" {
		// AWS sends the detailed message only within one account or one
		// organization, and never for anonymous callers.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples
		out = append(out, "AWS answers this request with a bare \"Access Denied\": the detailed message is sent only when the caller and the resource are in the same account or the same organization.")
	}
	return out
}
