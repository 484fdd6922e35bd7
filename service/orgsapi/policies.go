package orgsapi

import (
	"slices"

	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/store"
)

// The AWS managed full-access policies, attached everywhere when their
// policy type is enabled.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
const (
	fullAWSAccessID    = "p-FullAWSAccess"
	rcpFullAWSAccessID = "p-RCPFullAWSAccess"

	fullAWSAccessDoc    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	rcpFullAWSAccessDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
)

// maxPolicySize is the size limit of SCP and RCP documents.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
const maxPolicySize = 5120

func managedPolicy(typ string) *model.OrgPolicy {
	if typ == model.RCPType {
		return &model.OrgPolicy{ID: rcpFullAWSAccessID, Type: typ, Name: "RCPFullAWSAccess", AWSManaged: true,
			Description: "Allows access to every operation", Content: rcpFullAWSAccessDoc}
	}
	return &model.OrgPolicy{ID: fullAWSAccessID, Type: typ, Name: "FullAWSAccess", AWSManaged: true,
		Description: "Allows access to every operation", Content: fullAWSAccessDoc}
}

func attach(o *model.Organization, target, pid string) {
	if !slices.Contains(o.Attachments[target], pid) {
		o.Attachments[target] = append(o.Attachments[target], pid)
	}
}

// targets returns every root, OU and account ID of o.
func targets(o *model.Organization) []string {
	out := []string{o.RootID}
	for _, u := range sortedOUs(o) {
		out = append(out, u.ID)
	}
	for _, a := range sortedAccounts(o) {
		out = append(out, a.ID)
	}
	return out
}

func checkType(t string) error {
	if t != model.SCPType && t != model.RCPType {
		// Tag, backup and AI opt-out policies are not modelled.
		return invalidInput("You provided a value that does not match the required pattern.")
	}
	return nil
}

func (r *request) enablePolicyType() (any, error) {
	var in struct{ RootId, PolicyType string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if err := checkType(in.PolicyType); err != nil {
		return nil, err
	}
	var out struct{ Root rootShape }
	err := r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		if in.RootId != o.RootID {
			return orgErr("RootNotFoundException", "We can't find a root with the RootId that you specified.")
		}
		if o.FeatureSet != "ALL" {
			return orgErr("PolicyTypeNotAvailableForOrganizationException", "You can't use the specified policy type with the feature set currently enabled for this organization.")
		}
		if o.TypeEnabled(in.PolicyType) {
			return orgErr("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.")
		}
		o.EnabledTypes = append(o.EnabledTypes, in.PolicyType)
		mp := managedPolicy(in.PolicyType)
		o.Policies[mp.ID] = mp
		for _, t := range targets(o) {
			attach(o, t, mp.ID)
		}
		out.Root = root(o)
		return nil
	})
	return out, err
}

func (r *request) disablePolicyType() (any, error) {
	var in struct{ RootId, PolicyType string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if err := checkType(in.PolicyType); err != nil {
		return nil, err
	}
	var out struct{ Root rootShape }
	err := r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		if in.RootId != o.RootID {
			return orgErr("RootNotFoundException", "We can't find a root with the RootId that you specified.")
		}
		if !o.TypeEnabled(in.PolicyType) {
			return orgErr("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.")
		}
		o.EnabledTypes = slices.DeleteFunc(o.EnabledTypes, func(t string) bool { return t == in.PolicyType })
		// Disabling a type detaches every policy of that type; the
		// policies themselves remain.
		// https://docs.aws.amazon.com/organizations/latest/APIReference/API_DisablePolicyType.html
		for t, ids := range o.Attachments {
			o.Attachments[t] = slices.DeleteFunc(ids, func(id string) bool {
				p := o.Policies[id]
				return p == nil || p.Type == in.PolicyType
			})
		}
		out.Root = root(o)
		return nil
	})
	return out, err
}

// validate checks a document with the engine's Organizations rules.
func validate(content, typ string) error {
	if len(content) > maxPolicySize {
		return constraint("You attempted to create or update a policy with a size that exceeds the limit.")
	}
	kind := policy.SCP
	if typ == model.RCPType {
		kind = policy.RCP
	}
	if _, err := policy.Validate([]byte(content), kind, policy.Options{}); err != nil {
		if ve, ok := policy.AsValidationError(err); ok {
			code := ve.Code
			if code == "" {
				code = "MalformedPolicyDocumentException"
			}
			return awserr.New(code, ve.Status, ve.Message)
		}
		return orgErr("MalformedPolicyDocumentException", "The provided policy document doesn't meet the requirements of the specified policy type.")
	}
	return nil
}

func policyNotFound() error {
	return orgErr("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.")
}

func (r *request) createPolicy() (any, error) {
	var in struct {
		Content, Description, Name, Type string
		Tags                             []model.Tag
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if err := checkType(in.Type); err != nil {
		return nil, err
	}
	if in.Name == "" || len(in.Name) > 128 {
		return nil, invalidInput("You provided a value that does not match the required pattern.")
	}
	if err := validate(in.Content, in.Type); err != nil {
		return nil, err
	}
	var out struct{ Policy policyShape }
	err := r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		for _, p := range o.Policies {
			if p.Type == in.Type && p.Name == in.Name {
				return orgErr("DuplicatePolicyException", "A policy with the same name already exists.")
			}
		}
		// Policy IDs are p- and eight or more characters.
		// https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicySummary.html
		p := &model.OrgPolicy{ID: "p-" + randomID(8), Type: in.Type, Name: in.Name, Description: in.Description, Content: in.Content}
		o.Policies[p.ID] = p
		out.Policy = policyShape{PolicySummary: summary(o, p), Content: p.Content}
		return nil
	})
	return out, err
}

func (r *request) updatePolicy() (any, error) {
	var in struct {
		PolicyId                   string
		Name, Description, Content *string
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct{ Policy policyShape }
	err := r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		p, ok := o.Policies[in.PolicyId]
		if !ok {
			return policyNotFound()
		}
		if p.AWSManaged {
			return constraint("You can't modify or delete an AWS managed policy.")
		}
		if in.Content != nil {
			if err := validate(*in.Content, p.Type); err != nil {
				return err
			}
			p.Content = *in.Content
		}
		if in.Name != nil {
			p.Name = *in.Name
		}
		if in.Description != nil {
			p.Description = *in.Description
		}
		out.Policy = policyShape{PolicySummary: summary(o, p), Content: p.Content}
		return nil
	})
	return out, err
}

func (r *request) deletePolicy() (any, error) {
	var in struct{ PolicyId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return nil, r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		p, ok := o.Policies[in.PolicyId]
		if !ok {
			return policyNotFound()
		}
		if p.AWSManaged {
			return constraint("You can't modify or delete an AWS managed policy.")
		}
		for _, ids := range o.Attachments {
			if slices.Contains(ids, p.ID) {
				return orgErr("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")
			}
		}
		delete(o.Policies, p.ID)
		return nil
	})
}

func (r *request) describePolicy() (any, error) {
	var in struct{ PolicyId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct{ Policy policyShape }
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) error {
		p, ok := o.Policies[in.PolicyId]
		if !ok {
			return policyNotFound()
		}
		out.Policy = policyShape{PolicySummary: summary(o, p), Content: p.Content}
		return nil
	})
	return out, err
}

func (r *request) listPolicies() (any, error) {
	var in struct {
		Filter string
		paging
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if err := checkType(in.Filter); err != nil {
		return nil, err
	}
	var out policyPage
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) error {
		var all []policySummary
		for _, p := range sortedPolicies(o) {
			if p.Type == in.Filter {
				all = append(all, summary(o, p))
			}
		}
		return out.fill(all, in.paging)
	})
	return out, err
}

func sortedPolicies(o *model.Organization) []*model.OrgPolicy {
	out := make([]*model.OrgPolicy, 0, len(o.Policies))
	for _, p := range o.Policies {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *model.OrgPolicy) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}

// targetKind says what a target ID names ("" when nothing).
func targetKind(o *model.Organization, id string) string {
	if k := parentKind(o, id); k != "" {
		return k
	}
	if _, ok := o.Accounts[id]; ok {
		return "ACCOUNT"
	}
	return ""
}

func targetNotFound() error {
	return orgErr("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.")
}

func (r *request) attachPolicy() (any, error) {
	var in struct{ PolicyId, TargetId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return nil, r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		p, ok := o.Policies[in.PolicyId]
		if !ok {
			return policyNotFound()
		}
		if targetKind(o, in.TargetId) == "" {
			return targetNotFound()
		}
		if !o.TypeEnabled(p.Type) {
			return orgErr("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.")
		}
		if slices.Contains(o.Attachments[in.TargetId], p.ID) {
			return orgErr("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.")
		}
		n := 0
		for _, id := range o.Attachments[in.TargetId] {
			if q := o.Policies[id]; q != nil && q.Type == p.Type {
				n++
			}
		}
		// At most five SCPs or RCPs per target.
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
		if n >= 5 {
			return constraint("You attempted to attach a policy to an entity that would exceed the maximum number of policies of that type.")
		}
		attach(o, in.TargetId, p.ID)
		return nil
	})
}

func (r *request) detachPolicy() (any, error) {
	var in struct{ PolicyId, TargetId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return nil, r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		p, ok := o.Policies[in.PolicyId]
		if !ok {
			return policyNotFound()
		}
		if targetKind(o, in.TargetId) == "" {
			return targetNotFound()
		}
		ids := o.Attachments[in.TargetId]
		if !slices.Contains(ids, p.ID) {
			return orgErr("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.")
		}
		// RCPFullAWSAccess cannot be detached.
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		if p.ID == rcpFullAWSAccessID {
			return constraint("You can't detach the RCPFullAWSAccess policy.")
		}
		n := 0
		for _, id := range ids {
			if q := o.Policies[id]; q != nil && q.Type == p.Type {
				n++
			}
		}
		// A target must keep at least one SCP.
		// https://docs.aws.amazon.com/organizations/latest/APIReference/API_DetachPolicy.html
		if p.Type == model.SCPType && n <= 1 {
			return constraint("You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.")
		}
		o.Attachments[in.TargetId] = slices.DeleteFunc(ids, func(id string) bool { return id == p.ID })
		return nil
	})
}

func (r *request) listPoliciesForTarget() (any, error) {
	var in struct {
		TargetId, Filter string
		paging
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if err := checkType(in.Filter); err != nil {
		return nil, err
	}
	var out policyPage
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) error {
		if targetKind(o, in.TargetId) == "" {
			return targetNotFound()
		}
		var all []policySummary
		for _, id := range o.Attachments[in.TargetId] {
			if p := o.Policies[id]; p != nil && p.Type == in.Filter {
				all = append(all, summary(o, p))
			}
		}
		return out.fill(all, in.paging)
	})
	return out, err
}

// policyPage is the response of ListPolicies and ListPoliciesForTarget.
type policyPage struct {
	Policies  []policySummary
	NextToken string `json:",omitempty"`
}

func (pp *policyPage) fill(all []policySummary, p paging) (err error) {
	pp.Policies, pp.NextToken, err = page(all, p)
	return err
}

func (r *request) listTargetsForPolicy() (any, error) {
	var in struct {
		PolicyId string
		paging
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct {
		Targets   []targetShape
		NextToken string `json:",omitempty"`
	}
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) (err error) {
		var all []targetShape
		if _, ok := o.Policies[in.PolicyId]; !ok {
			return policyNotFound()
		}
		for _, t := range targets(o) {
			if !slices.Contains(o.Attachments[t], in.PolicyId) {
				continue
			}
			ts := targetShape{TargetId: t, Type: targetKind(o, t)}
			switch ts.Type {
			case "ROOT":
				ts.Arn, ts.Name = root(o).Arn, "Root"
			case "ORGANIZATIONAL_UNIT":
				ts.Arn, ts.Name = ouARN(o, t), o.OUs[t].Name
			default:
				ts.Arn, ts.Name = accountARN(o, t), o.Accounts[t].Name
			}
			all = append(all, ts)
		}
		out.Targets, out.NextToken, err = page(all, in.paging)
		return err
	})
	return out, err
}
