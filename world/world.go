// Package world reads a world file — one YAML document that declares a
// whole scenario: accounts, their IAM users, groups, roles and customer
// managed policies, and S3 buckets with their policies and settings — and
// applies it to a store. The format is documented in README.md.
//
// Load checks everything that can be checked without the store (names,
// paths, policy documents in the words IAM and S3 use, references between
// entities) and reports problems with line numbers. Apply makes the store
// match the file and is idempotent: applying the same file again, as
// verdict does at every start, changes nothing.
package world

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/verdict-project/verdict/awsmanaged"
	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
)

// World is a loaded world file.
type World struct {
	// File is the name errors are reported under.
	File     string
	Accounts []*Account
}

// Pos is where an element was declared.
type Pos struct {
	Line, Col int
}

// Account is one AWS account and everything declared in it.
type Account struct {
	Pos
	ID, Name, Alias, Email string
	// PublicAccessBlock is the account-level S3 Block Public Access
	// configuration; nil leaves the account's setting as it is.
	PublicAccessBlock *acl.PublicAccessBlock
	// AccessKeys are long-term keys of the account's root user.
	AccessKeys []*AccessKey
	Policies   []*Policy
	Groups     []*Group
	Users      []*User
	Roles      []*Role
	Buckets    []*Bucket
	// OIDCProviders are the account's IAM OpenID Connect providers, which
	// roles trust for AssumeRoleWithWebIdentity.
	OIDCProviders []*OIDCProvider
}

// OIDCProvider is an IAM OpenID Connect identity provider.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
type OIDCProvider struct {
	Pos
	// URL is the issuer, https://HOST[/PATH].
	URL         string
	ClientIDs   []string
	Thumbprints []string
}

// AccessKey is a long-term access key with a fixed secret.
type AccessKey struct {
	Pos
	ID, Secret string
	// Status is Active or Inactive.
	Status string
}

// Policy is a customer managed policy.
type Policy struct {
	Pos
	Name, Path, Description string
	// Document is the policy in JSON.
	Document string
}

// ARN returns the policy's ARN in account.
func (p *Policy) ARN(account string) string {
	return "arn:aws:iam::" + account + ":policy" + p.Path + p.Name
}

// Group is an IAM group.
type Group struct {
	Pos
	Name, Path string
	// Inline maps inline policy names to JSON documents.
	Inline map[string]string
	// Attached holds managed policy ARNs (names are resolved at Load).
	Attached []string
	at       map[string]Pos
}

// User is an IAM user.
type User struct {
	Pos
	Name, Path string
	AccessKeys []*AccessKey
	Inline     map[string]string
	Attached   []string
	// Groups names groups of the same account.
	Groups []string
	// Boundary is the permissions boundary's ARN, or "".
	Boundary string
	Tags     []model.Tag
	at       map[string]Pos
}

// Role is an IAM role. Identity Center roles are roles with the path
// /aws-reserved/sso.amazonaws.com/ (or a region under it).
type Role struct {
	Pos
	Name, Path, Description string
	// Trust is the trust policy in JSON.
	Trust              string
	Inline             map[string]string
	Attached           []string
	Boundary           string
	Tags               []model.Tag
	MaxSessionDuration int
	at                 map[string]Pos
}

// Bucket is an S3 bucket owned by the account it is declared in.
type Bucket struct {
	Pos
	Name, Region string
	Ownership    acl.Ownership
	// ACL is a canned ACL name.
	ACL string
	// Policy is the bucket policy in JSON, or "".
	Policy string
	// PublicAccessBlock is the bucket's Block Public Access configuration;
	// nil when turned off.
	PublicAccessBlock *acl.PublicAccessBlock
	RequesterPays     bool
	Tags              []model.Tag
}

// Load reads and checks the world file at path.
func Load(path string) (*World, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("file larger than %d bytes", MaxSize)}
	}
	return Parse(path, data)
}

// Parse reads and checks a world file's contents; name is used in errors.
// Every problem is an *Error.
func Parse(name string, data []byte) (w *World, err error) {
	if len(data) > MaxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file larger than %d bytes", MaxSize)}
	}
	var root yaml.Node
	if err := unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err)
	}
	p := &parser{walker: walker{file: name, budget: maxNodes}}
	w = &World{File: name}
	if root.Kind == 0 || len(root.Content) == 0 {
		return w, nil // an empty file declares nothing
	}
	if err := p.world(w, root.Content[0]); err != nil {
		return nil, err
	}
	if err := p.check(w); err != nil {
		return nil, err
	}
	return w, nil
}

// unmarshal is yaml.Unmarshal with panics turned into errors: the parser
// must never take verdict down, whatever the file holds.
func unmarshal(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("invalid YAML: %v", v)
		}
	}()
	return yaml.Unmarshal(data, n)
}

// yamlError turns yaml.v3's "yaml: line N: msg" into an *Error.
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{File: file, Msg: msg}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = strings.TrimPrefix(te.Errors[0], "yaml: ")
	}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		var line int
		if _, err := fmt.Sscanf(rest, "%d:", &line); err == nil && line > 0 {
			e.Line = line
			e.Msg = strings.TrimSpace(rest[strings.IndexByte(rest, ':')+1:])
		}
	}
	return e
}

// parser turns the node tree into a World.
type parser struct {
	walker
}

func pos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

func (p *parser) world(w *World, n *yaml.Node) error {
	r, err := p.resolve(n, "")
	if err != nil {
		return err
	}
	if r.Kind == yaml.ScalarNode && r.Tag == "!!null" {
		return nil
	}
	fields, err := p.mapping(r, "", "accounts")
	if err != nil {
		return err
	}
	f, ok := fields["accounts"]
	if !ok {
		return nil
	}
	items, err := p.seq(f.node, "accounts")
	if err != nil {
		return err
	}
	for i, it := range items {
		a, err := p.account(it, fmt.Sprintf("accounts[%d]", i))
		if err != nil {
			return err
		}
		w.Accounts = append(w.Accounts, a)
	}
	return nil
}

func (p *parser) account(n *yaml.Node, path string) (*Account, error) {
	fields, err := p.mapping(n, path, "id", "name", "alias", "email", "public_access_block", "access_keys",
		"policies", "groups", "users", "roles", "buckets", "oidc_providers")
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(n, path)
	a := &Account{Pos: pos(r)}
	if err := p.strField(fields, "id", &a.ID); err != nil {
		return nil, err
	}
	if !arn.IsAccountID(a.ID) {
		return nil, p.at(fields, "id", r, path, "account id must be 12 digits, found %q", a.ID)
	}
	for _, kv := range []struct {
		key string
		dst *string
	}{{"name", &a.Name}, {"alias", &a.Alias}, {"email", &a.Email}} {
		if err := p.strField(fields, kv.key, kv.dst); err != nil {
			return nil, err
		}
	}
	if f, ok := fields["public_access_block"]; ok {
		if a.PublicAccessBlock, err = p.pab(f.node, f.path); err != nil {
			return nil, err
		}
		if a.PublicAccessBlock == nil {
			a.PublicAccessBlock = &acl.PublicAccessBlock{}
		}
	}
	if a.AccessKeys, err = p.keys(fields, path); err != nil {
		return nil, err
	}
	if err := eachItem(p, fields, "policies", func(n *yaml.Node, path string) error {
		x, err := p.policy(n, path, a.ID)
		a.Policies = append(a.Policies, x)
		return err
	}); err != nil {
		return nil, err
	}
	if err := eachItem(p, fields, "groups", func(n *yaml.Node, path string) error {
		x, err := p.group(n, path)
		a.Groups = append(a.Groups, x)
		return err
	}); err != nil {
		return nil, err
	}
	if err := eachItem(p, fields, "users", func(n *yaml.Node, path string) error {
		x, err := p.user(n, path)
		a.Users = append(a.Users, x)
		return err
	}); err != nil {
		return nil, err
	}
	if err := eachItem(p, fields, "roles", func(n *yaml.Node, path string) error {
		x, err := p.role(n, path)
		a.Roles = append(a.Roles, x)
		return err
	}); err != nil {
		return nil, err
	}
	if err := eachItem(p, fields, "buckets", func(n *yaml.Node, path string) error {
		x, err := p.bucket(n, path, a.ID)
		a.Buckets = append(a.Buckets, x)
		return err
	}); err != nil {
		return nil, err
	}
	if err := eachItem(p, fields, "oidc_providers", func(n *yaml.Node, path string) error {
		x, err := p.oidcProvider(n, path)
		a.OIDCProviders = append(a.OIDCProviders, x)
		return err
	}); err != nil {
		return nil, err
	}
	return a, nil
}

// oidcProvider reads an OIDC provider: url (https, with a host, no query or
// fragment, as CreateOpenIDConnectProvider requires), client_ids and
// thumbprints (40 hex digits each).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
func (p *parser) oidcProvider(n *yaml.Node, path string) (*OIDCProvider, error) {
	fields, err := p.mapping(n, path, "url", "client_ids", "thumbprints")
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(n, path)
	x := &OIDCProvider{Pos: pos(r)}
	if err := p.strField(fields, "url", &x.URL); err != nil {
		return nil, err
	}
	u, err := url.Parse(x.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, p.at(fields, "url", r, path, "an OIDC provider url is https://HOST[/PATH], found %q", x.URL)
	}
	for _, kv := range []struct {
		key string
		dst *[]string
		max int
	}{{"client_ids", &x.ClientIDs, 100}, {"thumbprints", &x.Thumbprints, 5}} {
		f, ok := fields[kv.key]
		if !ok {
			continue
		}
		if *kv.dst, err = p.strs(f.node, f.path); err != nil {
			return nil, err
		}
		if len(*kv.dst) > kv.max {
			return nil, p.at(fields, kv.key, r, path, "at most %d %s", kv.max, kv.key)
		}
	}
	for _, t := range x.Thumbprints {
		if len(t) != 40 || strings.Trim(strings.ToLower(t), "0123456789abcdef") != "" {
			return nil, p.at(fields, "thumbprints", r, path, "a thumbprint is 40 hexadecimal digits, found %q", t)
		}
	}
	return x, nil
}

// eachItem calls fn on every item of the list field key, if present.
func eachItem(p *parser, fields map[string]field, key string, fn func(*yaml.Node, string) error) error {
	f, ok := fields[key]
	if !ok {
		return nil
	}
	items, err := p.seq(f.node, f.path)
	if err != nil {
		return err
	}
	for i, it := range items {
		if err := fn(it, fmt.Sprintf("%s[%d]", f.path, i)); err != nil {
			return err
		}
	}
	return nil
}

// at builds an error located at field key's value, or at n when the field
// is absent.
func (p *parser) at(fields map[string]field, key string, n *yaml.Node, path, format string, args ...any) error {
	if f, ok := fields[key]; ok {
		r, err := p.resolve(f.node, f.path)
		if err != nil {
			return err
		}
		return p.errf(r, f.path, format, args...)
	}
	return p.errf(n, joinPath(path, key), format, args...)
}

func (p *parser) strField(fields map[string]field, key string, dst *string) error {
	f, ok := fields[key]
	if !ok {
		return nil
	}
	s, err := p.str(f.node, f.path)
	*dst = s
	return err
}

// checkName applies an IAM name rule to a required field.
func (p *parser) checkName(fields map[string]field, n *yaml.Node, path, key string, rule model.NameRule, dst *string) error {
	if err := p.strField(fields, key, dst); err != nil {
		return err
	}
	if _, ok := fields[key]; !ok {
		return p.errf(n, joinPath(path, key), "missing")
	}
	if c := rule.Check(*dst); c != "" {
		return p.at(fields, key, n, path, "invalid value %q: %s", *dst, strings.TrimPrefix(c, "Member "))
	}
	return nil
}

// checkPath reads an optional IAM path, "/" by default.
func (p *parser) checkPath(fields map[string]field, n *yaml.Node, path string, dst *string) error {
	*dst = "/"
	if _, ok := fields["path"]; !ok {
		return nil
	}
	if err := p.strField(fields, "path", dst); err != nil {
		return err
	}
	if !model.ValidPath(*dst) {
		return p.at(fields, "path", n, path, "invalid path %q: a path starts and ends with / and holds printable ASCII", *dst)
	}
	return nil
}

func (p *parser) keys(fields map[string]field, path string) ([]*AccessKey, error) {
	var out []*AccessKey
	err := eachItem(p, fields, "access_keys", func(n *yaml.Node, path string) error {
		kf, err := p.mapping(n, path, "id", "secret", "status")
		if err != nil {
			return err
		}
		r, _ := p.resolve(n, path)
		k := &AccessKey{Pos: pos(r), Status: "Active"}
		if err := p.checkName(kf, r, path, "id", model.AccessKeyIDRule, &k.ID); err != nil {
			return err
		}
		if strings.HasPrefix(k.ID, "ASIA") || arn.IsAccountID(k.ID) {
			// ASIA keys are sessions and 12-digit keys root users.
			return p.at(kf, "id", r, path, "access key id %q is reserved (ASIA… names temporary credentials)", k.ID)
		}
		if err := p.strField(kf, "secret", &k.Secret); err != nil {
			return err
		}
		if k.Secret == "" {
			return p.at(kf, "secret", r, path, "an access key needs a secret")
		}
		if len(k.Secret) > 128 {
			return p.at(kf, "secret", r, path, "secret longer than 128 characters")
		}
		if _, ok := kf["status"]; ok {
			if err := p.strField(kf, "status", &k.Status); err != nil {
				return err
			}
			if k.Status != "Active" && k.Status != "Inactive" {
				return p.at(kf, "status", r, path, "status must be Active or Inactive, found %q", k.Status)
			}
		}
		out = append(out, k)
		return nil
	})
	return out, err
}

func (p *parser) policy(n *yaml.Node, path, account string) (*Policy, error) {
	fields, err := p.mapping(n, path, "name", "path", "description", "document")
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(n, path)
	x := &Policy{Pos: pos(r)}
	if err := p.checkName(fields, r, path, "name", model.PolicyNameRule, &x.Name); err != nil {
		return nil, err
	}
	if err := p.checkPath(fields, r, path, &x.Path); err != nil {
		return nil, err
	}
	if err := p.strField(fields, "description", &x.Description); err != nil {
		return nil, err
	}
	if len([]rune(x.Description)) > 1000 {
		return nil, p.at(fields, "description", r, path, "description longer than 1000 characters")
	}
	f, ok := fields["document"]
	if !ok {
		return nil, p.errf(r, joinPath(path, "document"), "missing")
	}
	if x.Document, err = p.checkedDocument(f, policy.Identity, policy.Options{Holder: policy.Managed, Account: account}); err != nil {
		return nil, err
	}
	return x, nil
}

// checkedDocument reads a policy document field and validates it as the
// service that stores it would.
func (p *parser) checkedDocument(f field, kind policy.Kind, opt policy.Options) (string, error) {
	doc, err := p.document(f.node, f.path)
	if err != nil {
		return "", err
	}
	if _, err := policy.Validate([]byte(doc), kind, opt); err != nil {
		r, _ := p.resolve(f.node, f.path)
		msg := err.Error()
		if ve, ok := policy.AsValidationError(err); ok && ve.Line > 0 && r.Kind == yaml.ScalarNode {
			msg += fmt.Sprintf(" (at line %d, column %d of the JSON)", ve.Line, ve.Col)
		}
		return "", p.errf(r, f.path, "%s policy rejected: %s", kind, msg)
	}
	return doc, nil
}

// inline reads a "policies" mapping of inline policy names to documents.
func (p *parser) inline(fields map[string]field, holder policy.Holder, owner string) (map[string]string, error) {
	f, ok := fields["policies"]
	if !ok {
		return nil, nil
	}
	pairs, err := p.pairs(f.node, f.path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	used := 0
	for _, pr := range pairs {
		if c := model.PolicyNameRule.Check(pr.key.Value); c != "" {
			return nil, p.errf(pr.key, pr.path, "invalid policy name %q: %s", pr.key.Value, strings.TrimPrefix(c, "Member "))
		}
		doc, err := p.checkedDocument(pr, policy.Identity, policy.Options{Holder: holder, HolderName: owner, InlineUsed: used})
		if err != nil {
			return nil, err
		}
		used += sizeNoSpace(doc)
		out[pr.key.Value] = doc
	}
	return out, nil
}

// sizeNoSpace counts characters other than white space, as IAM's policy
// quotas do.
func sizeNoSpace(doc string) int {
	n := 0
	for _, r := range doc {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			n++
		}
	}
	return n
}

// attached reads an "attached" list and records where it was written.
func (p *parser) attached(fields map[string]field, at map[string]Pos) ([]string, error) {
	f, ok := fields["attached"]
	if !ok {
		return nil, nil
	}
	list, err := p.strs(f.node, f.path)
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(f.node, f.path)
	at["attached"] = pos(r)
	return list, nil
}

// note records where field key's value was written.
func (p *parser) note(fields map[string]field, key string, at map[string]Pos) {
	if f, ok := fields[key]; ok {
		if r, err := p.resolve(f.node, f.path); err == nil {
			at[key] = pos(r)
		}
	}
}

func (p *parser) tags(fields map[string]field) ([]model.Tag, error) {
	f, ok := fields["tags"]
	if !ok {
		return nil, nil
	}
	pairs, err := p.pairs(f.node, f.path)
	if err != nil {
		return nil, err
	}
	if len(pairs) > 50 {
		return nil, p.errf(f.key, f.path, "more than 50 tags")
	}
	var out []model.Tag
	seen := map[string]bool{}
	for _, pr := range pairs {
		k := pr.key.Value
		v, err := p.str(pr.node, pr.path)
		if err != nil {
			return nil, err
		}
		if c := model.TagKeyRule.Check(k); c != "" {
			return nil, p.errf(pr.key, pr.path, "invalid tag key %q: %s", k, strings.TrimPrefix(c, "Member "))
		}
		if c := model.TagValueRule.Check(v); c != "" {
			return nil, p.errf(pr.key, pr.path, "invalid tag value %q: %s", v, strings.TrimPrefix(c, "Member "))
		}
		if seen[strings.ToLower(k)] {
			return nil, p.errf(pr.key, pr.path, "tag keys must be unique without regard to case")
		}
		seen[strings.ToLower(k)] = true
		out = append(out, model.Tag{Key: k, Value: v})
	}
	return out, nil
}

func (p *parser) group(n *yaml.Node, path string) (*Group, error) {
	fields, err := p.mapping(n, path, "name", "path", "policies", "attached")
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(n, path)
	g := &Group{Pos: pos(r), at: map[string]Pos{}}
	if err := p.checkName(fields, r, path, "name", model.GroupNameRule, &g.Name); err != nil {
		return nil, err
	}
	if err := p.checkPath(fields, r, path, &g.Path); err != nil {
		return nil, err
	}
	if g.Inline, err = p.inline(fields, policy.InlineGroup, g.Name); err != nil {
		return nil, err
	}
	if g.Attached, err = p.attached(fields, g.at); err != nil {
		return nil, err
	}
	return g, nil
}

func (p *parser) user(n *yaml.Node, path string) (*User, error) {
	fields, err := p.mapping(n, path, "name", "path", "access_keys", "policies", "attached", "groups", "boundary", "tags")
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(n, path)
	u := &User{Pos: pos(r), at: map[string]Pos{}}
	if err := p.checkName(fields, r, path, "name", model.UserNameRule, &u.Name); err != nil {
		return nil, err
	}
	if err := p.checkPath(fields, r, path, &u.Path); err != nil {
		return nil, err
	}
	if u.AccessKeys, err = p.keys(fields, path); err != nil {
		return nil, err
	}
	if len(u.AccessKeys) > 2 {
		return nil, p.at(fields, "access_keys", r, path, "a user has at most 2 access keys")
	}
	if u.Inline, err = p.inline(fields, policy.InlineUser, u.Name); err != nil {
		return nil, err
	}
	if u.Attached, err = p.attached(fields, u.at); err != nil {
		return nil, err
	}
	if f, ok := fields["groups"]; ok {
		if u.Groups, err = p.strs(f.node, f.path); err != nil {
			return nil, err
		}
	}
	if err := p.strField(fields, "boundary", &u.Boundary); err != nil {
		return nil, err
	}
	p.note(fields, "boundary", u.at)
	p.note(fields, "groups", u.at)
	if u.Tags, err = p.tags(fields); err != nil {
		return nil, err
	}
	return u, nil
}

func (p *parser) role(n *yaml.Node, path string) (*Role, error) {
	fields, err := p.mapping(n, path, "name", "path", "description", "trust", "policies", "attached", "boundary", "tags",
		"max_session_duration")
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(n, path)
	x := &Role{Pos: pos(r), MaxSessionDuration: 3600, at: map[string]Pos{}}
	if err := p.checkName(fields, r, path, "name", model.RoleNameRule, &x.Name); err != nil {
		return nil, err
	}
	if err := p.checkPath(fields, r, path, &x.Path); err != nil {
		return nil, err
	}
	if err := p.strField(fields, "description", &x.Description); err != nil {
		return nil, err
	}
	if c := model.DescriptionRule.Check(x.Description); c != "" {
		return nil, p.at(fields, "description", r, path, "invalid description: %s", strings.TrimPrefix(c, "Member "))
	}
	f, ok := fields["trust"]
	if !ok {
		return nil, p.errf(r, joinPath(path, "trust"), "missing: a role needs a trust policy")
	}
	if x.Trust, err = p.checkedDocument(f, policy.Trust, policy.Options{}); err != nil {
		return nil, err
	}
	if x.Inline, err = p.inline(fields, policy.InlineRole, x.Name); err != nil {
		return nil, err
	}
	if x.Attached, err = p.attached(fields, x.at); err != nil {
		return nil, err
	}
	if err := p.strField(fields, "boundary", &x.Boundary); err != nil {
		return nil, err
	}
	p.note(fields, "boundary", x.at)
	if x.Tags, err = p.tags(fields); err != nil {
		return nil, err
	}
	if f, ok := fields["max_session_duration"]; ok {
		s, err := p.str(f.node, f.path)
		if err != nil {
			return nil, err
		}
		secs, ok := parseSeconds(s)
		if !ok || secs < 3600 || secs > 43200 {
			return nil, p.at(fields, "max_session_duration", r, path,
				"max_session_duration must be 3600 to 43200 seconds (or a duration such as 12h), found %q", s)
		}
		x.MaxSessionDuration = secs
	}
	return x, nil
}

// parseSeconds reads a number of seconds or a Go duration ("12h").
func parseSeconds(s string) (int, bool) {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err == nil && fmt.Sprint(n) == s {
		return n, true
	}
	d, err := time.ParseDuration(s)
	if err != nil || d%time.Second != 0 || d > 24*time.Hour {
		return 0, false
	}
	return int(d / time.Second), true
}

// pab reads a Block Public Access setting: true/on (all four settings),
// false/off (none), or a mapping of the four settings.
func (p *parser) pab(n *yaml.Node, path string) (*acl.PublicAccessBlock, error) {
	r, err := p.resolve(n, path)
	if err != nil {
		return nil, err
	}
	if r.Kind == yaml.ScalarNode {
		on, err := p.boolean(r, path)
		if err != nil {
			return nil, err
		}
		if !on {
			return nil, nil
		}
		all := acl.AllOn()
		return &all, nil
	}
	fields, err := p.mapping(r, path, "block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")
	if err != nil {
		return nil, err
	}
	out := &acl.PublicAccessBlock{}
	for _, kv := range []struct {
		key string
		dst *bool
	}{{"block_public_acls", &out.BlockPublicAcls}, {"ignore_public_acls", &out.IgnorePublicAcls},
		{"block_public_policy", &out.BlockPublicPolicy}, {"restrict_public_buckets", &out.RestrictPublicBuckets}} {
		if f, ok := fields[kv.key]; ok {
			if *kv.dst, err = p.boolean(f.node, f.path); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// cannedACLs are the canned ACL names S3 accepts on buckets.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
var cannedACLs = []string{"private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read",
	"bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"}

func (p *parser) bucket(n *yaml.Node, path, account string) (*Bucket, error) {
	fields, err := p.mapping(n, path, "name", "region", "ownership", "acl", "policy", "public_access_block", "requester_pays", "tags")
	if err != nil {
		return nil, err
	}
	r, _ := p.resolve(n, path)
	b := &Bucket{Pos: pos(r), Region: "us-east-1", Ownership: acl.BucketOwnerEnforced, ACL: "private"}
	if err := p.strField(fields, "name", &b.Name); err != nil {
		return nil, err
	}
	if _, ok := fields["name"]; !ok {
		return nil, p.errf(r, joinPath(path, "name"), "missing")
	}
	if !validBucketName(b.Name) {
		return nil, p.at(fields, "name", r, path, "invalid bucket name %q (see the S3 bucket naming rules)", b.Name)
	}
	if _, ok := fields["region"]; ok {
		if err := p.strField(fields, "region", &b.Region); err != nil {
			return nil, err
		}
		if b.Region == "" {
			return nil, p.at(fields, "region", r, path, "empty region")
		}
	}
	if _, ok := fields["ownership"]; ok {
		var s string
		if err := p.strField(fields, "ownership", &s); err != nil {
			return nil, err
		}
		o, ok := acl.ParseOwnership(s)
		if !ok {
			return nil, p.at(fields, "ownership", r, path, "ownership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, found %q", s)
		}
		b.Ownership = o
	}
	if err := p.strField(fields, "acl", &b.ACL); err != nil {
		return nil, err
	}
	if !slices.Contains(cannedACLs, b.ACL) {
		return nil, p.at(fields, "acl", r, path, "unknown canned ACL %q", b.ACL)
	}
	if b.Ownership == acl.BucketOwnerEnforced && b.ACL != "private" && b.ACL != "bucket-owner-full-control" {
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
		return nil, p.at(fields, "acl", r, path, "InvalidBucketAclWithObjectOwnership: Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}
	if f, ok := fields["policy"]; ok {
		if b.Policy, err = p.checkedDocument(f, policy.Bucket, policy.Options{Bucket: b.Name, Account: account}); err != nil {
			return nil, err
		}
	}
	all := acl.AllOn()
	b.PublicAccessBlock = &all
	if f, ok := fields["public_access_block"]; ok {
		if b.PublicAccessBlock, err = p.pab(f.node, f.path); err != nil {
			return nil, err
		}
	}
	if f, ok := fields["requester_pays"]; ok {
		if b.RequesterPays, err = p.boolean(f.node, f.path); err != nil {
			return nil, err
		}
	}
	if b.Tags, err = p.tags(fields); err != nil {
		return nil, err
	}
	// Block Public Access refuses what it blocks when it is set, so a
	// world that declares both is contradictory.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
	if pab := b.PublicAccessBlock; pab != nil {
		if pab.BlockPublicAcls && (b.ACL == "public-read" || b.ACL == "public-read-write" || b.ACL == "authenticated-read") {
			return nil, p.at(fields, "acl", r, path, "AccessDenied: the canned ACL %q is public and block_public_acls is on", b.ACL)
		}
		if pab.BlockPublicPolicy && b.Policy != "" {
			if pol, err := policy.Parse([]byte(b.Policy)); err == nil && policy.IsPublic(pol) {
				return nil, p.at(fields, "policy", r, path, "AccessDenied: the bucket policy is public and block_public_policy is on")
			}
		}
	}
	return b, nil
}

// validBucketName applies S3's general purpose bucket naming rules.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func validBucketName(n string) bool {
	if len(n) < 3 || len(n) > 63 || strings.Contains(n, "..") {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	if !alnum(n[0]) || !alnum(n[len(n)-1]) || strings.HasPrefix(n, "xn--") || strings.HasSuffix(n, "-s3alias") {
		return false
	}
	dots := strings.Split(n, ".")
	if len(dots) == 4 {
		ip := true
		for _, d := range dots {
			for i := 0; i < len(d); i++ {
				ip = ip && d[i] >= '0' && d[i] <= '9'
			}
		}
		if ip {
			return false
		}
	}
	return true
}

// managedARN resolves an attached-policy or boundary reference: an ARN as
// written, or a name — of a customer managed policy of the account, else of
// an AWS managed policy.
func managedARN(a *Account, ref string) (string, bool) {
	if strings.HasPrefix(ref, "arn:") {
		return ref, true
	}
	for _, p := range a.Policies {
		if p.Name == ref {
			return p.ARN(a.ID), true
		}
	}
	for _, p := range awsmanaged.All() {
		if p.Name == ref {
			return p.ARN(), true
		}
	}
	return "", false
}

// check resolves references and verifies what spans entities: unique
// names and keys, groups and policies that exist.
func (p *parser) check(w *World) error {
	ids := map[string]*Account{}
	keys := map[string]Pos{}
	buckets := map[string]bool{}
	addKey := func(k *AccessKey, path string) error {
		if _, dup := keys[k.ID]; dup {
			return &Error{File: w.File, Line: k.Line, Col: k.Col, Path: path, Msg: "access key id " + k.ID + " declared twice"}
		}
		keys[k.ID] = k.Pos
		return nil
	}
	for ai, a := range w.Accounts {
		apath := fmt.Sprintf("accounts[%d]", ai)
		fail := func(ps Pos, path, format string, args ...any) error {
			return &Error{File: w.File, Line: ps.Line, Col: ps.Col, Path: apath + "." + path, Msg: fmt.Sprintf(format, args...)}
		}
		if _, dup := ids[a.ID]; dup {
			return fail(a.Pos, "id", "account %s declared twice", a.ID)
		}
		ids[a.ID] = a
		for i, k := range a.AccessKeys {
			if err := addKey(k, fmt.Sprintf("%s.access_keys[%d]", apath, i)); err != nil {
				return err
			}
		}
		names := map[string]bool{}
		for i, x := range a.Policies {
			if names[strings.ToLower(x.Name)] {
				return fail(x.Pos, fmt.Sprintf("policies[%d]", i), "a policy called %s is declared twice", x.Name)
			}
			names[strings.ToLower(x.Name)] = true
		}
		resolve := func(list []string, ps Pos, path string) error {
			seen := map[string]bool{}
			for i, ref := range list {
				arnv, ok := managedARN(a, ref)
				if !ok {
					return fail(ps, path, "no managed policy called %q (neither declared in this account nor AWS managed)", ref)
				}
				if err := p.checkManagedARN(a, arnv); err != nil {
					return fail(ps, path, "%v", err)
				}
				if seen[arnv] {
					return fail(ps, path, "policy %s attached twice", arnv)
				}
				seen[arnv] = true
				list[i] = arnv
			}
			if len(list) > 10 {
				return fail(ps, path, "at most 10 managed policies can be attached")
			}
			return nil
		}
		issuers := map[string]bool{}
		for i, o := range a.OIDCProviders {
			k := state.NormalizeIssuer(o.URL)
			if issuers[k] {
				return fail(o.Pos, fmt.Sprintf("oidc_providers[%d]", i), "OIDC provider %s declared twice", o.URL)
			}
			issuers[k] = true
		}
		groups := map[string]string{}
		for i, g := range a.Groups {
			if _, dup := groups[strings.ToLower(g.Name)]; dup {
				return fail(g.Pos, fmt.Sprintf("groups[%d]", i), "group %s declared twice", g.Name)
			}
			groups[strings.ToLower(g.Name)] = g.Name
			if err := resolve(g.Attached, where(g.Pos, g.at, "attached"), fmt.Sprintf("groups[%d].attached", i)); err != nil {
				return err
			}
		}
		users := map[string]bool{}
		for i, u := range a.Users {
			upath := fmt.Sprintf("users[%d]", i)
			if users[strings.ToLower(u.Name)] {
				return fail(u.Pos, upath, "user %s declared twice", u.Name)
			}
			users[strings.ToLower(u.Name)] = true
			for j, k := range u.AccessKeys {
				if err := addKey(k, fmt.Sprintf("%s.%s.access_keys[%d]", apath, upath, j)); err != nil {
					return err
				}
			}
			if err := resolve(u.Attached, where(u.Pos, u.at, "attached"), upath+".attached"); err != nil {
				return err
			}
			for j, gname := range u.Groups {
				stored, ok := groups[strings.ToLower(gname)]
				if !ok {
					return fail(where(u.Pos, u.at, "groups"), fmt.Sprintf("%s.groups[%d]", upath, j), "no group %s in account %s", gname, a.ID)
				}
				u.Groups[j] = stored
			}
			if len(u.Groups) > 10 {
				return fail(u.Pos, upath+".groups", "a user belongs to at most 10 groups")
			}
			if u.Boundary != "" {
				b := []string{u.Boundary}
				if err := resolve(b, where(u.Pos, u.at, "boundary"), upath+".boundary"); err != nil {
					return err
				}
				u.Boundary = b[0]
			}
		}
		roles := map[string]bool{}
		for i, x := range a.Roles {
			rpath := fmt.Sprintf("roles[%d]", i)
			if roles[strings.ToLower(x.Name)] {
				return fail(x.Pos, rpath, "role %s declared twice", x.Name)
			}
			roles[strings.ToLower(x.Name)] = true
			if err := resolve(x.Attached, where(x.Pos, x.at, "attached"), rpath+".attached"); err != nil {
				return err
			}
			if x.Boundary != "" {
				b := []string{x.Boundary}
				if err := resolve(b, where(x.Pos, x.at, "boundary"), rpath+".boundary"); err != nil {
					return err
				}
				x.Boundary = b[0]
			}
		}
		for i, b := range a.Buckets {
			if buckets[b.Name] {
				return fail(b.Pos, fmt.Sprintf("buckets[%d]", i), "bucket %s declared twice", b.Name)
			}
			buckets[b.Name] = true
		}
	}
	return nil
}

// where returns the position of field key, or def when it is not known.
func where(def Pos, at map[string]Pos, key string) Pos {
	if p, ok := at[key]; ok {
		return p
	}
	return def
}

// checkManagedARN verifies that an ARN names a managed policy the account
// can attach: AWS's, or one it declares.
func (p *parser) checkManagedARN(a *Account, s string) error {
	if _, ok := awsmanaged.Get(s); ok {
		return nil
	}
	parsed, err := arn.Parse(s)
	if err != nil || parsed.Service != "iam" || !strings.HasPrefix(parsed.Resource, "policy/") {
		return fmt.Errorf("%q is not a managed policy ARN", s)
	}
	if parsed.Account != a.ID {
		return fmt.Errorf("policy %s belongs to another account", s)
	}
	for _, x := range a.Policies {
		if x.ARN(a.ID) == s {
			return nil
		}
	}
	return fmt.Errorf("policy %s is not declared in account %s", s, a.ID)
}
