package export

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/model"
)

// kmsKeys reads kms/<key-id>/{key.json,policy.json,grants.json}.
func (r *reader) kmsKeys(a *Account) error {
	kdir := path.Join(a.Dir, "kms")
	ents, err := r.list(kdir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		dir := path.Join(kdir, e.Name())
		k := &model.KMSKey{ID: e.Name(), Account: a.ID, Region: "us-east-1", State: model.KeyEnabled, Manager: "CUSTOMER"}
		// https://docs.aws.amazon.com/cli/latest/reference/kms/describe-key.html
		var meta struct {
			KeyMetadata *struct {
				AWSAccountId, KeyId, Arn, KeyState, KeyManager, Description string
				CreationDate                                                *time.Time
			} `json:"KeyMetadata"`
		}
		file := path.Join(dir, "key.json")
		if ok, err := r.decode(file, &meta); err != nil {
			return err
		} else if ok {
			m := meta.KeyMetadata
			if m == nil {
				return &Error{File: file, Msg: "no KeyMetadata"}
			}
			if m.KeyId != "" && m.KeyId != k.ID {
				return &Error{File: file, Msg: fmt.Sprintf("KeyId %s in the directory of key %s", m.KeyId, k.ID)}
			}
			if m.AWSAccountId != "" && m.AWSAccountId != a.ID {
				return &Error{File: file, Msg: fmt.Sprintf("key of account %s in the export of account %s", m.AWSAccountId, a.ID)}
			}
			if p, err := arn.Parse(m.Arn); err == nil && p.Region != "" {
				k.Region = p.Region
			}
			if m.KeyState != "" {
				k.State = m.KeyState
			}
			if m.KeyManager != "" {
				k.Manager = m.KeyManager
			}
			k.Description = m.Description
			if m.CreationDate != nil {
				k.Created = m.CreationDate.UTC()
			}
		}
		// get-key-policy prints the policy as a JSON string in Policy.
		// https://docs.aws.amazon.com/cli/latest/reference/kms/get-key-policy.html
		var pol struct {
			Policy *string `json:"Policy"`
		}
		file = path.Join(dir, "policy.json")
		if ok, err := r.decode(file, &pol); err != nil {
			return err
		} else if ok {
			if pol.Policy == nil {
				return &Error{File: file, Msg: "no Policy"}
			}
			doc, err := document(mustQuote(*pol.Policy))
			if err != nil {
				return &Error{File: file, Msg: "Policy", Err: err}
			}
			k.Policy = doc
		}
		// https://docs.aws.amazon.com/cli/latest/reference/kms/list-grants.html
		var grants struct {
			Grants []struct {
				GrantId, Name, GranteePrincipal, RetiringPrincipal, IssuingAccount string
				Operations                                                         []string
				CreationDate                                                       *time.Time
				Constraints                                                        *struct {
					EncryptionContextSubset map[string]string
					EncryptionContextEquals map[string]string
				}
			} `json:"Grants"`
		}
		file = path.Join(dir, "grants.json")
		if _, err := r.decode(file, &grants); err != nil {
			return err
		}
		for i, g := range grants.Grants {
			if g.GrantId == "" || g.GranteePrincipal == "" {
				return &Error{File: file, Msg: fmt.Sprintf("Grants[%d]: no GrantId or GranteePrincipal", i)}
			}
			mg := model.KMSGrant{ID: g.GrantId, Name: g.Name, GranteePrincipal: g.GranteePrincipal, RetiringPrincipal: g.RetiringPrincipal,
				IssuingAccount: g.IssuingAccount, Operations: g.Operations}
			if g.CreationDate != nil {
				mg.Created = g.CreationDate.UTC()
			}
			if c := g.Constraints; c != nil {
				mg.EncryptionContextEquals, mg.EncryptionContextSubset = c.EncryptionContextEquals, c.EncryptionContextSubset
			}
			k.Grants = append(k.Grants, mg)
		}
		a.Keys = append(a.Keys, k)
	}
	return nil
}

// KeyARN returns the ARN of an exported key.
func KeyARN(k *model.KMSKey) string {
	return "arn:aws:kms:" + k.Region + ":" + k.Account + ":key/" + k.ID
}

// endpoints reads ec2-vpc-endpoints.json.
// https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-endpoints.html
func (r *reader) endpoints(a *Account) error {
	var out struct {
		VpcEndpoints []struct {
			VpcEndpointId, VpcEndpointType, VpcId, ServiceName, State, PolicyDocument, OwnerId string
			CreationTimestamp                                                                  *time.Time
		} `json:"VpcEndpoints"`
	}
	file := path.Join(a.Dir, fileEndpoints)
	if _, err := r.decode(file, &out); err != nil {
		return err
	}
	for i, e := range out.VpcEndpoints {
		if !strings.HasPrefix(e.VpcEndpointId, "vpce-") {
			return &Error{File: file, Msg: fmt.Sprintf("VpcEndpoints[%d]: VpcEndpointId %q is not vpce-...", i, e.VpcEndpointId)}
		}
		rec := &model.VPCEndpoint{ID: e.VpcEndpointId, Account: a.ID, VPCID: e.VpcId, ServiceName: e.ServiceName,
			Type: e.VpcEndpointType, State: e.State}
		if e.PolicyDocument != "" {
			doc, err := document(mustQuote(e.PolicyDocument))
			if err != nil {
				return &Error{File: file, Msg: "endpoint " + e.VpcEndpointId + " PolicyDocument", Err: err}
			}
			rec.Policy = doc
		}
		if e.CreationTimestamp != nil {
			rec.Created = e.CreationTimestamp.UTC()
		}
		a.Endpoints = append(a.Endpoints, rec)
	}
	return nil
}

// Endpoint returns the exported VPC endpoint id, or nil.
func (ex *Export) Endpoint(id string) *model.VPCEndpoint {
	for _, a := range ex.Accounts {
		for _, e := range a.Endpoints {
			if e.ID == id {
				return e
			}
		}
	}
	return nil
}

// Built-in organization policies: AWS attaches them to every root, OU and
// account when the policy type is enabled, and describe-policy output for
// them is often not saved.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
var builtinOrgPolicies = map[string]*model.OrgPolicy{
	"p-FullAWSAccess": {ID: "p-FullAWSAccess", Type: model.SCPType, Name: "FullAWSAccess", AWSManaged: true,
		Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
	"p-RCPFullAWSAccess": {ID: "p-RCPFullAWSAccess", Type: model.RCPType, Name: "RCPFullAWSAccess", AWSManaged: true,
		Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`},
}

// organization reads dir (organizations/) when present: describe-organization.json,
// list-roots.json, ous/<parent-id>.json, accounts/<parent-id>.json,
// targets/<target-id>.<POLICY_TYPE>.json and policies/<policy-id>.json.
func (r *reader) organization(dir string) (*model.Organization, error) {
	// https://docs.aws.amazon.com/cli/latest/reference/organizations/describe-organization.html
	var desc struct {
		Organization *struct {
			Id, FeatureSet, MasterAccountId, MasterAccountEmail string
		} `json:"Organization"`
	}
	file := path.Join(dir, "describe-organization.json")
	ok, err := r.decode(file, &desc)
	if err != nil || !ok {
		return nil, err
	}
	d := desc.Organization
	if d == nil || !strings.HasPrefix(d.Id, "o-") || !arn.IsAccountID(d.MasterAccountId) {
		return nil, &Error{File: file, Msg: "no Organization with an Id (o-...) and MasterAccountId"}
	}
	o := &model.Organization{ID: d.Id, ManagementAccount: d.MasterAccountId, ManagementEmail: d.MasterAccountEmail, FeatureSet: d.FeatureSet,
		OUs: map[string]*model.OrgUnit{}, Accounts: map[string]*model.OrgAccount{}, Policies: map[string]*model.OrgPolicy{}, Attachments: map[string][]string{}}
	// https://docs.aws.amazon.com/cli/latest/reference/organizations/list-roots.html
	var roots struct {
		Roots []struct {
			Id          string
			PolicyTypes []struct{ Type, Status string }
		} `json:"Roots"`
	}
	file = path.Join(dir, "list-roots.json")
	if ok, err := r.decode(file, &roots); err != nil {
		return nil, err
	} else if !ok || len(roots.Roots) != 1 || !strings.HasPrefix(roots.Roots[0].Id, "r-") {
		return nil, &Error{File: file, Msg: "need the output of `aws organizations list-roots` with one root (r-...)"}
	}
	o.RootID = roots.Roots[0].Id
	for _, t := range roots.Roots[0].PolicyTypes {
		if t.Status == "ENABLED" {
			o.EnabledTypes = append(o.EnabledTypes, t.Type)
		}
	}
	parentOf := func(name string) string { return strings.TrimSuffix(name, ".json") }
	// https://docs.aws.amazon.com/cli/latest/reference/organizations/list-organizational-units-for-parent.html
	ents, err := r.list(path.Join(dir, "ous"))
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		var ous struct {
			OrganizationalUnits []struct{ Id, Name string } `json:"OrganizationalUnits"`
		}
		file := path.Join(dir, "ous", e.Name())
		if _, err := r.decode(file, &ous); err != nil {
			return nil, err
		}
		for _, u := range ous.OrganizationalUnits {
			if !strings.HasPrefix(u.Id, "ou-") {
				return nil, &Error{File: file, Msg: fmt.Sprintf("OU Id %q is not ou-...", u.Id)}
			}
			o.OUs[u.Id] = &model.OrgUnit{ID: u.Id, Name: u.Name, ParentID: parentOf(e.Name())}
		}
	}
	// https://docs.aws.amazon.com/cli/latest/reference/organizations/list-accounts-for-parent.html
	if ents, err = r.list(path.Join(dir, "accounts")); err != nil {
		return nil, err
	}
	for _, e := range ents {
		var accts struct {
			Accounts []struct {
				Id, Name, Email, Status, JoinedMethod string
				JoinedTimestamp                       *time.Time
			} `json:"Accounts"`
		}
		file := path.Join(dir, "accounts", e.Name())
		if _, err := r.decode(file, &accts); err != nil {
			return nil, err
		}
		for _, ac := range accts.Accounts {
			if !arn.IsAccountID(ac.Id) {
				return nil, &Error{File: file, Msg: fmt.Sprintf("account Id %q is not a 12-digit account ID", ac.Id)}
			}
			rec := &model.OrgAccount{ID: ac.Id, Name: ac.Name, Email: ac.Email, ParentID: parentOf(e.Name()), Status: ac.Status, Method: ac.JoinedMethod}
			if ac.JoinedTimestamp != nil {
				rec.Joined = ac.JoinedTimestamp.UTC()
			}
			o.Accounts[ac.Id] = rec
		}
	}
	// https://docs.aws.amazon.com/cli/latest/reference/organizations/describe-policy.html
	if ents, err = r.list(path.Join(dir, "policies")); err != nil {
		return nil, err
	}
	for _, e := range ents {
		var dp struct {
			Policy *struct {
				PolicySummary struct {
					Id, Name, Description, Type string
					AwsManaged                  bool
				}
				Content string
			} `json:"Policy"`
		}
		file := path.Join(dir, "policies", e.Name())
		if _, err := r.decode(file, &dp); err != nil {
			return nil, err
		}
		if dp.Policy == nil || !strings.HasPrefix(dp.Policy.PolicySummary.Id, "p-") {
			return nil, &Error{File: file, Msg: "no Policy.PolicySummary.Id (p-...)"}
		}
		s := dp.Policy.PolicySummary
		doc, err := document(mustQuote(dp.Policy.Content))
		if err != nil {
			return nil, &Error{File: file, Msg: "Content", Err: err}
		}
		o.Policies[s.Id] = &model.OrgPolicy{ID: s.Id, Type: s.Type, Name: s.Name, Description: s.Description, Content: doc, AWSManaged: s.AwsManaged}
	}
	// https://docs.aws.amazon.com/cli/latest/reference/organizations/list-policies-for-target.html
	if ents, err = r.list(path.Join(dir, "targets")); err != nil {
		return nil, err
	}
	for _, e := range ents {
		var lp struct {
			Policies []struct{ Id, Type string } `json:"Policies"`
		}
		file := path.Join(dir, "targets", e.Name())
		if _, err := r.decode(file, &lp); err != nil {
			return nil, err
		}
		target, _, _ := strings.Cut(e.Name(), ".")
		for _, p := range lp.Policies {
			if o.Policies[p.Id] == nil {
				if b, ok := builtinOrgPolicies[p.Id]; ok {
					c := *b
					o.Policies[p.Id] = &c
				} else {
					return nil, &Error{File: file, Msg: fmt.Sprintf("policy %s is attached to %s but %s is missing: aws organizations describe-policy --policy-id %s > %s",
						p.Id, target, path.Join(dir, "policies", p.Id+".json"), p.Id, path.Join(dir, "policies", p.Id+".json"))}
				}
			}
			o.Attachments[target] = append(o.Attachments[target], p.Id)
		}
	}
	return o, nil
}
