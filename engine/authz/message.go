package authz

import "strings"

// Message returns the AccessDenied message AWS sends for d: the enhanced form
// "User: ARN is not authorized to perform: ACTION on resource: "ARN" because
// ..." where AWS sends it (d.Enhanced), the plain "Access Denied" otherwise,
// and "" for an allowed request.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
func (d *Decision) Message(req *Request) string {
	if d.Allowed {
		return ""
	}
	if req.Principal.Type == Anonymous && req.Principal.Provider != "" {
		// STS refuses a web identity caller that the role's trust policy
		// does not allow with its own fixed message, naming no principal.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html
		return "Not authorized to perform " + req.Action
	}
	if !d.Enhanced {
		return "Access Denied"
	}
	reason := d.Reason(req.Action)
	if reason == "" {
		return "Access Denied"
	}
	var b strings.Builder
	b.WriteString("User: ")
	b.WriteString(req.Principal.ARN)
	b.WriteString(" is not authorized to perform: ")
	b.WriteString(req.Action)
	if req.Resource != "" && req.Resource != "*" {
		// S3 quotes the resource ARN; IAM, STS and KMS do not.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
		b.WriteString(" on resource: ")
		if quoted := strings.HasPrefix(strings.ToLower(req.Action), "s3:"); quoted {
			b.WriteString(`"` + req.Resource + `"`)
		} else {
			b.WriteString(req.Resource)
		}
	}
	b.WriteByte(' ')
	b.WriteString(reason)
	return b.String()
}

// Reason returns the clause AWS appends to an enhanced AccessDenied message:
// "with an explicit deny in a service control policy", "because no
// identity-based policy allows the s3:GetObject action", .... It is "" where
// AWS documents no clause (Requester Pays).
func (d *Decision) Reason(action string) string {
	name := layerPolicyName(d.Layer)
	if name == "" {
		return ""
	}
	if d.Effect == ExplicitDeny && d.Layer == LayerTrustPolicy {
		return "with an explicit deny in the role trust policy"
	}
	if d.Effect == ExplicitDeny || d.Layer == LayerPublicAccess {
		// RestrictPublicBuckets is reported as an explicit deny in a
		// resource-based policy.
		return "with an explicit deny in " + article(name) + " " + name
	}
	if d.Layer == LayerTrustPolicy {
		return "because no role trust policy allows the " + action + " action"
	}
	return "because no " + name + " allows the " + action + " action"
}

func article(name string) string {
	switch name[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an"
	}
	return "a"
}

// layerPolicyName is the policy type as AWS's messages name it.
func layerPolicyName(l Layer) string {
	switch l {
	case LayerSCP:
		return "service control policy"
	case LayerRCP:
		return "resource control policy"
	case LayerEndpoint:
		return "VPC endpoint policy"
	case LayerIdentity:
		return "identity-based policy"
	case LayerBoundary:
		return "permissions boundary"
	case LayerSession:
		return "session policy"
	case LayerTrustPolicy:
		return "role trust policy"
	case LayerBucketPolicy, LayerKeyPolicy, LayerResourcePolicy, LayerACL, LayerObjectOwner, LayerPublicAccess:
		// ACLs and ownership denials surface as "no resource-based policy
		// allows": AWS counts bucket policies and ACLs as resource-based.
		return "resource-based policy"
	}
	return ""
}
