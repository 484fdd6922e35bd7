package inputs

import (
	"maps"
	"slices"
	"sync"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// OrgView is every organization compiled for decisions: for each member
// account its SCP chain, its RCP chain and its organization path. A view is
// immutable and shared between requests until an organization changes.
type OrgView struct {
	accounts map[string]*orgAccount
}

type orgAccount struct {
	scp, rcp *authz.Org
	// path is the aws:PrincipalOrgPaths / aws:ResourceOrgPaths value: the
	// organization, the root and the OUs above the account, each followed
	// by "/".
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
	path string
	org  string
}

// orgCache holds the last compiled view with the generation token it was
// built from. Tokens are random, so views of different stores never mix.
var orgCache struct {
	sync.Mutex
	gen  string
	view *OrgView
}

// Orgs returns the compiled organizations of the store (nil when there are
// none). It reads one key when nothing changed since the last call.
func (c *Compiler) Orgs(tx store.Tx) (*OrgView, error) {
	gen, err := state.OrgGeneration(tx)
	if err != nil || gen == "" {
		return nil, err
	}
	orgCache.Lock()
	if orgCache.gen == gen {
		v := orgCache.view
		orgCache.Unlock()
		return v, nil
	}
	orgCache.Unlock()
	orgs, err := state.AllOrganizations(tx)
	if err != nil {
		return nil, err
	}
	v := &OrgView{accounts: map[string]*orgAccount{}}
	for _, o := range orgs {
		if err := c.addOrg(v, o); err != nil {
			return nil, err
		}
	}
	orgCache.Lock()
	orgCache.gen, orgCache.view = gen, v
	orgCache.Unlock()
	return v, nil
}

func (c *Compiler) addOrg(v *OrgView, o *model.Organization) error {
	compiled := map[string]*authz.PolicyRef{}
	for _, id := range slices.Sorted(maps.Keys(o.Policies)) {
		p := o.Policies[id]
		pol, err := c.Compile(p.Content)
		if err != nil {
			// A stored policy was validated when written; one that no
			// longer parses is left out rather than failing every request.
			continue
		}
		compiled[id] = &authz.PolicyRef{Name: p.Name + " (" + id + ")", Policy: pol}
	}
	level := func(target, typ string) authz.OrgLevel {
		l := authz.OrgLevel{Target: target}
		for _, pid := range o.Attachments[target] {
			if p, ok := o.Policies[pid]; ok && p.Type == typ && compiled[pid] != nil {
				ref := *compiled[pid]
				ref.Target = target
				l.Policies = append(l.Policies, ref)
			}
		}
		return l
	}
	for id, a := range o.Accounts {
		// The chain from the account up to the root, reversed below.
		chain := []string{id}
		for parent, n := a.ParentID, 0; parent != "" && n < 64; n++ {
			chain = append(chain, parent)
			if ou, ok := o.OUs[parent]; ok {
				parent = ou.ParentID
			} else {
				break
			}
		}
		slices.Reverse(chain)
		path := o.ID + "/"
		for _, t := range chain[:len(chain)-1] {
			path += t + "/"
		}
		e := &orgAccount{org: o.ID, path: path}
		mgmt := id == o.ManagementAccount
		e.scp = &authz.Org{ID: o.ID, Management: mgmt}
		e.rcp = &authz.Org{ID: o.ID, Management: mgmt}
		for _, t := range chain {
			if o.TypeEnabled(model.SCPType) {
				e.scp.Levels = append(e.scp.Levels, level(t, model.SCPType))
			}
			if o.TypeEnabled(model.RCPType) {
				e.rcp.Levels = append(e.rcp.Levels, level(t, model.RCPType))
			}
		}
		v.accounts[id] = e
	}
	return nil
}

// Apply adds the organization inputs of a decision: the SCP chain of the
// caller's account, the RCP chain of the resource's account (req's
// ResourceAccount, else ctx's aws:ResourceAccount), and the keys
// aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:ResourceOrgID and
// aws:ResourceOrgPaths. A nil view (no organizations) adds nothing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
func (v *OrgView) Apply(req *authz.Request, ctx condition.Map, in *authz.Inputs) {
	if v == nil {
		return
	}
	pr := &req.Principal
	if pr.Type != authz.Anonymous && pr.Type != authz.Service {
		if e := v.accounts[pr.Account]; e != nil {
			in.PrincipalOrg = e.scp
			if ctx != nil {
				ctx["aws:principalorgid"] = []string{e.org}
				ctx["aws:principalorgpaths"] = []string{e.path}
			}
		}
	}
	ra := req.ResourceAccount
	if ra == "" && ctx != nil && len(ctx["aws:resourceaccount"]) == 1 {
		ra = ctx["aws:resourceaccount"][0]
	}
	if e := v.accounts[ra]; e != nil {
		in.ResourceOrg = e.rcp
		if ctx != nil {
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
			ctx["aws:resourceorgid"] = []string{e.org}
			ctx["aws:resourceorgpaths"] = []string{e.path}
		}
	}
}

// OrgInputs is Apply with the organizations the caller was resolved with;
// IAM, STS and S3 call it on every decision they build.
func (c *Caller) OrgInputs(req *authz.Request, ctx condition.Map, in *authz.Inputs) {
	c.Orgs.Apply(req, ctx, in)
}
