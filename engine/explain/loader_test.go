package explain

// A copy of engine/authz's corpus loader (corpus_test.go), so the explain
// tests build requests and inputs from the same YAML format: the corpus
// cases for the property test, testdata/scenarios for the golden files.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/policy"
)

type corpusCase struct {
	Name        string            `yaml:"name"`
	Source      string            `yaml:"source"`
	Description string            `yaml:"description"`
	Principal   casePrincipal     `yaml:"principal"`
	Request     caseRequest       `yaml:"request"`
	Identity    []casePolicy      `yaml:"identity"`
	Boundary    *casePolicy       `yaml:"boundary"`
	Session     []casePolicy      `yaml:"session"`
	SCPs        *caseOrg          `yaml:"scps"`
	RCPs        *caseOrg          `yaml:"rcps"`
	Endpoint    *casePolicy       `yaml:"endpoint"`
	Resource    *caseResource     `yaml:"resource_policy"`
	S3          *caseS3           `yaml:"s3"`
	KMS         *caseKMS          `yaml:"kms"`
	Expect      caseExpect        `yaml:"expect"`
	Extra       map[string]string `yaml:"notes"`
}

// casePrincipal is written either as a string (an ARN, "anonymous", or a
// service principal such as "cloudtrail.amazonaws.com") or as a map.
type casePrincipal struct {
	ARN           string `yaml:"arn"`
	RoleARN       string `yaml:"role_arn"`
	UniqueID      string `yaml:"unique_id"`
	ServiceLinked bool   `yaml:"service_linked"`
	Provider      string `yaml:"provider"`
}

func (p *casePrincipal) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.ARN = n.Value
		return nil
	}
	type plain casePrincipal
	return n.Decode((*plain)(p))
}

type caseRequest struct {
	Action          string         `yaml:"action"`
	Resource        string         `yaml:"resource"`
	ResourceAccount string         `yaml:"resource_account"`
	Context         map[string]any `yaml:"context"`
}

type casePolicy struct {
	Name   string `yaml:"name"`
	Target string `yaml:"target"`
	// Policy is the document: a YAML mapping (converted to JSON) or a
	// string holding JSON verbatim.
	Policy yaml.Node `yaml:"policy"`
}

type caseOrg struct {
	ID         string      `yaml:"id"`
	Management bool        `yaml:"management"`
	Levels     []caseLevel `yaml:"levels"`
}

type caseLevel struct {
	Target   string       `yaml:"target"`
	Policies []casePolicy `yaml:"policies"`
}

type caseResource struct {
	Kind       string `yaml:"kind"` // bucket, key, trust
	casePolicy `yaml:",inline"`
}

type caseACL struct {
	Canned string      `yaml:"canned"`
	Owner  string      `yaml:"owner"` // account; defaults to the resource owner
	Grants []caseGrant `yaml:"grants"`
}

type caseGrant struct {
	Account    string `yaml:"account"` // canonical user of this account
	Group      string `yaml:"group"`   // AllUsers, AuthenticatedUsers, LogDelivery
	Permission string `yaml:"permission"`
}

type caseS3 struct {
	BucketOwner   string                 `yaml:"bucket_owner"`
	ObjectOwner   string                 `yaml:"object_owner"`
	BucketACL     *caseACL               `yaml:"bucket_acl"`
	ObjectACL     *caseACL               `yaml:"object_acl"`
	Ownership     string                 `yaml:"ownership"`
	PublicAccess  *acl.PublicAccessBlock `yaml:"public_access_block"`
	PolicyPublic  bool                   `yaml:"policy_public"`
	RequesterPays bool                   `yaml:"requester_pays"`
	RequestPayer  bool                   `yaml:"request_payer"`
}

type caseKMS struct {
	AWSManaged        bool              `yaml:"aws_managed"`
	Grants            []caseKMSGrant    `yaml:"grants"`
	EncryptionContext map[string]string `yaml:"encryption_context"`
}

type caseKMSGrant struct {
	Grantee    string            `yaml:"grantee"`
	Operations []string          `yaml:"operations"`
	Equals     map[string]string `yaml:"encryption_context_equals"`
	Subset     map[string]string `yaml:"encryption_context_subset"`
}

type caseExpect struct {
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

// canonicalID is the corpus's stand-in for an account's canonical user ID.
func canonicalID(account string) string {
	if account == "" {
		return ""
	}
	h := sha256.Sum256([]byte("canonical:" + account))
	return hex.EncodeToString(h[:])
}

func (c *corpusCase) principal() (authz.Principal, error) {
	cp := c.Principal
	p := authz.Principal{ARN: cp.ARN, RoleARN: cp.RoleARN, UniqueID: cp.UniqueID, ServiceLinked: cp.ServiceLinked, Provider: cp.Provider}
	switch {
	case cp.ARN == "" || cp.ARN == "anonymous":
		return authz.Principal{Type: authz.Anonymous}, nil
	case strings.HasSuffix(cp.ARN, ".amazonaws.com"):
		return authz.Principal{Type: authz.Service, ServiceName: cp.ARN}, nil
	}
	a, err := arn.Parse(cp.ARN)
	if err != nil {
		return p, fmt.Errorf("principal %q: %w", cp.ARN, err)
	}
	p.Account = a.Account
	p.CanonicalID = canonicalID(a.Account)
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

func (cp *casePolicy) ref() (authz.PolicyRef, error) {
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

func refs(list []casePolicy) ([]authz.PolicyRef, error) {
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

func (o *caseOrg) org() (*authz.Org, error) {
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

func (a *caseACL) acl(defaultOwner, bucketOwner string, onBucket bool) (*acl.ACL, error) {
	if a == nil {
		return nil, nil
	}
	owner := a.Owner
	if owner == "" {
		owner = defaultOwner
	}
	o := acl.Owner{ID: canonicalID(owner)}
	out := acl.Private(o)
	if a.Canned != "" {
		var err error
		out, err = acl.Canned(a.Canned, o, acl.Owner{ID: canonicalID(bucketOwner)}, onBucket)
		if err != nil {
			return nil, err
		}
	}
	for _, g := range a.Grants {
		gr := acl.Grant{Permission: acl.Permission(g.Permission)}
		switch {
		case g.Account != "":
			gr.Grantee = acl.Grantee{Type: acl.CanonicalUser, ID: canonicalID(g.Account)}
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

func contextMap(m map[string]any) (condition.Map, error) {
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

func (c *corpusCase) build() (*authz.Request, *authz.Inputs, error) {
	pr, err := c.principal()
	if err != nil {
		return nil, nil, err
	}
	ctx, err := contextMap(c.Request.Context)
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
		s3 := &authz.S3{BucketOwner: authz.Owner{Account: s.BucketOwner, CanonicalID: canonicalID(s.BucketOwner)}, PolicyPublic: s.PolicyPublic,
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
			s3.ObjectOwner = &authz.Owner{Account: s.ObjectOwner, CanonicalID: canonicalID(s.ObjectOwner)}
		}
		if s3.BucketACL, err = s.BucketACL.acl(s.BucketOwner, s.BucketOwner, true); err != nil {
			return nil, nil, err
		}
		if s.BucketACL == nil {
			a := acl.Private(acl.Owner{ID: canonicalID(s.BucketOwner)})
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
			a := acl.Private(acl.Owner{ID: canonicalID(objOwner)})
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

func loadCases(t testing.TB, dir string) map[string]*corpusCase {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	out := map[string]*corpusCase{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c corpusCase
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = &c
	}
	return out
}
