package orgsapi

import (
	"slices"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awsjson"
)

// Response shapes, named as in the Organizations API reference.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Types.html

type policyTypeSummary struct {
	Type   string
	Status string
}

type organizationShape struct {
	Id                   string
	Arn                  string
	FeatureSet           string
	MasterAccountArn     string
	MasterAccountId      string
	MasterAccountEmail   string
	AvailablePolicyTypes []policyTypeSummary
}

type rootShape struct {
	Id          string
	Arn         string
	Name        string
	PolicyTypes []policyTypeSummary
}

type ouShape struct {
	Id   string
	Arn  string
	Name string
}

type accountShape struct {
	Id              string
	Arn             string
	Email           string
	Name            string
	Status          string
	State           string
	JoinedMethod    string
	JoinedTimestamp *awsjson.Timestamp
}

type createStatusShape struct {
	Id                 string
	AccountName        string
	State              string
	AccountId          string             `json:",omitempty"`
	RequestedTimestamp *awsjson.Timestamp `json:",omitempty"`
	CompletedTimestamp *awsjson.Timestamp `json:",omitempty"`
}

type policySummary struct {
	Id          string
	Arn         string
	Name        string
	Description string
	Type        string
	AwsManaged  bool
}

type policyShape struct {
	PolicySummary policySummary
	Content       string
}

type typedID struct {
	Id   string
	Type string
}

type targetShape struct {
	TargetId string
	Arn      string
	Name     string
	Type     string
}

type handshakeParty struct {
	Id   string
	Type string
}

type handshakeShape struct {
	Id                  string
	Arn                 string
	Parties             []handshakeParty
	State               string
	Action              string
	RequestedTimestamp  *awsjson.Timestamp
	ExpirationTimestamp *awsjson.Timestamp
}

func orgShape(o *model.Organization) organizationShape {
	s := organizationShape{Id: o.ID, Arn: o.ARN(), FeatureSet: o.FeatureSet, MasterAccountId: o.ManagementAccount,
		MasterAccountArn: accountARN(o, o.ManagementAccount), MasterAccountEmail: o.ManagementEmail,
		// AvailablePolicyTypes is deprecated and reports only SCPs; roots
		// carry the real list.
		// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
		AvailablePolicyTypes: []policyTypeSummary{}}
	if o.TypeEnabled(model.SCPType) {
		s.AvailablePolicyTypes = append(s.AvailablePolicyTypes, policyTypeSummary{model.SCPType, "ENABLED"})
	}
	return s
}

func root(o *model.Organization) rootShape {
	r := rootShape{Id: o.RootID, Arn: "arn:aws:organizations::" + o.ManagementAccount + ":root/" + o.ID + "/" + o.RootID,
		Name: "Root", PolicyTypes: []policyTypeSummary{}}
	for _, t := range o.EnabledTypes {
		r.PolicyTypes = append(r.PolicyTypes, policyTypeSummary{t, "ENABLED"})
	}
	return r
}

func ouARN(o *model.Organization, id string) string {
	return "arn:aws:organizations::" + o.ManagementAccount + ":ou/" + o.ID + "/" + id
}

func accountARN(o *model.Organization, id string) string {
	return "arn:aws:organizations::" + o.ManagementAccount + ":account/" + o.ID + "/" + id
}

func ou(o *model.Organization, u *model.OrgUnit) ouShape {
	return ouShape{Id: u.ID, Arn: ouARN(o, u.ID), Name: u.Name}
}

func account(o *model.Organization, a *model.OrgAccount) accountShape {
	return accountShape{Id: a.ID, Arn: accountARN(o, a.ID), Email: a.Email, Name: a.Name, Status: a.Status,
		State: a.Status, JoinedMethod: a.Method, JoinedTimestamp: ts(a.Joined)}
}

// policyARN is the policy's ARN; AWS managed policies live under the
// "aws" account and no organization.
func policyARN(o *model.Organization, p *model.OrgPolicy) string {
	typ := strings.ToLower(p.Type)
	if p.AWSManaged {
		return "arn:aws:organizations::aws:policy/" + typ + "/" + p.ID
	}
	return "arn:aws:organizations::" + o.ManagementAccount + ":policy/" + o.ID + "/" + typ + "/" + p.ID
}

func summary(o *model.Organization, p *model.OrgPolicy) policySummary {
	return policySummary{Id: p.ID, Arn: policyARN(o, p), Name: p.Name, Description: p.Description, Type: p.Type, AwsManaged: p.AWSManaged}
}

// sortedAccounts returns the organization's accounts ordered by ID.
func sortedAccounts(o *model.Organization) []*model.OrgAccount {
	out := make([]*model.OrgAccount, 0, len(o.Accounts))
	for _, a := range o.Accounts {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *model.OrgAccount) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func sortedOUs(o *model.Organization) []*model.OrgUnit {
	out := make([]*model.OrgUnit, 0, len(o.OUs))
	for _, u := range o.OUs {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b *model.OrgUnit) int { return strings.Compare(a.ID, b.ID) })
	return out
}
