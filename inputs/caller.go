package inputs

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/verdict-project/verdict/awsmanaged"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Caller is an authenticated principal with everything AWS attaches to it.
type Caller struct {
	Principal authz.Principal
	Identity  []authz.PolicyRef
	Boundary  *authz.PolicyRef
	// Session holds session policies; nil when none were passed.
	Session []authz.PolicyRef
	// Tags are the principal's tags (user or role tags, then session tags).
	Tags []model.Tag
	// Secret is the secret access key the request must be signed with;
	// Token the session token it must carry ("" for long-term keys).
	Secret, Token string
	// Sess is the STS session, for temporary credentials.
	Sess *model.Session
	// User is the IAM user behind long-term keys, GetSessionToken and
	// GetFederationToken credentials.
	User *model.User
	// Expired is set for temporary credentials past their expiration.
	Expired bool
	// Orgs is every organization as the caller was resolved (nil when
	// there are none); see OrgInputs.
	Orgs *OrgView
}

// Anonymous is the caller of an unsigned request.
func Anonymous() *Caller { return &Caller{Principal: authz.Principal{Type: authz.Anonymous}} }

// ErrUnknownKey reports an access key verdict does not know.
var ErrUnknownKey = errors.New("inputs: unknown access key")

// ResolveKey finds the caller behind an access key ID. A key ID of twelve
// digits is the root user of that account, whose secret is rootSecret (the
// account is created on first use).
func (c *Compiler) ResolveKey(tx store.Tx, keyID, rootSecret string, now time.Time) (*Caller, error) {
	caller, err := c.resolveKey(tx, keyID, rootSecret, now)
	if err != nil {
		return nil, err
	}
	if caller.Orgs, err = c.Orgs(tx); err != nil {
		return nil, err
	}
	return caller, nil
}

func (c *Compiler) resolveKey(tx store.Tx, keyID, rootSecret string, now time.Time) (*Caller, error) {
	if arn.IsAccountID(keyID) {
		acct, err := account(tx, keyID)
		if err != nil {
			return nil, err
		}
		return &Caller{Principal: rootPrincipal(acct), Secret: rootSecret}, nil
	}
	if strings.HasPrefix(keyID, "ASIA") {
		s, err := state.Session(tx, keyID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrUnknownKey
		}
		if err != nil {
			return nil, err
		}
		return c.sessionCaller(tx, s, now)
	}
	k, err := state.AccessKey(tx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownKey
	}
	if err != nil {
		return nil, err
	}
	if k.Status != "Active" {
		return nil, ErrUnknownKey
	}
	acct, err := account(tx, k.Account)
	if err != nil {
		return nil, err
	}
	if k.User == "" {
		return &Caller{Principal: rootPrincipal(acct), Secret: k.Secret}, nil
	}
	u, err := state.User(tx, k.Account, k.User)
	if err != nil {
		return nil, ErrUnknownKey
	}
	caller, err := c.userCaller(tx, acct, u)
	if err != nil {
		return nil, err
	}
	caller.Secret = k.Secret
	return caller, nil
}

// account returns the account record, or the record an account that was never
// written would have: accounts exist on first use, so resolving credentials
// never needs a write (and runs in a read-only transaction).
func account(tx store.Tx, id string) (*model.Account, error) {
	a, err := state.LookupAccount(tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return &model.Account{ID: id, CanonicalID: model.CanonicalID(id)}, nil
	}
	return a, err
}

func rootPrincipal(a *model.Account) authz.Principal {
	return authz.Principal{Type: authz.Root, Account: a.ID, ARN: arn.AccountRoot(model.Partition, a.ID), CanonicalID: a.CanonicalID}
}

// userCaller returns the caller for an IAM user's own credentials.
func (c *Compiler) userCaller(tx store.Tx, a *model.Account, u *model.User) (*Caller, error) {
	caller := &Caller{
		Principal: authz.Principal{Type: authz.User, Account: a.ID, ARN: u.ARN(), UniqueID: u.ID, CanonicalID: a.CanonicalID},
		Tags:      u.Tags, User: u,
	}
	var err error
	if caller.Identity, err = c.userPolicies(tx, u); err != nil {
		return nil, err
	}
	if caller.Boundary, err = c.boundary(tx, u.Boundary); err != nil {
		return nil, err
	}
	return caller, nil
}

func (c *Compiler) sessionCaller(tx store.Tx, s *model.Session, now time.Time) (*Caller, error) {
	a, err := account(tx, s.Account)
	if err != nil {
		return nil, err
	}
	var caller *Caller
	switch s.Kind {
	case model.AssumedRoleSession:
		r, err := state.Role(tx, s.Account, s.RoleName)
		if err != nil {
			// The role was deleted: its sessions lose every permission.
			r = &model.Role{Account: s.Account, Name: s.RoleName}
		}
		caller = &Caller{
			Principal: authz.Principal{Type: authz.AssumedRole, Account: a.ID, ARN: s.ARN, RoleARN: s.RoleARN, UniqueID: s.RoleID,
				CanonicalID: a.CanonicalID, ServiceLinked: r.ServiceLinked},
			Tags: append(append([]model.Tag(nil), r.Tags...), s.Tags...),
		}
		if caller.Identity, err = c.rolePolicies(tx, r); err != nil {
			return nil, err
		}
		if caller.Boundary, err = c.boundary(tx, r.Boundary); err != nil {
			return nil, err
		}
	case model.SessionToken:
		if s.UserName == "" {
			// GetSessionToken called with root credentials: the session
			// acts as the root user.
			caller = &Caller{Principal: rootPrincipal(a)}
			break
		}
		fallthrough
	case model.FederatedUserSession:
		u, err := state.User(tx, s.Account, s.UserName)
		if err != nil {
			u = &model.User{Account: s.Account, Name: s.UserName, Path: "/"}
		}
		caller, err = c.userCaller(tx, a, u)
		if err != nil {
			return nil, err
		}
		if s.Kind == model.FederatedUserSession {
			caller.Principal.Type = authz.FederatedUser
			caller.Principal.RoleARN = u.ARN()
			caller.Principal.ARN = s.ARN
			caller.Principal.UniqueID = ""
		}
		caller.Tags = append(caller.Tags, s.Tags...)
	default:
		return nil, fmt.Errorf("inputs: unknown session kind %q", s.Kind)
	}
	if s.HasPolicy {
		caller.Session = []authz.PolicyRef{}
		if s.Policy != "" {
			p, err := c.Compile(s.Policy)
			if err != nil {
				return nil, err
			}
			caller.Session = append(caller.Session, authz.PolicyRef{Name: "session policy", Policy: p})
		}
		for _, pa := range s.PolicyARNs {
			doc, err := managedDocument(tx, pa)
			if err != nil {
				continue
			}
			p, err := c.Compile(doc)
			if err != nil {
				return nil, err
			}
			caller.Session = append(caller.Session, authz.PolicyRef{Name: pa, Policy: p})
		}
	}
	caller.Secret, caller.Token, caller.Sess = s.Secret, s.Token, s
	caller.Expired = !now.Before(s.Expiration)
	return caller, nil
}

// managedDocument returns the default version of a managed policy, AWS's or
// the account's.
func managedDocument(tx store.Tx, policyARN string) (string, error) {
	if p, ok := awsmanaged.Get(policyARN); ok {
		return p.Document, nil
	}
	mp, err := state.Policy(tx, policyARN)
	if err != nil {
		return "", err
	}
	return mp.Document(), nil
}

func (c *Compiler) boundary(tx store.Tx, policyARN string) (*authz.PolicyRef, error) {
	if policyARN == "" {
		return nil, nil
	}
	doc, err := managedDocument(tx, policyARN)
	if err != nil {
		// A boundary whose policy vanished allows nothing.
		doc = `{"Version":"2012-10-17","Statement":[]}`
	}
	p, err := c.Compile(doc)
	if err != nil {
		return nil, err
	}
	return &authz.PolicyRef{Name: policyARN, Policy: p}, nil
}

func (c *Compiler) inline(owner string, m map[string]string, out []authz.PolicyRef) ([]authz.PolicyRef, error) {
	for _, name := range slices.Sorted(maps.Keys(m)) {
		p, err := c.Compile(m[name])
		if err != nil {
			return nil, err
		}
		out = append(out, authz.PolicyRef{Name: owner + " inline policy " + name, Policy: p})
	}
	return out, nil
}

func (c *Compiler) attached(tx store.Tx, arns []string, out []authz.PolicyRef) ([]authz.PolicyRef, error) {
	for _, a := range arns {
		doc, err := managedDocument(tx, a)
		if err != nil {
			continue
		}
		p, err := c.Compile(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, authz.PolicyRef{Name: a, Policy: p})
	}
	return out, nil
}

func (c *Compiler) userPolicies(tx store.Tx, u *model.User) ([]authz.PolicyRef, error) {
	out, err := c.inline("user/"+u.Name, u.Inline, nil)
	if err != nil {
		return nil, err
	}
	if out, err = c.attached(tx, u.Attached, out); err != nil {
		return nil, err
	}
	for _, gname := range u.Groups {
		g, err := state.Group(tx, u.Account, gname)
		if err != nil {
			continue
		}
		if out, err = c.inline("group/"+g.Name, g.Inline, out); err != nil {
			return nil, err
		}
		if out, err = c.attached(tx, g.Attached, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Compiler) rolePolicies(tx store.Tx, r *model.Role) ([]authz.PolicyRef, error) {
	out, err := c.inline("role/"+r.Name, r.Inline, nil)
	if err != nil {
		return nil, err
	}
	return c.attached(tx, r.Attached, out)
}

// ContextKeys adds the caller's condition keys to m: the principal keys,
// principal tags, and for temporary credentials the MFA, token-issue-time
// and source-identity keys.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (c *Caller) ContextKeys(m condition.Map) {
	authz.PrincipalKeys(&c.Principal, m)
	for _, t := range c.Tags {
		m["aws:principaltag/"+strings.ToLower(t.Key)] = []string{t.Value}
	}
	if s := c.Sess; s != nil {
		m["aws:multifactorauthpresent"] = []string{fmt.Sprint(s.MFA)}
		m["aws:tokenissuetime"] = []string{s.Issued.UTC().Format(time.RFC3339)}
		if s.SourceIdentity != "" {
			m["aws:sourceidentity"] = []string{s.SourceIdentity}
		}
	}
}
