package world

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Apply makes the store hold what the world declares, in one transaction.
// It creates what is missing and updates what differs; it never deletes
// records the file does not mention. Records it creates get IDs derived
// from their names (state.StableID), and what the file does not model is
// kept: IDs and creation dates of existing records, access keys' last use,
// a bucket's versioning and default encryption, older policy versions.
// Applying the same file twice writes nothing the second time.
func (w *World) Apply(ctx context.Context, st store.Store, now time.Time) error {
	now = now.UTC()
	return st.Update(ctx, func(tx store.Tx) error {
		a := &applier{w: w, tx: tx, now: now}
		// Phases run over every account before the next, so that trust
		// policies can name users and roles of any account.
		for _, phase := range []func(*Account) error{a.account, a.policies, a.groups, a.users, a.roles, a.buckets, a.oidcProviders} {
			for _, acct := range w.Accounts {
				if err := phase(acct); err != nil {
					return err
				}
			}
		}
		return a.trusts()
	})
}

type applier struct {
	w   *World
	tx  store.Tx
	now time.Time
}

func (a *applier) fail(ps Pos, path, format string, args ...any) error {
	return &Error{File: a.w.File, Line: ps.Line, Col: ps.Col, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// put writes v under key unless the stored value is already the same.
func (a *applier) put(table, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	old, err := a.tx.Get(table, key)
	if err == nil && bytes.Equal(old, raw) {
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return a.tx.Put(table, key, raw)
}

// get reads a record; found is false when it is absent.
func get[T any](tx store.Tx, table, key string) (v *T, found bool, err error) {
	v, err = state.Get[T](tx, table, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	return v, err == nil, err
}

func (a *applier) account(acct *Account) error {
	old, found, err := get[model.Account](a.tx, state.Accounts, acct.ID)
	if err != nil {
		return err
	}
	rec := &model.Account{ID: acct.ID, CanonicalID: model.CanonicalID(acct.ID), Name: acct.Name, Email: acct.Email,
		Alias: acct.Alias, Created: a.now}
	if found {
		rec.Created = old.Created
		if old.CanonicalID != "" {
			rec.CanonicalID = old.CanonicalID
		}
	}
	if err := a.put(state.Accounts, acct.ID, rec); err != nil {
		return err
	}
	if acct.PublicAccessBlock != nil {
		if err := a.put(state.AccountPAB, acct.ID, acct.PublicAccessBlock); err != nil {
			return err
		}
	}
	for _, k := range acct.AccessKeys {
		if err := a.key(acct, "", k); err != nil {
			return err
		}
	}
	return nil
}

// key stores an access key of user ("" for the root user).
func (a *applier) key(acct *Account, user string, k *AccessKey) error {
	old, found, err := get[model.AccessKey](a.tx, state.AccessKeys, k.ID)
	if err != nil {
		return err
	}
	rec := &model.AccessKey{ID: k.ID, Secret: k.Secret, Account: acct.ID, User: user, Status: k.Status, Created: a.now}
	if found {
		if old.Account != acct.ID || old.User != user {
			owner := "the root user"
			if old.User != "" {
				owner = "user " + old.User
			}
			return a.fail(k.Pos, "access_keys", "access key %s already belongs to %s of account %s", k.ID, owner, old.Account)
		}
		rec.Created, rec.LastUsed, rec.LastService, rec.LastRegion = old.Created, old.LastUsed, old.LastService, old.LastRegion
	}
	return a.put(state.AccessKeys, k.ID, rec)
}

func (a *applier) policies(acct *Account) error {
	for _, p := range acct.Policies {
		arn := p.ARN(acct.ID)
		old, found, err := get[model.ManagedPolicy](a.tx, state.Policies, arn)
		if err != nil {
			return err
		}
		rec := &model.ManagedPolicy{ARN: arn, Account: acct.ID, Name: p.Name, Path: p.Path, ID: state.StableID("ANPA", arn),
			Description: p.Description, DefaultVersion: "v1", Versions: []model.PolicyVersion{{ID: "v1", Document: p.Document, Created: a.now}},
			Created: a.now, Updated: a.now, NextVersion: 2}
		if found {
			rec = old
			if rec.Document() != p.Document {
				// A changed document becomes a new default version, as
				// CreatePolicyVersion with SetAsDefault would make it,
				// dropping the oldest other version at IAM's limit of five.
				// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
				if len(rec.Versions) >= 5 {
					i := slices.IndexFunc(rec.Versions, func(v model.PolicyVersion) bool { return v.ID != rec.DefaultVersion })
					rec.Versions = slices.Delete(rec.Versions, i, i+1)
				}
				if rec.NextVersion < 2 {
					rec.NextVersion = len(rec.Versions) + 1
				}
				id := "v" + strconv.Itoa(rec.NextVersion)
				rec.NextVersion++
				rec.Versions = append(rec.Versions, model.PolicyVersion{ID: id, Document: p.Document, Created: a.now})
				rec.DefaultVersion, rec.Updated = id, a.now
			}
			rec.Description = p.Description
		}
		if err := a.put(state.Policies, arn, rec); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier) groups(acct *Account) error {
	for _, g := range acct.Groups {
		old, err := state.Group(a.tx, acct.ID, g.Name)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		rec := &model.Group{Account: acct.ID, Name: g.Name, Path: g.Path, ID: state.StableID("AGPA", acct.ID+"/"+g.Name),
			Created: a.now, Inline: nonEmpty(g.Inline), Attached: g.Attached}
		if old != nil {
			rec.ID, rec.Created = old.ID, old.Created
		}
		if err := a.put(state.Groups, state.GroupKey(acct.ID, g.Name), rec); err != nil {
			return err
		}
	}
	return nil
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

func (a *applier) users(acct *Account) error {
	for _, u := range acct.Users {
		old, err := state.User(a.tx, acct.ID, u.Name)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		rec := &model.User{Account: acct.ID, Name: u.Name, Path: u.Path, ID: state.StableID("AIDA", acct.ID+"/"+u.Name),
			Created: a.now, Tags: u.Tags, Boundary: u.Boundary, Inline: nonEmpty(u.Inline), Attached: u.Attached, Groups: u.Groups}
		if old != nil {
			rec.ID, rec.Created = old.ID, old.Created
		}
		if err := a.put(state.Users, state.UserKey(acct.ID, u.Name), rec); err != nil {
			return err
		}
		for _, k := range u.AccessKeys {
			if err := a.key(acct, u.Name, k); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *applier) roles(acct *Account) error {
	for _, r := range acct.Roles {
		old, err := state.Role(a.tx, acct.ID, r.Name)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		rec := &model.Role{Account: acct.ID, Name: r.Name, Path: r.Path, ID: state.StableID("AROA", acct.ID+"/"+r.Name),
			Created: a.now, Description: r.Description, TrustPolicy: r.Trust, MaxSessionDuration: r.MaxSessionDuration,
			Tags: r.Tags, Boundary: r.Boundary, Inline: nonEmpty(r.Inline), Attached: r.Attached}
		if old != nil {
			rec.ID, rec.Created, rec.ServiceLinked = old.ID, old.Created, old.ServiceLinked
		}
		if err := a.put(state.Roles, state.RoleKey(acct.ID, r.Name), rec); err != nil {
			return err
		}
	}
	// Attachment counts of the account's policies follow the identities.
	for _, p := range acct.Policies {
		if err := state.SyncAttachments(a.tx, p.ARN(acct.ID)); err != nil {
			return err
		}
	}
	return nil
}

// oidcProviders stores the account's OIDC providers; one already stored for
// the same issuer keeps its creation time and tags.
func (a *applier) oidcProviders(acct *Account) error {
	for _, o := range acct.OIDCProviders {
		rec := &model.OIDCProvider{Account: acct.ID, URL: state.NormalizeIssuer(o.URL), ClientIDs: o.ClientIDs,
			Thumbprints: o.Thumbprints, Created: a.now}
		old, err := state.OIDCProvider(a.tx, acct.ID, o.URL)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if old != nil {
			rec.Created, rec.Tags = old.Created, old.Tags
		}
		if err := state.PutOIDCProvider(a.tx, rec); err != nil {
			return err
		}
	}
	return nil
}

// trusts checks, once every identity exists, that each trust policy names
// only principals that exist, as IAM does when a role is created.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
func (a *applier) trusts() error {
	exists := state.PrincipalExists(a.tx)
	for ai, acct := range a.w.Accounts {
		for ri, r := range acct.Roles {
			if _, err := policy.Validate([]byte(r.Trust), policy.Trust, policy.Options{Account: acct.ID, PrincipalExists: exists}); err != nil {
				return a.fail(r.Pos, fmt.Sprintf("accounts[%d].roles[%d].trust", ai, ri), "trust policy rejected: %v", err)
			}
		}
	}
	return nil
}

func (a *applier) buckets(acct *Account) error {
	owner := acl.Owner{ID: model.CanonicalID(acct.ID), DisplayName: acct.ID}
	for _, b := range acct.Buckets {
		old, found, err := get[model.Bucket](a.tx, state.Buckets, b.Name)
		if err != nil {
			return err
		}
		if found && old.Owner != acct.ID {
			return a.fail(b.Pos, "buckets", "bucket %s already exists and belongs to account %s", b.Name, old.Owner)
		}
		bucketACL, err := acl.Canned(b.ACL, owner, owner, true)
		if err != nil {
			return a.fail(b.Pos, "buckets", "%v", err)
		}
		rec := &model.Bucket{Name: b.Name, Owner: acct.ID, Region: b.Region, Created: a.now, Ownership: b.Ownership,
			ACL: bucketACL, Policy: b.Policy, PublicAccess: b.PublicAccessBlock, RequesterPay: b.RequesterPays, Tags: b.Tags}
		if found {
			rec.Created, rec.Encryption, rec.Versioning = old.Created, old.Encryption, old.Versioning
		}
		if err := a.put(state.Buckets, b.Name, rec); err != nil {
			return err
		}
	}
	return nil
}
