package explain

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
)

// Causes, the stable IDs of Fix.Cause.
const (
	CauseIdentity        = "identity-policy-missing"
	CauseBucketPolicy    = "bucket-policy-missing"
	CauseKeyPolicy       = "key-policy-missing"
	CauseTrustPolicy     = "trust-policy-missing"
	CauseResourcePolicy  = "resource-policy-missing"
	CauseExplicitDeny    = "explicit-deny"
	CauseEndpoint        = "vpc-endpoint-policy-missing"
	CauseSCP             = "scp-missing"
	CauseRCP             = "rcp-missing"
	CauseBoundary        = "permissions-boundary-missing"
	CauseSession         = "session-policy-missing"
	CauseObjectOwnership = "object-ownership"
	CauseRequesterPays   = "requester-pays"
	CausePublicAccess    = "public-access-block"
	CauseAWSManagedKey   = "aws-managed-key"
)

// Placeholders stand where the record does not carry a name; each comes with
// a note saying how to look it up.
const (
	placeholderUser     = "<IAM-USER-NAME>"
	placeholderRole     = "<ROLE-NAME>"
	placeholderBucket   = "<BUCKET>"
	placeholderEndpoint = "<VPC-ENDPOINT-ID>"
	placeholderKey      = "<KEY-ARN>"
)

// fixes returns one fix per cause of the denial.
func (f *facts) fixes(deciding []Statement) []Fix {
	r := f.r
	out := []Fix{}
	if r.Effect == string(authz.ExplicitDeny) && r.Layer != string(authz.LayerPublicAccess) {
		return append(out, f.explicitDenyFix(deciding))
	}
	switch authz.Layer(r.Layer) {
	case authz.LayerRequesterPays:
		out = append(out, f.requesterPaysFix())
	case authz.LayerObjectOwner:
		out = append(out, f.ownershipFixes()...)
	case authz.LayerPublicAccess:
		out = append(out, f.publicAccessFixes(deciding)...)
	case authz.LayerSCP:
		out = append(out, f.orgFix(authz.LayerSCP))
	case authz.LayerRCP:
		out = append(out, f.orgFix(authz.LayerRCP))
	case authz.LayerEndpoint:
		out = append(out, f.endpointFix())
	case authz.LayerIdentity:
		out = append(out, f.identityFix())
		if rs := f.resourceStage(); f.cross && rs != nil && !stageAllows(rs) {
			out = append(out, f.resourceFix(rs.Layer))
		}
	case authz.LayerBoundary:
		out = append(out, f.boundaryFix())
	case authz.LayerSession:
		out = append(out, f.sessionFix())
	case authz.LayerBucketPolicy, authz.LayerKeyPolicy, authz.LayerTrustPolicy, authz.LayerResourcePolicy:
		out = append(out, f.resourceFix(r.Layer))
	}
	f.nearMissNotes(out)
	return out
}

// causeLayer is the trace stage a cause's fix changes.
var causeLayer = map[string]authz.Layer{
	CauseIdentity: authz.LayerIdentity, CauseBucketPolicy: authz.LayerBucketPolicy, CauseKeyPolicy: authz.LayerKeyPolicy,
	CauseTrustPolicy: authz.LayerTrustPolicy, CauseEndpoint: authz.LayerEndpoint, CauseSCP: authz.LayerSCP,
	CauseBoundary: authz.LayerBoundary, CauseSession: authz.LayerSession,
}

// nearMissNotes offers, next to each new-statement fix, the closest near
// miss in the same layer: a request that meets its Condition, or an edit of
// the element that failed.
func (f *facts) nearMissNotes(fixes []Fix) {
	near := f.nearMisses()
	for i := range fixes {
		fx := &fixes[i]
		layer, ok := causeLayer[fx.Cause]
		if !ok {
			continue
		}
		for _, nm := range near {
			if nm.Statement.Layer != string(layer) {
				continue
			}
			if len(nm.Failed) == 1 && strings.HasSuffix(nm.Failed[0], "Principal") {
				// The fix already adds a statement naming the caller.
				break
			}
			name := nm.Statement.Label + " of " + quoteName(nm.Statement.Policy)
			if len(nm.Failed) == 1 && nm.Failed[0] == "Condition" {
				fx.Notes = append(fx.Notes, "Or send the request so that "+name+" applies: "+strings.Join(nm.Reasons, "; and ")+".")
			} else {
				fx.Notes = append(fx.Notes, "Or edit "+name+", which almost allows the request: "+strings.Join(nm.Reasons, "; and ")+".")
			}
			break
		}
	}
}

func runAs(account, role string) string {
	if account == "" {
		return role
	}
	return "account " + account + " (" + role + ")"
}

func orStar(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

// allowStatement is the identity-side statement that allows the request.
func (f *facts) allowStatement() stmtDoc {
	return stmtDoc{Sid: sidFor("Allow", f.r.Action), Effect: "Allow", Action: f.r.Action, Resource: orStar(f.r.Resource)}
}

// identityFix attaches an inline identity-based policy that allows the
// request to the user or role behind the caller.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html
func (f *facts) identityFix() Fix {
	r := f.r
	doc := newPolicy(f.allowStatement())
	name := policyNameFor(r.Action, f.bucket)
	fx := Fix{Cause: CauseIdentity, Policy: indented(doc), RunAs: runAs(f.c.account, "the caller's account"), Commands: []string{}, Notes: []string{}}
	what := r.Action + " on " + orStar(r.Resource)
	switch f.c.typ {
	case typeUser, typeFederated:
		user := f.c.user
		if user == "" {
			user = placeholderUser
			fx.Notes = append(fx.Notes, "The record does not name the IAM user: look it up with aws sts get-caller-identity run with the caller's credentials, or in CloudTrail.")
		}
		fx.Summary = "Attach an identity-based policy to the IAM user " + user + " that allows " + what + "."
		fx.Commands = append(fx.Commands, cmd("aws", "iam", "put-user-policy", "--user-name", user, "--policy-name", name, "--policy-document", compact(doc)))
		if f.c.typ == typeFederated {
			// A federated user's permissions are the user's policies
			// intersected with the policy passed to GetFederationToken.
			// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
			fx.Notes = append(fx.Notes, "The federated session "+orUnknown(f.c.session, "")+" is also limited by the session policy passed to GetFederationToken; get a new token once the user's policy allows the action.")
		}
	case typeRole:
		role := f.c.role
		if role == "" {
			role = placeholderRole
			fx.Notes = append(fx.Notes, "The record does not name the role: look it up with aws sts get-caller-identity run with the session's credentials.")
		}
		fx.Summary = "Attach an identity-based policy to the IAM role " + role + " that allows " + what + "; every session of the role gets it."
		if strings.HasPrefix(role, "AWSReservedSSO_") {
			// Identity Center roles can be changed only through their
			// permission set.
			// https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
			fx.Summary = "The role " + role + " belongs to IAM Identity Center and can be changed only through its permission set: add the statement below to the permission set's inline policy."
			fx.Notes = append(fx.Notes, "Look up the permission set with aws sso-admin list-permission-sets, then update it with aws sso-admin put-inline-policy-to-permission-set and provision it with aws sso-admin provision-permission-set.")
			break
		}
		fx.Commands = append(fx.Commands, cmd("aws", "iam", "put-role-policy", "--role-name", role, "--policy-name", name, "--policy-document", compact(doc)))
	default:
		fx.Summary = "Allow " + what + " in an identity-based policy of the caller."
		fx.Notes = append(fx.Notes, "The record does not say which IAM user or role the caller is ("+orUnknown(f.c.arn, "unknown principal")+").")
	}
	fx.Notes = append(fx.Notes, f.widenNote()...)
	if f.cross {
		fx.Notes = append(fx.Notes, "Across accounts, the resource's account "+r.ResourceAccount+" must grant access as well.")
	}
	return fx
}

// widenNote says how to cover the whole bucket instead of the one object
// the statement names.
func (f *facts) widenNote() []string {
	if f.bucket == "" || f.key == "" {
		return nil
	}
	return []string{"The statement names only this object; use arn:aws:s3:::" + f.bucket + "/* as its Resource to cover every object in the bucket."}
}

// resourceFix grants the caller in the resource-based policy of layer.
func (f *facts) resourceFix(layer string) Fix {
	switch authz.Layer(layer) {
	case authz.LayerBucketPolicy:
		return f.bucketPolicyFix()
	case authz.LayerKeyPolicy:
		if f.r.AWSManagedKey {
			return f.awsManagedKeyFix()
		}
		return f.keyPolicyFix()
	case authz.LayerTrustPolicy:
		return f.trustPolicyFix()
	}
	return Fix{Cause: CauseResourcePolicy, Summary: "Grant " + orUnknown(f.c.arn, "the caller") + " " + f.r.Action + " in the resource-based policy of " + f.r.Resource + ".",
		RunAs: runAs(f.r.ResourceAccount, "the resource's account"), Commands: []string{}, Notes: []string{}}
}

// bucketName is the bucket, or a placeholder and a note.
func (f *facts) bucketName(fx *Fix) string {
	if f.bucket != "" {
		return f.bucket
	}
	fx.Notes = append(fx.Notes, "The record does not name the bucket: use the bucket of "+orUnknown(f.r.Resource, "the request")+".")
	return placeholderBucket
}

// bucketPolicyFix adds a statement naming the caller to the bucket policy.
// put-bucket-policy replaces the whole policy, so an existing one is read,
// extended and written back.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html
func (f *facts) bucketPolicyFix() Fix {
	r := f.r
	st := stmtDoc{Sid: sidFor("Allow", r.Action), Effect: "Allow", Principal: f.c.policyPrincipal(), Action: r.Action, Resource: orStar(r.Resource)}
	fx := Fix{Cause: CauseBucketPolicy, RunAs: runAs(r.ResourceAccount, "the bucket owner"), Commands: []string{}, Notes: []string{}}
	bucket := f.bucketName(&fx)
	rs := f.resourceStage()
	who := orUnknown(f.c.arn, "the caller")
	switch {
	case f.c.typ == typeRole && f.c.roleARN != "":
		who = "the role " + f.c.roleARN
	case f.c.typ == typeAnonymous:
		who = "everyone (Principal \"*\", anonymous callers included)"
	case f.c.typ == typeService:
		who = "the service principal " + f.c.arn
	}
	if rs != nil && len(rs.Policies) == 0 {
		doc := newPolicy(st)
		fx.Summary = "The bucket " + bucket + " has no bucket policy: create one that grants " + who + " " + r.Action + " on " + orStar(r.Resource) + "."
		fx.Policy = indented(doc)
		fx.Commands = append(fx.Commands, cmd("aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", compact(doc)))
	} else {
		fx.Summary = "Add a statement to the bucket policy of " + bucket + " that grants " + who + " " + r.Action + " on " + orStar(r.Resource) + "."
		fx.Policy = indented(st)
		fx.Commands = append(fx.Commands,
			cmd("aws", "s3api", "get-bucket-policy", "--bucket", bucket, "--query", "Policy", "--output", "text")+" > policy.json",
			"# add the statement below to the \"Statement\" array in policy.json, then:",
			cmd("aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", "file://policy.json"))
	}
	fx.Notes = append(fx.Notes, f.widenNote()...)
	switch f.c.typ {
	case typeRole:
		fx.Notes = append(fx.Notes, "Naming the role's ARN grants every session of the role.")
	case typeService:
		// Confused-deputy protection for service principals.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
		fx.Notes = append(fx.Notes, "AWS recommends limiting a grant to a service principal with an aws:SourceArn or aws:SourceAccount condition naming the resource the service acts for.")
	case typeAnonymous:
		fx.Notes = append(fx.Notes, "Principal \"*\" makes the bucket policy public: S3 Block Public Access (BlockPublicPolicy) refuses such a policy, and RestrictPublicBuckets would withhold it from callers outside the bucket owner's account.")
	}
	if pab := r.PublicAccessBlock; pab != nil && pab.RestrictPublicBuckets && f.cross {
		fx.Notes = append(fx.Notes, "RestrictPublicBuckets is on: the grant reaches another account only while every statement of the bucket policy names fixed principals (no \"*\").")
	}
	if r.ObjectOwner != "" && r.ObjectOwner != r.ResourceAccount {
		fx.Notes = append(fx.Notes, "The object is owned by account "+r.ObjectOwner+": a bucket policy's Allow does not cover objects the bucket owner does not own.")
	}
	return fx
}

// keyPolicyFix adds a statement naming the caller to the KMS key policy. In a
// key policy "Resource": "*" means the key itself.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
func (f *facts) keyPolicyFix() Fix {
	r := f.r
	key := f.keyARN()
	fx := Fix{Cause: CauseKeyPolicy, Commands: []string{}, Notes: []string{}}
	if key == "" {
		key = placeholderKey
		fx.Notes = append(fx.Notes, "The record does not name the KMS key: find it with aws s3api head-object (SSEKMSKeyId) for an S3 object.")
	}
	acct := r.ResourceAccount
	if a, err := arn.Parse(key); err == nil && a.Account != "" {
		acct = a.Account
	}
	fx.RunAs = runAs(acct, "the key's account")
	st := stmtDoc{Sid: sidFor("Allow", r.Action), Effect: "Allow", Principal: f.c.policyPrincipal(), Action: r.Action, Resource: "*"}
	fx.Policy = indented(st)
	fx.Summary = "Add a statement to the key policy of " + key + " that allows " + orUnknown(f.c.principalARNKey(), "the caller") + " to use " + r.Action + "."
	fx.Commands = append(fx.Commands,
		cmd("aws", "kms", "get-key-policy", "--key-id", key, "--policy-name", "default", "--output", "text")+" > key-policy.json",
		"# add the statement below to the \"Statement\" array in key-policy.json, then:",
		cmd("aws", "kms", "put-key-policy", "--key-id", key, "--policy-name", "default", "--policy", "file://key-policy.json"))
	fx.Notes = append(fx.Notes, "In a key policy, \"Resource\": \"*\" means this key.")
	if f.cross {
		fx.Notes = append(fx.Notes, "Or name the account (arn:aws:iam::"+f.c.account+":root) as the Principal, so that account "+f.c.account+" decides with its IAM policies who may use the key.")
		// Across accounts both the key policy and an IAM policy in the
		// caller's account must allow.
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
		if id := firstAllow(f.stage(string(authz.LayerIdentity))); id != "" {
			fx.Notes = append(fx.Notes, "Across accounts an IAM policy in the caller's account must allow "+r.Action+" on the key as well; "+id+" already does.")
		} else {
			fx.Notes = append(fx.Notes, "Across accounts an IAM policy in the caller's account "+f.c.account+" must allow "+r.Action+" on "+key+" as well.")
		}
	}
	if strings.HasPrefix(r.ViaService, "s3.") {
		// S3 asks KMS on the caller's behalf: GenerateDataKey to write,
		// Decrypt to read.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
		fx.Notes = append(fx.Notes, "S3 called KMS for the caller ("+r.ViaService+"): uploads need kms:GenerateDataKey and downloads kms:Decrypt on this key.")
	}
	return fx
}

// awsManagedKeyFix: an AWS managed key's policy cannot be edited and allows
// only its own account.
// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
func (f *facts) awsManagedKeyFix() Fix {
	return Fix{
		Cause: CauseAWSManagedKey,
		Summary: "The key " + orUnknown(f.keyARN(), "") + " is an AWS managed key: its key policy cannot be changed and lets only principals of account " +
			f.r.ResourceAccount + " use it. Re-encrypt the data with a customer managed key whose key policy allows account " + f.c.account + ".",
		RunAs:    runAs(f.r.ResourceAccount, "the key's account"),
		Commands: []string{},
		Notes:    []string{"For S3 objects, copy them onto themselves with --sse aws:kms --sse-kms-key-id set to the customer managed key, run by the bucket owner."},
	}
}

// trustPolicyFix lets the caller assume the role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
func (f *facts) trustPolicyFix() Fix {
	r := f.r
	fx := Fix{Cause: CauseTrustPolicy, RunAs: runAs(r.ResourceAccount, "the role's account"), Commands: []string{}, Notes: []string{}}
	role := placeholderRole
	if a, err := arn.Parse(r.Resource); err == nil && strings.HasPrefix(a.Resource, "role/") {
		role = lastSegment(a.Resource)
	} else {
		fx.Notes = append(fx.Notes, "The record does not name the role.")
	}
	st := stmtDoc{Sid: sidFor("Allow", r.Action), Effect: "Allow", Principal: f.c.policyPrincipal(), Action: r.Action}
	fx.Policy = indented(st)
	fx.Summary = "Add a statement to the trust policy of the role " + role + " that allows " + orUnknown(f.c.arn, "the caller") + " to " + r.Action + "."
	fx.Commands = append(fx.Commands,
		cmd("aws", "iam", "get-role", "--role-name", role, "--query", "Role.AssumeRolePolicyDocument", "--output", "json")+" > trust-policy.json",
		"# add the statement below to the \"Statement\" array in trust-policy.json, then:",
		cmd("aws", "iam", "update-assume-role-policy", "--role-name", role, "--policy-document", "file://trust-policy.json"))
	switch {
	case f.c.typ == typeWebIdentity:
		// Without a sub condition, every identity the issuer vouches for
		// may assume the role (for GitHub: every repository's workflows).
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
		fx.Notes = append(fx.Notes, "Keep conditions on the provider's aud and sub keys (ISSUER:aud, ISSUER:sub) in the statement: without them every identity the issuer vouches for may assume the role.")
	case f.cross:
		fx.Notes = append(fx.Notes, "Across accounts the caller's identity-based policy must allow "+r.Action+" on "+r.Resource+" as well.")
	}
	return fx
}

// endpointFix adds a statement to the VPC endpoint policy. Gateway endpoint
// policies must use Principal "*"; aws:PrincipalArn narrows it.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
func (f *facts) endpointFix() Fix {
	r := f.r
	fx := Fix{Cause: CauseEndpoint, Commands: []string{}, Notes: []string{}}
	vpce := r.EndpointID
	if vpce == "" {
		if st := f.stage(string(authz.LayerEndpoint)); st != nil && len(st.Policies) > 0 && st.Policies[0] != nil && strings.HasPrefix(st.Policies[0].Name, "vpce-") {
			vpce = st.Policies[0].Name
		}
	}
	if vpce == "" {
		vpce = placeholderEndpoint
		fx.Notes = append(fx.Notes, "The record does not name the VPC endpoint: the request's aws:SourceVpce key holds it.")
	}
	st := stmtDoc{Sid: sidFor("Allow", r.Action), Effect: "Allow", Principal: "*", Action: r.Action, Resource: orStar(r.Resource)}
	if k := f.c.principalARNKey(); k != "" && f.c.typ != typeAnonymous && f.c.typ != typeService {
		st.Condition = map[string]map[string]any{"ArnEquals": {"aws:PrincipalArn": k}}
	}
	fx.Policy = indented(st)
	fx.RunAs = "the account that owns " + vpce
	fx.Summary = "Add a statement to the VPC endpoint policy of " + vpce + " that lets " + r.Action + " on " + orStar(r.Resource) + " through."
	fx.Commands = append(fx.Commands,
		cmd("aws", "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", vpce, "--query", "VpcEndpoints[0].PolicyDocument", "--output", "text")+" > endpoint-policy.json",
		"# add the statement below to the \"Statement\" array in endpoint-policy.json, then:",
		cmd("aws", "ec2", "modify-vpc-endpoint", "--vpc-endpoint-id", vpce, "--policy-document", "file://endpoint-policy.json"))
	fx.Notes = append(fx.Notes, "An endpoint policy only filters what passes through the endpoint: the identity-based and bucket policies must still allow the request.")
	return fx
}

// orgFix handles an implicit denial by SCPs or RCPs: nothing attached at one
// level of the organization allows the action.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_auth.html
func (f *facts) orgFix(layer authz.Layer) Fix {
	r := f.r
	level := f.failedOrgLevel(layer)
	fx := Fix{Cause: CauseSCP, RunAs: "the organization's management account (or a delegated administrator)", Commands: []string{}, Notes: []string{}}
	at := level
	if at == "" {
		at = "<TARGET-ID>"
		fx.Notes = append(fx.Notes, "The record does not say at which level nothing allows the action: list each level's policies with aws organizations list-policies-for-target.")
	}
	var attached []string
	if st := f.stage(string(layer)); st != nil {
		for _, p := range st.Policies {
			if p != nil && p.Target == level && !contains(attached, p.Name) {
				attached = append(attached, p.Name)
			}
		}
	}
	if layer == authz.LayerRCP {
		// RCPFullAWSAccess is attached to every level and cannot be
		// detached; custom RCPs cannot Allow.
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
		fx.Cause = CauseRCP
		fx.Summary = "Nothing attached at " + at + " allows " + r.Action + " among the resource control policies. RCPFullAWSAccess is attached to every root, OU and account when RCPs are enabled; check that it is attached at " + at + "."
		fx.Commands = append(fx.Commands, cmd("aws", "organizations", "list-policies-for-target", "--target-id", at, "--filter", "RESOURCE_CONTROL_POLICY"))
		return fx
	}
	doc := newPolicy(stmtDoc{Sid: sidFor("Allow", r.Action), Effect: "Allow", Action: r.Action, Resource: "*"})
	name := policyNameFor(r.Action, "")
	fx.Policy = indented(doc)
	fx.Summary = "Every level from the organization root down to the account must allow " + r.Action + ", and nothing attached at " + at +
		" does. Attach a service control policy that allows it at " + at + ", or add the action to an SCP already attached there."
	fx.Commands = append(fx.Commands,
		"POLICY_ID=$("+cmd("aws", "organizations", "create-policy", "--name", name, "--type", "SERVICE_CONTROL_POLICY",
			"--description", "Allow "+r.Action, "--content", compact(doc), "--query", "Policy.PolicySummary.Id", "--output", "text")+")",
		`aws organizations attach-policy --policy-id "$POLICY_ID" --target-id `+shq(at))
	if len(attached) > 0 {
		fx.Notes = append(fx.Notes, "Attached at "+at+" now: "+strings.Join(attached, ", ")+". To extend one of them instead, add the action to its Allow statement and run aws organizations update-policy --policy-id ID --content file://scp.json.")
	}
	return fx
}

// boundaryFix extends the permissions boundary, or swaps it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
func (f *facts) boundaryFix() Fix {
	r := f.r
	fx := Fix{Cause: CauseBoundary, RunAs: runAs(f.c.account, "the caller's account"), Commands: []string{}, Notes: []string{}}
	bname := ""
	if st := f.stage(string(authz.LayerBoundary)); st != nil && len(st.Policies) > 0 && st.Policies[0] != nil {
		bname = st.Policies[0].Name
	}
	st := f.allowStatement()
	fx.Policy = indented(st)
	pk := classifyPolicy(bname)
	switch pk.kind {
	case "managed":
		fx.Summary = "The permissions boundary " + bname + " does not allow " + r.Action + ": add the statement below to it as a new default version."
		fx.Commands = append(fx.Commands, managedGet(bname, "boundary.json"),
			"# add the statement below to the \"Statement\" array in boundary.json, then:",
			cmd("aws", "iam", "create-policy-version", "--policy-arn", bname, "--policy-document", "file://boundary.json", "--set-as-default"))
		fx.Notes = append(fx.Notes, "The boundary caps every user and role it is set on; to change only this caller's cap, set a different boundary instead.",
			"A managed policy keeps at most five versions: delete an old one with aws iam delete-policy-version if create-policy-version fails.")
	default:
		fx.Summary = "The permissions boundary " + orUnknown(bname, "") + " does not allow " + r.Action + ": set a boundary that allows the statement below."
		if pk.kind == "aws-managed" {
			fx.Notes = append(fx.Notes, bname+" is an AWS managed policy and cannot be edited.")
		}
	}
	switch f.c.typ {
	case typeUser:
		if f.c.user != "" {
			fx.Notes = append(fx.Notes, "To set another boundary on this user: "+cmd("aws", "iam", "put-user-permissions-boundary", "--user-name", f.c.user, "--permissions-boundary", "POLICY-ARN")+".")
		}
	case typeRole:
		if f.c.role != "" {
			fx.Notes = append(fx.Notes, "To set another boundary on this role: "+cmd("aws", "iam", "put-role-permissions-boundary", "--role-name", f.c.role, "--permissions-boundary", "POLICY-ARN")+".")
		}
	}
	return fx
}

// managedGet reads a customer managed policy's default version into file.
// Changing a managed policy means adding a version (at most five are kept).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
func managedGet(policyARN, file string) string {
	return `aws iam get-policy-version --policy-arn ` + shq(policyARN) +
		` --version-id "$(aws iam get-policy --policy-arn ` + shq(policyARN) + ` --query Policy.DefaultVersionId --output text)"` +
		` --query PolicyVersion.Document --output json > ` + file
}

// sessionFix: session policies are fixed when the session is created, so
// the caller needs a new session whose policy allows the action.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
func (f *facts) sessionFix() Fix {
	r := f.r
	doc := newPolicy(f.allowStatement())
	fx := Fix{Cause: CauseSession, Policy: indented(doc), RunAs: runAs(f.c.account, "whoever creates the session"), Commands: []string{}, Notes: []string{}}
	fx.Summary = "A session policy cannot be changed once the session exists: create a new session whose session policy also allows " + r.Action + " on " + orStar(r.Resource) + "."
	switch f.c.typ {
	case typeRole:
		roleARN := f.c.roleARN
		if roleARN == "" {
			roleARN = "<ROLE-ARN>"
			fx.Notes = append(fx.Notes, "The record does not carry the role's ARN: look it up with aws iam get-role.")
		}
		session := orUnknown(f.c.session, "session")
		fx.Commands = append(fx.Commands, cmd("aws", "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", session, "--policy", compact(doc)))
	case typeFederated:
		fx.Commands = append(fx.Commands, cmd("aws", "sts", "get-federation-token", "--name", orUnknown(f.c.session, "session"), "--policy", compact(doc)))
	}
	fx.Notes = append(fx.Notes, "Keep whatever else the old session policy allowed in the new one: the session gets only what both its identity-based policies and its session policies allow.")
	return fx
}

// requesterPaysFix: callers outside the bucket owner's account must accept
// the charges with x-amz-request-payer: requester.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
func (f *facts) requesterPaysFix() Fix {
	r := f.r
	fx := Fix{Cause: CauseRequesterPays, RunAs: runAs(f.c.account, "the caller"), Commands: []string{}, Notes: []string{}}
	if f.c.typ == typeAnonymous {
		fx.RunAs = "a signed-in caller"
		fx.Summary = "S3 never serves anonymous requests from a Requester Pays bucket: sign the request with AWS credentials and add --request-payer requester."
	} else {
		fx.Summary = "Add --request-payer requester to the request: the bucket is Requester Pays, so every caller outside the bucket owner's account " + r.ResourceAccount + " must agree to pay for it."
	}
	if words, ok := s3Command(r.Action, f.bucket, f.key); ok {
		fx.Commands = append(fx.Commands, cmd(append(words, "--request-payer", "requester")...))
	} else {
		fx.Notes = append(fx.Notes, "Add --request-payer requester to the aws s3api or aws s3 command that performs "+r.Action+".")
	}
	fx.Notes = append(fx.Notes, "SDKs take RequestPayer: requester; a presigned URL needs x-amz-request-payer=requester in its query string, signed.",
		"The caller still needs permission for "+r.Action+" from the policies.")
	return fx
}

// ownershipFixes are the three documented ways out of an object owned by
// another account: bucket-owner-full-control, BucketOwnerEnforced, and the
// bucket owner copying the object onto itself.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://repost.aws/knowledge-center/s3-change-object-ownership
func (f *facts) ownershipFixes() []Fix {
	r := f.r
	bo := r.ResourceAccount
	oo := r.ObjectOwner
	var lookup []string
	if oo == "" {
		lookup = append(lookup, "The record does not name the object's owner: see it with aws s3api get-object-acl --query Owner.")
	}
	bucket, key := f.bucket, f.key
	if bucket == "" {
		bucket = placeholderBucket
	}
	grant := Fix{
		Cause: CauseObjectOwnership, RunAs: runAs(oo, "the object's owner"),
		Summary:  "Have the object's owner grant the bucket owner full control of the object (the bucket-owner-full-control canned ACL), and have future uploads carry it.",
		Commands: []string{cmd("aws", "s3api", "put-object-acl", "--bucket", bucket, "--key", key, "--acl", "bucket-owner-full-control")},
		Notes: append(append([]string{}, lookup...),
			"With Object Ownership set to BucketOwnerPreferred, new uploads that carry --acl bucket-owner-full-control belong to the bucket owner: "+
				cmd("aws", "s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerPreferred}]")+
				" (run by the bucket owner)."),
	}
	if f.c.account != "" && f.c.account != bo {
		grant.Notes = append(grant.Notes, "This ACL grants the bucket owner's account "+bo+", not the caller's account "+f.c.account+
			"; to grant the caller's account directly, the owner can use --grant-read id=CANONICAL-ID instead (the caller's account canonical ID: aws s3api list-buckets --query Owner.ID, run in that account).")
	}
	enforced := Fix{
		Cause: CauseObjectOwnership, RunAs: runAs(bo, "the bucket owner"),
		Summary:  "Set Object Ownership to BucketOwnerEnforced: the bucket owner then owns every object in the bucket, existing ones included, and ACLs stop counting.",
		Commands: []string{cmd("aws", "s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerEnforced}]")},
		// The call fails while the bucket ACL grants anyone but the owner.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
		Notes: []string{"Move any access granted through ACLs into the bucket policy first; the call fails with InvalidBucketAclWithObjectOwnership while the bucket ACL grants anyone other than the owner."},
	}
	if f.cross && f.c.account != bo {
		enforced.Notes = append(enforced.Notes, "The bucket policy must then grant the caller "+r.Action+" (it does not cover objects owned by other accounts until then).")
	}
	// Copying an object onto itself needs a change, so REPLACE the
	// metadata; the copy belongs to the account that makes it.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
	cp := Fix{
		Cause: CauseObjectOwnership, RunAs: runAs(bo, "the bucket owner"),
		Summary:  "Have the bucket owner copy the object onto itself: the copy is a new object owned by the bucket owner.",
		Commands: []string{cmd("aws", "s3api", "copy-object", "--bucket", bucket, "--key", key, "--copy-source", bucket+"/"+key, "--metadata-directive", "REPLACE")},
		Notes: []string{"The bucket owner must be able to read the object first (for example through the bucket-owner-full-control ACL).",
			"--metadata-directive REPLACE is what makes a copy onto itself legal; it drops the object's user metadata and Content-Type unless they are passed again."},
	}
	if key == "" {
		cp.Notes = append(cp.Notes, "The record does not name the object key.")
	}
	return []Fix{grant, enforced, cp}
}

// publicAccessFixes: RestrictPublicBuckets withholds a public bucket policy's
// grants from callers outside the bucket owner's account.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func (f *facts) publicAccessFixes(deciding []Statement) []Fix {
	r := f.r
	named := f.bucketPolicyFix()
	named.Cause = CausePublicAccess
	named.Summary = "The bucket policy is public, so RestrictPublicBuckets lets only principals of the bucket owner's account " + r.ResourceAccount +
		" and AWS services use it. Make the policy non-public: grant the caller by name (statement below) and remove or narrow every statement with Principal \"*\" and no restricting condition."
	if near := f.publicGrant(); near != "" {
		named.Notes = append(named.Notes, "The public statement that would have allowed the request: "+near+".")
	}
	bucket := f.bucket
	if bucket == "" {
		bucket = placeholderBucket
	}
	cfg := "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=false"
	off := Fix{Cause: CausePublicAccess, RunAs: runAs(r.ResourceAccount, "the bucket owner"), Notes: []string{}}
	if pab := r.PublicAccessBlock; pab != nil {
		cfg = "BlockPublicAcls=" + boolStr(pab.BlockPublicAcls) + ",IgnorePublicAcls=" + boolStr(pab.IgnorePublicAcls) +
			",BlockPublicPolicy=" + boolStr(pab.BlockPublicPolicy) + ",RestrictPublicBuckets=false"
	} else {
		off.Notes = append(off.Notes, "The record does not carry the current settings: read them with aws s3api get-public-access-block and keep the other three.")
	}
	off.Summary = "Or turn RestrictPublicBuckets off, which makes the bucket's public policy reach everyone it names, anonymous callers included."
	off.Commands = []string{cmd("aws", "s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration", cfg)}
	off.Notes = append(off.Notes, "If the setting is on at the account level, change it there: "+
		cmd("aws", "s3control", "put-public-access-block", "--account-id", orUnknown(r.ResourceAccount, "ACCOUNT-ID"), "--public-access-block-configuration", cfg)+".")
	return []Fix{named, off}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// publicGrant names the bucket policy Allow that matched but was withheld.
func (f *facts) publicGrant() string {
	return firstAllow(f.resourceStage())
}

// explicitDenyFix quotes the deny, says what made it match, and how to edit
// it or make the request miss it.
func (f *facts) explicitDenyFix(deciding []Statement) Fix {
	r := f.r
	fx := Fix{Cause: CauseExplicitDeny, Commands: []string{}, Notes: []string{}}
	if len(deciding) == 0 {
		fx.Summary = "An explicit deny in " + withArticle(layerName(r.Layer)) + " matched; the record does not say which statement."
		return fx
	}
	d := deciding[0]
	where := policyPhrase(d.Layer, d.Policy)
	if d.Target != "" {
		where += " attached at " + d.Target
	}
	fx.Summary = "Edit " + d.Label + " of " + where + ": it denies " + r.Action + " on " + orStar(r.Resource)
	if d.Decisive != "" {
		fx.Summary += ", and its " + decisiveName(&d) + " is what makes it match this request"
	}
	fx.Summary += ". An explicit deny cannot be outweighed by any Allow: either the request must stop matching it, or the statement must change."
	fx.Policy = d.Source
	if fx.Policy == "" {
		fx.Policy = reconstruct(&d)
		if fx.Policy != "" {
			fx.Notes = append(fx.Notes, "The statement is rebuilt from the trace (the record has no quote): the Principal's type keys (AWS, Service, ...) are not recorded.")
		}
	}
	var conds []Condition
	for _, el := range d.Elements {
		if el.Name == "Condition" {
			conds = el.Conditions
		}
	}
	for _, c := range conds {
		fx.Notes = append(fx.Notes, "To miss it without editing it: "+c.Text+".")
	}
	cmds, runAs, notes := f.editCommands(d.Layer, d.Policy)
	fx.Commands, fx.RunAs = cmds, runAs
	fx.Notes = append(fx.Notes, notes...)
	switch authz.Layer(d.Layer) {
	case authz.LayerIdentity, authz.LayerBoundary, authz.LayerSession:
		fx.Notes = append(fx.Notes, "To edit it: "+narrowText(&d, "Action", r.Action)+", or "+narrowText(&d, "Resource", orStar(r.Resource))+".")
	default:
		k := f.c.principalARNKey()
		if k != "" && f.c.typ != typeAnonymous && f.c.typ != typeService {
			exempt := map[string]map[string]string{"ArnNotEquals": {"aws:PrincipalArn": k}}
			b, _ := json.Marshal(exempt)
			fx.Notes = append(fx.Notes, "To exempt only this caller, add "+string(b)+" to the statement's Condition (for a role session aws:PrincipalArn is the role's ARN).")
		}
	}
	return fx
}

// decisiveName says which element decided, as written.
func decisiveName(d *Statement) string {
	for _, el := range d.Elements {
		if el.Decisive {
			return el.Name
		}
	}
	return d.Decisive
}

// narrowText says how to change element name so the statement stops
// covering value: narrow Action or Resource, or add to NotAction or
// NotResource.
func narrowText(d *Statement, name, value string) string {
	for _, el := range d.Elements {
		switch el.Name {
		case name:
			return "narrow its " + name + " (" + list(el.Want) + ") so it no longer covers " + value
		case "Not" + name:
			return "add " + value + " to its " + el.Name + " (" + list(el.Want) + ")"
		}
	}
	return "narrow its " + name + " so it no longer covers " + value
}

// editCommands reads and writes back the policy that holds a statement.
func (f *facts) editCommands(layer, name string) ([]string, string, []string) {
	r := f.r
	var notes []string
	edit := func(file string) string {
		return "# edit the statement in " + file + ", then:"
	}
	switch authz.Layer(layer) {
	case authz.LayerBucketPolicy:
		b := f.bucket
		if b == "" {
			b = placeholderBucket
			notes = append(notes, "The record does not name the bucket.")
		}
		return []string{
			cmd("aws", "s3api", "get-bucket-policy", "--bucket", b, "--query", "Policy", "--output", "text") + " > policy.json", edit("policy.json"),
			cmd("aws", "s3api", "put-bucket-policy", "--bucket", b, "--policy", "file://policy.json"),
		}, runAs(r.ResourceAccount, "the bucket owner"), notes
	case authz.LayerKeyPolicy:
		k := orUnknown(f.keyARN(), placeholderKey)
		return []string{
			cmd("aws", "kms", "get-key-policy", "--key-id", k, "--policy-name", "default", "--output", "text") + " > key-policy.json", edit("key-policy.json"),
			cmd("aws", "kms", "put-key-policy", "--key-id", k, "--policy-name", "default", "--policy", "file://key-policy.json"),
		}, runAs(r.ResourceAccount, "the key's account"), notes
	case authz.LayerTrustPolicy:
		role := placeholderRole
		if a, err := arn.Parse(r.Resource); err == nil && strings.HasPrefix(a.Resource, "role/") {
			role = lastSegment(a.Resource)
		}
		return []string{
			cmd("aws", "iam", "get-role", "--role-name", role, "--query", "Role.AssumeRolePolicyDocument", "--output", "json") + " > trust-policy.json", edit("trust-policy.json"),
			cmd("aws", "iam", "update-assume-role-policy", "--role-name", role, "--policy-document", "file://trust-policy.json"),
		}, runAs(r.ResourceAccount, "the role's account"), notes
	case authz.LayerEndpoint:
		v := r.EndpointID
		if v == "" && strings.HasPrefix(name, "vpce-") {
			v = name
		}
		if v == "" {
			v = placeholderEndpoint
			notes = append(notes, "The record does not name the VPC endpoint: the request's aws:SourceVpce key holds it.")
		}
		return []string{
			cmd("aws", "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", v, "--query", "VpcEndpoints[0].PolicyDocument", "--output", "text") + " > endpoint-policy.json", edit("endpoint-policy.json"),
			cmd("aws", "ec2", "modify-vpc-endpoint", "--vpc-endpoint-id", v, "--policy-document", "file://endpoint-policy.json"),
		}, "the account that owns " + v, notes
	case authz.LayerSCP, authz.LayerRCP:
		pk := classifyPolicy(name)
		run := "the organization's management account (or a delegated administrator)"
		if pk.kind != "org" {
			filter := "SERVICE_CONTROL_POLICY"
			if layer == string(authz.LayerRCP) {
				filter = "RESOURCE_CONTROL_POLICY"
			}
			return []string{cmd("aws", "organizations", "list-policies", "--filter", filter) + " --query " + jmesQuery("Policies[?Name=='"+name+"'].Id") + " --output text"},
				run, append(notes, "The record names the policy "+name+" but not its ID: the command above finds the ID; then use aws organizations describe-policy and update-policy.")
		}
		return []string{
			cmd("aws", "organizations", "describe-policy", "--policy-id", pk.orgID, "--query", "Policy.Content", "--output", "text") + " > org-policy.json", edit("org-policy.json"),
			cmd("aws", "organizations", "update-policy", "--policy-id", pk.orgID, "--content", "file://org-policy.json"),
		}, run, notes
	}
	// Identity-based, boundary and session policies, by how they are
	// attached.
	pk := classifyPolicy(name)
	acct := runAs(f.c.account, "the caller's account")
	switch pk.kind {
	case "inline":
		return []string{
			cmd("aws", "iam", "get-"+pk.owner+"-policy", "--"+pk.owner+"-name", pk.name, "--policy-name", pk.inner, "--query", "PolicyDocument", "--output", "json") + " > policy.json", edit("policy.json"),
			cmd("aws", "iam", "put-"+pk.owner+"-policy", "--"+pk.owner+"-name", pk.name, "--policy-name", pk.inner, "--policy-document", "file://policy.json"),
		}, acct, notes
	case "managed":
		return []string{
				managedGet(pk.arn, "policy.json"), edit("policy.json"),
				cmd("aws", "iam", "create-policy-version", "--policy-arn", pk.arn, "--policy-document", "file://policy.json", "--set-as-default"),
			}, acct, append(notes, "A managed policy keeps at most five versions: delete an old one with aws iam delete-policy-version if create-policy-version fails.",
				"Editing a managed policy changes it for every identity it is attached to.")
	case "aws-managed":
		return []string{cmd("aws", "iam", "list-entities-for-policy", "--policy-arn", pk.arn)}, acct,
			append(notes, pk.arn+" is an AWS managed policy and cannot be edited: detach it from the user, group or role listed above (aws iam detach-user-policy, detach-group-policy, detach-role-policy) and attach a narrower one.")
	case "session":
		return nil, runAs(f.c.account, "whoever creates the session"), append(notes, "Session policies are fixed when the session is created: create a new session (aws sts assume-role --policy ...) without this statement.")
	}
	return nil, acct, append(notes, "Look up where the policy "+quoteName(name)+" is attached to edit it.")
}

// jmesQuery quotes a JMESPath expression that holds single-quoted literals:
// in double quotes when nothing in it is special to the shell there.
func jmesQuery(q string) string {
	if strings.ContainsAny(q, "\"$`\\!") {
		return shq(q)
	}
	return `"` + q + `"`
}

// reconstruct rebuilds a statement's JSON from its trace, for quoting when
// the record has no source text.
func reconstruct(d *Statement) string {
	if len(d.Elements) == 0 {
		return ""
	}
	o := orderedObject{}
	if d.Sid != "" {
		o = append(o, kv{"Sid", d.Sid})
	}
	o = append(o, kv{"Effect", d.Effect})
	for _, el := range d.Elements {
		switch {
		case el.Name == "Condition":
			cond := orderedObject{}
			for _, c := range el.Conditions {
				cond = append(cond, kv{c.Operator, orderedObject{{c.Key, oneOrMany(c.Want)}}})
			}
			o = append(o, kv{"Condition", cond})
		case strings.HasSuffix(el.Name, "Principal") && len(el.Want) == 1 && el.Want[0] == "*":
			o = append(o, kv{el.Name, "*"})
		default:
			o = append(o, kv{el.Name, oneOrMany(el.Want)})
		}
	}
	return indented(o)
}

func oneOrMany(v []string) any {
	if len(v) == 1 {
		return v[0]
	}
	if v == nil {
		return []string{}
	}
	return v
}

var errUnencodable = errors.New("explain: value cannot be encoded as JSON")

// orderedObject is a JSON object that keeps its keys in order.
type orderedObject []kv

type kv struct {
	k string
	v any
}

// MarshalJSON writes the members in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(compact(m.k))
		b.WriteByte(':')
		v := compact(m.v)
		if v == "" {
			return nil, errUnencodable
		}
		b.WriteString(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}
