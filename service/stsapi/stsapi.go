// Package stsapi is verdict's STS: GetCallerIdentity, AssumeRole,
// AssumeRoleWithWebIdentity, GetSessionToken and GetFederationToken over
// the Query protocol. The
// temporary credentials it issues are model.Session records in the store,
// keyed by their ASIA access key ID, which the server resolves to callers
// (package inputs) like any other key.
// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
//
// AssumeRole's trust check is the engine's: the role's trust policy is the
// resource-based policy (authz.TrustPolicy) of the role's account, and the
// caller's identity side is evaluated as for any cross-account request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
package stsapi

import (
	"context"
	"crypto"
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Version is the STS API version the service answers.
const Version = "2011-06-15"

// Service serves STS. The zero value is ready to use; it accepts no web
// identity token.
type Service struct {
	// WebIdentityKeys are the public keys (*rsa.PublicKey or
	// *ecdsa.PublicKey) whose signatures AssumeRoleWithWebIdentity
	// accepts, whatever the token's issuer: verdict cannot fetch issuers'
	// published keys (see package webidentity).
	WebIdentityKeys []crypto.PublicKey
}

// New returns the STS service.
func New() *Service { return &Service{} }

type op func(q *request) (any, error)

var ops = map[string]op{
	"GetCallerIdentity":  getCallerIdentity,
	"AssumeRole":         assumeRole,
	"GetSessionToken":    getSessionToken,
	"GetFederationToken": getFederationToken,
	// AssumeRoleWithWebIdentity is served by ServeAWS itself: it is the
	// one operation callers reach without signing.
}

// request is one STS call being served.
type request struct {
	*service.Call
	ctx context.Context
	v   query.Values
	svc *Service
}

// ServeAWS implements server.Handler. Errors carry STS's XML namespace, as
// the server's own STS errors do.
func (s *Service) ServeAWS(w http.ResponseWriter, c *service.Call) {
	v, err := query.Parse(c.HTTP, 0)
	if err != nil {
		awserr.WriteQueryNS(w, awserr.As(err), c.RequestID, awserr.STSNamespace)
		return
	}
	action := v.Action()
	if action == "" {
		awserr.WriteQueryNS(w, query.MissingAction(), c.RequestID, awserr.STSNamespace)
		return
	}
	f, ok := ops[action]
	if action == actionWebIdentity {
		// Called without AWS credentials: the token is the caller's
		// identity, so signed and unsigned calls are served alike.
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
		f, ok = s.assumeRoleWithWebIdentity, true
	}
	if !ok || v.Version() != Version {
		awserr.WriteQueryNS(w, query.InvalidAction(action, v.Version()), c.RequestID, awserr.STSNamespace)
		return
	}
	if action != actionWebIdentity && (c.Caller == nil || c.Caller.Principal.Type == authz.Anonymous) {
		awserr.WriteQueryNS(w, awserr.New("MissingAuthenticationToken", http.StatusForbidden,
			"Request is missing Authentication Token"), c.RequestID, awserr.STSNamespace)
		return
	}
	q := &request{Call: c, ctx: c.HTTP.Context(), v: v, svc: s}
	if c.Auth.AccessKeyID != "" {
		// Failing to record the key's use must not fail the call.
		_ = state.NoteKeyUse(q.ctx, c.Store, c.Auth.AccessKeyID, "sts", c.Auth.Region, c.Now)
	}
	result, err := f(q)
	if err != nil {
		awserr.WriteQueryNS(w, awserr.As(err), c.RequestID, awserr.STSNamespace)
		return
	}
	if err := query.WriteResponse(w, action, query.STSNamespace, result, c.RequestID); err != nil {
		awserr.WriteQueryNS(w, awserr.InternalError(), c.RequestID, awserr.STSNamespace)
	}
}

func (q *request) update(fn func(store.Tx) error) error { return q.Store.Update(q.ctx, fn) }

// decide asks the engine and returns STS's AccessDenied when it refuses.
// Like IAM's, the message names the principal, action and resource, and
// adds the reason where AWS's enhanced messages do.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
func (q *request) decide(req *authz.Request, in *authz.Inputs) error {
	d := q.Decide(req, in)
	if d.Allowed {
		return nil
	}
	var b strings.Builder
	b.WriteString("User: " + req.Principal.ARN + " is not authorized to perform: " + req.Action)
	if req.Resource != "" {
		b.WriteString(" on resource: " + req.Resource)
	}
	if d.Enhanced {
		if reason := d.Reason(req.Action); reason != "" {
			b.WriteString(" " + reason)
		}
	}
	return awserr.New("AccessDenied", http.StatusForbidden, b.String())
}

func accessDenied(msg string) error { return awserr.New("AccessDenied", http.StatusForbidden, msg) }

func validationError(msg string) error {
	return awserr.New("ValidationError", http.StatusBadRequest, msg)
}
