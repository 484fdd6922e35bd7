package inputs

import (
	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
)

// S3Request describes one S3 authorization question.
type S3Request struct {
	Action string
	// Resource is the bucket or object ARN, or "*".
	Resource string
	// Bucket is nil for account-level actions (ListAllMyBuckets).
	Bucket *model.Bucket
	// Object is the existing object the request targets, if any.
	Object *model.Object
	// AccountPAB is the bucket owner's account-level Block Public Access.
	AccountPAB *acl.PublicAccessBlock
	// RequestPayer is whether x-amz-request-payer: requester was sent.
	RequestPayer bool
	// Context holds the request's condition keys; the caller's keys and the
	// resource-account keys are added to it.
	Context condition.Map
}

// S3 builds the authorization request and inputs for an S3 operation.
func (c *Compiler) S3(caller *Caller, r *S3Request) (*authz.Request, *authz.Inputs, error) {
	ctx := r.Context
	if ctx == nil {
		ctx = condition.Map{}
	}
	caller.ContextKeys(ctx)
	req := &authz.Request{Principal: caller.Principal, Action: r.Action, Resource: r.Resource, Context: ctx}
	in := &authz.Inputs{Identity: caller.Identity, Boundary: caller.Boundary, Session: caller.Session}
	b := r.Bucket
	if b == nil {
		caller.OrgInputs(req, ctx, in)
		return req, in, nil
	}
	req.ResourceAccount = b.Owner
	// For S3 the resource account is the bucket owner's.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
	ctx["aws:resourceaccount"] = []string{b.Owner}
	ctx["s3:resourceaccount"] = []string{b.Owner}
	in.ResourceKind = authz.BucketPolicy
	if b.Policy != "" {
		p, err := c.Compile(b.Policy)
		if err != nil {
			return nil, nil, err
		}
		in.Resource = &authz.PolicyRef{Name: "bucket policy of " + b.Name, Policy: p}
	}
	pab := acl.PublicAccessBlock{}
	if b.PublicAccess != nil {
		pab = *b.PublicAccess
	}
	if r.AccountPAB != nil {
		pab = pab.Merge(*r.AccountPAB)
	}
	bacl := b.ACL
	s3 := &authz.S3{
		BucketOwner:   authz.Owner{Account: b.Owner, CanonicalID: model.CanonicalID(b.Owner)},
		BucketACL:     &bacl,
		Ownership:     b.Ownership,
		PublicAccess:  pab,
		RequesterPays: b.RequesterPay,
		RequestPayer:  r.RequestPayer,
	}
	// Whether the policy is public matters only to RestrictPublicBuckets.
	if in.Resource != nil && pab.RestrictPublicBuckets {
		s3.PolicyPublic = policy.IsPublic(in.Resource.Policy)
	}
	if s3.Ownership == "" {
		s3.Ownership = acl.ObjectWriter
	}
	if o := r.Object; o != nil {
		s3.ObjectOwner = &authz.Owner{Account: o.Owner, CanonicalID: model.CanonicalID(o.Owner)}
		oacl := o.ACL
		s3.ObjectACL = &oacl
	}
	in.S3 = s3
	caller.OrgInputs(req, ctx, in)
	return req, in, nil
}
