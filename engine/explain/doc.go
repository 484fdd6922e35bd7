// Package explain turns a logged authorization decision into plain English
// and the exact fix: the verdict, the layer that decided (named as AWS names
// it: "identity-based policy", "resource-based policy", "service control
// policy", "explicit deny", "key policy", ...), the deciding statement with
// its decisive element marked, what the request carried against what the
// statement needed ("aws:SourceVpce was absent; the statement requires
// vpce-1a2b"), the Allow statements that almost matched and why not, the
// evaluation chain, and one fix per cause as ready-to-run aws CLI commands and
// policy snippets.
//
// The package is pure: it reads only the Record it is given (no clock, no
// storage). Facts the record does not carry are never guessed: a fix then
// holds a placeholder such as <IAM-USER-NAME> and a note saying where to look
// it up.
//
// # Use
//
//	d := authz.Decide(req, in, authz.Options{Trace: true})
//	rec := explain.NewRecord(req, in, &d) // the server adds Seq, RequestID, Time
//	e := explain.Explain(&rec)
//	explain.WriteText(os.Stdout, e, explain.TextOptions{Verbose: false})
//	explain.WriteJSON(os.Stdout, e)
//
// A record without a trace (the server traces denials only) still explains:
// the chain then marks the layers it cannot see with "?".
//
// # The chain
//
// One line per layer, always in this order: service control policies,
// resource control policies, VPC endpoint policy, identity-based policies,
// permissions boundary, session policies, the resource-based policy (bucket
// policy or role trust policy), ACLs / Object Ownership, the KMS key policy,
// Requester Pays. Each line has a mark:
//
//	✓  passed: the layer allowed the request (or let it through)
//	✗  denied: the layer decided the denial
//	–  not applicable: the layer takes no part in this request
//	·  no allow: evaluated, allowed nothing, but did not decide
//	   (another layer's grant sufficed, or another layer decided)
//	?  unknown: not recorded, or not evaluated because the request was
//	   refused before this layer
//
// # Causes and fixes
//
// Fix.Cause is one of: identity-policy-missing (put-user-policy or
// put-role-policy with the statement), bucket-policy-missing (the statement
// naming the caller, and put-bucket-policy), key-policy-missing (the key
// policy statement and put-key-policy; across accounts the IAM statement
// too), trust-policy-missing, resource-policy-missing, explicit-deny (the
// statement quoted, what made it match, how to make the request miss it and
// how to edit it), vpc-endpoint-policy-missing (the endpoint policy
// statement and modify-vpc-endpoint), scp-missing (which level of the
// organization lacks an Allow, and create-policy / attach-policy there),
// rcp-missing, permissions-boundary-missing, session-policy-missing (a new
// session with a session policy that allows), object-ownership (three fixes:
// bucket-owner-full-control, BucketOwnerEnforced, the bucket owner copying
// the object onto itself), requester-pays (the same command with
// --request-payer requester), public-access-block (a non-public policy
// naming the caller, or RestrictPublicBuckets off) and aws-managed-key.
//
// # JSON schema (v1)
//
// WriteJSON writes an Explanation; testdata/explanation.schema.json is its
// JSON Schema, and the tests check every output against it. Within v1 no
// field is removed or changes meaning; new optional fields may appear.
// Arrays are always present (possibly empty).
//
//	schema       "https://verdict-project.github.io/schemas/explanation/v1"
//	requestId    the request ID the decision was logged under
//	seq          the decision log's sequence number
//	time         RFC 3339, UTC
//	request      {principal, principalType, account, action, resource,
//	              resourceAccount, crossAccount}
//	verdict      {allowed, effect: allow|explicit-deny|implicit-deny,
//	              layer: the authz.Layer ID, layerName: AWS's policy-type term,
//	              layerTitle: what decided ("bucket policy", "key policy", ...),
//	              summary: one sentence, message: AWS's AccessDenied message}
//	deciding     [statement]: the explicit Deny, or the granting statements
//	findings     [string]: carried against needed, in sentences
//	nearMisses   [{statement, failed: [element], reasons: [string]}]
//	chain        [{layer: scp|rcp|vpc-endpoint|identity|permissions-boundary|
//	              session|resource|acl|kms|requester-pays, title,
//	              status: passed|denied|not-applicable|no-allow|unknown,
//	              mark, statement, note, policies: [policy], grants: [grant]}]
//	fixes        [{cause, summary, runAs, commands: [string], policy, notes}]
//	notes        [string]: what the record did not carry
//
//	statement    {layer, policy, target, sid, index, line, col, label,
//	              effect, matched, decisive: the element that decided,
//	              elements: [element], source: the statement's JSON text}
//	element      {name: Principal|NotPrincipal|Action|NotAction|Resource|
//	              NotResource|Condition, matched, decisive, want, got, note,
//	              conditions: [condition]}
//	condition    {operator, key, want, got, present, matched, decisive, text}
//	policy       {name, target, outcome, statements: [statement]}
//	grant        {on: bucket|object, grantee, permission, matched}
package explain
