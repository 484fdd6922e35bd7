// Package orgsapi is verdict's AWS Organizations over the JSON 1.1 protocol
// (AWSOrganizationsV20161128): organizations, roots, OUs, member accounts,
// and service control policies (SCPs) and resource control policies (RCPs)
// with their attachments. What it stores becomes authz.Inputs.PrincipalOrg
// and ResourceOrg of every decision (see inputs.OrgView).
// https://docs.aws.amazon.com/organizations/latest/APIReference/Welcome.html
package orgsapi

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/awsjson"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// TargetPrefix is the X-Amz-Target service name of Organizations.
const TargetPrefix = "AWSOrganizationsV20161128"

// Service serves Organizations.
type Service struct{}

// New returns the Organizations service.
func New() *Service { return &Service{} }

type op func(r *request) (any, error)

var ops map[string]op

func init() {
	ops = map[string]op{
		"CreateOrganization":               (*request).createOrganization,
		"DescribeOrganization":             (*request).describeOrganization,
		"DeleteOrganization":               (*request).deleteOrganization,
		"ListRoots":                        (*request).listRoots,
		"CreateOrganizationalUnit":         (*request).createOU,
		"DescribeOrganizationalUnit":       (*request).describeOU,
		"DeleteOrganizationalUnit":         (*request).deleteOU,
		"ListOrganizationalUnitsForParent": (*request).listOUsForParent,
		"ListAccounts":                     (*request).listAccounts,
		"ListAccountsForParent":            (*request).listAccountsForParent,
		"DescribeAccount":                  (*request).describeAccount,
		"CreateAccount":                    (*request).createAccount,
		"DescribeCreateAccountStatus":      (*request).describeCreateAccountStatus,
		"InviteAccountToOrganization":      (*request).inviteAccount,
		"AcceptHandshake":                  (*request).acceptHandshake,
		"DescribeHandshake":                (*request).describeHandshake,
		"RemoveAccountFromOrganization":    (*request).removeAccount,
		"MoveAccount":                      (*request).moveAccount,
		"ListParents":                      (*request).listParents,
		"ListChildren":                     (*request).listChildren,
		"EnablePolicyType":                 (*request).enablePolicyType,
		"DisablePolicyType":                (*request).disablePolicyType,
		"CreatePolicy":                     (*request).createPolicy,
		"UpdatePolicy":                     (*request).updatePolicy,
		"DeletePolicy":                     (*request).deletePolicy,
		"DescribePolicy":                   (*request).describePolicy,
		"ListPolicies":                     (*request).listPolicies,
		"AttachPolicy":                     (*request).attachPolicy,
		"DetachPolicy":                     (*request).detachPolicy,
		"ListPoliciesForTarget":            (*request).listPoliciesForTarget,
		"ListTargetsForPolicy":             (*request).listTargetsForPolicy,
	}
}

// request is one Organizations call being served.
type request struct {
	*service.Call
	ctx       context.Context
	operation string
}

// ServeAWS implements server.Handler.
func (s *Service) ServeAWS(w http.ResponseWriter, c *service.Call) {
	t, err := awsjson.ParseTarget(c.HTTP)
	if err != nil {
		awserr.WriteJSON(w, awserr.As(err), c.RequestID)
		return
	}
	f, ok := ops[t.Operation]
	if !ok || t.Service != TargetPrefix {
		awserr.WriteJSON(w, awsjson.UnknownOperation(), c.RequestID)
		return
	}
	if c.Caller == nil || c.Caller.Principal.Type == authz.Anonymous {
		awserr.WriteJSON(w, awserr.New("MissingAuthenticationTokenException", http.StatusBadRequest,
			"Missing Authentication Token"), c.RequestID)
		return
	}
	r := &request{Call: c, ctx: c.HTTP.Context(), operation: t.Operation}
	out, err := f(r)
	if err != nil {
		var ae *awserr.Error
		if !errors.As(err, &ae) {
			ae = awserr.New("ServiceException", http.StatusInternalServerError, "AWS Organizations can't complete your request because of an internal service error. Try again later.")
		}
		awserr.WriteJSON(w, ae, c.RequestID)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	_ = awsjson.WriteResponse(w, out, c.RequestID)
}

func (r *request) decode(v any) error { return awsjson.Decode(r.HTTP.Body, 0, v) }

func (r *request) account() string { return r.Caller.Principal.Account }

// authorize asks the engine whether the caller may call the operation:
// Organizations actions are governed by identity policies (and by SCPs,
// which do not restrict the management account).
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_permissions_overview.html
func (r *request) authorize(resource string) error {
	ctx := r.BaseContext()
	r.Caller.ContextKeys(ctx)
	req := &authz.Request{Principal: r.Caller.Principal, Action: "organizations:" + r.operation, Resource: resource,
		ResourceAccount: r.account(), Context: ctx}
	in := &authz.Inputs{Identity: r.Caller.Identity, Boundary: r.Caller.Boundary, Session: r.Caller.Session}
	r.Caller.OrgInputs(req, ctx, in)
	d := r.Decide(req, in)
	if d.Allowed {
		return nil
	}
	return accessDenied("You don't have permissions to access this resource.")
}

// withOrg loads the caller's organization in a transaction (write when
// write is set), authorizes the call, and runs fn. With management set,
// only the management account may call.
func (r *request) withOrg(write, management bool, fn func(tx store.Tx, o *model.Organization) error) error {
	if err := r.authorize("*"); err != nil {
		return err
	}
	run := r.Store.View
	if write {
		run = r.Store.Update
	}
	return run(r.ctx, func(tx store.Tx) error {
		o, err := state.OrgOfAccount(tx, r.account())
		if errors.Is(err, store.ErrNotFound) {
			return notInUse()
		}
		if err != nil {
			return err
		}
		ensureMaps(o)
		if management && o.ManagementAccount != r.account() {
			// Only the management account (or a delegated administrator,
			// which verdict does not model) may call most operations.
			// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_org_support-all-features.html
			return accessDenied("You don't have permissions to access this resource.")
		}
		if err := fn(tx, o); err != nil {
			return err
		}
		if write {
			return state.PutOrganization(tx, o)
		}
		return nil
	})
}

// Errors. Organizations answers client errors with HTTP 400.
// https://docs.aws.amazon.com/organizations/latest/APIReference/CommonErrors.html
func orgErr(code, msg string) *awserr.Error { return awserr.New(code, http.StatusBadRequest, msg) }

func accessDenied(msg string) *awserr.Error { return orgErr("AccessDeniedException", msg) }

func notInUse() *awserr.Error {
	return orgErr("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
}

func invalidInput(msg string) *awserr.Error { return orgErr("InvalidInputException", msg) }

func constraint(msg string) *awserr.Error { return orgErr("ConstraintViolationException", msg) }

// randomID returns n characters of lower-case letters and digits.
func randomID(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// randomDigits returns n decimal digits, the first non-zero.
func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

// ensureMaps gives a loaded organization the maps that JSON omitted when
// they were empty.
func ensureMaps(o *model.Organization) {
	if o.OUs == nil {
		o.OUs = map[string]*model.OrgUnit{}
	}
	if o.Accounts == nil {
		o.Accounts = map[string]*model.OrgAccount{}
	}
	if o.Policies == nil {
		o.Policies = map[string]*model.OrgPolicy{}
	}
	if o.Attachments == nil {
		o.Attachments = map[string][]string{}
	}
	if o.CreateStatus == nil {
		o.CreateStatus = map[string]*model.CreateAccountStatus{}
	}
	if o.Handshakes == nil {
		o.Handshakes = map[string]*model.Handshake{}
	}
}

func ts(t time.Time) *awsjson.Timestamp { return &awsjson.Timestamp{Time: t} }
