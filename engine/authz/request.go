// Package authz is verdict's authorization decision: given a request (who, what
// action, on which resource, with which context keys) and every policy AWS would
// consult, it returns AWS's decision, the layer and statements that decided it,
// AWS's AccessDenied message, and optionally a full trace.
//
// The evaluation follows AWS's documented order:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// and, for S3, the three contexts (user, bucket, object):
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html
//
// The package is pure: it reads no clock, storage or environment. Everything
// it needs is in Request and Inputs.
package authz

import (
	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/policy"
)

// Request is one authorization question.
type Request struct {
	Principal Principal
	// Action is "service:Name", e.g. "s3:GetObject".
	Action string
	// Resource is the resource ARN, or "*" for actions without a resource.
	Resource string
	// ResourceAccount is the account that owns the resource (for S3, the
	// bucket owner). "" when the resource has no owner (e.g. "*").
	ResourceAccount string
	// Context holds the request's condition keys, lower-cased.
	Context condition.Context
}

// PolicyRef is a policy with the name under which explanations show it.
type PolicyRef struct {
	// Name is the policy's ARN or name ("inline:alice/ReadBucket").
	Name string
	// Target is where the policy is attached (an OU, an account, ...).
	Target string
	Policy *policy.Policy
}

// OrgLevel is one level of an organization path (the root, an OU, or the
// account) with the policies of one type attached there.
type OrgLevel struct {
	// Target is the root, OU or account ID.
	Target   string
	Policies []PolicyRef
}

// Org describes an account's place in an organization for one policy type.
type Org struct {
	// ID is the organization ID ("o-...").
	ID string
	// Management marks the organization's management account, which SCPs
	// and RCPs do not restrict.
	Management bool
	// Levels runs from the root down to the account. Nil when the policy
	// type (SCP or RCP) is not enabled.
	Levels []OrgLevel
}

// ResourceKind says what kind of resource-based policy Inputs.Resource is,
// which changes how it combines with identity-based policies.
type ResourceKind uint8

// Resource kinds.
const (
	// NoResourcePolicy: the service has none (IAM, most of STS).
	NoResourcePolicy ResourceKind = iota
	// BucketPolicy: an S3 bucket policy, evaluated with S3's ACL and
	// ownership rules (Inputs.S3).
	BucketPolicy
	// KeyPolicy: a KMS key policy. Identity policies count only where the
	// key policy allows the account.
	// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
	KeyPolicy
	// TrustPolicy: an IAM role trust policy; it must always allow
	// explicitly.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
	TrustPolicy
)

// Inputs are the policies and settings AWS consults for a request.
type Inputs struct {
	// PrincipalOrg carries the SCPs of the caller's account; nil when the
	// account is in no organization.
	PrincipalOrg *Org
	// Identity holds the caller's identity-based policies (inline and
	// managed, user and groups, or the role's).
	Identity []PolicyRef
	// Boundary is the user's or role's permissions boundary, if any.
	Boundary *PolicyRef
	// Session holds the session policies passed when the session was
	// created; nil when none were passed. Together they act as one set.
	Session []PolicyRef
	// Endpoint is the VPC endpoint policy when the request came through an
	// endpoint; nil otherwise.
	Endpoint *PolicyRef
	// EndpointID names the endpoint ("vpce-...") for messages.
	EndpointID string
	// ResourceOrg carries the RCPs of the resource's account.
	ResourceOrg *Org
	// ResourceKind says what Resource is.
	ResourceKind ResourceKind
	// Resource is the resource-based policy (bucket, key or trust policy);
	// nil when there is none.
	Resource *PolicyRef
	// S3 carries S3's own inputs for S3 requests.
	S3 *S3
	// KMS carries KMS's own inputs for KMS requests.
	KMS *KMS
}

// S3 holds the S3-specific inputs: ownership, ACLs, Block Public Access and
// Requester Pays.
type S3 struct {
	// BucketOwner is the bucket owner's account and canonical ID.
	BucketOwner Owner
	// ObjectOwner is the owner of the existing object the request targets;
	// nil for bucket operations and for new objects.
	ObjectOwner *Owner
	BucketACL   *acl.ACL
	ObjectACL   *acl.ACL
	Ownership   acl.Ownership
	// PublicAccess is the effective Block Public Access configuration (the
	// account's and the bucket's combined).
	PublicAccess acl.PublicAccessBlock
	// PolicyPublic is whether the bucket policy is public in Block Public
	// Access's sense (computed when the policy is stored).
	PolicyPublic bool
	// RequesterPays is the bucket's setting; RequestPayer says whether the
	// request carried x-amz-request-payer: requester.
	RequesterPays bool
	RequestPayer  bool
}

// Owner is an account as S3 names it.
type Owner struct {
	Account     string
	CanonicalID string
}

// KMS holds the KMS-specific inputs.
type KMS struct {
	// AWSManaged marks an AWS managed key (aws/s3, ...): RCPs do not apply
	// to it.
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
	AWSManaged bool
	// Grants are the key's grants.
	Grants []Grant
	// EncryptionContext is the request's encryption context, checked
	// against grant constraints.
	EncryptionContext map[string]string
}

// Grant is a KMS grant: it allows GranteePrincipal the listed operations,
// optionally only with a matching encryption context.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
type Grant struct {
	ID               string
	Name             string
	GranteePrincipal string
	Operations       []string // e.g. "Decrypt", "GenerateDataKey"
	// EncryptionContextEquals / EncryptionContextSubset are the grant
	// constraints; the request's context comes from Context keys
	// kms:encryptioncontext:<k>.
	EncryptionContextEquals map[string]string
	EncryptionContextSubset map[string]string
}
