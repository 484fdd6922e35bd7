package stsapi

import (
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

type xmlFederatedUser struct {
	FederatedUserID string `xml:"FederatedUserId"`
	Arn             string `xml:"Arn"`
}

type federationTokenResult struct {
	Credentials      xmlCredentials   `xml:"Credentials"`
	FederatedUser    xmlFederatedUser `xml:"FederatedUser"`
	PackedPolicySize *int             `xml:"PackedPolicySize"`
}

// getFederationToken implements GetFederationToken for IAM users. The
// caller needs sts:GetFederationToken on
// arn:aws:sts::ACCOUNT:federated-user/NAME (and sts:TagSession to pass
// tags). The federated session's permissions are the intersection of the
// user's and the session policies; without a session policy it has none.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html
//
// verdict does not issue federation tokens to the root user, although AWS
// does: a root-made federated session cannot be resolved to a caller yet
// (package inputs resolves federated sessions through their IAM user).
func getFederationToken(q *request) (any, error) {
	p := &params{v: q.v}
	name := p.name("Name", model.FederatedNameRule, true)
	doc := p.policy()
	arns := p.policyARNs()
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	dur := p.duration(minDuration, maxUserDuration, defaultUserDuration)
	if err := p.err(); err != nil {
		return nil, err
	}
	c := q.Caller
	pr := c.Principal
	if c.Sess != nil {
		return nil, accessDenied("Cannot call GetFederationToken with session credentials")
	}
	fedARN := "arn:aws:sts::" + pr.Account + ":federated-user/" + name
	if pr.Type != authz.User || c.User == nil {
		return nil, accessDenied("User: " + pr.ARN + " is not authorized to perform: sts:GetFederationToken on resource: " + fedARN)
	}
	if err := validateSessionPolicy(doc); err != nil {
		return nil, err
	}
	ctx := q.BaseContext()
	c.ContextKeys(ctx)
	ctx["aws:resourceaccount"] = []string{pr.Account}
	tagKeys(ctx, tags, nil)
	req := &authz.Request{Principal: pr, Action: "sts:GetFederationToken", Resource: fedARN, ResourceAccount: pr.Account, Context: ctx}
	in := &authz.Inputs{Identity: c.Identity, Boundary: c.Boundary}
	c.OrgInputs(req, ctx, in)
	if err := q.decide(req, in); err != nil {
		return nil, err
	}
	if len(tags) > 0 {
		r := *req
		r.Action = "sts:TagSession"
		if err := q.decide(&r, in); err != nil {
			return nil, err
		}
	}
	pct := packedSize(doc, arns, tags)
	if err := checkPacked(pct, doc, arns); err != nil {
		return nil, err
	}
	// HasPolicy is always set: a federated session without session
	// policies has no permissions.
	s := newSession(&model.Session{Account: pr.Account, Kind: model.FederatedUserSession, ARN: fedARN, Name: name,
		UserName: c.User.Name, Policy: doc, PolicyARNs: arns, HasPolicy: true, Tags: tags}, q.Now, time.Duration(dur)*time.Second)
	if err := q.update(func(tx store.Tx) error { return state.PutSession(tx, s) }); err != nil {
		return nil, err
	}
	out := federationTokenResult{Credentials: credentialsXML(s),
		FederatedUser: xmlFederatedUser{FederatedUserID: pr.Account + ":" + name, Arn: fedARN}}
	if doc != "" || len(arns) > 0 || len(tags) > 0 {
		out.PackedPolicySize = &pct
	}
	return out, nil
}
