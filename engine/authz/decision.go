package authz

import (
	"github.com/verdict-project/verdict/engine/trace"
)

// Layer names a layer of AWS's evaluation. The values are stable: they appear
// in the decision log and in `verdict explain --json`.
type Layer string

// Layers, in the order AWS evaluates them.
const (
	LayerRequesterPays  Layer = "requester-pays"
	LayerSCP            Layer = "scp"
	LayerRCP            Layer = "rcp"
	LayerEndpoint       Layer = "vpc-endpoint"
	LayerIdentity       Layer = "identity"
	LayerBoundary       Layer = "permissions-boundary"
	LayerSession        Layer = "session"
	LayerBucketPolicy   Layer = "bucket-policy"
	LayerKeyPolicy      Layer = "key-policy"
	LayerTrustPolicy    Layer = "trust-policy"
	LayerACL            Layer = "acl"
	LayerObjectOwner    Layer = "object-ownership"
	LayerPublicAccess   Layer = "public-access-block"
	LayerRoot           Layer = "root"
	LayerResourcePolicy Layer = "resource-policy"
)

// Effect is the kind of outcome.
type Effect string

// Outcomes of a decision.
const (
	Allowed      Effect = "allow"
	ExplicitDeny Effect = "explicit-deny"
	ImplicitDeny Effect = "implicit-deny"
)

// Ref points at a statement (or grant) that decided a request.
type Ref struct {
	Layer  Layer  `json:"layer"`
	Policy string `json:"policy"`
	Target string `json:"target,omitempty"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Line   int    `json:"line,omitempty"`
	Col    int    `json:"col,omitempty"`
	Effect string `json:"effect"`
}

// Decision is the answer to a Request.
type Decision struct {
	Allowed bool
	Effect  Effect
	// Layer is the layer that decided: for a denial, the one AWS names in
	// its message; for an allow, the layer whose Allow was used.
	Layer Layer
	// Statements are the deciding statements: the explicit Deny, or the
	// Allows that granted access. Empty for implicit denials.
	Statements []Ref
	// Enhanced reports whether AWS would send the detailed AccessDenied
	// message (same account, or same organization).
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
	Enhanced bool
	// Trace is the full evaluation, when requested.
	Trace *trace.Trace
}

// Options tunes Decide.
type Options struct {
	// Trace records every stage, policy and statement.
	Trace bool
}
