package iamapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/awsmanaged"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Managed policies: customer managed ones live in the store; AWS managed
// ones (package awsmanaged) appear in every account under
// arn:aws:iam::aws:policy/… and cannot be changed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html

func init() {
	register("CreatePolicy", createPolicy)
	register("GetPolicy", getPolicy)
	register("ListPolicies", listPolicies)
	register("DeletePolicy", deletePolicy)
	register("CreatePolicyVersion", createPolicyVersion)
	register("GetPolicyVersion", getPolicyVersion)
	register("ListPolicyVersions", listPolicyVersions)
	register("DeletePolicyVersion", deletePolicyVersion)
	register("SetDefaultPolicyVersion", setDefaultPolicyVersion)
}

// maxPolicyVersions is IAM's quota on the versions of a managed policy.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
const maxPolicyVersions = 5

type policyResult struct {
	Policy xmlPolicy `xml:"Policy"`
}

func policyNotFound(arn string) error { return noSuchEntity("Policy " + arn + " was not found.") }

func versionNotFound(arn, id string) error {
	return noSuchEntity("Policy " + arn + " version " + id + " does not exist or is not attachable.")
}

// findManaged returns the managed policy arn names, AWS's or one of the
// caller's account; nil (and the customer record nil) when there is none.
// Customer policies of other accounts are invisible.
func (q *request) findManaged(tx store.Tx, arn string) (*managed, *model.ManagedPolicy, error) {
	if p, ok := awsmanaged.Get(arn); ok {
		return fromAWS(p), nil, nil
	}
	if !strings.HasPrefix(arn, state.PolicyARNPrefix(q.account)) {
		return nil, nil, nil
	}
	mp, err := state.Policy(tx, arn)
	if isNotFound(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return fromCustomer(mp), mp, nil
}

// policyFor authorizes action on the policy arn and loads it; it must
// exist. write refuses AWS managed policies.
func (q *request) policyFor(tx store.Tx, arn, action string, write bool) (*managed, *model.ManagedPolicy, error) {
	if err := q.authorize(action, arn, nil); err != nil {
		return nil, nil, err
	}
	m, mp, err := q.findManaged(tx, arn)
	if err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, policyNotFound(arn)
	}
	if write && mp == nil {
		// UNCONFIRMED wording: IAM refuses changes to AWS managed
		// policies, which belong to AWS's own account.
		return nil, nil, awserr.New("AccessDenied", http.StatusForbidden,
			"User: "+q.Caller.Principal.ARN+" is not authorized to perform: "+action+" on resource: "+arn)
	}
	return m, mp, nil
}

// validateManaged checks a managed policy document (6,144 characters,
// Version 2012-10-17).
func (q *request) validateManaged(doc string) error {
	_, err := policy.Validate([]byte(doc), policy.Identity, policy.Options{Holder: policy.Managed, Account: q.account})
	return policyError(err)
}

// createPolicy implements CreatePolicy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
func createPolicy(q *request) (any, error) {
	p := q.params()
	name := p.name("PolicyName", model.PolicyNameRule, true)
	path := p.path("Path")
	doc := p.document("PolicyDocument", true)
	desc := p.name("Description", model.PolicyDescriptionRule, false)
	tags, err := p.tags("Tags")
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	now := q.Now.UTC()
	mp := &model.ManagedPolicy{ARN: "arn:aws:iam::" + q.account + ":policy" + path + name,
		Account: q.account, Name: name, Path: path, ID: state.NewID("ANPA"), Description: desc, DefaultVersion: "v1",
		Versions: []model.PolicyVersion{{ID: "v1", Document: doc, Created: now}}, Created: now, Updated: now, Tags: tags, NextVersion: 2}
	err = q.update(func(tx store.Tx) error {
		ctx := resourceKeys(nil)
		requestTagKeys(ctx, tags)
		if err := q.authorize("iam:CreatePolicy", mp.ARN, ctx); err != nil {
			return err
		}
		if len(tags) > 0 {
			if err := q.authorize("iam:TagPolicy", mp.ARN, ctx); err != nil {
				return err
			}
		}
		all, err := state.ListPolicies(tx, q.account)
		if err != nil {
			return err
		}
		for _, x := range all {
			if strings.EqualFold(x.Name, name) {
				return alreadyExists("A policy called " + name + " already exists. Duplicate names are not allowed.")
			}
		}
		if err := q.validateManaged(doc); err != nil {
			return err
		}
		return state.PutPolicy(tx, mp)
	})
	if err != nil {
		return nil, err
	}
	return policyResult{policyXML(fromCustomer(mp), state.PolicyUse{}, true)}, nil
}

// getPolicy implements GetPolicy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
func getPolicy(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	if err := p.err(); err != nil {
		return nil, err
	}
	var out policyResult
	err := q.view(func(tx store.Tx) error {
		m, _, err := q.policyFor(tx, arn, "iam:GetPolicy", false)
		if err != nil {
			return err
		}
		use, err := state.CountPolicyUse(tx, q.account, arn)
		if err != nil {
			return err
		}
		out.Policy = policyXML(m, use, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type listPoliciesResult struct {
	Policies    []xmlPolicy `xml:"Policies>member"`
	IsTruncated bool        `xml:"IsTruncated"`
	Marker      string      `xml:"Marker,omitempty"`
}

// allManaged returns the managed policies an account sees: AWS's (scope
// "All" or "AWS") and its own ("All" or "Local"), sorted by name.
func (q *request) allManaged(tx store.Tx, scope string) ([]*managed, error) {
	var out []*managed
	if scope != "Local" {
		for _, p := range awsmanaged.All() {
			out = append(out, fromAWS(p))
		}
	}
	if scope != "AWS" {
		local, err := state.ListPolicies(tx, q.account)
		if err != nil {
			return nil, err
		}
		for i := range local {
			out = append(out, fromCustomer(&local[i]))
		}
	}
	slices.SortFunc(out, func(a, b *managed) int { return strings.Compare(managedKey(a), managedKey(b)) })
	return out, nil
}

func managedKey(m *managed) string { return strings.ToLower(m.name) + "\x00" + m.arn }

// listPolicies implements ListPolicies. Its denial names the resource
// "policy path /" (observed), and it takes no resource ARN.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
func listPolicies(q *request) (any, error) {
	p := q.params()
	scope := p.enum("Scope", "All", "All", "AWS", "Local")
	onlyAttached := p.boolean("OnlyAttached", false)
	prefix := p.pathPrefix("PathPrefix")
	usage := p.enum("PolicyUsageFilter", "", "PermissionsPolicy", "PermissionsBoundary")
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	if err := q.authorizeAs("iam:ListPolicies", "*", "policy path "+prefix, nil); err != nil {
		return nil, err
	}
	var out listPoliciesResult
	err := q.view(func(tx store.Tx) error {
		all, err := q.allManaged(tx, scope)
		if err != nil {
			return err
		}
		uses, err := state.PolicyUses(tx, q.account)
		if err != nil {
			return err
		}
		var keep []*managed
		for _, m := range all {
			if !strings.HasPrefix(m.path, prefix) {
				continue
			}
			u := uses[m.arn]
			if onlyAttached {
				switch usage {
				case "PermissionsPolicy":
					if u.Attachments == 0 {
						continue
					}
				case "PermissionsBoundary":
					if u.Boundaries == 0 {
						continue
					}
				default:
					if u.Attachments == 0 && u.Boundaries == 0 {
						continue
					}
				}
			}
			keep = append(keep, m)
		}
		page, next, more := paginate(keep, func(m **managed) string { return managedKey(*m) }, pr)
		out.Policies = make([]xmlPolicy, 0, len(page))
		for _, m := range page {
			out.Policies = append(out.Policies, policyXML(m, uses[m.arn], false))
		}
		out.Marker, out.IsTruncated = next, more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deletePolicy implements DeletePolicy: the policy must be attached nowhere
// and have only its default version left.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html
func deletePolicy(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		_, mp, err := q.policyFor(tx, arn, "iam:DeletePolicy", true)
		if err != nil {
			return err
		}
		use, err := state.CountPolicyUse(tx, q.account, arn)
		if err != nil {
			return err
		}
		if use.Attachments > 0 || use.Boundaries > 0 {
			return deleteConflict("Cannot delete a policy attached to entities.")
		}
		if len(mp.Versions) > 1 {
			return deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return state.DeletePolicy(tx, arn)
	})
	return nil, err
}

type versionResult struct {
	PolicyVersion xmlPolicyVers `xml:"PolicyVersion"`
}

// createPolicyVersion implements CreatePolicyVersion.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html
func createPolicyVersion(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	doc := p.document("PolicyDocument", true)
	setDefault := p.boolean("SetAsDefault", false)
	if err := p.err(); err != nil {
		return nil, err
	}
	var out versionResult
	err := q.update(func(tx store.Tx) error {
		_, mp, err := q.policyFor(tx, arn, "iam:CreatePolicyVersion", true)
		if err != nil {
			return err
		}
		if len(mp.Versions) >= maxPolicyVersions {
			return limitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
		}
		if err := q.validateManaged(doc); err != nil {
			return err
		}
		if mp.NextVersion < 2 {
			mp.NextVersion = len(mp.Versions) + 1
		}
		v := model.PolicyVersion{ID: "v" + strconv.Itoa(mp.NextVersion), Document: doc, Created: q.Now.UTC()}
		mp.NextVersion++
		mp.Versions = append(mp.Versions, v)
		if setDefault {
			mp.DefaultVersion = v.ID
		}
		mp.Updated = q.Now.UTC()
		out.PolicyVersion = versionXML(fromCustomer(mp), &v, false)
		return state.PutPolicy(tx, mp)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// versionParam reads and checks a VersionId parameter.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html#API_GetPolicyVersion_RequestParameters
func versionParam(p *params) string {
	s := p.str("VersionId", true)
	if !p.v.Has("VersionId") {
		return ""
	}
	if !validVersionID(s) {
		p.violate("VersionId", s, `Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	}
	return s
}

func validVersionID(s string) bool {
	rest, ok := strings.CutPrefix(s, "v")
	if !ok || rest == "" || rest[0] < '1' || rest[0] > '9' {
		return false
	}
	num, tail, _ := strings.Cut(rest, ".")
	for _, c := range num {
		if c < '0' || c > '9' {
			return false
		}
	}
	for _, c := range tail {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func findVersion(versions []model.PolicyVersion, id string) int {
	return slices.IndexFunc(versions, func(v model.PolicyVersion) bool { return v.ID == id })
}

// getPolicyVersion implements GetPolicyVersion.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
func getPolicyVersion(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	id := versionParam(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	var out versionResult
	err := q.view(func(tx store.Tx) error {
		m, _, err := q.policyFor(tx, arn, "iam:GetPolicyVersion", false)
		if err != nil {
			return err
		}
		i := findVersion(m.versions, id)
		if i < 0 {
			return versionNotFound(arn, id)
		}
		out.PolicyVersion = versionXML(m, &m.versions[i], true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type listVersionsResult struct {
	Versions    []xmlPolicyVers `xml:"Versions>member"`
	IsTruncated bool            `xml:"IsTruncated"`
	Marker      string          `xml:"Marker,omitempty"`
}

// versionNumber is the number of a version ID ("v12" → 12).
func versionNumber(id string) int {
	num, _, _ := strings.Cut(strings.TrimPrefix(id, "v"), ".")
	n, _ := strconv.Atoi(num)
	return n
}

// listPolicyVersions implements ListPolicyVersions, newest first.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicyVersions.html
func listPolicyVersions(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	var out listVersionsResult
	err := q.view(func(tx store.Tx) error {
		m, _, err := q.policyFor(tx, arn, "iam:ListPolicyVersions", false)
		if err != nil {
			return err
		}
		vs := slices.Clone(m.versions)
		key := func(v *model.PolicyVersion) string { return fmt.Sprintf("%010d", 1<<30-versionNumber(v.ID)) }
		slices.SortFunc(vs, func(a, b model.PolicyVersion) int { return strings.Compare(key(&a), key(&b)) })
		page, next, more := paginate(vs, key, pr)
		out.Versions = make([]xmlPolicyVers, 0, len(page))
		for i := range page {
			out.Versions = append(out.Versions, versionXML(m, &page[i], false))
		}
		out.Marker, out.IsTruncated = next, more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deletePolicyVersion implements DeletePolicyVersion; the default version
// cannot be deleted.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicyVersion.html
func deletePolicyVersion(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	id := versionParam(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		_, mp, err := q.policyFor(tx, arn, "iam:DeletePolicyVersion", true)
		if err != nil {
			return err
		}
		i := findVersion(mp.Versions, id)
		if i < 0 {
			return versionNotFound(arn, id)
		}
		if id == mp.DefaultVersion {
			return deleteConflict("Cannot delete the default version of a policy.")
		}
		mp.Versions = slices.Delete(mp.Versions, i, i+1)
		return state.PutPolicy(tx, mp)
	})
	return nil, err
}

// setDefaultPolicyVersion implements SetDefaultPolicyVersion.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetDefaultPolicyVersion.html
func setDefaultPolicyVersion(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	id := versionParam(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		_, mp, err := q.policyFor(tx, arn, "iam:SetDefaultPolicyVersion", true)
		if err != nil {
			return err
		}
		if findVersion(mp.Versions, id) < 0 {
			return versionNotFound(arn, id)
		}
		mp.DefaultVersion = id
		mp.Updated = q.Now.UTC()
		return state.PutPolicy(tx, mp)
	})
	return nil, err
}
