package export

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/explain"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

// Query is one request to simulate.
type Query struct {
	// Principal is an ARN: an account root (arn:aws:iam::A:root), an IAM
	// user or role, an assumed-role session (arn:aws:sts::A:assumed-role/R/S),
	// or "anonymous".
	Principal string
	// Action is "s3:Name" or "kms:Name".
	Action string
	// Resource is the bucket or object ARN (arn:aws:s3:::b/k) or KMS key ARN.
	Resource string
	// Context holds extra condition keys; they replace the defaults.
	Context map[string][]string
	// SourceIP is aws:SourceIp ("" sets none); EndpointID the VPC endpoint
	// the request came through ("" for none).
	SourceIP, EndpointID string
	// RequestPayer is whether x-amz-request-payer: requester was sent.
	RequestPayer bool
	// AssumeMissingEmpty evaluates absent bucket files as "not configured"
	// instead of failing with a *MissingError.
	AssumeMissingEmpty bool
	// Now is the request time (zero: time.Now).
	Now time.Time
}

// Missing is one export file a simulation needs and did not find.
type Missing struct {
	// File is the path relative to the export directory.
	File string
	// Why says what the file settles.
	Why string
	// Command is the aws CLI command that produces it.
	Command string
}

// MissingError reports the export files a simulation needs. Simulate never
// guesses an absent setting: a missing bucket policy could be the Deny
// that decides.
type MissingError struct{ Need []Missing }

// Error lists every missing file with the command that produces it.
func (e *MissingError) Error() string {
	var b strings.Builder
	b.WriteString("the export lacks files this decision depends on:")
	for _, m := range e.Need {
		fmt.Fprintf(&b, "\n  %s (%s)\n    %s", m.File, m.Why, m.Command)
	}
	return b.String()
}

// Result is a simulated decision.
type Result struct {
	// Record is what the server would log for the request.
	Record explain.Record
	// Warnings are what the simulation could not know (organizations not
	// exported, and files assumed empty).
	Warnings []string
}

// ErrUnsupported reports a request simulate cannot build.
var ErrUnsupported = errors.New("export: unsupported request")

// exportPath joins an account directory with a file.
func exportPath(dir, file string) string {
	if dir == "." || dir == "" {
		return file
	}
	return dir + "/" + file
}

// Simulate decides q against the export exactly as the server would after
// `verdict import`: it applies the export to an in-memory store and builds
// the engine's inputs with package inputs.
func Simulate(ctx context.Context, ex *Export, q Query) (*Result, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	service, _, ok := strings.Cut(q.Action, ":")
	service = strings.ToLower(service)
	if !ok || (service != "s3" && service != "kms") {
		return nil, fmt.Errorf("%w: action %q: simulate supports s3: and kms: actions", ErrUnsupported, q.Action)
	}
	res := &Result{}
	var need []Missing
	miss := func(m Missing) {
		if q.AssumeMissingEmpty && !strings.HasSuffix(m.File, "/") {
			res.Warnings = append(res.Warnings, "assumed "+m.File+" empty ("+m.Why+")")
			return
		}
		need = append(need, m)
	}

	// The principal.
	pr, err := parsePrincipal(q.Principal)
	if err != nil {
		return nil, err
	}
	if pr.account != "" {
		a := ex.Account(pr.account)
		switch {
		case a == nil && pr.kind != "root":
			need = append(need, Missing{File: pr.account + "/" + fileAuthDetails, Why: "the caller's identity policies",
				Command: "aws iam get-account-authorization-details --output json > " + pr.account + "/" + fileAuthDetails})
		case a != nil && pr.kind != "root" && !a.HasIAM:
			miss(Missing{File: exportPath(a.Dir, fileAuthDetails), Why: "the caller's identity policies",
				Command: "aws iam get-account-authorization-details --output json > " + exportPath(a.Dir, fileAuthDetails)})
		}
	}

	// The resource.
	var bucket *Bucket
	var object *Object
	var key *model.KMSKey
	bname, okey := "", ""
	switch service {
	case "s3":
		if q.Resource != "*" {
			rest, ok := strings.CutPrefix(q.Resource, "arn:aws:s3:::")
			if !ok || rest == "" {
				return nil, fmt.Errorf("%w: resource %q is not an S3 ARN (arn:aws:s3:::bucket or arn:aws:s3:::bucket/key)", ErrUnsupported, q.Resource)
			}
			bname, okey, _ = strings.Cut(rest, "/")
			if bucket = ex.Bucket(bname); bucket == nil {
				need = append(need, Missing{File: "s3/" + bname + "/", Why: "the bucket's owner, policy, ACL and settings",
					Command: "verdict collect-commands --bucket " + bname + " --principal " + q.Principal})
				break
			}
			for _, f := range bucket.Missing {
				miss(Missing{File: bucket.Dir + "/" + f, Why: bucketFileWhy[f], Command: bucketCommand(f, bname, bucket.Dir)})
			}
			owner := ex.Account(bucket.Record.Owner)
			if !owner.HasPublicAccessBlock {
				miss(Missing{File: exportPath(owner.Dir, fileAccountPAB), Why: "the bucket owner's account-level Block Public Access",
					Command: "aws s3control get-public-access-block --account-id " + owner.ID + " --output json > " + exportPath(owner.Dir, fileAccountPAB) +
						" || echo '{}' > " + exportPath(owner.Dir, fileAccountPAB)})
			}
			if okey != "" {
				object = bucket.Object(okey)
				if (object == nil || !object.HasACL) && !strings.EqualFold(q.Action, "s3:PutObject") {
					f := bucket.Dir + "/objects/" + okey + ".acl.json"
					miss(Missing{File: f, Why: "the object's owner and ACL (or that it does not exist)",
						Command: "aws s3api get-object-acl --bucket " + bname + " --key " + shellQuote(okey) + " --output json > " + shellQuote(f)})
				}
				if object != nil && object.UnknownOwner != "" {
					// Who owns the object decides whether the bucket
					// owner's policies reach it.
					// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html
					miss(Missing{File: fileCanonicalIDs, Why: "which account has canonical ID " + object.UnknownOwner + ", the owner of " + okey,
						Command: "aws s3api list-buckets --query Owner.ID --output text  # with the owning account's credentials; then add {\"" +
							object.UnknownOwner + "\": \"ACCOUNT-ID\"} to " + fileCanonicalIDs + " (or save list-buckets.json in that account's directory)"})
				}
			}
		}
	case "kms":
		key = ex.kmsKey(q.Resource)
		if key == nil {
			need = append(need, Missing{File: "kms/<key-id>/", Why: "the key's policy and grants",
				Command: "aws kms describe-key --key-id " + q.Resource + " --output json > kms/<key-id>/key.json; aws kms get-key-policy --key-id " +
					q.Resource + " --policy-name default --output json > kms/<key-id>/policy.json; aws kms list-grants --key-id " + q.Resource + " --output json > kms/<key-id>/grants.json"})
		}
	}
	if q.EndpointID != "" && ex.Endpoint(q.EndpointID) == nil {
		need = append(need, Missing{File: fileEndpoints, Why: "the policy of VPC endpoint " + q.EndpointID,
			Command: "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids " + q.EndpointID + " --output json > " + fileEndpoints})
	}
	if len(need) > 0 {
		return nil, &MissingError{Need: need}
	}
	if len(ex.Orgs) == 0 {
		res.Warnings = append(res.Warnings, "no organizations/ export: service and resource control policies were not evaluated")
	}

	st := memory.New()
	defer st.Close()
	if err := ex.Apply(ctx, st, now); err != nil {
		return nil, err
	}
	sessionKey := ""
	if pr.kind == "role" || pr.kind == "assumed-role" {
		sessionKey = state.StableID("ASIA", "verdict simulate "+q.Principal)
		if err := st.Update(ctx, func(tx store.Tx) error { return putSession(tx, pr, sessionKey, now) }); err != nil {
			return nil, err
		}
	}
	comp := inputs.NewCompiler()
	var req *authz.Request
	var in *authz.Inputs
	err = st.View(ctx, func(tx store.Tx) error {
		var caller *inputs.Caller
		var err error
		switch pr.kind {
		case "anonymous":
			caller = inputs.Anonymous()
			if caller.Orgs, err = comp.Orgs(tx); err != nil {
				return err
			}
		case "root":
			caller, err = comp.ResolveKey(tx, pr.account, "", now)
		case "user":
			if _, err := state.User(tx, pr.account, pr.name); err != nil {
				return fmt.Errorf("user %s is not in %s: %w", pr.name, fileAuthDetails, err)
			}
			caller, err = comp.ResolveKey(tx, UserAccessKeyID(pr.account, pr.name), "", now)
		default:
			caller, err = comp.ResolveKey(tx, sessionKey, "", now)
		}
		if err != nil {
			return err
		}
		cm := baseContext(q, now, bucket)
		var endpoint *authz.PolicyRef
		var vpc string
		if e := ex.Endpoint(q.EndpointID); e != nil {
			p, err := comp.Compile(e.Policy)
			if err != nil {
				return err
			}
			endpoint, vpc = &authz.PolicyRef{Name: "VPC endpoint policy of " + e.ID, Policy: p}, e.VPCID
			cm["aws:sourcevpce"] = []string{e.ID}
			if vpc != "" {
				cm["aws:sourcevpc"] = []string{vpc}
			}
			if ip, ok := cm["aws:sourceip"]; ok {
				// Through an endpoint AWS sees the private address.
				// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpcsourceip
				delete(cm, "aws:sourceip")
				cm["aws:vpcsourceip"] = ip
			}
		}
		for k, v := range q.Context {
			cm[strings.ToLower(k)] = v
		}
		switch service {
		case "s3":
			sr := &inputs.S3Request{Action: q.Action, Resource: q.Resource, RequestPayer: q.RequestPayer, Context: cm}
			if bucket != nil {
				b, err := state.Bucket(tx, bname)
				if err != nil {
					return err
				}
				sr.Bucket = b
				if sr.AccountPAB, err = state.AccountPublicAccess(tx, b.Owner); err != nil {
					return err
				}
				if object != nil && object.HasACL {
					if sr.Object, err = state.Object(tx, bname, okey); err != nil {
						return err
					}
				}
			}
			req, in, err = comp.S3(caller, sr)
		case "kms":
			k, err2 := state.KMSKey(tx, key.ID)
			if err2 != nil {
				return err2
			}
			// As the server's KMS handlers do, organizations' policies are
			// not added to KMS decisions.
			req, in, err = comp.KMS(caller, &inputs.KMSRequest{Action: q.Action, Key: k, KeyARN: KeyARN(k), Context: cm})
		}
		if err != nil {
			return err
		}
		if endpoint != nil {
			in.Endpoint, in.EndpointID = endpoint, q.EndpointID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d := authz.Decide(req, in, authz.Options{Trace: true})
	res.Record = explain.NewRecord(req, in, &d)
	res.Record.RequestID, res.Record.Time = "simulated", now.UTC()
	if q.EndpointID != "" {
		res.Record.EndpointID = q.EndpointID
	}
	return res, nil
}

// baseContext returns the global condition keys of a signed request over
// HTTPS, as service.Call.BaseContext sets them for a live request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func baseContext(q Query, now time.Time, b *Bucket) condition.Map {
	m := condition.Map{}
	m["aws:currenttime"] = []string{now.UTC().Format(time.RFC3339)}
	m["aws:epochtime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	m["aws:securetransport"] = []string{"true"}
	region := "us-east-1"
	if b != nil && b.Record.Region != "" {
		region = b.Record.Region
	}
	m["aws:requestedregion"] = []string{region}
	if q.SourceIP != "" {
		m["aws:sourceip"] = []string{q.SourceIP}
	}
	m["aws:viaawsservice"] = []string{"false"}
	if q.Principal != "anonymous" {
		m["s3:authtype"] = []string{"REST-HEADER"}
		m["s3:signatureversion"] = []string{"AWS4-HMAC-SHA256"}
	}
	return m
}

type principal struct {
	kind          string // anonymous, root, user, role, assumed-role
	account, name string
	path          string
	session       string
}

// parsePrincipal reads a principal ARN.
func parsePrincipal(s string) (principal, error) {
	if s == "anonymous" || s == "*" {
		return principal{kind: "anonymous"}, nil
	}
	if arn.IsAccountID(s) {
		return principal{kind: "root", account: s}, nil
	}
	a, err := arn.Parse(s)
	if err != nil || !arn.IsAccountID(a.Account) {
		return principal{}, fmt.Errorf("%w: principal %q is not an IAM or STS ARN (or \"anonymous\")", ErrUnsupported, s)
	}
	p := principal{account: a.Account}
	typ, rest, _ := strings.Cut(a.Resource, "/")
	switch {
	case a.Service == "iam" && a.Resource == "root":
		p.kind = "root"
	case a.Service == "iam" && (typ == "user" || typ == "role") && rest != "":
		p.kind = typ
		i := strings.LastIndexByte(rest, '/')
		p.name, p.path = rest[i+1:], "/"+rest[:i+1]
		if i < 0 {
			p.path = "/"
		}
	case a.Service == "sts" && typ == "assumed-role":
		role, sess, ok := strings.Cut(rest, "/")
		if !ok || role == "" || sess == "" {
			return principal{}, fmt.Errorf("%w: assumed-role ARN %q needs role and session names", ErrUnsupported, s)
		}
		p.kind, p.name, p.session = "assumed-role", role, sess
	default:
		return principal{}, fmt.Errorf("%w: principal %q: simulate knows account roots, users, roles and assumed-role sessions", ErrUnsupported, s)
	}
	return p, nil
}

// putSession stores an assumed-role session for a role principal.
func putSession(tx store.Tx, p principal, keyID string, now time.Time) error {
	r, err := state.Role(tx, p.account, p.name)
	if err != nil {
		return fmt.Errorf("role %s is not in %s: %w", p.name, fileAuthDetails, err)
	}
	sess := p.session
	if sess == "" {
		sess = "verdict-simulate"
	}
	s := &model.Session{AccessKeyID: keyID, Account: p.account, Kind: model.AssumedRoleSession, Issued: now, Expiration: now.Add(time.Hour),
		ARN: "arn:aws:sts::" + p.account + ":assumed-role/" + r.Name + "/" + sess, RoleName: r.Name, RoleARN: r.ARN(), RoleID: r.ID, Name: sess}
	return state.PutSession(tx, s)
}

// kmsKey finds an exported key by ARN or ID.
func (ex *Export) kmsKey(ref string) *model.KMSKey {
	id := ref
	if a, err := arn.Parse(ref); err == nil {
		id = strings.TrimPrefix(a.Resource, "key/")
	}
	for _, a := range ex.Accounts {
		for _, k := range a.Keys {
			if k.ID == id {
				return k
			}
		}
	}
	return nil
}

var bucketFileWhy = map[string]string{
	"policy.json":              "the bucket policy (write {} when the bucket has none)",
	"acl.json":                 "the bucket ACL",
	"ownership.json":           "S3 Object Ownership (write {} when not configured)",
	"public-access-block.json": "the bucket's Block Public Access (write {} when not configured)",
	"request-payment.json":     "Requester Pays",
}

// bucketCommand is the aws CLI command that writes file of bucket b in dir.
// Commands that fail when the setting is absent fall back to {}.
func bucketCommand(file, b, dir string) string {
	out := shellQuote(dir + "/" + file)
	orEmpty := " || echo '{}' > " + out
	switch file {
	case "policy.json":
		return "aws s3api get-bucket-policy --bucket " + b + " --output json > " + out + orEmpty
	case "acl.json":
		return "aws s3api get-bucket-acl --bucket " + b + " --output json > " + out
	case "ownership.json":
		return "aws s3api get-bucket-ownership-controls --bucket " + b + " --output json > " + out + orEmpty
	case "public-access-block.json":
		return "aws s3api get-public-access-block --bucket " + b + " --output json > " + out + orEmpty
	case "request-payment.json":
		return "aws s3api get-bucket-request-payment --bucket " + b + " --output json > " + out
	case "encryption.json":
		return "aws s3api get-bucket-encryption --bucket " + b + " --output json > " + out + orEmpty
	case "location.json":
		return "aws s3api get-bucket-location --bucket " + b + " --output json > " + out
	}
	return ""
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
