package orgsapi_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

var bg = context.Background()

// org is an organization set up for a test: mgmt is its management
// account, member joined by invitation.
type org struct {
	id, root string
}

func (e *env) setupOrg() org {
	e.t.Helper()
	t := e.t
	c := e.orgs(mgmtAdmin)
	out, err := c.CreateOrganization(bg, &organizations.CreateOrganizationInput{})
	noErr(t, err)
	roots, err := c.ListRoots(bg, &organizations.ListRootsInput{})
	noErr(t, err)
	h, err := c.InviteAccountToOrganization(bg, &organizations.InviteAccountToOrganizationInput{
		Target: &types.HandshakeParty{Id: aws.String(member), Type: types.HandshakePartyTypeAccount}})
	noErr(t, err)
	_, err = e.orgs(root(member)).AcceptHandshake(bg, &organizations.AcceptHandshakeInput{HandshakeId: h.Handshake.Id})
	noErr(t, err)
	return org{id: aws.ToString(out.Organization.Id), root: aws.ToString(roots.Roots[0].Id)}
}

func (e *env) enable(o org, typ types.PolicyType) {
	e.t.Helper()
	_, err := e.orgs(mgmtAdmin).EnablePolicyType(bg, &organizations.EnablePolicyTypeInput{RootId: aws.String(o.root), PolicyType: typ})
	noErr(e.t, err)
}

func (e *env) policy(typ types.PolicyType, name, doc string) string {
	e.t.Helper()
	out, err := e.orgs(mgmtAdmin).CreatePolicy(bg, &organizations.CreatePolicyInput{Name: aws.String(name), Type: typ,
		Content: aws.String(doc), Description: aws.String(name)})
	noErr(e.t, err)
	return aws.ToString(out.Policy.PolicySummary.Id)
}

func (e *env) attach(pid, target string) {
	e.t.Helper()
	_, err := e.orgs(mgmtAdmin).AttachPolicy(bg, &organizations.AttachPolicyInput{PolicyId: aws.String(pid), TargetId: aws.String(target)})
	noErr(e.t, err)
}

const denyGet = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`

func TestOrganizationLifecycle(t *testing.T) {
	e := newEnv(t)
	o := e.setupOrg()
	c := e.orgs(mgmtAdmin)
	ids := []struct {
		name, id, pattern string
	}{
		{"organization", o.id, `^o-[a-z0-9]{10}$`},
		{"root", o.root, `^r-[a-z0-9]{4}$`},
	}
	ou, err := c.CreateOrganizationalUnit(bg, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(o.root), Name: aws.String("eng")})
	noErr(t, err)
	ouID := aws.ToString(ou.OrganizationalUnit.Id)
	ids = append(ids, struct{ name, id, pattern string }{"ou", ouID, `^ou-` + o.root[2:] + `-[a-z0-9]{8}$`})
	ca, err := c.CreateAccount(bg, &organizations.CreateAccountInput{Email: aws.String("new@example.com"), AccountName: aws.String("new")})
	noErr(t, err)
	st, err := c.DescribeCreateAccountStatus(bg, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: ca.CreateAccountStatus.Id})
	noErr(t, err)
	if st.CreateAccountStatus.State != types.CreateAccountStateSucceeded {
		t.Fatalf("state %s", st.CreateAccountStatus.State)
	}
	newAcct := aws.ToString(st.CreateAccountStatus.AccountId)
	ids = append(ids, struct{ name, id, pattern string }{"account", newAcct, `^[0-9]{12}$`})
	for _, tc := range ids {
		t.Run(tc.name, func(t *testing.T) {
			if !regexp.MustCompile(tc.pattern).MatchString(tc.id) {
				t.Errorf("%s id %q does not match %s", tc.name, tc.id, tc.pattern)
			}
		})
	}
	_, err = c.MoveAccount(bg, &organizations.MoveAccountInput{AccountId: aws.String(newAcct), SourceParentId: aws.String(o.root),
		DestinationParentId: aws.String(ouID)})
	noErr(t, err)
	parents, err := c.ListParents(bg, &organizations.ListParentsInput{ChildId: aws.String(newAcct)})
	noErr(t, err)
	if got := aws.ToString(parents.Parents[0].Id); got != ouID || parents.Parents[0].Type != types.ParentTypeOrganizationalUnit {
		t.Fatalf("parent %s %s, want %s", got, parents.Parents[0].Type, ouID)
	}
	children, err := c.ListChildren(bg, &organizations.ListChildrenInput{ParentId: aws.String(o.root), ChildType: types.ChildTypeAccount})
	noErr(t, err)
	if len(children.Children) != 2 {
		t.Fatalf("root has %d account children, want 2 (mgmt, member)", len(children.Children))
	}
	accts, err := c.ListAccounts(bg, &organizations.ListAccountsInput{})
	noErr(t, err)
	if len(accts.Accounts) != 3 {
		t.Fatalf("%d accounts, want 3", len(accts.Accounts))
	}
	forParent, err := c.ListAccountsForParent(bg, &organizations.ListAccountsForParentInput{ParentId: aws.String(ouID)})
	noErr(t, err)
	if len(forParent.Accounts) != 1 || aws.ToString(forParent.Accounts[0].Id) != newAcct {
		t.Fatalf("accounts in OU: %+v", forParent.Accounts)
	}
	ous, err := c.ListOrganizationalUnitsForParent(bg, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(o.root)})
	noErr(t, err)
	if len(ous.OrganizationalUnits) != 1 {
		t.Fatalf("%d OUs", len(ous.OrganizationalUnits))
	}

	// Enabling SCPs attaches FullAWSAccess everywhere, new OUs included.
	e.enable(o, types.PolicyTypeServiceControlPolicy)
	for _, target := range []string{o.root, ouID, newAcct, member, mgmt} {
		ps, err := c.ListPoliciesForTarget(bg, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(target), Filter: types.PolicyTypeServiceControlPolicy})
		noErr(t, err)
		if len(ps.Policies) != 1 || aws.ToString(ps.Policies[0].Id) != "p-FullAWSAccess" || !ps.Policies[0].AwsManaged {
			t.Fatalf("%s: policies %+v", target, ps.Policies)
		}
	}
	_, err = c.DetachPolicy(bg, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(member)})
	wantCode(t, err, "ConstraintViolationException")
	targets, err := c.ListTargetsForPolicy(bg, &organizations.ListTargetsForPolicyInput{PolicyId: aws.String("p-FullAWSAccess")})
	noErr(t, err)
	if len(targets.Targets) != 5 {
		t.Fatalf("FullAWSAccess on %d targets, want 5", len(targets.Targets))
	}

	pid := e.policy(types.PolicyTypeServiceControlPolicy, "DenyGet", denyGet)
	if !regexp.MustCompile(`^p-[a-z0-9]{8}$`).MatchString(pid) {
		t.Fatalf("policy id %q", pid)
	}
	_, err = c.UpdatePolicy(bg, &organizations.UpdatePolicyInput{PolicyId: aws.String(pid), Description: aws.String("changed")})
	noErr(t, err)
	d, err := c.DescribePolicy(bg, &organizations.DescribePolicyInput{PolicyId: aws.String(pid)})
	noErr(t, err)
	if aws.ToString(d.Policy.PolicySummary.Description) != "changed" || aws.ToString(d.Policy.Content) != denyGet {
		t.Fatalf("policy %+v", d.Policy)
	}
	e.attach(pid, ouID)
	_, err = c.DeletePolicy(bg, &organizations.DeletePolicyInput{PolicyId: aws.String(pid)})
	wantCode(t, err, "PolicyInUseException")
	_, err = c.DetachPolicy(bg, &organizations.DetachPolicyInput{PolicyId: aws.String(pid), TargetId: aws.String(ouID)})
	noErr(t, err)
	_, err = c.DeletePolicy(bg, &organizations.DeletePolicyInput{PolicyId: aws.String(pid)})
	noErr(t, err)
	list, err := c.ListPolicies(bg, &organizations.ListPoliciesInput{Filter: types.PolicyTypeServiceControlPolicy})
	noErr(t, err)
	if len(list.Policies) != 1 {
		t.Fatalf("%d policies left", len(list.Policies))
	}
	_, err = c.DisablePolicyType(bg, &organizations.DisablePolicyTypeInput{RootId: aws.String(o.root), PolicyType: types.PolicyTypeServiceControlPolicy})
	noErr(t, err)
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"not in an organization", func() error {
			_, err := e.orgs(root(outsider)).DescribeOrganization(bg, &organizations.DescribeOrganizationInput{})
			return err
		}, "AWSOrganizationsNotInUseException"},
		{"member calls a management operation", func() error {
			e.setupOrg()
			_, err := e.orgs(alice).ListAccounts(bg, &organizations.ListAccountsInput{})
			return err
		}, "AccessDeniedException"},
		{"already in an organization", func() error {
			_, err := e.orgs(root(member)).CreateOrganization(bg, &organizations.CreateOrganizationInput{})
			return err
		}, "AlreadyInOrganizationException"},
		{"malformed SCP", func() error {
			_, err := e.orgs(mgmtAdmin).CreatePolicy(bg, &organizations.CreatePolicyInput{Name: aws.String("bad"),
				Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`), Description: aws.String("")})
			return err
		}, "MalformedPolicyDocumentException"},
		{"attach before enabling", func() error {
			roots, err := e.orgs(mgmtAdmin).ListRoots(bg, &organizations.ListRootsInput{})
			if err != nil {
				return err
			}
			pid := e.policy(types.PolicyTypeServiceControlPolicy, "x", denyGet)
			_, err = e.orgs(mgmtAdmin).AttachPolicy(bg, &organizations.AttachPolicyInput{PolicyId: aws.String(pid), TargetId: roots.Roots[0].Id})
			return err
		}, "PolicyTypeNotEnabledException"},
		{"unknown parent", func() error {
			_, err := e.orgs(mgmtAdmin).CreateOrganizationalUnit(bg, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("ou-zzzz-zzzzzzzz"), Name: aws.String("x")})
			return err
		}, "ParentNotFoundException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.call(), tc.want) })
	}
}

// TestSCPDecisions: an SCP deny on the member account blocks its user,
// detaching it restores access, and the management account is exempt.
func TestSCPDecisions(t *testing.T) {
	e := newEnv(t)
	e.put(alice, "member-bucket", "k")
	e.put(mgmtAdmin, "mgmt-bucket", "k")
	o := e.setupOrg()
	e.enable(o, types.PolicyTypeServiceControlPolicy)
	noErr(t, e.get(alice, "member-bucket", "k"))
	pid := e.policy(types.PolicyTypeServiceControlPolicy, "DenyGet", denyGet)

	e.attach(pid, member)
	wantCode(t, e.get(alice, "member-bucket", "k"), "AccessDenied")
	_, err := e.orgs(mgmtAdmin).DetachPolicy(bg, &organizations.DetachPolicyInput{PolicyId: aws.String(pid), TargetId: aws.String(member)})
	noErr(t, err)
	noErr(t, e.get(alice, "member-bucket", "k"))

	// At the root the deny reaches every member account, but not the
	// management account.
	e.attach(pid, o.root)
	wantCode(t, e.get(alice, "member-bucket", "k"), "AccessDenied")
	noErr(t, e.get(mgmtAdmin, "mgmt-bucket", "k"))

	// Detaching it from the root restores access.
	_, err = e.orgs(mgmtAdmin).DetachPolicy(bg, &organizations.DetachPolicyInput{PolicyId: aws.String(pid), TargetId: aws.String(o.root)})
	noErr(t, err)
	noErr(t, e.get(alice, "member-bucket", "k"))
}

// TestRCPDecisions: an RCP on the member account that denies callers
// outside the organization blocks an outside account the bucket policy
// allows, while the member's own user (aws:PrincipalOrgID matches) passes.
func TestRCPDecisions(t *testing.T) {
	e := newEnv(t)
	e.put(alice, "member-bucket", "k")
	o := e.setupOrg()
	noErr(t, e.get(eve, "member-bucket", "k"))
	noErr(t, e.get(root(outsider), "member-bucket", "k"))
	e.enable(o, types.PolicyTypeResourceControlPolicy)
	_, err := e.orgs(mgmtAdmin).DetachPolicy(bg, &organizations.DetachPolicyInput{PolicyId: aws.String("p-RCPFullAWSAccess"), TargetId: aws.String(member)})
	wantCode(t, err, "ConstraintViolationException")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",` +
		`"Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"` + o.id + `"}}}]}`
	pid := e.policy(types.PolicyTypeResourceControlPolicy, "OrgOnly", doc)
	e.attach(pid, member)
	wantCode(t, e.get(root(outsider), "member-bucket", "k"), "AccessDenied")
	noErr(t, e.get(alice, "member-bucket", "k"))
	_, err = e.orgs(mgmtAdmin).DetachPolicy(bg, &organizations.DetachPolicyInput{PolicyId: aws.String(pid), TargetId: aws.String(member)})
	noErr(t, err)
	noErr(t, e.get(root(outsider), "member-bucket", "k"))
}
