package orgsapi

import (
	"errors"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awsjson"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// maxOUDepth is the nesting limit of OUs below the root.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
const maxOUDepth = 5

func (r *request) createOrganization() (any, error) {
	var in struct{ FeatureSet string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	switch in.FeatureSet {
	case "":
		in.FeatureSet = "ALL"
	case "ALL", "CONSOLIDATED_BILLING":
	default:
		return nil, invalidInput("You provided a value that does not match the required pattern.")
	}
	if err := r.authorize("*"); err != nil {
		return nil, err
	}
	var o *model.Organization
	err := r.Store.Update(r.ctx, func(tx store.Tx) error {
		if _, err := state.OrgOfAccount(tx, r.account()); err == nil {
			return orgErr("AlreadyInOrganizationException", "The AWS account is already a member of an organization.")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		acct, err := state.Account(tx, r.account(), r.Now)
		if err != nil {
			return err
		}
		// IDs follow AWS's formats: o- and ten characters, r- and four.
		// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
		o = &model.Organization{ID: "o-" + randomID(10), ManagementAccount: r.account(), ManagementEmail: acct.Email,
			FeatureSet: in.FeatureSet, RootID: "r-" + randomID(4), Created: r.Now.UTC(),
			OUs: map[string]*model.OrgUnit{}, Policies: map[string]*model.OrgPolicy{}, Attachments: map[string][]string{}}
		o.Accounts = map[string]*model.OrgAccount{r.account(): {ID: r.account(), Name: acct.Name, Email: acct.Email,
			ParentID: o.RootID, Status: "ACTIVE", Method: "CREATED", Joined: r.Now.UTC()}}
		return state.PutOrganization(tx, o)
	})
	if err != nil {
		return nil, err
	}
	return struct{ Organization organizationShape }{orgShape(o)}, nil
}

func (r *request) describeOrganization() (any, error) {
	var out struct{ Organization organizationShape }
	err := r.withOrg(false, false, func(_ store.Tx, o *model.Organization) error {
		out.Organization = orgShape(o)
		return nil
	})
	return out, err
}

func (r *request) deleteOrganization() (any, error) {
	err := r.withOrg(false, true, func(tx store.Tx, o *model.Organization) error {
		if len(o.Accounts) > 1 {
			return orgErr("OrganizationNotEmptyException", "The organization isn't empty. To delete an organization, you must first remove all accounts except the management account.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return nil, r.Store.Update(r.ctx, func(tx store.Tx) error {
		o, err := state.OrgOfAccount(tx, r.account())
		if err != nil {
			return notInUse()
		}
		return state.DeleteOrganization(tx, o)
	})
}

func (r *request) listRoots() (any, error) {
	var in struct{ paging }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct {
		Roots     []rootShape
		NextToken string `json:",omitempty"`
	}
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) (err error) {
		out.Roots, out.NextToken, err = page([]rootShape{root(o)}, in.paging)
		return err
	})
	return out, err
}

// parentKind says whether id is the root or an OU of o ("" when neither).
func parentKind(o *model.Organization, id string) string {
	if id == o.RootID {
		return "ROOT"
	}
	if _, ok := o.OUs[id]; ok {
		return "ORGANIZATIONAL_UNIT"
	}
	return ""
}

// depth is the number of OUs from the root down to id (the root is 0).
func depth(o *model.Organization, id string) int {
	n := 0
	for id != o.RootID && n <= maxOUDepth+1 {
		u, ok := o.OUs[id]
		if !ok {
			break
		}
		n++
		id = u.ParentID
	}
	return n
}

// attachDefaults attaches the AWS managed full-access policies of the
// enabled types to a new root, OU or account, as Organizations does.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
func attachDefaults(o *model.Organization, target string) {
	if o.TypeEnabled(model.SCPType) {
		attach(o, target, fullAWSAccessID)
	}
	if o.TypeEnabled(model.RCPType) {
		attach(o, target, rcpFullAWSAccessID)
	}
}

func (r *request) createOU() (any, error) {
	var in struct {
		ParentId string
		Name     string
		Tags     []model.Tag
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.ParentId == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("parentId"))
	}
	if in.Name == "" || len(in.Name) > 128 {
		return nil, invalidInput("You provided a value that does not match the required pattern.")
	}
	var out struct{ OrganizationalUnit ouShape }
	err := r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		if parentKind(o, in.ParentId) == "" {
			return parentNotFound()
		}
		if depth(o, in.ParentId) >= maxOUDepth {
			return constraint("You have exceeded the allowed number of levels of OUs.")
		}
		for _, u := range o.OUs {
			if u.ParentID == in.ParentId && u.Name == in.Name {
				return orgErr("DuplicateOrganizationalUnitException", "An OU with the same name already exists.")
			}
		}
		// OU IDs carry the root's suffix: ou-{root}-{8 characters}.
		// https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html
		u := &model.OrgUnit{ID: "ou-" + o.RootID[2:] + "-" + randomID(8), Name: in.Name, ParentID: in.ParentId}
		o.OUs[u.ID] = u
		attachDefaults(o, u.ID)
		out.OrganizationalUnit = ou(o, u)
		return nil
	})
	return out, err
}

func (r *request) describeOU() (any, error) {
	var in struct{ OrganizationalUnitId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct{ OrganizationalUnit ouShape }
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) error {
		u, ok := o.OUs[in.OrganizationalUnitId]
		if !ok {
			return ouNotFound()
		}
		out.OrganizationalUnit = ou(o, u)
		return nil
	})
	return out, err
}

func ouNotFound() error {
	return orgErr("OrganizationalUnitNotFoundException", "We can't find an OU with the OrganizationalUnitId that you specified.")
}

func (r *request) deleteOU() (any, error) {
	var in struct{ OrganizationalUnitId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return nil, r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		id := in.OrganizationalUnitId
		if _, ok := o.OUs[id]; !ok {
			return ouNotFound()
		}
		for _, u := range o.OUs {
			if u.ParentID == id {
				return orgErr("OrganizationalUnitNotEmptyException", "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try again.")
			}
		}
		for _, a := range o.Accounts {
			if a.ParentID == id {
				return orgErr("OrganizationalUnitNotEmptyException", "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try again.")
			}
		}
		delete(o.OUs, id)
		delete(o.Attachments, id)
		return nil
	})
}

func (r *request) listOUsForParent() (any, error) {
	var in struct {
		ParentId string
		paging
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct {
		OrganizationalUnits []ouShape
		NextToken           string `json:",omitempty"`
	}
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) (err error) {
		if parentKind(o, in.ParentId) == "" {
			return parentNotFound()
		}
		var all []ouShape
		for _, u := range sortedOUs(o) {
			if u.ParentID == in.ParentId {
				all = append(all, ou(o, u))
			}
		}
		out.OrganizationalUnits, out.NextToken, err = page(all, in.paging)
		return err
	})
	return out, err
}

func (r *request) listAccounts() (any, error) {
	var in struct{ paging }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return r.listAccountsWhere(in.paging, func(*model.Organization) error { return nil }, func(*model.OrgAccount) bool { return true })
}

func (r *request) listAccountsForParent() (any, error) {
	var in struct {
		ParentId string
		paging
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return r.listAccountsWhere(in.paging, func(o *model.Organization) error {
		if parentKind(o, in.ParentId) == "" {
			return parentNotFound()
		}
		return nil
	}, func(a *model.OrgAccount) bool { return a.ParentID == in.ParentId })
}

// listAccountsWhere answers ListAccounts and ListAccountsForParent: after
// check passes, the page of the organization's accounts that keep selects.
func (r *request) listAccountsWhere(p paging, check func(*model.Organization) error, keep func(*model.OrgAccount) bool) (any, error) {
	var out struct {
		Accounts  []accountShape
		NextToken string `json:",omitempty"`
	}
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) error {
		if err := check(o); err != nil {
			return err
		}
		var all []accountShape
		for _, a := range sortedAccounts(o) {
			if keep(a) {
				all = append(all, account(o, a))
			}
		}
		var err error
		out.Accounts, out.NextToken, err = page(all, p)
		return err
	})
	return out, err
}

func parentNotFound() error {
	return orgErr("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.")
}

func accountNotFound() error {
	return orgErr("AccountNotFoundException", "You specified an account that doesn't exist.")
}

func (r *request) describeAccount() (any, error) {
	var in struct{ AccountId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct{ Account accountShape }
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) error {
		a, ok := o.Accounts[in.AccountId]
		if !ok {
			return accountNotFound()
		}
		out.Account = account(o, a)
		return nil
	})
	return out, err
}

// organizationAccountAccessRole is the role CreateAccount puts in the new
// account, trusted by the management account, with AdministratorAccess.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html
func organizationAccountAccessRole(account, mgmt, name string, now time.Time) *model.Role {
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + mgmt +
		`:root"},"Action":"sts:AssumeRole"}]}`
	return &model.Role{Account: account, Name: name, Path: "/", ID: state.NewID("AROA"), Created: now.UTC(),
		TrustPolicy: trust, MaxSessionDuration: 3600, Attached: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}
}

func (r *request) createAccount() (any, error) {
	var in struct {
		Email                  string
		AccountName            string
		RoleName               string
		IamUserAccessToBilling string
		Tags                   []model.Tag
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var vs []awsjson.Violation
	if in.Email == "" {
		vs = append(vs, awsjson.NotNull("email"))
	}
	if in.AccountName == "" {
		vs = append(vs, awsjson.NotNull("accountName"))
	}
	if len(vs) > 0 {
		return nil, awsjson.ValidationException(vs...)
	}
	if in.RoleName == "" {
		in.RoleName = "OrganizationAccountAccessRole"
	}
	var out struct{ CreateAccountStatus createStatusShape }
	err := r.withOrg(true, true, func(tx store.Tx, o *model.Organization) error {
		for _, a := range o.Accounts {
			if a.Email == in.Email {
				return orgErr("DuplicateAccountException", "That account is already present in the specified destination.")
			}
		}
		var id string
		for {
			id = randomDigits(12)
			if _, err := state.LookupAccount(tx, id); errors.Is(err, store.ErrNotFound) {
				break
			} else if err != nil {
				return err
			}
		}
		acct := &model.Account{ID: id, CanonicalID: model.CanonicalID(id), Name: in.AccountName, Email: in.Email, Created: r.Now.UTC()}
		if err := store.PutJSON(tx, state.Accounts, id, acct); err != nil {
			return err
		}
		if err := state.PutRole(tx, organizationAccountAccessRole(id, o.ManagementAccount, in.RoleName, r.Now)); err != nil {
			return err
		}
		o.Accounts[id] = &model.OrgAccount{ID: id, Name: in.AccountName, Email: in.Email, ParentID: o.RootID,
			Status: "ACTIVE", Method: "CREATED", Joined: r.Now.UTC()}
		attachDefaults(o, id)
		// Verdict completes account creation at once.
		st := &model.CreateAccountStatus{ID: "car-" + randomID(32), AccountName: in.AccountName, AccountID: id,
			State: "SUCCEEDED", Requested: r.Now.UTC()}
		if o.CreateStatus == nil {
			o.CreateStatus = map[string]*model.CreateAccountStatus{}
		}
		o.CreateStatus[st.ID] = st
		out.CreateAccountStatus = statusShape(st)
		return nil
	})
	return out, err
}

func statusShape(st *model.CreateAccountStatus) createStatusShape {
	return createStatusShape{Id: st.ID, AccountName: st.AccountName, State: st.State, AccountId: st.AccountID,
		RequestedTimestamp: ts(st.Requested), CompletedTimestamp: ts(st.Requested)}
}

func (r *request) describeCreateAccountStatus() (any, error) {
	var in struct{ CreateAccountRequestId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct{ CreateAccountStatus createStatusShape }
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) error {
		st, ok := o.CreateStatus[in.CreateAccountRequestId]
		if !ok {
			return orgErr("CreateAccountStatusNotFoundException", "We can't find an create account request with the CreateAccountRequestId that you specified.")
		}
		out.CreateAccountStatus = statusShape(st)
		return nil
	})
	return out, err
}

func handshake(o *model.Organization, h *model.Handshake) handshakeShape {
	return handshakeShape{Id: h.ID, Arn: "arn:aws:organizations::" + o.ManagementAccount + ":handshake/" + o.ID + "/invite/" + h.ID,
		Parties: []handshakeParty{{Id: o.ID[2:], Type: "ORGANIZATION"}, {Id: h.Account, Type: "ACCOUNT"}},
		State:   h.State, Action: "INVITE", RequestedTimestamp: ts(h.Requested),
		// Invitations expire after 15 days.
		// https://docs.aws.amazon.com/organizations/latest/APIReference/API_InviteAccountToOrganization.html
		ExpirationTimestamp: ts(h.Requested.Add(15 * 24 * time.Hour))}
}

func (r *request) inviteAccount() (any, error) {
	var in struct {
		Target struct{ Id, Type string }
		Notes  string
		Tags   []model.Tag
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.Target.Type != "ACCOUNT" || len(in.Target.Id) != 12 {
		return nil, invalidInput("You provided a value that does not match the required pattern.")
	}
	var out struct{ Handshake handshakeShape }
	err := r.withOrg(true, true, func(tx store.Tx, o *model.Organization) error {
		if _, err := state.OrgOfAccount(tx, in.Target.Id); err == nil {
			return orgErr("DuplicateAccountException", "That account is already present in the specified destination.")
		}
		h := &model.Handshake{ID: "h-" + randomID(10), Account: in.Target.Id, State: "OPEN", Requested: r.Now.UTC()}
		if o.Handshakes == nil {
			o.Handshakes = map[string]*model.Handshake{}
		}
		o.Handshakes[h.ID] = h
		out.Handshake = handshake(o, h)
		return nil
	})
	return out, err
}

// findHandshake returns the organization that sent handshake id.
func findHandshake(tx store.Tx, id string) (*model.Organization, *model.Handshake, error) {
	orgs, err := state.AllOrganizations(tx)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range orgs {
		if h, ok := o.Handshakes[id]; ok {
			ensureMaps(o)
			return o, h, nil
		}
	}
	return nil, nil, orgErr("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.")
}

func (r *request) acceptHandshake() (any, error) {
	var in struct{ HandshakeId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if err := r.authorize("*"); err != nil {
		return nil, err
	}
	var out struct{ Handshake handshakeShape }
	err := r.Store.Update(r.ctx, func(tx store.Tx) error {
		o, h, err := findHandshake(tx, in.HandshakeId)
		if err != nil {
			return err
		}
		if h.Account != r.account() {
			return accessDenied("You don't have permissions to access this resource.")
		}
		if h.State != "OPEN" {
			return orgErr("InvalidHandshakeTransitionException", "You can't perform the operation on the handshake in its current state.")
		}
		if _, err := state.OrgOfAccount(tx, r.account()); err == nil {
			return orgErr("AlreadyInOrganizationException", "The AWS account is already a member of an organization.")
		}
		acct, err := state.Account(tx, r.account(), r.Now)
		if err != nil {
			return err
		}
		h.State = "ACCEPTED"
		o.Accounts[r.account()] = &model.OrgAccount{ID: r.account(), Name: acct.Name, Email: acct.Email, ParentID: o.RootID,
			Status: "ACTIVE", Method: "INVITED", Joined: r.Now.UTC()}
		attachDefaults(o, r.account())
		out.Handshake = handshake(o, h)
		return state.PutOrganization(tx, o)
	})
	return out, err
}

func (r *request) describeHandshake() (any, error) {
	var in struct{ HandshakeId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if err := r.authorize("*"); err != nil {
		return nil, err
	}
	var out struct{ Handshake handshakeShape }
	err := r.Store.View(r.ctx, func(tx store.Tx) error {
		o, h, err := findHandshake(tx, in.HandshakeId)
		if err != nil {
			return err
		}
		if h.Account != r.account() && o.ManagementAccount != r.account() {
			return orgErr("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.")
		}
		out.Handshake = handshake(o, h)
		return nil
	})
	return out, err
}

func (r *request) removeAccount() (any, error) {
	var in struct{ AccountId string }
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return nil, r.withOrg(true, true, func(tx store.Tx, o *model.Organization) error {
		if _, ok := o.Accounts[in.AccountId]; !ok {
			return accountNotFound()
		}
		if in.AccountId == o.ManagementAccount {
			return constraint("You can't remove the management account from an organization.")
		}
		delete(o.Accounts, in.AccountId)
		delete(o.Attachments, in.AccountId)
		return state.RemoveOrgMember(tx, in.AccountId)
	})
}

func (r *request) moveAccount() (any, error) {
	var in struct {
		AccountId           string
		SourceParentId      string
		DestinationParentId string
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return nil, r.withOrg(true, true, func(_ store.Tx, o *model.Organization) error {
		a, ok := o.Accounts[in.AccountId]
		if !ok {
			return accountNotFound()
		}
		if parentKind(o, in.SourceParentId) == "" {
			return orgErr("SourceParentNotFoundException", "We can't find a source root or OU with the ParentId that you specified.")
		}
		if parentKind(o, in.DestinationParentId) == "" {
			return orgErr("DestinationParentNotFoundException", "We can't find a destination root or OU with the ParentId that you specified.")
		}
		if a.ParentID != in.SourceParentId {
			return accountNotFound()
		}
		if a.ParentID == in.DestinationParentId {
			return orgErr("DuplicateAccountException", "That account is already present in the specified destination.")
		}
		a.ParentID = in.DestinationParentId
		return nil
	})
}

func (r *request) listParents() (any, error) {
	var in struct {
		ChildId string
		paging
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var out struct {
		Parents   []typedID
		NextToken string `json:",omitempty"`
	}
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) (err error) {
		parent := ""
		if a, ok := o.Accounts[in.ChildId]; ok {
			parent = a.ParentID
		} else if u, ok := o.OUs[in.ChildId]; ok {
			parent = u.ParentID
		} else {
			return orgErr("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.")
		}
		out.Parents, out.NextToken, err = page([]typedID{{Id: parent, Type: parentKind(o, parent)}}, in.paging)
		return err
	})
	return out, err
}

func (r *request) listChildren() (any, error) {
	var in struct {
		ParentId  string
		ChildType string
		paging
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.ChildType != "ACCOUNT" && in.ChildType != "ORGANIZATIONAL_UNIT" {
		return nil, invalidInput("You provided a value that does not match the required pattern.")
	}
	var out struct {
		Children  []typedID
		NextToken string `json:",omitempty"`
	}
	err := r.withOrg(false, true, func(_ store.Tx, o *model.Organization) (err error) {
		if parentKind(o, in.ParentId) == "" {
			return parentNotFound()
		}
		var all []typedID
		if in.ChildType == "ACCOUNT" {
			for _, a := range sortedAccounts(o) {
				if a.ParentID == in.ParentId {
					all = append(all, typedID{a.ID, "ACCOUNT"})
				}
			}
		} else {
			for _, u := range sortedOUs(o) {
				if u.ParentID == in.ParentId {
					all = append(all, typedID{u.ID, "ORGANIZATIONAL_UNIT"})
				}
			}
		}
		out.Children, out.NextToken, err = page(all, in.paging)
		return err
	})
	return out, err
}
