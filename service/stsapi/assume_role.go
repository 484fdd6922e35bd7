package stsapi

import (
	"errors"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Session duration bounds of AssumeRole: 15 minutes to the role's maximum
// (at most 12 hours), one hour by default, and at most one hour for role
// chaining.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_RequestParameters
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
const (
	minDuration     = 900
	maxRoleDuration = 43200
	defaultRoleDur  = 3600
	chainedMax      = 3600
)

type xmlAssumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	Arn           string `xml:"Arn"`
}

type assumeRoleResult struct {
	SourceIdentity   string             `xml:"SourceIdentity,omitempty"`
	AssumedRoleUser  xmlAssumedRoleUser `xml:"AssumedRoleUser"`
	Credentials      xmlCredentials     `xml:"Credentials"`
	PackedPolicySize *int               `xml:"PackedPolicySize"`
}

// roleFromARN splits a role ARN into its account and name; ok is false
// when the ARN is not an IAM role ARN.
func roleFromARN(s string) (account, name string, ok bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "iam" || !arn.IsAccountID(a.Account) || a.Region != "" {
		return "", "", false
	}
	rest, found := strings.CutPrefix(a.Resource, "role/")
	if !found || rest == "" || strings.HasSuffix(rest, "/") {
		return "", "", false
	}
	return a.Account, rest[strings.LastIndexByte(rest, '/')+1:], true
}

// assumeRole implements AssumeRole.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func assumeRole(q *request) (any, error) {
	p := &params{v: q.v}
	roleARN := p.arn("RoleArn", true)
	sessionName := p.name("RoleSessionName", model.SessionNameRule, true)
	dur := p.duration(minDuration, maxRoleDuration, 0)
	doc := p.policy()
	arns := p.policyARNs()
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	transitive, err := p.transitiveKeys(tags)
	if err != nil {
		return nil, err
	}
	externalID := p.name("ExternalId", model.ExternalIDRule, false)
	sourceIdentity := p.name("SourceIdentity", model.SourceIdentityRule, false)
	mfa := p.mfa()
	if err := p.err(); err != nil {
		return nil, err
	}
	account, roleName, ok := roleFromARN(roleARN)
	if !ok {
		// UNCONFIRMED wording for an ARN that is not a role's.
		return nil, query.ValidationError(query.Violation{Member: "roleArn", Value: roleARN,
			Constraint: "Member must be the ARN of an IAM role"})
	}
	caller := q.Caller
	pr := caller.Principal
	if pr.Type == authz.Root {
		// The root user cannot assume roles.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html
		return nil, accessDenied("Roles may not be assumed by root accounts.")
	}
	parent := caller.Sess
	if parent != nil && parent.Kind == model.FederatedUserSession {
		// Federated users may call no STS operation but
		// GetCallerIdentity. UNCONFIRMED wording.
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
		return nil, accessDenied("Cannot call AssumeRole with federated user credentials")
	}
	chained := pr.Type == authz.AssumedRole
	if err := validateSessionPolicy(doc); err != nil {
		return nil, err
	}
	// Role chaining carries the parent session's transitive tags and source
	// identity into the new session.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
	var inherited []model.Tag
	var inheritedKeys []string
	if chained && parent != nil {
		for _, k := range parent.TransitiveKeys {
			for _, t := range parent.Tags {
				if strings.EqualFold(t.Key, k) {
					inherited = append(inherited, t)
				}
			}
			inheritedKeys = append(inheritedKeys, k)
		}
		if parent.SourceIdentity != "" {
			if sourceIdentity != "" && sourceIdentity != parent.SourceIdentity {
				// UNCONFIRMED wording: a source identity, once set, cannot
				// change along a chain.
				return nil, accessDenied("The source identity of a role session cannot be changed by role chaining.")
			}
			sourceIdentity = parent.SourceIdentity
		}
	}
	var sess *model.Session
	err = q.update(func(tx store.Tx) error {
		ctx := q.BaseContext()
		caller.ContextKeys(ctx)
		ctx["aws:resourceaccount"] = []string{account}
		ctx["sts:rolesessionname"] = []string{sessionName}
		if externalID != "" {
			ctx["sts:externalid"] = []string{externalID}
		}
		if q.v.Has("SourceIdentity") {
			ctx["sts:sourceidentity"] = []string{sourceIdentity}
		}
		tagKeys(ctx, tags, transitive)
		in := &authz.Inputs{Identity: caller.Identity, Boundary: caller.Boundary, Session: caller.Session, ResourceKind: authz.TrustPolicy}
		role, err := q.roleTrust(tx, account, roleName, roleARN, ctx, in)
		if err != nil {
			return err
		}
		// A missing role is refused like a role that does not trust the
		// caller, so that its existence is not revealed.
		req := &authz.Request{Principal: pr, Action: "sts:AssumeRole", Resource: roleARN, ResourceAccount: account, Context: ctx}
		caller.OrgInputs(req, ctx, in)
		if err := q.decide(req, in); err != nil {
			return err
		}
		// Passing session tags needs sts:TagSession, and setting a source
		// identity sts:SetSourceIdentity, from the same trust policy.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required
		if len(tags) > 0 {
			r := *req
			r.Action = "sts:TagSession"
			if err := q.decide(&r, in); err != nil {
				return err
			}
		}
		if q.v.Has("SourceIdentity") {
			r := *req
			r.Action = "sts:SetSourceIdentity"
			if err := q.decide(&r, in); err != nil {
				return err
			}
		}
		if role == nil {
			// Unreachable: without a trust policy the engine refuses.
			return accessDenied("User: " + pr.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + roleARN)
		}
		allKeys := append(append([]string(nil), inheritedKeys...), transitive...)
		sess = &model.Session{Tags: mergeTags(inherited, tags), TransitiveKeys: allKeys, SourceIdentity: sourceIdentity,
			MFA: mfa || parent != nil && parent.MFA, Chained: chained}
		return q.issueRoleSession(tx, role, sess, sessionName, doc, arns, dur)
	})
	if err != nil {
		return nil, err
	}
	return assumeRoleResult{SourceIdentity: sess.SourceIdentity, AssumedRoleUser: assumedRoleUser(sess),
		Credentials: credentialsXML(sess), PackedPolicySize: packedPolicySize(sess)}, nil
}

// roleTrust loads the role a request names and makes its trust policy the
// resource-based policy of in, adding the role's tags to ctx as
// aws:ResourceTag and iam:ResourceTag. It returns nil, nil for a role that
// does not exist or whose ARN (with its path) is not roleARN: a missing
// role is refused like a role that does not trust the caller, so that its
// existence is not revealed.
func (q *request) roleTrust(tx store.Tx, account, roleName, roleARN string, ctx map[string][]string, in *authz.Inputs) (*model.Role, error) {
	role, err := state.Role(tx, account, roleName)
	if errors.Is(err, store.ErrNotFound) || err == nil && role.ARN() != roleARN {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, t := range role.Tags {
		ctx["aws:resourcetag/"+strings.ToLower(t.Key)] = []string{t.Value}
		ctx["iam:resourcetag/"+strings.ToLower(t.Key)] = []string{t.Value}
	}
	trust, err := q.Compiler.Compile(role.TrustPolicy)
	if err != nil {
		return nil, err
	}
	in.Resource = &authz.PolicyRef{Name: "trust policy of " + role.ARN(), Policy: trust}
	return role, nil
}

// issueRoleSession completes sess (tags, source identity, MFA and chaining
// already set by the caller) as a session of role named sessionName with
// session policies doc and arns, lasting dur seconds (0: one hour), and
// stores it. The duration may not exceed the role's MaxSessionDuration,
// nor one hour when chained.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_RequestParameters
func (q *request) issueRoleSession(tx store.Tx, role *model.Role, sess *model.Session, sessionName, doc string, arns []string, dur int) error {
	if dur == 0 {
		dur = defaultRoleDur
	}
	maxDur := role.MaxSessionDuration
	if maxDur == 0 {
		maxDur = defaultRoleDur
	}
	switch {
	case sess.Chained && dur > chainedMax:
		return validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	case dur > maxDur:
		return validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	sess.Account, sess.Kind = role.Account, model.AssumedRoleSession
	sess.ARN = "arn:aws:sts::" + role.Account + ":assumed-role/" + role.Name + "/" + sessionName
	sess.RoleName, sess.RoleARN, sess.RoleID, sess.Name = role.Name, role.ARN(), role.ID, sessionName
	sess.Policy, sess.PolicyARNs, sess.HasPolicy = doc, arns, doc != "" || len(arns) > 0
	newSession(sess, q.Now, time.Duration(dur)*time.Second)
	if err := checkPacked(packedSize(doc, arns, sess.Tags), doc, arns); err != nil {
		return err
	}
	return state.PutSession(tx, sess)
}

// assumedRoleUser is the AssumedRoleUser element of a role session.
func assumedRoleUser(s *model.Session) xmlAssumedRoleUser {
	return xmlAssumedRoleUser{AssumedRoleID: s.RoleID + ":" + s.Name, Arn: s.ARN}
}

// packedPolicySize is the PackedPolicySize element of a role session,
// present when it has session policies or tags.
func packedPolicySize(s *model.Session) *int {
	if !s.HasPolicy && len(s.Tags) == 0 {
		return nil
	}
	n := packedSize(s.Policy, s.PolicyARNs, s.Tags)
	return &n
}

// mergeTags returns inherited tags overridden by the request's tags with
// the same key (compared without regard to case).
func mergeTags(inherited, tags []model.Tag) []model.Tag {
	out := make([]model.Tag, 0, len(inherited)+len(tags))
	for _, t := range inherited {
		overridden := false
		for _, r := range tags {
			overridden = overridden || strings.EqualFold(r.Key, t.Key)
		}
		if !overridden {
			out = append(out, t)
		}
	}
	return append(out, tags...)
}
