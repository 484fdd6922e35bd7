package explain

import (
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/trace"
)

// Marks for the chain view.
const (
	markPassed        = "✓"
	markDenied        = "✗"
	markNotApplicable = "–"
	markNoAllow       = "·"
	markUnknown       = "?"
)

var marks = map[string]string{
	StatusPassed: markPassed, StatusDenied: markDenied, StatusNotApplicable: markNotApplicable,
	StatusNoAllow: markNoAllow, StatusUnknown: markUnknown,
}

// chainRow is one step of the chain and the trace stages (engine layers) it
// shows.
type chainRow struct {
	id, title string
	stages    []authz.Layer
}

// chainRows are the steps in the order the chain shows them: the
// organization guardrails, the network, the caller's side, the resource's
// side, then the gates S3 and KMS add.
var chainRows = []chainRow{
	{"scp", "service control policies", []authz.Layer{authz.LayerSCP}},
	{"rcp", "resource control policies", []authz.Layer{authz.LayerRCP}},
	{"vpc-endpoint", "VPC endpoint policy", []authz.Layer{authz.LayerEndpoint}},
	{"identity", "identity-based policies", []authz.Layer{authz.LayerIdentity}},
	{"permissions-boundary", "permissions boundary", []authz.Layer{authz.LayerBoundary}},
	{"session", "session policies", []authz.Layer{authz.LayerSession}},
	{"resource", "bucket policy", []authz.Layer{authz.LayerBucketPolicy, authz.LayerTrustPolicy, authz.LayerResourcePolicy}},
	{"acl", "ACLs / Object Ownership", []authz.Layer{authz.LayerACL}},
	{"kms", "key policy", []authz.Layer{authz.LayerKeyPolicy}},
	{"requester-pays", "Requester Pays", []authz.Layer{authz.LayerRequesterPays}},
}

// rowOf maps a decision layer to its chain step.
func rowOf(layer string) string {
	switch authz.Layer(layer) {
	case authz.LayerBucketPolicy, authz.LayerTrustPolicy, authz.LayerResourcePolicy, authz.LayerPublicAccess:
		return "resource"
	case authz.LayerACL, authz.LayerObjectOwner:
		return "acl"
	case authz.LayerKeyPolicy:
		return "kms"
	case authz.LayerRoot:
		return ""
	}
	return layer
}

// chain builds the one-line-per-layer view.
func (f *facts) chain() []Step {
	r := f.r
	denyRow := ""
	if !r.Allowed {
		denyRow = rowOf(r.Layer)
	}
	refRows := map[string]authz.Ref{}
	for _, ref := range r.Statements {
		if _, ok := refRows[rowOf(string(ref.Layer))]; !ok {
			refRows[rowOf(string(ref.Layer))] = ref
		}
	}
	traced := len(f.tr.Stages) > 0
	out := make([]Step, 0, len(chainRows))
	for _, row := range chainRows {
		step := Step{Layer: row.id, Title: row.title}
		var st *trace.Stage
		for _, l := range row.stages {
			if st = f.stage(string(l)); st != nil {
				break
			}
		}
		if st != nil && row.id == "resource" {
			step.Title = layerTitle(st.Layer)
		}
		ref, hasRef := refRows[row.id]
		switch {
		case row.id == denyRow:
			step.Status = StatusDenied
			if hasRef {
				step.Statement = refName(ref)
			}
		case !traced && hasRef:
			step.Status = StatusPassed
		case !traced:
			step.Status = StatusUnknown
		case st == nil && f.notReached(row.id):
			step.Status = StatusUnknown
		case st == nil:
			step.Status = StatusNotApplicable
		default:
			step.Status = stageStatus(st)
		}
		if step.Statement == "" && step.Status == StatusPassed {
			if hasRef {
				step.Statement = refName(ref)
			} else if st != nil {
				step.Statement = firstAllow(st)
				for _, g := range st.Grants {
					if g.Matched && step.Statement == "" {
						step.Statement = g.On + " ACL grant of " + g.Permission + " to " + shortID(g.Grantee)
					}
				}
			}
		}
		if st != nil {
			step.Note = st.Note
			for _, p := range st.Policies {
				if p != nil {
					step.Policies = append(step.Policies, f.policyView(st.Layer, p))
				}
			}
			for _, g := range st.Grants {
				step.Grants = append(step.Grants, Grant(g))
			}
		}
		if step.Note == "" {
			step.Note = f.rowNote(row.id, step.Status, st)
		}
		step.Mark = marks[step.Status]
		out = append(out, step)
	}
	return out
}

// stageStatus reads a stage's outcome. A stage the engine left at
// not-applicable but that holds policies was evaluated and not needed for the
// outcome: it passed if one of its policies allows.
func stageStatus(st *trace.Stage) string {
	switch st.Outcome {
	case trace.Allow:
		return StatusPassed
	case trace.ExplicitDeny:
		return StatusDenied
	case trace.ImplicitDeny:
		return StatusNoAllow
	case trace.Skipped, trace.NoMatch:
		return StatusNotApplicable
	}
	if len(st.Policies) == 0 {
		return StatusNotApplicable
	}
	if stageAllows(st) {
		return StatusPassed
	}
	return StatusNoAllow
}

// rowNote explains a step the engine left without a note.
func (f *facts) rowNote(row, status string, st *trace.Stage) string {
	r := f.r
	if status == StatusDenied {
		switch authz.Layer(r.Layer) {
		case authz.LayerSCP, authz.LayerRCP:
			if lvl := f.failedOrgLevel(authz.Layer(r.Layer)); lvl != "" && r.Effect == string(authz.ImplicitDeny) {
				return "nothing attached at " + lvl + " allows the action"
			}
		case authz.LayerObjectOwner:
			return "the object is owned by another account and its ACL grants the caller nothing"
		}
		if r.Effect == string(authz.ImplicitDeny) {
			return "no statement allows the request"
		}
		return ""
	}
	if status == StatusNoAllow {
		return "evaluated; allows nothing here, but did not decide"
	}
	if status == StatusUnknown && st == nil && len(f.tr.Stages) > 0 {
		return "not evaluated: the request was refused before this layer"
	}
	if st == nil {
		switch {
		case row == "kms" && isS3(r.Action):
			return "for SSE-KMS objects S3 asks KMS in a separate decision"
		case (row == "acl" || row == "requester-pays" || row == "resource") && !isS3(r.Action) && r.Action != "":
			return "S3 only"
		}
		return ""
	}
	if status != StatusNotApplicable {
		return ""
	}
	switch row {
	case "requester-pays":
		return "the bucket is not Requester Pays"
	case "scp", "rcp":
		return "no organization policy of this type applies"
	case "vpc-endpoint":
		return "the request did not come through a VPC endpoint"
	case "permissions-boundary":
		return "the caller has no permissions boundary"
	case "session":
		return "no session policy was passed"
	case "resource":
		return "no resource-based policy"
	}
	return ""
}

// notReached reports whether a layer missing from the trace would have been
// evaluated had the engine not stopped first: every policy layer, and the
// ACLs of an S3 request.
func (f *facts) notReached(row string) bool {
	if f.r.Allowed {
		return false
	}
	switch row {
	case "kms", "requester-pays":
		return false
	case "acl":
		return isS3(f.r.Action)
	case "resource":
		// Only S3 requests have a bucket policy; a KMS request's key
		// policy is the kms step.
		return isS3(f.r.Action)
	}
	return true
}

// refName names a deciding statement for the chain: policy, statement, and
// where an organization policy is attached.
func refName(ref authz.Ref) string {
	s := quoteName(ref.Policy) + " (" + statementLabel(ref.Sid, ref.Index) + ")"
	if ref.Layer == authz.LayerACL {
		s = ref.Policy + ": " + ref.Sid
	}
	if ref.Target != "" {
		s += " at " + ref.Target
	}
	return s
}

// policyView renders a consulted policy with all its statements.
func (f *facts) policyView(layer string, p *trace.Policy) Policy {
	v := Policy{Name: p.Name, Target: p.Target, Outcome: string(p.Outcome), Statements: []Statement{}}
	for _, s := range p.Statements {
		if s != nil {
			v.Statements = append(v.Statements, f.statementView(layer, p, s))
		}
	}
	return v
}

// shortID shortens a 64-hex canonical user ID for the one-line view.
func shortID(s string) string {
	if len(s) != 64 {
		return s
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return s
		}
	}
	return "canonical user " + s[:12] + "…"
}
