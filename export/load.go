package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
)

// Limits that keep a hostile or mistaken directory from exhausting memory.
const (
	// MaxFileSize bounds one JSON file.
	MaxFileSize = 32 << 20
	// MaxFiles bounds the files read from one directory tree.
	MaxFiles = 200000
)

// Error is a problem with one file of an export.
type Error struct {
	// File is the path relative to the export directory.
	File string
	Msg  string
	Err  error
}

// Error names the file first, then the problem.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.File + ": " + e.Msg + ": " + e.Err.Error()
	}
	return e.File + ": " + e.Msg
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Export is a loaded export directory.
type Export struct {
	// Dir is the directory read.
	Dir      string
	Accounts []*Account
	Orgs     []*model.Organization
}

// Account is everything exported from one AWS account.
type Account struct {
	ID string
	// Dir is the account's directory relative to the export ("." for a
	// single-account export).
	Dir string
	// HasIAM reports whether iam-authorization-details.json was present.
	HasIAM   bool
	Users    []*model.User
	Groups   []*model.Group
	Roles    []*model.Role
	Policies []*model.ManagedPolicy
	// PublicAccessBlock is the account-level S3 Block Public Access
	// configuration; HasPublicAccessBlock reports whether the file was there.
	PublicAccessBlock    *acl.PublicAccessBlock
	HasPublicAccessBlock bool
	Buckets              []*Bucket
	Keys                 []*model.KMSKey
	Endpoints            []*model.VPCEndpoint
}

// Bucket is one exported bucket.
type Bucket struct {
	Record model.Bucket
	// Dir is the bucket's directory relative to the export.
	Dir string
	// Missing lists the bucket files that were absent (see BucketFiles).
	Missing []string
	Objects []*Object
}

// Object is one exported object's metadata.
type Object struct {
	Record model.Object
	// HasACL and HasHead report which of <key>.acl.json and <key>.head.json
	// were present.
	HasACL, HasHead bool
	// UnknownOwner is the canonical ID of the object's owner when no
	// exported account has it (see canonical-ids.json); the record then
	// names the bucket owner.
	UnknownOwner string
}

// BucketFiles are the files of s3/<bucket>/ that settle an S3 decision.
var BucketFiles = []string{"policy.json", "acl.json", "ownership.json", "public-access-block.json", "request-payment.json"}

// File names of an account directory.
const (
	fileCallerIdentity = "caller-identity.json"
	fileAuthDetails    = "iam-authorization-details.json"
	fileAccountPAB     = "s3control-public-access-block.json"
	fileEndpoints      = "ec2-vpc-endpoints.json"
	fileListBuckets    = "list-buckets.json"
	fileCanonicalIDs   = "canonical-ids.json"
	dirOrganizations   = "organizations"
)

// reader reads files under the export root with a file budget.
type reader struct {
	root  string
	files int
}

// read returns the file's bytes; ok is false when it does not exist.
func (r *reader) read(rel string) (data []byte, ok bool, err error) {
	r.files++
	if r.files > MaxFiles {
		return nil, false, &Error{File: rel, Msg: fmt.Sprintf("more than %d files in the export", MaxFiles)}
	}
	f, err := os.Open(filepath.Join(r.root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, &Error{File: rel, Msg: "cannot open", Err: err}
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, false, &Error{File: rel, Msg: "cannot read", Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, false, &Error{File: rel, Msg: fmt.Sprintf("larger than %d bytes", MaxFileSize)}
	}
	return data, true, nil
}

// decode reads rel into v; ok is false when the file does not exist.
func (r *reader) decode(rel string, v any) (bool, error) {
	data, ok, err := r.read(rel)
	if err != nil || !ok {
		return ok, err
	}
	if err := decodeJSON(data, v); err != nil {
		return true, &Error{File: rel, Msg: "not the JSON the aws CLI writes", Err: err}
	}
	return true, nil
}

func decodeJSON(data []byte, v any) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errors.New("empty file")
	}
	return json.Unmarshal(data, v)
}

// list returns the names of rel's entries; nil when rel does not exist.
func (r *reader) list(rel string) ([]fs.DirEntry, error) {
	ents, err := os.ReadDir(filepath.Join(r.root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Error{File: rel, Msg: "cannot list", Err: err}
	}
	r.files += len(ents)
	if r.files > MaxFiles {
		return nil, &Error{File: rel, Msg: fmt.Sprintf("more than %d files in the export", MaxFiles)}
	}
	return ents, nil
}

// Load reads the export directory dir. A directory whose subdirectories are
// named by 12-digit account IDs is a multi-account export; otherwise dir is
// one account's export. Every problem is an *Error naming the file.
func Load(dir string) (*Export, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &Error{File: dir, Msg: "cannot read the export directory", Err: err}
	}
	if !st.IsDir() {
		return nil, &Error{File: dir, Msg: "not a directory"}
	}
	r := &reader{root: dir}
	ex := &Export{Dir: dir}
	ents, err := r.list(".")
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range ents {
		if e.IsDir() && arn.IsAccountID(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	canon := canonicalMap{}
	// canonical-ids.json maps canonical user IDs of accounts outside the
	// export (object owners, ACL grantees) to account IDs.
	var extra map[string]string
	if _, err := r.decode(fileCanonicalIDs, &extra); err != nil {
		return nil, err
	}
	for id, acct := range extra {
		if !arn.IsAccountID(acct) {
			return nil, &Error{File: fileCanonicalIDs, Msg: fmt.Sprintf("%q maps to %q, not a 12-digit account ID", id, acct)}
		}
		canon[id] = acct
	}
	if len(ids) == 0 {
		a, err := r.account(".", "", canon)
		if err != nil {
			return nil, err
		}
		ex.Accounts = append(ex.Accounts, a)
	} else {
		for _, id := range ids {
			a, err := r.account(id, id, canon)
			if err != nil {
				return nil, err
			}
			ex.Accounts = append(ex.Accounts, a)
		}
	}
	for _, a := range ex.Accounts {
		canon.resolve(a)
	}
	// Organizations are read from the top directory and from each
	// account's directory (the management account's, usually).
	seen := map[string]bool{}
	dirs := []string{dirOrganizations}
	for _, a := range ex.Accounts {
		if a.Dir != "." {
			dirs = append(dirs, path.Join(a.Dir, dirOrganizations))
		}
	}
	for _, d := range dirs {
		o, err := r.organization(d)
		if err != nil {
			return nil, err
		}
		if o != nil && !seen[o.ID] {
			seen[o.ID] = true
			ex.Orgs = append(ex.Orgs, o)
		}
	}
	return ex, nil
}

// Account returns the exported account id, or nil.
func (ex *Export) Account(id string) *Account {
	for _, a := range ex.Accounts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Bucket returns the exported bucket name, or nil.
func (ex *Export) Bucket(name string) *Bucket {
	for _, a := range ex.Accounts {
		for _, b := range a.Buckets {
			if b.Record.Name == name {
				return b
			}
		}
	}
	return nil
}

func (r *reader) account(dir, id string, canon canonicalMap) (*Account, error) {
	a := &Account{ID: id, Dir: dir}
	var ci struct {
		Account string `json:"Account"`
		Arn     string `json:"Arn"`
	}
	ok, err := r.decode(path.Join(dir, fileCallerIdentity), &ci)
	if err != nil {
		return nil, err
	}
	if ok {
		if !arn.IsAccountID(ci.Account) {
			return nil, &Error{File: path.Join(dir, fileCallerIdentity), Msg: fmt.Sprintf("Account %q is not a 12-digit account ID", ci.Account)}
		}
		if a.ID != "" && a.ID != ci.Account {
			return nil, &Error{File: path.Join(dir, fileCallerIdentity), Msg: fmt.Sprintf("account %s in the directory of account %s", ci.Account, a.ID)}
		}
		a.ID = ci.Account
	}
	if err := r.iam(a); err != nil {
		return nil, err
	}
	if a.ID == "" {
		return nil, &Error{File: path.Join(dir, fileCallerIdentity),
			Msg: "cannot tell which account this export is from: save `aws sts get-caller-identity --output json` as " + fileCallerIdentity + ", or put the files in a directory named by the account ID"}
	}
	var pab struct {
		Config *pabJSON `json:"PublicAccessBlockConfiguration"`
	}
	rel := path.Join(dir, fileAccountPAB)
	if ok, err := r.decode(rel, &pab); err != nil {
		return nil, err
	} else if ok {
		// {} records that the account has no configuration
		// (NoSuchPublicAccessBlockConfiguration).
		a.HasPublicAccessBlock = true
		if pab.Config != nil {
			a.PublicAccessBlock = pab.Config.block()
		}
	}
	// list-buckets prints the account's canonical ID as Owner.ID.
	// https://docs.aws.amazon.com/cli/latest/reference/s3api/list-buckets.html
	var lb struct {
		Owner *struct {
			ID string `json:"ID"`
		} `json:"Owner"`
	}
	if ok, err := r.decode(path.Join(dir, fileListBuckets), &lb); err != nil {
		return nil, err
	} else if ok && lb.Owner != nil && lb.Owner.ID != "" {
		canon[lb.Owner.ID] = a.ID
	}
	if err := r.buckets(a, canon); err != nil {
		return nil, err
	}
	if err := r.kmsKeys(a); err != nil {
		return nil, err
	}
	if err := r.endpoints(a); err != nil {
		return nil, err
	}
	return a, nil
}

// pabJSON is a PublicAccessBlockConfiguration as the CLI prints it.
type pabJSON struct {
	BlockPublicAcls       bool `json:"BlockPublicAcls"`
	IgnorePublicAcls      bool `json:"IgnorePublicAcls"`
	BlockPublicPolicy     bool `json:"BlockPublicPolicy"`
	RestrictPublicBuckets bool `json:"RestrictPublicBuckets"`
}

func (p *pabJSON) block() *acl.PublicAccessBlock {
	return &acl.PublicAccessBlock{BlockPublicAcls: p.BlockPublicAcls, IgnorePublicAcls: p.IgnorePublicAcls,
		BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets}
}

// document turns a policy document as the CLI prints it into JSON text: the
// CLI decodes IAM's URL-encoded documents into JSON objects, but documents
// saved by other tools (or with --output text) are strings, URL-encoded or
// not.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
func document(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", errors.New("missing policy document")
	}
	var text string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return "", err
		}
		t := strings.TrimSpace(text)
		if !strings.HasPrefix(t, "{") {
			dec, err := url.QueryUnescape(t)
			if err != nil {
				return "", fmt.Errorf("policy document is neither JSON nor URL-encoded JSON: %w", err)
			}
			text = dec
		}
	} else {
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return "", err
		}
		text = buf.String()
	}
	if _, err := policy.Parse([]byte(text)); err != nil {
		return "", fmt.Errorf("policy document: %w", err)
	}
	return text, nil
}

type namedDoc struct {
	PolicyName     string          `json:"PolicyName"`
	PolicyDocument json.RawMessage `json:"PolicyDocument"`
}

type attachedJSON struct {
	PolicyName string `json:"PolicyName"`
	PolicyArn  string `json:"PolicyArn"`
}

type boundaryJSON struct {
	PermissionsBoundaryArn string `json:"PermissionsBoundaryArn"`
}

type authDetails struct {
	UserDetailList []struct {
		Path, UserName, UserId, Arn string
		CreateDate                  time.Time
		UserPolicyList              []namedDoc
		GroupList                   []string
		AttachedManagedPolicies     []attachedJSON
		PermissionsBoundary         *boundaryJSON
		Tags                        []model.Tag
	}
	GroupDetailList []struct {
		Path, GroupName, GroupId, Arn string
		CreateDate                    time.Time
		GroupPolicyList               []namedDoc
		AttachedManagedPolicies       []attachedJSON
	}
	RoleDetailList []struct {
		Path, RoleName, RoleId, Arn string
		CreateDate                  time.Time
		AssumeRolePolicyDocument    json.RawMessage
		RolePolicyList              []namedDoc
		AttachedManagedPolicies     []attachedJSON
		PermissionsBoundary         *boundaryJSON
		Tags                        []model.Tag
	}
	Policies []struct {
		PolicyName, PolicyId, Arn, Path, DefaultVersionId, Description string
		CreateDate, UpdateDate                                         time.Time
		PolicyVersionList                                              []struct {
			Document         json.RawMessage
			VersionId        string
			IsDefaultVersion bool
			CreateDate       time.Time
		}
	}
}

// accountOf returns the account of an IAM ARN, checking it against a.ID
// (and setting a.ID when unknown).
func accountOf(a *Account, file, what, s string) error {
	p, err := arn.Parse(s)
	if err != nil || !arn.IsAccountID(p.Account) {
		return &Error{File: file, Msg: fmt.Sprintf("%s: invalid ARN %q", what, s)}
	}
	if a.ID == "" {
		a.ID = p.Account
	}
	if p.Account != a.ID {
		return &Error{File: file, Msg: fmt.Sprintf("%s: ARN %s is not in account %s", what, s, a.ID)}
	}
	return nil
}

func inline(file, owner string, list []namedDoc) (map[string]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, d := range list {
		if d.PolicyName == "" {
			return nil, &Error{File: file, Msg: owner + ": inline policy without PolicyName"}
		}
		doc, err := document(d.PolicyDocument)
		if err != nil {
			return nil, &Error{File: file, Msg: owner + " inline policy " + d.PolicyName, Err: err}
		}
		m[d.PolicyName] = doc
	}
	return m, nil
}

func arns(list []attachedJSON) []string {
	var out []string
	for _, p := range list {
		if p.PolicyArn != "" {
			out = append(out, p.PolicyArn)
		}
	}
	return out
}

func iamPath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func (r *reader) iam(a *Account) error {
	file := path.Join(a.Dir, fileAuthDetails)
	var d authDetails
	ok, err := r.decode(file, &d)
	if err != nil || !ok {
		return err
	}
	a.HasIAM = true
	for i, u := range d.UserDetailList {
		what := fmt.Sprintf("UserDetailList[%d]", i)
		if u.UserName == "" {
			return &Error{File: file, Msg: what + ": no UserName"}
		}
		if err := accountOf(a, file, what, u.Arn); err != nil {
			return err
		}
		rec := &model.User{Account: a.ID, Name: u.UserName, Path: iamPath(u.Path), ID: u.UserId, Created: u.CreateDate.UTC(),
			Tags: u.Tags, Attached: arns(u.AttachedManagedPolicies), Groups: u.GroupList}
		if rec.Inline, err = inline(file, "user "+u.UserName, u.UserPolicyList); err != nil {
			return err
		}
		if u.PermissionsBoundary != nil {
			rec.Boundary = u.PermissionsBoundary.PermissionsBoundaryArn
		}
		a.Users = append(a.Users, rec)
	}
	for i, g := range d.GroupDetailList {
		what := fmt.Sprintf("GroupDetailList[%d]", i)
		if g.GroupName == "" {
			return &Error{File: file, Msg: what + ": no GroupName"}
		}
		if err := accountOf(a, file, what, g.Arn); err != nil {
			return err
		}
		rec := &model.Group{Account: a.ID, Name: g.GroupName, Path: iamPath(g.Path), ID: g.GroupId, Created: g.CreateDate.UTC(),
			Attached: arns(g.AttachedManagedPolicies)}
		if rec.Inline, err = inline(file, "group "+g.GroupName, g.GroupPolicyList); err != nil {
			return err
		}
		a.Groups = append(a.Groups, rec)
	}
	for i, ro := range d.RoleDetailList {
		what := fmt.Sprintf("RoleDetailList[%d]", i)
		if ro.RoleName == "" {
			return &Error{File: file, Msg: what + ": no RoleName"}
		}
		if err := accountOf(a, file, what, ro.Arn); err != nil {
			return err
		}
		rec := &model.Role{Account: a.ID, Name: ro.RoleName, Path: iamPath(ro.Path), ID: ro.RoleId, Created: ro.CreateDate.UTC(),
			Tags: ro.Tags, Attached: arns(ro.AttachedManagedPolicies), MaxSessionDuration: 3600,
			ServiceLinked: strings.HasPrefix(iamPath(ro.Path), "/aws-service-role/")}
		if len(bytes.TrimSpace(ro.AssumeRolePolicyDocument)) > 0 {
			if rec.TrustPolicy, err = document(ro.AssumeRolePolicyDocument); err != nil {
				return &Error{File: file, Msg: "role " + ro.RoleName + " trust policy", Err: err}
			}
		}
		if rec.Inline, err = inline(file, "role "+ro.RoleName, ro.RolePolicyList); err != nil {
			return err
		}
		if ro.PermissionsBoundary != nil {
			rec.Boundary = ro.PermissionsBoundary.PermissionsBoundaryArn
		}
		a.Roles = append(a.Roles, rec)
	}
	for i, p := range d.Policies {
		what := fmt.Sprintf("Policies[%d]", i)
		pa, err := arn.Parse(p.Arn)
		if err != nil || p.PolicyName == "" {
			return &Error{File: file, Msg: fmt.Sprintf("%s: invalid policy ARN %q or no PolicyName", what, p.Arn)}
		}
		if pa.Account == "aws" {
			// AWS managed policies are built into verdict (package
			// awsmanaged); the export's copy is not stored.
			continue
		}
		if err := accountOf(a, file, what, p.Arn); err != nil {
			return err
		}
		rec := &model.ManagedPolicy{ARN: p.Arn, Account: a.ID, Name: p.PolicyName, Path: iamPath(p.Path), ID: p.PolicyId,
			Description: p.Description, DefaultVersion: p.DefaultVersionId, Created: p.CreateDate.UTC(), Updated: p.UpdateDate.UTC()}
		for j, v := range p.PolicyVersionList {
			doc, err := document(v.Document)
			if err != nil {
				return &Error{File: file, Msg: fmt.Sprintf("policy %s version %s", p.Arn, v.VersionId), Err: err}
			}
			id := v.VersionId
			if id == "" {
				id = fmt.Sprintf("v%d", j+1)
			}
			rec.Versions = append(rec.Versions, model.PolicyVersion{ID: id, Document: doc, Created: v.CreateDate.UTC()})
			if v.IsDefaultVersion && rec.DefaultVersion == "" {
				rec.DefaultVersion = id
			}
		}
		if rec.Document() == "" {
			return &Error{File: file, Msg: fmt.Sprintf("policy %s: no PolicyVersionList entry for default version %q (run get-account-authorization-details without --filter)", p.Arn, p.DefaultVersionId)}
		}
		rec.NextVersion = len(rec.Versions) + 1
		a.Policies = append(a.Policies, rec)
	}
	return nil
}
