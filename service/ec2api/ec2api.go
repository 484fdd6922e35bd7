// Package ec2api is verdict's slice of Amazon EC2 over the EC2 Query
// protocol: VPCs and VPC endpoints for S3 with their endpoint policies.
// Each endpoint is bound to a local loopback listener; requests that arrive
// there are requests through the endpoint (see server.Endpoints).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
package ec2api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/service"
)

// Listeners starts and stops the local listeners of endpoints; the
// server's *server.Endpoints implements it.
type Listeners interface {
	// Start opens the listener of endpoint id on addr ("" picks one) and
	// returns the address it listens on.
	Start(id, addr string) (string, error)
	// Stop closes it.
	Stop(id string)
}

// Service serves EC2.
type Service struct {
	listeners Listeners
}

// New returns the EC2 service; l may be nil, in which case endpoints get no
// listener.
func New(l Listeners) *Service { return &Service{listeners: l} }

type request struct {
	*service.Call
	ctx context.Context
	v   query.Values
	svc *Service
}

type op func(r *request) (any, error)

var ops map[string]op

func init() {
	ops = map[string]op{
		"CreateVpc":            (*request).createVpc,
		"DescribeVpcs":         (*request).describeVpcs,
		"CreateVpcEndpoint":    (*request).createVpcEndpoint,
		"ModifyVpcEndpoint":    (*request).modifyVpcEndpoint,
		"DescribeVpcEndpoints": (*request).describeVpcEndpoints,
		"DeleteVpcEndpoints":   (*request).deleteVpcEndpoints,
	}
}

// ServeAWS implements server.Handler.
func (s *Service) ServeAWS(w http.ResponseWriter, c *service.Call) {
	v, err := query.Parse(c.HTTP, 0)
	if err != nil {
		awserr.WriteEC2(w, awserr.As(err), c.RequestID)
		return
	}
	action := v.Action()
	f, ok := ops[action]
	if !ok {
		if action == "" {
			awserr.WriteEC2(w, query.MissingAction(), c.RequestID)
			return
		}
		awserr.WriteEC2(w, query.EC2InvalidAction(action), c.RequestID)
		return
	}
	if c.Caller == nil || c.Caller.Principal.Type == authz.Anonymous {
		awserr.WriteEC2(w, awserr.New("AuthFailure", http.StatusUnauthorized, "AWS was not able to validate the provided access credentials"), c.RequestID)
		return
	}
	r := &request{Call: c, ctx: c.HTTP.Context(), v: v, svc: s}
	out, err := f(r)
	if err != nil {
		var ae *awserr.Error
		if !errors.As(err, &ae) {
			ae = awserr.New("InternalError", http.StatusInternalServerError, "An internal error has occurred")
		}
		awserr.WriteEC2(w, ae, c.RequestID)
		return
	}
	_ = query.WriteEC2Response(w, action, out, c.RequestID)
}

func (r *request) account() string { return r.Caller.Principal.Account }

// authorize asks the engine for ec2:Action; EC2 answers a refusal with
// UnauthorizedOperation (HTTP 403).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
func (r *request) authorize(action, resource string) error {
	ctx := r.BaseContext()
	r.Caller.ContextKeys(ctx)
	ctx["aws:resourceaccount"] = []string{r.account()}
	req := &authz.Request{Principal: r.Caller.Principal, Action: "ec2:" + action, Resource: resource,
		ResourceAccount: r.account(), Context: ctx}
	in := &authz.Inputs{Identity: r.Caller.Identity, Boundary: r.Caller.Boundary, Session: r.Caller.Session}
	r.Caller.OrgInputs(req, ctx, in)
	if d := r.Decide(req, in); !d.Allowed {
		return awserr.New("UnauthorizedOperation", http.StatusForbidden, "You are not authorized to perform this operation. User: "+
			r.Caller.Principal.ARN+" is not authorized to perform: ec2:"+action+" on resource: "+resource)
	}
	return nil
}

func (r *request) arn(kind, id string) string {
	return "arn:aws:ec2:" + r.Region + ":" + r.account() + ":" + kind + "/" + id
}

// newID returns an EC2 resource ID: the prefix and 17 hex digits.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
func newID(prefix string) string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)[:17]
}
