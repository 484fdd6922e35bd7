package authz

import (
	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/policy"
)

// Block Public Access works at two moments. IgnorePublicAcls and
// RestrictPublicBuckets act when a request is decided (see Decide).
// BlockPublicAcls and BlockPublicPolicy act when an ACL or a bucket policy is
// written: the services call the functions below before storing one.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options

// PublicACLBlocked reports whether BlockPublicAcls refuses a request that sets
// a (PutBucketAcl, PutObjectAcl, PutObject / CopyObject / CreateMultipartUpload
// with an ACL). Existing ACLs are left alone.
func PublicACLBlocked(pab acl.PublicAccessBlock, a *acl.ACL) bool {
	return pab.BlockPublicAcls && a != nil && a.IsPublic()
}

// PublicPolicyBlocked reports whether BlockPublicPolicy refuses storing p as a
// bucket policy.
func PublicPolicyBlocked(pab acl.PublicAccessBlock, p *policy.Policy) bool {
	return pab.BlockPublicPolicy && p != nil && policy.IsPublic(p)
}

// PublicACLMessage is S3's AccessDenied message when BlockPublicAcls refuses
// a write; enhanced is false outside the account and organization.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples
func PublicACLMessage(req *Request, enhanced bool) string {
	return blockMessage(req, enhanced, "because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access.")
}

// PublicPolicyMessage is S3's AccessDenied message when BlockPublicPolicy
// refuses a bucket policy.
func PublicPolicyMessage(req *Request, enhanced bool) string {
	return blockMessage(req, enhanced, "because public policies are prevented by the BlockPublicPolicy setting in S3 Block Public Access.")
}

func blockMessage(req *Request, enhanced bool, clause string) string {
	if !enhanced || req.Principal.Type == Anonymous {
		return "Access Denied"
	}
	return "User: " + req.Principal.ARN + " is not authorized to perform: " + req.Action + ` on resource: "` + req.Resource + `" ` + clause
}
