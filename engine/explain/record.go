package explain

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/engine/trace"
)

// Record is one logged authorization decision with the facts an explanation
// needs. The first fields are the decision log's; the rest are what the fixes
// need (who exactly the caller is, which bucket, key, endpoint, KMS key and
// organization path were involved). NewRecord fills everything but Seq,
// RequestID and Time from the engine's own inputs, so nothing is
// reconstructed after the fact.
//
// Every field is optional for Explain: a record from an older log, or one
// without a trace (the server traces only denials), still explains, with
// less detail.
type Record struct {
	Seq       uint64    `json:"seq"`
	RequestID string    `json:"requestId"`
	Time      time.Time `json:"time"`
	// Principal is the caller's ARN, "anonymous", or a service principal
	// ("cloudtrail.amazonaws.com").
	Principal string `json:"principal"`
	// Account is the caller's account ("" for anonymous callers and
	// services).
	Account  string `json:"account"`
	Action   string `json:"action"`
	Resource string `json:"resource"`
	// ResourceAccount owns the resource (for S3, the bucket owner).
	ResourceAccount string `json:"resourceAccount,omitempty"`
	Allowed         bool   `json:"allowed"`
	// Effect is an authz.Effect, Layer an authz.Layer.
	Effect string `json:"effect"`
	Layer  string `json:"layer"`
	// Message is the AccessDenied message AWS would send.
	Message string `json:"message,omitempty"`
	// Statements are the deciding statements (authz.Decision.Statements).
	Statements []authz.Ref `json:"statements,omitempty"`
	// Trace is the full evaluation; the server records it for denials.
	Trace *trace.Trace `json:"trace,omitempty"`

	// PrincipalType is the caller's aws:PrincipalType: "Account" (root
	// user), "User", "AssumedRole", "FederatedUser", "Service" or
	// "Anonymous".
	PrincipalType string `json:"principalType,omitempty"`
	// RoleARN is, for a role session, the role's ARN (with its path); for a
	// federated user, the ARN of the IAM user that created the session.
	RoleARN string `json:"roleArn,omitempty"`
	// Provider is, for a web identity caller (sts:AssumeRoleWithWebIdentity),
	// the ARN of the IAM OIDC provider that vouched for it; Principal is
	// then the same ARN.
	Provider string `json:"provider,omitempty"`

	// Bucket and Key name the S3 resource ("" when not an S3 request; Key is
	// "" for bucket operations).
	Bucket string `json:"bucket,omitempty"`
	Key    string `json:"key,omitempty"`
	// ObjectOwner is the account owning the existing object the request
	// targets.
	ObjectOwner string `json:"objectOwner,omitempty"`
	// Ownership is the bucket's Object Ownership setting.
	Ownership string `json:"ownership,omitempty"`
	// PublicAccessBlock is the effective Block Public Access configuration
	// (the account's and the bucket's combined); PolicyPublic says whether
	// the bucket policy is public in its sense.
	PublicAccessBlock *acl.PublicAccessBlock `json:"publicAccessBlock,omitempty"`
	PolicyPublic      bool                   `json:"policyPublic,omitempty"`
	// RequesterPays is the bucket's setting; RequestPayer whether the
	// request carried x-amz-request-payer: requester.
	RequesterPays bool `json:"requesterPays,omitempty"`
	RequestPayer  bool `json:"requestPayer,omitempty"`

	// EndpointID is the VPC endpoint ("vpce-...") the request came through.
	EndpointID string `json:"endpointId,omitempty"`

	// KeyARN is the KMS key of a KMS decision; AWSManagedKey marks an AWS
	// managed key (aws/s3, ...); ViaService is the kms:ViaService value when
	// a service such as S3 called KMS for the caller.
	KeyARN        string `json:"keyArn,omitempty"`
	AWSManagedKey bool   `json:"awsManagedKey,omitempty"`
	ViaService    string `json:"viaService,omitempty"`

	// OrgID and OrgPath place the caller's account in its organization for
	// SCPs: the root, the OUs and the account, top down. ResourceOrgID and
	// ResourceOrgPath do the same for the resource's account and RCPs.
	OrgID           string   `json:"orgId,omitempty"`
	OrgPath         []string `json:"orgPath,omitempty"`
	ResourceOrgID   string   `json:"resourceOrgId,omitempty"`
	ResourceOrgPath []string `json:"resourceOrgPath,omitempty"`

	// Quotes hold the source text of the deciding statements, so an
	// explanation can quote them verbatim.
	Quotes []Quote `json:"quotes,omitempty"`
}

// Quote is the source text of one statement of a named policy.
type Quote struct {
	Layer  string `json:"layer"`
	Policy string `json:"policy"`
	Target string `json:"target,omitempty"`
	Index  int    `json:"index"`
	Text   string `json:"text"`
}

// maxQuote bounds a quoted statement; a longer one is not quoted.
const maxQuote = 8 << 10

// NewRecord builds the record of decision d, made for req with in. The caller
// fills Seq, RequestID and Time. d.Trace is kept as is: pass a decision made
// with Options{Trace: true} for a full explanation.
func NewRecord(req *authz.Request, in *authz.Inputs, d *authz.Decision) Record {
	pr := &req.Principal
	r := Record{
		Principal: principalName(pr), Account: pr.Account, Action: req.Action, Resource: req.Resource,
		ResourceAccount: req.ResourceAccount, Allowed: d.Allowed, Effect: string(d.Effect), Layer: string(d.Layer),
		Statements: d.Statements, Trace: d.Trace, PrincipalType: pr.Type.String(), RoleARN: pr.RoleARN,
		Provider: pr.Provider,
	}
	if !d.Allowed {
		r.Message = d.Message(req)
	}
	if in == nil {
		return r
	}
	if isS3(req.Action) {
		r.Bucket, r.Key = splitS3(req.Resource)
	}
	if s := in.S3; s != nil {
		if s.ObjectOwner != nil {
			r.ObjectOwner = s.ObjectOwner.Account
		}
		r.Ownership = string(s.Ownership)
		pab := s.PublicAccess
		r.PublicAccessBlock = &pab
		r.PolicyPublic = s.PolicyPublic
		r.RequesterPays, r.RequestPayer = s.RequesterPays, s.RequestPayer
	}
	r.EndpointID = in.EndpointID
	if r.EndpointID == "" && in.Endpoint != nil && strings.HasPrefix(in.Endpoint.Name, "vpce-") {
		r.EndpointID = in.Endpoint.Name
	}
	if strings.HasPrefix(strings.ToLower(req.Action), "kms:") {
		r.KeyARN = req.Resource
	}
	if in.KMS != nil {
		r.AWSManagedKey = in.KMS.AWSManaged
	}
	if req.Context != nil {
		if v, ok := req.Context.Value("kms:viaservice"); ok && len(v) > 0 {
			r.ViaService = v[0]
		}
	}
	r.OrgID, r.OrgPath = orgPath(in.PrincipalOrg)
	r.ResourceOrgID, r.ResourceOrgPath = orgPath(in.ResourceOrg)
	for _, ref := range d.Statements {
		if q, ok := quote(in, ref); ok {
			r.Quotes = append(r.Quotes, q)
		}
	}
	return r
}

func principalName(p *authz.Principal) string {
	switch p.Type {
	case authz.Anonymous:
		if p.Provider != "" {
			// A web identity caller is known by its identity provider.
			return p.Provider
		}
		return "anonymous"
	case authz.Service:
		return p.ServiceName
	}
	return p.ARN
}

func orgPath(o *authz.Org) (string, []string) {
	if o == nil {
		return "", nil
	}
	var path []string
	for _, l := range o.Levels {
		path = append(path, l.Target)
	}
	return o.ID, path
}

// quote finds the statement ref names among the inputs and returns its
// source text.
func quote(in *authz.Inputs, ref authz.Ref) (Quote, bool) {
	var refs []*authz.PolicyRef
	add := func(list []authz.PolicyRef) {
		for i := range list {
			refs = append(refs, &list[i])
		}
	}
	org := func(o *authz.Org) {
		if o != nil {
			for _, l := range o.Levels {
				add(l.Policies)
			}
		}
	}
	switch authz.Layer(ref.Layer) {
	case authz.LayerSCP:
		org(in.PrincipalOrg)
	case authz.LayerRCP:
		org(in.ResourceOrg)
	case authz.LayerEndpoint:
		if in.Endpoint != nil {
			refs = append(refs, in.Endpoint)
		}
	case authz.LayerIdentity:
		add(in.Identity)
	case authz.LayerBoundary:
		if in.Boundary != nil {
			refs = append(refs, in.Boundary)
		}
	case authz.LayerSession:
		add(in.Session)
	case authz.LayerBucketPolicy, authz.LayerKeyPolicy, authz.LayerTrustPolicy, authz.LayerResourcePolicy:
		if in.Resource != nil {
			refs = append(refs, in.Resource)
		}
	}
	for _, pr := range refs {
		// Org levels fill Target in as they evaluate; an empty one matches.
		if pr.Name != ref.Policy || (pr.Target != "" && ref.Target != "" && pr.Target != ref.Target) || pr.Policy == nil {
			continue
		}
		p := pr.Policy
		if ref.Index < 0 || ref.Index >= len(p.Statements) {
			continue
		}
		text, ok := statementSource(p, &p.Statements[ref.Index])
		if !ok {
			continue
		}
		return Quote{Layer: string(ref.Layer), Policy: ref.Policy, Target: ref.Target, Index: ref.Index, Text: text}, true
	}
	return Quote{}, false
}

// statementSource returns the JSON text of st, re-indented, or false when the
// source does not hold it (a policy built in memory) or it is too long.
func statementSource(p *policy.Policy, st *policy.Statement) (string, bool) {
	src := p.Source
	if st.Pos < 0 || st.Pos >= len(src) || src[st.Pos] != '{' {
		return "", false
	}
	end, ok := objectEnd(src, st.Pos)
	if !ok || end-st.Pos > maxQuote {
		return "", false
	}
	var b bytes.Buffer
	if err := json.Indent(&b, src[st.Pos:end], "", "  "); err != nil {
		return "", false
	}
	return b.String(), true
}

// objectEnd returns the offset just past the JSON object starting at
// src[start] == '{'.
func objectEnd(src []byte, start int) (int, bool) {
	depth := 0
	inString := false
	for i := start; i < len(src); i++ {
		c := src[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

func isS3(action string) bool { return strings.HasPrefix(strings.ToLower(action), "s3:") }

// splitS3 returns the bucket and key of an S3 ARN.
func splitS3(resource string) (bucket, key string) {
	a, err := arn.Parse(resource)
	if err != nil || a.Service != "s3" {
		return "", ""
	}
	bucket, key, _ = strings.Cut(a.Resource, "/")
	return bucket, key
}
