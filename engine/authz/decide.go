package authz

import (
	"strings"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/trace"
)

// Decide evaluates req against in and returns AWS's decision.
func Decide(req *Request, in *Inputs, opt Options) Decision {
	if req.ResourceAccount == "" {
		// Actions without a resource owner (ListAllMyBuckets on "*", IAM's
		// own account-scoped calls) are decided within the caller's account.
		r := *req
		r.ResourceAccount = req.Principal.Account
		req = &r
	}
	e := evaluator{req: req, action: strings.ToLower(req.Action), ctx: req.Context}
	if e.ctx == nil {
		e.ctx = emptyContext{}
	}
	e.hasBoundary = in.Boundary != nil
	if opt.Trace {
		e.tr = &trace.Trace{}
	}
	d := e.decide(in)
	d.Trace = e.tr
	d.Enhanced = enhanced(req, in, &d)
	return d
}

type emptyContext struct{}

func (emptyContext) Value(string) ([]string, bool) { return nil, false }

func (e *evaluator) stage(layer Layer) *trace.Stage {
	if e.tr == nil {
		return nil
	}
	return e.tr.Add(string(layer))
}

func setStage(s *trace.Stage, o trace.Outcome, note string) {
	if s != nil {
		s.Outcome = o
		if note != "" {
			s.Note = note
		}
	}
}

// orgResult evaluates an organization policy chain: an explicit Deny at any
// level, and whether every level has an Allow.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_auth.html
func (e *evaluator) orgResult(org *Org, mode principalMode, s *trace.Stage) (deny hit, failedLevel string) {
	for li := range org.Levels {
		lvl := &org.Levels[li]
		var levelRes result
		for pi := range lvl.Policies {
			ref := &lvl.Policies[pi]
			if ref.Target == "" {
				ref.Target = lvl.Target
			}
			levelRes.merge(e.evalPolicy(ref, mode, s))
		}
		if levelRes.deny.ok() && !deny.ok() {
			deny = levelRes.deny
		}
		if !levelRes.allow.ok() && failedLevel == "" {
			failedLevel = lvl.Target
		}
	}
	return deny, failedLevel
}

// rcpServices are the services whose resources RCPs govern.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services
var rcpServices = map[string]bool{"s3": true, "sts": true, "kms": true, "sqs": true, "secretsmanager": true}

func (e *evaluator) decide(in *Inputs) Decision {
	pr := &e.req.Principal

	// Requester Pays is a gate before any policy: every requester outside
	// the bucket owner's account must acknowledge the charge, and anonymous
	// requests are refused outright.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
	if s3 := in.S3; s3 != nil {
		st := e.stage(LayerRequesterPays)
		if s3.RequesterPays {
			if pr.Type == Anonymous || (pr.Account != s3.BucketOwner.Account && !s3.RequestPayer) {
				setStage(st, trace.ImplicitDeny, "the bucket is Requester Pays and the request did not carry x-amz-request-payer: requester")
				return Decision{Effect: ImplicitDeny, Layer: LayerRequesterPays}
			}
			setStage(st, trace.Allow, "")
		}
	}

	// --- Collect every policy's verdict (one pass per policy). ---

	// SCPs bind the principals of member accounts; not the management
	// account, not service-linked roles, not callers from outside.
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
	var scpDeny hit
	var scpFailed string
	scpStage := e.stage(LayerSCP)
	scpApplies := false
	if org := in.PrincipalOrg; org != nil && org.Levels != nil {
		switch {
		case org.Management:
			setStage(scpStage, trace.Skipped, "the caller's account is the organization's management account, which SCPs do not restrict")
		case pr.ServiceLinked:
			setStage(scpStage, trace.Skipped, "service-linked roles are not restricted by SCPs")
		case pr.Type == Anonymous || pr.Type == Service:
			setStage(scpStage, trace.Skipped, "the caller is not a principal of a member account")
		default:
			scpApplies = true
			scpDeny, scpFailed = e.orgResult(org, noPrincipal, scpStage)
		}
	}

	// RCPs bind the resources of member accounts, for every caller.
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
	var rcpDeny hit
	var rcpFailed string
	rcpStage := e.stage(LayerRCP)
	if org := in.ResourceOrg; org != nil && org.Levels != nil {
		svc, _, _ := strings.Cut(e.action, ":")
		switch {
		case org.Management:
			setStage(rcpStage, trace.Skipped, "the resource is in the organization's management account, which RCPs do not restrict")
		case pr.ServiceLinked:
			setStage(rcpStage, trace.Skipped, "calls by service-linked roles are not restricted by RCPs")
		case in.KMS != nil && in.KMS.AWSManaged:
			setStage(rcpStage, trace.Skipped, "RCPs do not apply to AWS managed KMS keys")
		case e.action == "kms:retiregrant":
			setStage(rcpStage, trace.Skipped, "RCPs do not apply to kms:RetireGrant")
		case !rcpServices[svc]:
			setStage(rcpStage, trace.Skipped, "the service does not support RCPs")
		default:
			rcpDeny, rcpFailed = e.orgResult(org, withPrincipal, rcpStage)
		}
	}

	// VPC endpoint policy: a filter on requests through the endpoint.
	// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
	var epRes result
	epStage := e.stage(LayerEndpoint)
	if in.Endpoint != nil {
		epRes = e.evalPolicy(in.Endpoint, endpointPrincipal, epStage)
	}

	// Identity side.
	var idRes, bRes, sRes result
	idStage := e.stage(LayerIdentity)
	for i := range in.Identity {
		idRes.merge(e.evalPolicy(&in.Identity[i], noPrincipal, idStage))
	}
	bStage := e.stage(LayerBoundary)
	if in.Boundary != nil {
		bRes = e.evalPolicy(in.Boundary, noPrincipal, bStage)
	}
	sStage := e.stage(LayerSession)
	for i := range in.Session {
		sRes.merge(e.evalPolicy(&in.Session[i], noPrincipal, sStage))
	}

	// Resource side.
	resLayer := resourceLayer(in.ResourceKind)
	var rRes result
	rStage := e.stage(resLayer)
	lockoutExempt := false
	if in.Resource != nil {
		// The bucket owner's root user can always manage the bucket
		// policy, so a policy cannot lock the account out; only VPC
		// endpoint policies and Organizations policies can block it.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
		if in.ResourceKind == BucketPolicy && pr.Type == Root && pr.Account == e.req.ResourceAccount &&
			(e.action == "s3:getbucketpolicy" || e.action == "s3:putbucketpolicy" || e.action == "s3:deletebucketpolicy") {
			lockoutExempt = true
			setStage(rStage, trace.Skipped, "the bucket owner's root user may always read, change and delete the bucket policy")
		} else {
			rRes = e.evalPolicy(in.Resource, withPrincipal, rStage)
		}
	}

	// --- 1. An explicit Deny anywhere wins. ---
	for _, c := range []struct {
		h     hit
		layer Layer
		st    *trace.Stage
	}{
		{scpDeny, LayerSCP, scpStage}, {rcpDeny, LayerRCP, rcpStage}, {epRes.deny, LayerEndpoint, epStage},
		{idRes.deny, LayerIdentity, idStage}, {bRes.deny, LayerBoundary, bStage}, {sRes.deny, LayerSession, sStage},
		{rRes.deny, resLayer, rStage},
	} {
		if c.h.ok() {
			setStage(c.st, trace.ExplicitDeny, "")
			return Decision{Effect: ExplicitDeny, Layer: c.layer, Statements: []Ref{ref(c.layer, c.h)}}
		}
	}

	// --- 2. RCPs: every level from the root down must allow. ---
	if rcpFailed != "" {
		setStage(rcpStage, trace.ImplicitDeny, "no resource control policy attached at "+rcpFailed+" allows the action")
		return Decision{Effect: ImplicitDeny, Layer: LayerRCP}
	}
	if rcpStage != nil && rcpStage.Outcome == trace.NotApplicable && in.ResourceOrg != nil && in.ResourceOrg.Levels != nil {
		setStage(rcpStage, trace.Allow, "")
	}

	// --- 3. SCPs: likewise for the caller's account. ---
	if scpApplies {
		if scpFailed != "" {
			setStage(scpStage, trace.ImplicitDeny, "no service control policy attached at "+scpFailed+" allows the action")
			return Decision{Effect: ImplicitDeny, Layer: LayerSCP}
		}
		setStage(scpStage, trace.Allow, "")
	}

	// --- 4. The VPC endpoint policy must allow. ---
	if in.Endpoint != nil {
		if !epRes.allow.ok() {
			setStage(epStage, trace.ImplicitDeny, "")
			return Decision{Effect: ImplicitDeny, Layer: LayerEndpoint}
		}
		setStage(epStage, trace.Allow, "")
	}

	// --- 5. Identity side and resource side. ---
	return e.grant(in, idRes, bRes, sRes, rRes, lockoutExempt, stages{idStage, bStage, sStage, rStage})
}

type stages struct{ id, boundary, session, resource *trace.Stage }

func resourceLayer(k ResourceKind) Layer {
	switch k {
	case BucketPolicy:
		return LayerBucketPolicy
	case KeyPolicy:
		return LayerKeyPolicy
	case TrustPolicy:
		return LayerTrustPolicy
	}
	return LayerResourcePolicy
}

func ref(layer Layer, h hit) Ref {
	return Ref{Layer: layer, Policy: h.ref.Name, Target: h.ref.Target, Sid: h.st.Sid, Index: h.st.Index, Line: h.st.Line, Col: h.st.Col, Effect: h.st.Effect.String()}
}

// grant applies the allow rules once no explicit deny and no guardrail
// stopped the request.
func (e *evaluator) grant(in *Inputs, idRes, bRes, sRes, rRes result, lockoutExempt bool, st stages) Decision {
	pr := &e.req.Principal

	// The identity side: identity policies, capped by the boundary and the
	// session policies. Root users, anonymous callers and service
	// principals have no identity side to pass: root has full access in its
	// own account, and S3 skips the user context for them.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html
	boundaryOK := in.Boundary == nil || bRes.allow.ok()
	sessionOK := in.Session == nil || sRes.allow.ok()
	noUserContext := pr.Type == Root || pr.Type == Anonymous || pr.Type == Service || isCloudFrontOAI(pr)
	identityOK := noUserContext || (idRes.allow.ok() && boundaryOK && sessionOK)
	identityFail := func() Decision {
		switch {
		case !idRes.allow.ok():
			setStage(st.id, trace.ImplicitDeny, "")
			return Decision{Effect: ImplicitDeny, Layer: LayerIdentity}
		case !boundaryOK:
			setStage(st.id, trace.Allow, "")
			setStage(st.boundary, trace.ImplicitDeny, "")
			return Decision{Effect: ImplicitDeny, Layer: LayerBoundary}
		default:
			setStage(st.id, trace.Allow, "")
			setStage(st.boundary, okOutcome(in.Boundary != nil), "")
			setStage(st.session, trace.ImplicitDeny, "")
			return Decision{Effect: ImplicitDeny, Layer: LayerSession}
		}
	}
	markIdentity := func() {
		if !noUserContext {
			setStage(st.id, outcome(idRes.allow.ok()), "")
			if in.Boundary != nil {
				setStage(st.boundary, outcome(bRes.allow.ok()), "")
			}
			if in.Session != nil {
				setStage(st.session, outcome(sRes.allow.ok()), "")
			}
		} else {
			setStage(st.id, trace.Skipped, noUserContextNote(pr))
		}
	}

	// The resource side: which account's permission is needed, and what the
	// resource-based policy (and for S3 the ACLs) grant.
	rs := e.resourceSide(in, rRes, st.resource)
	authority := rs.authority
	sameAccount := authority != "" && pr.Account == authority && pr.Type != Anonymous && pr.Type != Service

	// sufficient reports whether the resource grant alone allows the
	// request in its own account.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html#policy-eval-basics-id-rdp
	sufficient := func() bool {
		switch rs.level {
		case direct:
			return true
		case byRole:
			return boundaryOK && sessionOK
		case byAccount:
			// A delegation to the account: its identities need an
			// identity-based policy (root has no such need).
			return pr.Type == Root
		}
		return false
	}
	allowed := func(refs ...Ref) Decision {
		markIdentity()
		var out []Ref
		for _, r := range refs {
			if r.Policy != "" {
				out = append(out, r)
			}
		}
		return Decision{Allowed: true, Effect: Allowed, Layer: out0(out), Statements: out}
	}
	idRef := func() Ref {
		if idRes.allow.ok() && !noUserContext {
			return ref(LayerIdentity, idRes.allow)
		}
		return Ref{}
	}

	mustExplicit := in.ResourceKind == KeyPolicy || in.ResourceKind == TrustPolicy
	if lockoutExempt {
		markIdentity()
		return Decision{Allowed: true, Effect: Allowed, Layer: LayerRoot}
	}

	if sameAccount {
		if pr.Type == Root && !mustExplicit {
			// The root user has full access to its own account's
			// resources; only explicit denies and guardrails (checked
			// above) stop it.
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html
			markIdentity()
			return Decision{Allowed: true, Effect: Allowed, Layer: LayerRoot}
		}
		if rs.level != noMatch && sufficient() {
			return allowed(rs.ref)
		}
		if mustExplicit {
			// KMS key policies and role trust policies must allow: identity
			// policies count only where the resource policy delegates to
			// the account.
			if rs.level == noMatch {
				markIdentity()
				setStage(st.resource, trace.ImplicitDeny, rs.note)
				return Decision{Effect: ImplicitDeny, Layer: rs.layer}
			}
			if identityOK {
				return allowed(idRef(), rs.ref)
			}
			return identityFail()
		}
		if identityOK {
			return allowed(idRef())
		}
		if rs.blockedPublic {
			markIdentity()
			setStage(st.resource, trace.ExplicitDeny, rs.note)
			return Decision{Effect: ExplicitDeny, Layer: LayerPublicAccess}
		}
		if rs.level == byRole {
			// The resource policy names the role (or the user behind a
			// federated session): that grant would suffice but for the
			// boundary or session policy, so that is the layer to blame.
			markIdentity()
			setStage(st.resource, trace.Allow, "the grant to the role is limited by the permissions boundary and session policies")
			if !boundaryOK {
				setStage(st.boundary, trace.ImplicitDeny, "")
				return Decision{Effect: ImplicitDeny, Layer: LayerBoundary}
			}
			setStage(st.session, trace.ImplicitDeny, "")
			return Decision{Effect: ImplicitDeny, Layer: LayerSession}
		}
		return identityFail()
	}

	// Cross-account (or anonymous): both sides must allow.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
	if !identityOK {
		return identityFail()
	}
	if rs.level == noMatch {
		markIdentity()
		if rs.blockedPublic {
			setStage(st.resource, trace.ExplicitDeny, rs.note)
			return Decision{Effect: ExplicitDeny, Layer: LayerPublicAccess}
		}
		setStage(st.resource, trace.ImplicitDeny, rs.note)
		return Decision{Effect: ImplicitDeny, Layer: rs.layer}
	}
	return allowed(idRef(), rs.ref)
}

func out0(refs []Ref) Layer {
	if len(refs) == 0 {
		return LayerRoot
	}
	return refs[len(refs)-1].Layer
}

func outcome(ok bool) trace.Outcome {
	if ok {
		return trace.Allow
	}
	return trace.ImplicitDeny
}

func okOutcome(present bool) trace.Outcome {
	if present {
		return trace.Allow
	}
	return trace.NotApplicable
}

func noUserContextNote(pr *Principal) string {
	if isCloudFrontOAI(pr) {
		return "CloudFront origin access identities have no identity-based policies"
	}
	switch pr.Type {
	case Root:
		return "the root user has every permission in its own account; no identity-based policy is needed"
	case Anonymous:
		if pr.Provider != "" {
			return "web identity callers have no identity-based policies: the role's trust policy alone decides"
		}
		return "anonymous callers have no identity-based policies"
	}
	return "AWS service principals have no identity-based policies"
}

// resourceGrant is what the resource side grants.
type resourceGrant struct {
	// authority is the account whose permission the resource side
	// represents (bucket owner, object owner, key or role account).
	authority string
	level     level
	ref       Ref
	// layer is the layer to blame when the resource side grants nothing.
	layer Layer
	note  string
	// blockedPublic: a public bucket policy's grant was withheld by
	// RestrictPublicBuckets.
	blockedPublic bool
}

// objectContextActions are the object operations S3 authorizes in the object
// context, where the object owner's permission (its ACL) is needed. Writes
// and deletes are bucket-level: the bucket owner grants them whatever the
// object's owner.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
var objectContextActions = map[string]bool{
	"s3:getobject": true, "s3:getobjectversion": true, "s3:getobjectacl": true, "s3:getobjectversionacl": true,
	"s3:putobjectacl": true, "s3:putobjectversionacl": true, "s3:getobjecttagging": true, "s3:getobjectversiontagging": true,
	"s3:putobjecttagging": true, "s3:putobjectversiontagging": true, "s3:deleteobjecttagging": true,
	"s3:deleteobjectversiontagging": true, "s3:getobjectattributes": true, "s3:getobjectversionattributes": true,
	"s3:getobjecttorrent": true, "s3:getobjectversiontorrent": true, "s3:restoreobject": true,
	"s3:getobjectretention": true, "s3:getobjectlegalhold": true, "s3:putobjectretention": true, "s3:putobjectlegalhold": true,
}

func (e *evaluator) resourceSide(in *Inputs, rRes result, st *trace.Stage) resourceGrant {
	pr := &e.req.Principal
	rg := resourceGrant{authority: e.req.ResourceAccount, layer: resourceLayer(in.ResourceKind)}
	if in.ResourceKind == TrustPolicy {
		rg.layer = LayerTrustPolicy
	}
	if rRes.allow.ok() {
		rg.level, rg.ref = rRes.allow.level, ref(rg.layer, rRes.allow)
	}
	if in.KMS != nil {
		if g := e.kmsGrant(in.KMS); g != nil && rg.level < direct {
			rg.level = direct
			rg.ref = Ref{Layer: LayerKeyPolicy, Policy: "grant:" + g.ID, Effect: "Allow"}
		}
	}
	s3 := in.S3
	if s3 == nil {
		if rg.level != noMatch {
			setStage(st, trace.Allow, "")
		}
		return rg
	}

	// S3: pick the context. Object reads and ACL operations need the object
	// owner's permission; everything else the bucket owner's.
	enforced := s3.Ownership.ACLsDisabled()
	objectCtx := s3.ObjectOwner != nil && objectContextActions[e.action]
	rg.authority = s3.BucketOwner.Account
	if objectCtx && !enforced {
		// Under BucketOwnerEnforced the bucket owner owns every object.
		rg.authority = s3.ObjectOwner.Account
	}
	otherOwner := rg.authority != s3.BucketOwner.Account

	// A bucket policy's Allow covers only objects the bucket owner owns.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example4.html
	if otherOwner && rg.level != noMatch {
		rg.note = "the bucket policy allows the request, but a bucket policy's Allow covers only objects the bucket owner owns; this object is owned by account " + rg.authority
		rg.level, rg.ref = noMatch, Ref{}
	}

	// RestrictPublicBuckets: grants of a public bucket policy reach only
	// principals of the bucket owner's account and AWS services.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
	if rg.level != noMatch && s3.PublicAccess.RestrictPublicBuckets && s3.PolicyPublic &&
		pr.Account != s3.BucketOwner.Account && pr.Type != Service {
		rg.level, rg.ref = noMatch, Ref{}
		rg.blockedPublic = true
		rg.note = "the bucket policy is public and Block Public Access RestrictPublicBuckets limits it to principals of the bucket owner's account"
	}
	if rg.level != noMatch {
		setStage(st, trace.Allow, "")
	}

	// ACLs, unless BucketOwnerEnforced turned them off.
	aclStage := e.stage(LayerACL)
	if enforced {
		setStage(aclStage, trace.Skipped, "Object Ownership is BucketOwnerEnforced: ACLs are disabled and play no part in authorization")
	} else {
		list, onBucket, where := s3.BucketACL, true, "bucket"
		if objectCtx {
			list, onBucket, where = s3.ObjectACL, false, "object"
		}
		if perm := acl.Needed(e.action, onBucket); perm != "" && list != nil {
			req := acl.Requester{CanonicalID: pr.CanonicalID, Authenticated: pr.Type != Anonymous,
				LogDelivery: pr.Type == Service && pr.ServiceName == "logging.s3.amazonaws.com"}
			if pr.Type == Anonymous {
				req.CanonicalID = acl.AnonymousCanonicalID
			}
			lv, g := list.Allows(req, perm, s3.PublicAccess.IgnorePublicAcls)
			if onBucket && perm == acl.Write && strings.HasPrefix(e.action, "s3:delete") && lv != acl.NoGrant &&
				pr.Account != s3.BucketOwner.Account && (s3.ObjectOwner == nil || pr.Account != s3.ObjectOwner.Account) {
				// WRITE lets a grantee create objects; deletions and
				// overwrites only of objects the grantee (or the bucket
				// owner) owns.
				// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
				lv, g = acl.NoGrant, nil
			}
			if aclStage != nil {
				for _, gr := range list.Grants {
					name := gr.Grantee.ID
					if gr.Grantee.Type == acl.Group {
						name = gr.Grantee.URI
					}
					aclStage.Grants = append(aclStage.Grants, trace.Grant{On: where, Grantee: name, Permission: string(gr.Permission), Matched: g != nil && gr == *g})
				}
			}
			var al level
			switch lv {
			case acl.AccountGrant:
				al = byAccount
				if pr.Type == Root {
					al = direct
				}
			case acl.GroupGrant:
				al = direct
			}
			if al > rg.level {
				rg.level = al
				rg.ref = Ref{Layer: LayerACL, Policy: where + " ACL", Effect: "Allow", Sid: string(g.Permission) + " to " + granteeName(g)}
			}
			setStage(aclStage, outcome(al != noMatch), "")
		} else {
			setStage(aclStage, trace.NoMatch, "no ACL permission grants "+e.req.Action+" on the "+where)
		}
	}
	if rg.level == noMatch && otherOwner {
		rg.layer = LayerObjectOwner
		if rg.note == "" {
			rg.note = "the object is owned by account " + rg.authority + ", not by the bucket owner; only the object's ACL can grant access to it"
		}
	}
	return rg
}

func granteeName(g *acl.Grant) string {
	if g.Grantee.Type == acl.Group {
		return g.Grantee.URI
	}
	return g.Grantee.ID
}

// kmsGrant returns the grant that allows the request, if any.
func (e *evaluator) kmsGrant(k *KMS) *Grant {
	pr := &e.req.Principal
	svc, op, _ := strings.Cut(e.req.Action, ":")
	if !strings.EqualFold(svc, "kms") {
		return nil
	}
	for i := range k.Grants {
		g := &k.Grants[i]
		if g.GranteePrincipal != pr.ARN && g.GranteePrincipal != pr.RoleARN && !(pr.Type == Root && g.GranteePrincipal == "arn:aws:iam::"+pr.Account+":root") {
			continue
		}
		opOK := false
		for _, o := range g.Operations {
			if strings.EqualFold(o, op) {
				opOK = true
				break
			}
		}
		if !opOK || !contextMatches(g, k.EncryptionContext) {
			continue
		}
		return g
	}
	return nil
}

// contextMatches applies grant constraints.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html
func contextMatches(g *Grant, ec map[string]string) bool {
	if g.EncryptionContextEquals != nil {
		if len(g.EncryptionContextEquals) != len(ec) {
			return false
		}
		for k, v := range g.EncryptionContextEquals {
			if ec[k] != v {
				return false
			}
		}
	}
	for k, v := range g.EncryptionContextSubset {
		if w, ok := ec[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// enhanced reports whether AWS sends the detailed message: same account, or
// both accounts in one organization (but not for a VPC endpoint denial
// across accounts).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples
func enhanced(req *Request, in *Inputs, d *Decision) bool {
	if d.Allowed || req.Principal.Type == Anonymous {
		return false
	}
	if req.Principal.Account != "" && req.Principal.Account == req.ResourceAccount {
		return true
	}
	if d.Layer == LayerEndpoint {
		return false
	}
	po, ro := in.PrincipalOrg, in.ResourceOrg
	return po != nil && ro != nil && po.ID != "" && po.ID == ro.ID
}

// isCloudFrontOAI reports whether the caller is a CloudFront origin access
// identity (arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity
// ID). OAIs live in CloudFront's own namespace and have no identity-based
// policies: a bucket policy naming one grants it access on its own.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
func isCloudFrontOAI(pr *Principal) bool {
	return pr.Type == User && pr.Account == "cloudfront"
}
