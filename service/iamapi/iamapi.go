// Package iamapi is verdict's IAM: the Query-protocol API over the users,
// groups, roles, managed and inline policies, access keys and tags kept in
// the store, with every call authorized by the engine against the caller's
// identity policies, as IAM does.
// https://docs.aws.amazon.com/IAM/latest/APIReference/welcome.html
//
// IAM is global: every call of one account sees the same state whatever
// region it was signed for. Operations are grouped in files by the entity
// they act on (users.go, groups.go, roles.go, inline.go, managed.go,
// attach.go, keys.go, tags.go, authdetails.go) rather than one file per
// operation, because IAM's sixty-odd operations share most of their code
// per entity kind.
package iamapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Version is the IAM API version the service answers.
const Version = "2010-05-08"

// Service serves IAM. The zero value is ready to use.
type Service struct{}

// New returns the IAM service.
func New() *Service { return &Service{} }

// op is one IAM operation: it returns the result element's content (nil
// for operations that return none) or an error.
type op func(q *request) (any, error)

// ops maps Action names to operations; each file registers its own.
var ops = map[string]op{}

func register(name string, f op) { ops[name] = f }

// Actions returns the names of the operations the service implements.
func Actions() []string {
	out := make([]string, 0, len(ops))
	for name := range ops {
		out = append(out, name)
	}
	return out
}

// request is one IAM call being served.
type request struct {
	*service.Call
	ctx    context.Context
	v      query.Values
	action string
	// account is the caller's account, the one every call acts on.
	account string
}

// ServeAWS implements server.Handler.
func (s *Service) ServeAWS(w http.ResponseWriter, c *service.Call) {
	v, err := query.Parse(c.HTTP, 0)
	if err != nil {
		awserr.WriteQuery(w, awserr.As(err), c.RequestID)
		return
	}
	action := v.Action()
	if action == "" {
		awserr.WriteQuery(w, query.MissingAction(), c.RequestID)
		return
	}
	f, ok := ops[action]
	if !ok || v.Version() != Version {
		awserr.WriteQuery(w, query.InvalidAction(action, v.Version()), c.RequestID)
		return
	}
	q := &request{Call: c, ctx: c.HTTP.Context(), v: v, action: action, account: c.Caller.Principal.Account}
	if q.Caller.Principal.Type == authz.Anonymous || q.account == "" {
		// Unsigned requests reach IAM only by mistake: IAM has no
		// anonymous access.
		awserr.WriteQuery(w, awserr.New("MissingAuthenticationToken", http.StatusForbidden,
			"Request is missing Authentication Token"), c.RequestID)
		return
	}
	if s := c.Caller.Sess; s != nil && (s.Kind == model.FederatedUserSession || s.Kind == model.SessionToken && !s.MFA) {
		// GetFederationToken credentials can never call IAM, and
		// GetSessionToken credentials only with MFA; IAM answers as for an
		// unknown token (observed).
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
		awserr.WriteQuery(w, awserr.New("InvalidClientTokenId", http.StatusForbidden,
			"The security token included in the request is invalid."), c.RequestID)
		return
	}
	if c.Auth.AccessKeyID != "" {
		// Failing to record the key's use must not fail the call.
		_ = state.NoteKeyUse(q.ctx, c.Store, c.Auth.AccessKeyID, "iam", c.Auth.Region, c.Now)
	}
	result, err := f(q)
	if err != nil {
		awserr.WriteQuery(w, awserr.As(err), c.RequestID)
		return
	}
	if err := query.WriteResponse(w, action, query.IAMNamespace, result, c.RequestID); err != nil {
		awserr.WriteQuery(w, awserr.InternalError(), c.RequestID)
	}
}

// view and update run store transactions bound to the request.
func (q *request) view(fn func(store.Tx) error) error   { return q.Store.View(q.ctx, fn) }
func (q *request) update(fn func(store.Tx) error) error { return q.Store.Update(q.ctx, fn) }

// authorize asks the engine whether the caller may perform action on
// resource; extra adds the operation's condition keys. It returns IAM's
// AccessDenied when not.
func (q *request) authorize(action, resource string, extra condition.Map) error {
	return q.authorizeAs(action, resource, resource, extra)
}

// authorizeAs is authorize for operations whose resource in AWS's message
// is not an ARN ("policy path /" for ListPolicies): display is what the
// message names.
func (q *request) authorizeAs(action, resource, display string, extra condition.Map) error {
	ctx := q.BaseContext()
	q.Caller.ContextKeys(ctx)
	ctx["aws:resourceaccount"] = []string{q.account}
	for k, v := range extra {
		ctx[k] = v
	}
	req := &authz.Request{Principal: q.Caller.Principal, Action: action, Resource: resource, ResourceAccount: q.account, Context: ctx}
	in := &authz.Inputs{Identity: q.Caller.Identity, Boundary: q.Caller.Boundary, Session: q.Caller.Session}
	q.Caller.OrgInputs(req, ctx, in)
	d := q.Decide(req, in)
	if d.Allowed {
		return nil
	}
	return accessDenied(req, &d, display)
}

// accessDenied is IAM's and STS's AccessDenied: unlike S3's, the message
// always names the principal, the action and the resource (even "*"), and
// adds the reason where AWS's enhanced messages do (same account or same
// organization).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
func accessDenied(req *authz.Request, d *authz.Decision, display string) *awserr.Error {
	var b strings.Builder
	b.WriteString("User: ")
	b.WriteString(req.Principal.ARN)
	b.WriteString(" is not authorized to perform: ")
	b.WriteString(req.Action)
	if display != "" {
		b.WriteString(" on resource: ")
		b.WriteString(display)
	}
	if d.Enhanced {
		if reason := d.Reason(req.Action); reason != "" {
			b.WriteByte(' ')
			b.WriteString(reason)
		}
	}
	return awserr.New("AccessDenied", http.StatusForbidden, b.String())
}

// isNotFound reports whether err is the store's not-found error.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
