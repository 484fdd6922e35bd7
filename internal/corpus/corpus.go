// Package corpus loads verdict's decision corpus — one behaviour per YAML file
// under engine/authz/testdata/cases/ — and builds each case's engine request
// and inputs. It is test support shared by the engine's own tests and the
// explanation tests; it lives outside engine/ because it reads files and
// YAML, which the engine may not.
//
// The file format is documented in engine/authz/testdata/cases/README.md.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/policy"
)

// File is one loaded case and its path.
type File struct {
	Path string
	Case *Case
}

// Load reads every .yaml case under dir, sorted by path, rejecting unknown
// fields.
func Load(dir string) ([]File, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := make([]File, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var c Case
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, File{Path: p, Case: &c})
	}
	return out, nil
}

// Case is one corpus file: a request, the policies and settings AWS would
// consult, and the decision AWS reaches, with the AWS page it encodes.
type Case struct {
	Name        string            `yaml:"name"`
	Source      string            `yaml:"source"`
	Description string            `yaml:"description"`
	Principal   CasePrincipal     `yaml:"principal"`
	Request     CaseRequest       `yaml:"request"`
	Identity    []CasePolicy      `yaml:"identity"`
	Boundary    *CasePolicy       `yaml:"boundary"`
	Session     []CasePolicy      `yaml:"session"`
	SCPs        *CaseOrg          `yaml:"scps"`
	RCPs        *CaseOrg          `yaml:"rcps"`
	Endpoint    *CasePolicy       `yaml:"endpoint"`
	Resource    *CaseResource     `yaml:"resource_policy"`
	S3          *CaseS3           `yaml:"s3"`
	KMS         *CaseKMS          `yaml:"kms"`
	Expect      CaseExpect        `yaml:"expect"`
	Extra       map[string]string `yaml:"notes"`
}

// CasePrincipal is written either as a string (an ARN, "anonymous", or a
// service principal such as "cloudtrail.amazonaws.com") or as a map.
type CasePrincipal struct {
	ARN           string `yaml:"arn"`
	RoleARN       string `yaml:"role_arn"`
	UniqueID      string `yaml:"unique_id"`
	ServiceLinked bool   `yaml:"service_linked"`
	Provider      string `yaml:"provider"`
}

func (p *CasePrincipal) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.ARN = n.Value
		return nil
	}
	type plain CasePrincipal
	return n.Decode((*plain)(p))
}

// CaseRequest is the request of a case.
type CaseRequest struct {
	Action          string         `yaml:"action"`
	Resource        string         `yaml:"resource"`
	ResourceAccount string         `yaml:"resource_account"`
	Context         map[string]any `yaml:"context"`
}

// CasePolicy is a named policy document.
type CasePolicy struct {
	Name   string `yaml:"name"`
	Target string `yaml:"target"`
	// Policy is the document: a YAML mapping (converted to JSON) or a
	// string holding JSON verbatim.
	Policy yaml.Node `yaml:"policy"`
}

// CaseOrg is an organization path with the policies of one type.
type CaseOrg struct {
	ID         string      `yaml:"id"`
	Management bool        `yaml:"management"`
	Levels     []CaseLevel `yaml:"levels"`
}

// CaseLevel is one level (root, OU or account) of a CaseOrg.
type CaseLevel struct {
	Target   string       `yaml:"target"`
	Policies []CasePolicy `yaml:"policies"`
}

// CaseResource is the resource-based policy and its kind.
type CaseResource struct {
	Kind       string `yaml:"kind"` // bucket, key, trust
	CasePolicy `yaml:",inline"`
}

// CaseACL is a bucket or object ACL: a canned ACL plus grants.
type CaseACL struct {
	Canned string      `yaml:"canned"`
	Owner  string      `yaml:"owner"` // account; defaults to the resource owner
	Grants []CaseGrant `yaml:"grants"`
}

// CaseGrant is one ACL grant to an account or a group.
type CaseGrant struct {
	Account    string `yaml:"account"` // canonical user of this account
	Group      string `yaml:"group"`   // AllUsers, AuthenticatedUsers, LogDelivery
	Permission string `yaml:"permission"`
}

// CaseS3 holds the S3 inputs of a case.
type CaseS3 struct {
	BucketOwner   string                 `yaml:"bucket_owner"`
	ObjectOwner   string                 `yaml:"object_owner"`
	BucketACL     *CaseACL               `yaml:"bucket_acl"`
	ObjectACL     *CaseACL               `yaml:"object_acl"`
	Ownership     string                 `yaml:"ownership"`
	PublicAccess  *acl.PublicAccessBlock `yaml:"public_access_block"`
	PolicyPublic  bool                   `yaml:"policy_public"`
	RequesterPays bool                   `yaml:"requester_pays"`
	RequestPayer  bool                   `yaml:"request_payer"`
}

// CaseKMS holds the KMS inputs of a case.
type CaseKMS struct {
	AWSManaged        bool              `yaml:"aws_managed"`
	Grants            []CaseKMSGrant    `yaml:"grants"`
	EncryptionContext map[string]string `yaml:"encryption_context"`
}

// CaseKMSGrant is a KMS grant.
type CaseKMSGrant struct {
	Grantee    string            `yaml:"grantee"`
	Operations []string          `yaml:"operations"`
	Equals     map[string]string `yaml:"encryption_context_equals"`
	Subset     map[string]string `yaml:"encryption_context_subset"`
}

// CaseExpect is the decision the case wants.
type CaseExpect struct {
	Decision  string `yaml:"decision"` // allow | deny
	Effect    string `yaml:"effect"`   // allow | explicit-deny | implicit-deny
	Layer     string `yaml:"layer"`
	Statement *struct {
		Policy string `yaml:"policy"`
		Sid    string `yaml:"sid"`
		Index  *int   `yaml:"index"`
	} `yaml:"statement"`
	Message string `yaml:"message"`
}

// CanonicalID is the corpus's stand-in for an account's canonical user ID.
func CanonicalID(account string) string {
	if account == "" {
		return ""
	}
	h := sha256.Sum256([]byte("canonical:" + account))
	return hex.EncodeToString(h[:])
}

func (c *Case) principal() (authz.Principal, error) {
	cp := c.Principal
	p := authz.Principal{ARN: cp.ARN, RoleARN: cp.RoleARN, UniqueID: cp.UniqueID, ServiceLinked: cp.ServiceLinked, Provider: cp.Provider}
	switch {
	case cp.ARN == "" || cp.ARN == "anonymous":
		// A web identity caller has no ARN, only its provider (matched
		// against Principal.Federated).
		return authz.Principal{Type: authz.Anonymous, Provider: cp.Provider}, nil
	case strings.HasSuffix(cp.ARN, ".amazonaws.com"):
		return authz.Principal{Type: authz.Service, ServiceName: cp.ARN}, nil
	}
	a, err := arn.Parse(cp.ARN)
	if err != nil {
		return p, fmt.Errorf("principal %q: %w", cp.ARN, err)
	}
	p.Account = a.Account
	p.CanonicalID = CanonicalID(a.Account)
	switch {
	case a.Service == "iam" && a.Resource == "root":
		p.Type = authz.Root
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/"):
		p.Type = authz.User
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		p.Type = authz.AssumedRole
		if p.RoleARN == "" {
			parts := strings.Split(a.Resource, "/")
			p.RoleARN = "arn:" + a.Partition + ":iam::" + a.Account + ":role/" + parts[1]
		}
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "federated-user/"):
		p.Type = authz.FederatedUser
	default:
		return p, fmt.Errorf("principal %q: unsupported ARN", cp.ARN)
	}
	return p, nil
}

func (cp *CasePolicy) ref() (authz.PolicyRef, error) {
	var doc []byte
	if cp.Policy.Kind == yaml.ScalarNode {
		doc = []byte(cp.Policy.Value)
	} else {
		var v any
		if err := cp.Policy.Decode(&v); err != nil {
			return authz.PolicyRef{}, err
		}
		var err error
		doc, err = json.Marshal(v)
		if err != nil {
			return authz.PolicyRef{}, err
		}
	}
	p, err := policy.Parse(doc)
	if err != nil {
		return authz.PolicyRef{}, fmt.Errorf("policy %q: %w", cp.Name, err)
	}
	return authz.PolicyRef{Name: cp.Name, Target: cp.Target, Policy: p}, nil
}

func refs(list []CasePolicy) ([]authz.PolicyRef, error) {
	var out []authz.PolicyRef
	for i := range list {
		r, err := list[i].ref()
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (o *CaseOrg) org() (*authz.Org, error) {
	if o == nil {
		return nil, nil
	}
	org := &authz.Org{ID: o.ID, Management: o.Management, Levels: []authz.OrgLevel{}}
	for _, l := range o.Levels {
		ps, err := refs(l.Policies)
		if err != nil {
			return nil, err
		}
		org.Levels = append(org.Levels, authz.OrgLevel{Target: l.Target, Policies: ps})
	}
	return org, nil
}

func (a *CaseACL) acl(defaultOwner, bucketOwner string, onBucket bool) (*acl.ACL, error) {
	if a == nil {
		return nil, nil
	}
	owner := a.Owner
	if owner == "" {
		owner = defaultOwner
	}
	o := acl.Owner{ID: CanonicalID(owner)}
	out := acl.Private(o)
	if a.Canned != "" {
		var err error
		out, err = acl.Canned(a.Canned, o, acl.Owner{ID: CanonicalID(bucketOwner)}, onBucket)
		if err != nil {
			return nil, err
		}
	}
	for _, g := range a.Grants {
		gr := acl.Grant{Permission: acl.Permission(g.Permission)}
		switch {
		case g.Account != "":
			gr.Grantee = acl.Grantee{Type: acl.CanonicalUser, ID: CanonicalID(g.Account)}
		case g.Group == "AllUsers":
			gr.Grantee = acl.Grantee{Type: acl.Group, URI: acl.AllUsers}
		case g.Group == "AuthenticatedUsers":
			gr.Grantee = acl.Grantee{Type: acl.Group, URI: acl.AuthenticatedUsers}
		case g.Group == "LogDelivery":
			gr.Grantee = acl.Grantee{Type: acl.Group, URI: acl.LogDelivery}
		default:
			return nil, fmt.Errorf("grant needs account or group")
		}
		out.Grants = append(out.Grants, gr)
	}
	return &out, nil
}

// ContextMap turns YAML context values into a condition.Map with lower-case
// keys.
func ContextMap(m map[string]any) (condition.Map, error) {
	out := condition.Map{}
	for k, v := range m {
		key := strings.ToLower(k)
		switch t := v.(type) {
		case []any:
			vals := make([]string, 0, len(t))
			for _, x := range t {
				vals = append(vals, fmt.Sprint(x))
			}
			out[key] = vals
		case nil:
			out[key] = []string{""}
		default:
			out[key] = []string{fmt.Sprint(t)}
		}
	}
	return out, nil
}

// Build turns the case into the engine's request and inputs.
func (c *Case) Build() (*authz.Request, *authz.Inputs, error) {
	pr, err := c.principal()
	if err != nil {
		return nil, nil, err
	}
	ctx, err := ContextMap(c.Request.Context)
	if err != nil {
		return nil, nil, err
	}
	// The principal's own keys come first, as the server adds them; a case
	// may still set them explicitly.
	full := condition.Map{}
	authz.PrincipalKeys(&pr, full)
	for k, v := range ctx {
		full[k] = v
	}
	req := &authz.Request{Principal: pr, Action: c.Request.Action, Resource: c.Request.Resource, ResourceAccount: c.Request.ResourceAccount, Context: full}
	in := &authz.Inputs{}
	if in.Identity, err = refs(c.Identity); err != nil {
		return nil, nil, err
	}
	if c.Boundary != nil {
		r, err := c.Boundary.ref()
		if err != nil {
			return nil, nil, err
		}
		in.Boundary = &r
	}
	// An empty session list is a session created without session policies,
	// which AWS does not limit; a non-empty one is the policies passed.
	if in.Session, err = refs(c.Session); err != nil {
		return nil, nil, err
	}
	if in.PrincipalOrg, err = c.SCPs.org(); err != nil {
		return nil, nil, err
	}
	if in.ResourceOrg, err = c.RCPs.org(); err != nil {
		return nil, nil, err
	}
	if c.Endpoint != nil {
		r, err := c.Endpoint.ref()
		if err != nil {
			return nil, nil, err
		}
		in.Endpoint = &r
	}
	if c.Resource != nil {
		r, err := c.Resource.ref()
		if err != nil {
			return nil, nil, err
		}
		in.Resource = &r
		switch c.Resource.Kind {
		case "bucket", "":
			in.ResourceKind = authz.BucketPolicy
		case "key":
			in.ResourceKind = authz.KeyPolicy
		case "trust":
			in.ResourceKind = authz.TrustPolicy
		default:
			return nil, nil, fmt.Errorf("unknown resource_policy kind %q", c.Resource.Kind)
		}
	}
	if s := c.S3; s != nil {
		if in.ResourceKind == authz.NoResourcePolicy {
			in.ResourceKind = authz.BucketPolicy
		}
		if req.ResourceAccount == "" {
			req.ResourceAccount = s.BucketOwner
		}
		s3 := &authz.S3{BucketOwner: authz.Owner{Account: s.BucketOwner, CanonicalID: CanonicalID(s.BucketOwner)}, PolicyPublic: s.PolicyPublic,
			RequesterPays: s.RequesterPays, RequestPayer: s.RequestPayer, Ownership: acl.ObjectWriter}
		if s.Ownership != "" {
			o, ok := acl.ParseOwnership(s.Ownership)
			if !ok {
				return nil, nil, fmt.Errorf("bad ownership %q", s.Ownership)
			}
			s3.Ownership = o
		}
		if s.PublicAccess != nil {
			s3.PublicAccess = *s.PublicAccess
		}
		if s.ObjectOwner != "" {
			s3.ObjectOwner = &authz.Owner{Account: s.ObjectOwner, CanonicalID: CanonicalID(s.ObjectOwner)}
		}
		if s3.BucketACL, err = s.BucketACL.acl(s.BucketOwner, s.BucketOwner, true); err != nil {
			return nil, nil, err
		}
		if s.BucketACL == nil {
			a := acl.Private(acl.Owner{ID: CanonicalID(s.BucketOwner)})
			s3.BucketACL = &a
		}
		objOwner := s.ObjectOwner
		if objOwner == "" {
			objOwner = s.BucketOwner
		}
		if s3.ObjectACL, err = s.ObjectACL.acl(objOwner, s.BucketOwner, false); err != nil {
			return nil, nil, err
		}
		if s.ObjectACL == nil && s.ObjectOwner != "" {
			a := acl.Private(acl.Owner{ID: CanonicalID(objOwner)})
			s3.ObjectACL = &a
		}
		in.S3 = s3
	}
	if k := c.KMS; k != nil {
		km := &authz.KMS{AWSManaged: k.AWSManaged, EncryptionContext: k.EncryptionContext}
		for i, g := range k.Grants {
			km.Grants = append(km.Grants, authz.Grant{ID: fmt.Sprint("grant-", i), GranteePrincipal: g.Grantee, Operations: g.Operations,
				EncryptionContextEquals: g.Equals, EncryptionContextSubset: g.Subset})
		}
		in.KMS = km
	}
	return req, in, nil
}
