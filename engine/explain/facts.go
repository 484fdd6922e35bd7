package explain

import (
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/trace"
)

// caller is what the record says about the principal, with the names the
// fixes need. A name is "" when the record does not carry it.
type caller struct {
	arn     string
	typ     string // aws:PrincipalType
	account string
	// user is the IAM user whose policies apply: the user itself, or the
	// user behind a federated session.
	user string
	// role is the role of a role session; roleARN its ARN with path.
	role, roleARN string
	// session is the role session or federated user name.
	session string
	// provider is the identity provider ARN of a web identity caller.
	provider string
}

// Principal types, as aws:PrincipalType names them.
const (
	typeRoot      = "Account"
	typeUser      = "User"
	typeRole      = "AssumedRole"
	typeFederated = "FederatedUser"
	typeService   = "Service"
	typeAnonymous = "Anonymous"
	// typeWebIdentity is verdict's name for a caller of
	// sts:AssumeRoleWithWebIdentity, which has no AWS identity: the engine
	// sees it as anonymous with an identity provider (authz.Principal's
	// Provider), named by Principal.Federated in trust policies.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity
	typeWebIdentity = "WebIdentity"
)

func newCaller(r *Record) caller {
	c := caller{arn: r.Principal, typ: r.PrincipalType, account: r.Account}
	if r.Provider != "" {
		c.typ, c.provider = typeWebIdentity, r.Provider
		return c
	}
	a, err := arn.Parse(r.Principal)
	parsed := err == nil
	if c.typ == "" {
		c.typ = principalType(r.Principal, a, parsed)
	}
	if c.account == "" && parsed {
		c.account = a.Account
	}
	res := ""
	if parsed {
		res = a.Resource
	}
	switch c.typ {
	case typeUser:
		if strings.HasPrefix(res, "user/") {
			c.user = lastSegment(res)
		}
	case typeRole:
		c.roleARN = r.RoleARN
		if parts := strings.Split(res, "/"); len(parts) >= 3 && parts[0] == "assumed-role" {
			c.role, c.session = parts[1], parts[len(parts)-1]
		}
		if ra, err := arn.Parse(r.RoleARN); err == nil && strings.HasPrefix(ra.Resource, "role/") {
			c.role = lastSegment(ra.Resource)
		}
	case typeFederated:
		if strings.HasPrefix(res, "federated-user/") {
			c.session = lastSegment(res)
		}
		if ua, err := arn.Parse(r.RoleARN); err == nil && strings.HasPrefix(ua.Resource, "user/") {
			c.user = lastSegment(ua.Resource)
		}
	}
	return c
}

// principalType derives aws:PrincipalType from the logged principal name.
func principalType(name string, a arn.ARN, parsed bool) string {
	switch {
	case name == "anonymous" || name == "":
		return typeAnonymous
	case !parsed && strings.HasSuffix(name, ".amazonaws.com"):
		return typeService
	case !parsed:
		return ""
	case a.Service == "iam" && a.Resource == "root":
		return typeRoot
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/"):
		return typeUser
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		return typeRole
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "federated-user/"):
		return typeFederated
	}
	return ""
}

func lastSegment(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }

// principalARNKey is the caller's aws:PrincipalArn: the role's ARN for a role
// session, the caller's own ARN otherwise.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
func (c *caller) principalARNKey() string {
	if c.typ == typeRole && c.roleARN != "" {
		return c.roleARN
	}
	return c.arn
}

// policyPrincipal is the Principal element value that names the caller in a
// resource-based policy: the role (so every session of it) for a role
// session, the account for a root user, the service for a service.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
func (c *caller) policyPrincipal() any {
	switch c.typ {
	case typeAnonymous:
		return "*"
	case typeService:
		return map[string]string{"Service": c.arn}
	case typeWebIdentity:
		return map[string]string{"Federated": c.provider}
	case typeRole:
		if c.roleARN != "" {
			return map[string]string{"AWS": c.roleARN}
		}
	}
	return map[string]string{"AWS": c.arn}
}

// layerInfo is how a layer is named: AWS's policy-type term (as in its
// AccessDenied messages) and the specific title.
type layerInfo struct{ name, title string }

// layerNames follows the terms AWS uses in its AccessDenied messages.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
var layerNames = map[string]layerInfo{
	string(authz.LayerSCP):            {"service control policy", "service control policy (SCP)"},
	string(authz.LayerRCP):            {"resource control policy", "resource control policy (RCP)"},
	string(authz.LayerEndpoint):       {"VPC endpoint policy", "VPC endpoint policy"},
	string(authz.LayerIdentity):       {"identity-based policy", "identity-based policy"},
	string(authz.LayerBoundary):       {"permissions boundary", "permissions boundary"},
	string(authz.LayerSession):        {"session policy", "session policy"},
	string(authz.LayerBucketPolicy):   {"resource-based policy", "bucket policy"},
	string(authz.LayerKeyPolicy):      {"resource-based policy", "key policy"},
	string(authz.LayerTrustPolicy):    {"role trust policy", "role trust policy"},
	string(authz.LayerResourcePolicy): {"resource-based policy", "resource-based policy"},
	string(authz.LayerACL):            {"resource-based policy", "access control list (ACL)"},
	string(authz.LayerObjectOwner):    {"resource-based policy", "S3 Object Ownership"},
	string(authz.LayerPublicAccess):   {"resource-based policy", "S3 Block Public Access"},
	string(authz.LayerRequesterPays):  {"", "Requester Pays"},
	string(authz.LayerRoot):           {"", "root user"},
}

func layerName(l string) string { return layerNames[l].name }

func layerTitle(l string) string {
	if i, ok := layerNames[l]; ok {
		return i.title
	}
	if l == "" {
		return "unknown layer"
	}
	return l
}

// facts is everything Explain derives from a record once.
type facts struct {
	r      *Record
	c      caller
	tr     *trace.Trace
	bucket string
	key    string
	// cross is set when the caller's account differs from the resource's.
	cross bool
}

func newFacts(r *Record) *facts {
	f := &facts{r: r, c: newCaller(r), tr: r.Trace, bucket: r.Bucket, key: r.Key}
	if f.tr == nil {
		f.tr = &trace.Trace{}
	}
	if f.bucket == "" && isS3(r.Action) {
		f.bucket, f.key = splitS3(r.Resource)
	}
	// Anonymous callers and services belong to no account: they are
	// outsiders, but not "cross-account" in IAM's two-sided sense.
	f.cross = r.ResourceAccount != "" && f.c.account != "" && f.c.account != r.ResourceAccount
	return f
}

// stage returns the trace stage for layer, or nil.
func (f *facts) stage(layer string) *trace.Stage {
	for _, s := range f.tr.Stages {
		if s != nil && s.Layer == layer {
			return s
		}
	}
	return nil
}

// resourceStage returns the trace stage of the resource-based policy
// (bucket, key, trust or other), or nil.
func (f *facts) resourceStage() *trace.Stage {
	for _, l := range []authz.Layer{authz.LayerBucketPolicy, authz.LayerKeyPolicy, authz.LayerTrustPolicy, authz.LayerResourcePolicy} {
		if s := f.stage(string(l)); s != nil {
			return s
		}
	}
	return nil
}

// isKMS reports whether the decision is about a KMS action.
func (f *facts) isKMS() bool { return strings.HasPrefix(strings.ToLower(f.r.Action), "kms:") }

// keyARN is the KMS key of a KMS decision.
func (f *facts) keyARN() string {
	if f.r.KeyARN != "" {
		return f.r.KeyARN
	}
	if f.isKMS() {
		return f.r.Resource
	}
	return ""
}

// stageAllows reports whether some policy of s allowed the request.
func stageAllows(s *trace.Stage) bool {
	if s == nil {
		return false
	}
	if s.Outcome == trace.Allow {
		return true
	}
	for _, p := range s.Policies {
		if p != nil && p.Outcome == trace.Allow {
			return true
		}
	}
	return false
}
