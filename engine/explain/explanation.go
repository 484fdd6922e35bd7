package explain

// SchemaID names the JSON schema an Explanation follows. It changes only when
// a field is removed or changes meaning; new optional fields keep it.
const SchemaID = "https://verdict-project.github.io/schemas/explanation/v1"

// Explanation is a decision in plain terms: the verdict, the layer that
// decided, the deciding statement with its decisive element marked, what the
// request carried against what the statement needed, the Allow statements
// that almost matched, the evaluation chain, and the fixes. It is what
// WriteText and WriteJSON render; its JSON form is documented in doc.go and
// testdata/explanation.schema.json.
type Explanation struct {
	Schema    string `json:"schema"`
	RequestID string `json:"requestId,omitempty"`
	Seq       uint64 `json:"seq,omitempty"`
	// Time is RFC 3339 in UTC; "" when the record has none.
	Time    string  `json:"time,omitempty"`
	Request Request `json:"request"`
	Verdict Verdict `json:"verdict"`
	// Deciding holds the explicit Deny that decided, or the statements
	// that granted an allowed request. Empty for implicit denials.
	Deciding []Statement `json:"deciding"`
	// Findings are plain sentences: what the request carried against what
	// the deciding statement (or the closest near miss) needed.
	Findings []string `json:"findings"`
	// NearMisses are the Allow statements that came closest to allowing a
	// request that nothing allowed, closest first.
	NearMisses []NearMiss `json:"nearMisses"`
	// Chain has one step per layer, in the order SCP, RCP, VPC endpoint,
	// identity, boundary, session, resource policy, ACL / ownership, KMS,
	// Requester Pays.
	Chain []Step `json:"chain"`
	// Fixes are concrete changes that would let the request through, one
	// per cause. Empty for an allowed request.
	Fixes []Fix `json:"fixes"`
	// Notes are caveats about the explanation itself (what the record did
	// not carry).
	Notes []string `json:"notes"`
}

// Request says who asked for what.
type Request struct {
	Principal string `json:"principal"`
	// PrincipalType is the aws:PrincipalType value ("User", "AssumedRole",
	// "Account" for a root user, ...); "" when unknown.
	PrincipalType   string `json:"principalType,omitempty"`
	Account         string `json:"account,omitempty"`
	Action          string `json:"action"`
	Resource        string `json:"resource"`
	ResourceAccount string `json:"resourceAccount,omitempty"`
	// CrossAccount is set when caller and resource are in different
	// accounts: then both sides must allow.
	CrossAccount bool `json:"crossAccount"`
}

// Verdict is the outcome and the layer that decided it.
type Verdict struct {
	Allowed bool `json:"allowed"`
	// Effect is "allow", "explicit-deny" or "implicit-deny".
	Effect string `json:"effect"`
	// Layer is the deciding layer's stable ID (authz.Layer).
	Layer string `json:"layer"`
	// LayerName is the layer as AWS names the policy type in its messages
	// ("service control policy", "identity-based policy", "resource-based
	// policy", ...); "" where AWS names none (Requester Pays, root).
	LayerName string `json:"layerName,omitempty"`
	// LayerTitle is the specific thing that decided ("bucket policy", "key
	// policy", "S3 Object Ownership", ...).
	LayerTitle string `json:"layerTitle"`
	// Summary is one plain-English sentence.
	Summary string `json:"summary"`
	// Message is the AccessDenied message AWS sends.
	Message string `json:"message,omitempty"`
}

// Statement is one policy statement as evaluated against the request.
type Statement struct {
	Layer  string `json:"layer"`
	Policy string `json:"policy"`
	Target string `json:"target,omitempty"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Line   int    `json:"line,omitempty"`
	Col    int    `json:"col,omitempty"`
	// Label names the statement for people: `Sid "DenyHTTP"` or
	// "statement #2" (0-based, as AWS's index).
	Label  string `json:"label"`
	Effect string `json:"effect"`
	// Matched is whether every element matched.
	Matched bool `json:"matched"`
	// Decisive names the element that made the difference: for a matched
	// Deny the one that made it apply, for a near miss the first that failed.
	Decisive string    `json:"decisive,omitempty"`
	Elements []Element `json:"elements"`
	// Source is the statement's JSON text, verbatim from the policy when
	// the record quotes it.
	Source string `json:"source,omitempty"`
}

// Element is one element of a statement.
type Element struct {
	// Name is the element as written: "Principal", "NotPrincipal",
	// "Action", "NotAction", "Resource", "NotResource", "Condition".
	Name     string   `json:"name"`
	Matched  bool     `json:"matched"`
	Decisive bool     `json:"decisive"`
	Want     []string `json:"want,omitempty"`
	Got      []string `json:"got,omitempty"`
	Note     string   `json:"note,omitempty"`
	// Conditions are the operator/key tests of a Condition element.
	Conditions []Condition `json:"conditions,omitempty"`
}

// Condition is one operator/key test.
type Condition struct {
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Want     []string `json:"want"`
	Got      []string `json:"got,omitempty"`
	Present  bool     `json:"present"`
	Matched  bool     `json:"matched"`
	Decisive bool     `json:"decisive"`
	// Text is the test in plain English: "aws:SourceVpce was absent; the
	// statement requires vpce-1a2b".
	Text string `json:"text"`
}

// NearMiss is an Allow statement that almost allowed the request.
type NearMiss struct {
	Statement Statement `json:"statement"`
	// Failed lists the elements that did not match.
	Failed []string `json:"failed"`
	// Reasons say, per failed element or condition, why.
	Reasons []string `json:"reasons"`
}

// Step statuses.
const (
	// StatusPassed: the layer allowed the request (or let it through).
	StatusPassed = "passed"
	// StatusDenied: the layer decided the denial.
	StatusDenied = "denied"
	// StatusNotApplicable: the layer takes no part in this request.
	StatusNotApplicable = "not-applicable"
	// StatusNoAllow: the layer was evaluated and allowed nothing, but did
	// not decide (another layer's grant sufficed, or another layer decided
	// first).
	StatusNoAllow = "no-allow"
	// StatusUnknown: the record has no trace for this layer.
	StatusUnknown = "unknown"
)

// Step is one layer of the evaluation chain.
type Step struct {
	// Layer is the stable ID: "scp", "rcp", "vpc-endpoint", "identity",
	// "permissions-boundary", "session", "resource", "acl", "kms",
	// "requester-pays".
	Layer string `json:"layer"`
	// Title names the layer for people.
	Title  string `json:"title"`
	Status string `json:"status"`
	// Mark is the status as one character: ✓ passed, ✗ denied,
	// – not applicable, · no allow, ? unknown.
	Mark string `json:"mark"`
	// Statement names the statement that decided this step, if any.
	Statement string `json:"statement,omitempty"`
	Note      string `json:"note,omitempty"`
	// Policies is every policy the layer consulted, with every statement
	// (the verbose view).
	Policies []Policy `json:"policies,omitempty"`
	// Grants are the ACL grants considered (the acl step).
	Grants []Grant `json:"grants,omitempty"`
}

// Policy is one policy consulted by a step.
type Policy struct {
	Name   string `json:"name"`
	Target string `json:"target,omitempty"`
	// Outcome is "allow", "explicit-deny" or "no-match".
	Outcome    string      `json:"outcome"`
	Statements []Statement `json:"statements"`
}

// Grant is one ACL grant considered.
type Grant struct {
	On         string `json:"on"`
	Grantee    string `json:"grantee"`
	Permission string `json:"permission"`
	Matched    bool   `json:"matched"`
}

// Fix is one concrete change that would let the request through.
type Fix struct {
	// Cause is a stable ID: "identity-policy-missing",
	// "bucket-policy-missing", "key-policy-missing", "explicit-deny",
	// "vpc-endpoint-policy-missing", "scp-missing", "rcp-missing",
	// "permissions-boundary-missing", "session-policy-missing",
	// "trust-policy-missing", "object-ownership",
	// "requester-pays", "public-access-block", "aws-managed-key".
	Cause string `json:"cause"`
	// Summary says what to change, in one or two sentences.
	Summary string `json:"summary"`
	// RunAs names the account whose credentials the commands need.
	RunAs string `json:"runAs,omitempty"`
	// Commands are aws CLI commands, in order; lines starting with "#" are
	// comments.
	Commands []string `json:"commands"`
	// Policy is the JSON policy or statement the commands use.
	Policy string `json:"policy,omitempty"`
	// Notes add caveats and what to look up where the record does not say.
	Notes []string `json:"notes"`
}
