package inputs

import (
	"maps"
	"strings"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
)

// KMSRequest describes one KMS authorization question.
type KMSRequest struct {
	// Action is "kms:Name".
	Action string
	// Key is the key the action is on; nil for actions on "*" (CreateKey,
	// ListKeys, ListAliases) or on an alias only.
	Key *model.KMSKey
	// KeyARN is the key's ARN (Key's, when Key is set).
	KeyARN string
	// Resource overrides the resource ARN (an alias ARN); "" means KeyARN,
	// or "*" without a key.
	Resource string
	// ResourceAccount is the owner of Resource when Key is nil.
	ResourceAccount string
	// ViaService is kms:ViaService ("s3.us-east-1.amazonaws.com") when
	// another service calls KMS on the caller's behalf; "" for direct calls.
	ViaService string
	// EncryptionContext is the request's encryption context.
	EncryptionContext map[string]string
	// Context holds the request's other condition keys; the caller's and
	// KMS's keys are added to it.
	Context condition.Map
}

// KMS builds the authorization request and inputs for a KMS operation: the
// key policy is the resource-based policy (authz.KeyPolicy), the key's
// grants and the AWS-managed flag go in Inputs.KMS, and the KMS condition
// keys kms:CallerAccount, kms:ViaService and kms:EncryptionContext:<k> are
// set.
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
func (c *Compiler) KMS(caller *Caller, r *KMSRequest) (*authz.Request, *authz.Inputs, error) {
	ctx := r.Context
	if ctx == nil {
		ctx = condition.Map{}
	}
	caller.ContextKeys(ctx)
	ctx["kms:calleraccount"] = []string{caller.Principal.Account}
	if r.ViaService != "" {
		ctx["kms:viaservice"] = []string{r.ViaService}
		// A request S3 makes to KMS on the caller's behalf is made by an
		// AWS service.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice
		ctx["aws:viaawsservice"] = []string{"true"}
	}
	for k, v := range r.EncryptionContext {
		// The key name of kms:EncryptionContext:<k> is case-insensitive;
		// its value is case-sensitive.
		// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
		ctx["kms:encryptioncontext:"+strings.ToLower(k)] = []string{v}
	}
	if len(r.EncryptionContext) > 0 {
		keys := make([]string, 0, len(r.EncryptionContext))
		for k := range r.EncryptionContext {
			keys = append(keys, k)
		}
		ctx["kms:encryptioncontextkeys"] = keys
	}
	res := r.Resource
	if res == "" {
		res = r.KeyARN
	}
	if res == "" {
		res = "*"
	}
	req := &authz.Request{Principal: caller.Principal, Action: r.Action, Resource: res, Context: ctx}
	in := &authz.Inputs{Identity: caller.Identity, Boundary: caller.Boundary, Session: caller.Session}
	k := r.Key
	if k == nil {
		req.ResourceAccount = r.ResourceAccount
		if req.ResourceAccount != "" {
			ctx["aws:resourceaccount"] = []string{req.ResourceAccount}
		}
		caller.OrgInputs(req, ctx, in)
		return req, in, nil
	}
	req.ResourceAccount = k.Account
	ctx["aws:resourceaccount"] = []string{k.Account}
	in.ResourceKind = authz.KeyPolicy
	if k.Policy != "" {
		p, err := c.Compile(k.Policy)
		if err != nil {
			return nil, nil, err
		}
		in.Resource = &authz.PolicyRef{Name: "key policy of " + r.KeyARN, Policy: p}
	}
	kin := &authz.KMS{AWSManaged: k.Manager == "AWS", EncryptionContext: maps.Clone(r.EncryptionContext)}
	for _, g := range k.Grants {
		kin.Grants = append(kin.Grants, authz.Grant{ID: g.ID, Name: g.Name, GranteePrincipal: g.GranteePrincipal,
			Operations: g.Operations, EncryptionContextEquals: g.EncryptionContextEquals, EncryptionContextSubset: g.EncryptionContextSubset})
	}
	in.KMS = kin
	// SCPs of the caller's account and RCPs of the key's account apply to
	// KMS as to every service.
	caller.OrgInputs(req, ctx, in)
	return req, in, nil
}
