package state

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"time"

	"github.com/verdict-project/verdict/awsmanaged"
	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// This file holds the IAM and STS lookups the iamapi, stsapi and world
// packages share: listing an account's identities, deleting them, access
// keys, sessions and attachment counts.

// scanAccount collects the records of one account from a table keyed by
// nameKey, in key (lower-cased name) order.
func scanAccount[T any](tx store.Tx, table, account string) ([]T, error) {
	var out []T
	err := store.ScanJSON(tx, table, account+"/", "", func(_ string, v T) (bool, error) {
		out = append(out, v)
		return true, nil
	})
	return out, err
}

// ListUsers returns the account's IAM users ordered by lower-cased name.
func ListUsers(tx store.Tx, account string) ([]model.User, error) {
	return scanAccount[model.User](tx, Users, account)
}

// ListGroups returns the account's IAM groups ordered by lower-cased name.
func ListGroups(tx store.Tx, account string) ([]model.Group, error) {
	return scanAccount[model.Group](tx, Groups, account)
}

// ListRoles returns the account's IAM roles ordered by lower-cased name.
func ListRoles(tx store.Tx, account string) ([]model.Role, error) {
	return scanAccount[model.Role](tx, Roles, account)
}

// PolicyARNPrefix is the prefix of the ARNs of an account's customer managed
// policies.
func PolicyARNPrefix(account string) string { return "arn:aws:iam::" + account + ":policy/" }

// ListPolicies returns the account's customer managed policies ordered by ARN.
func ListPolicies(tx store.Tx, account string) ([]model.ManagedPolicy, error) {
	var out []model.ManagedPolicy
	err := store.ScanJSON(tx, Policies, PolicyARNPrefix(account), "", func(_ string, p model.ManagedPolicy) (bool, error) {
		out = append(out, p)
		return true, nil
	})
	return out, err
}

// DeleteUser removes a user record (not its keys; see DeleteAccessKey).
func DeleteUser(tx store.Tx, account, name string) error {
	return tx.Delete(Users, nameKey(account, name))
}

// DeleteGroup removes a group record.
func DeleteGroup(tx store.Tx, account, name string) error {
	return tx.Delete(Groups, nameKey(account, name))
}

// DeleteRole removes a role record.
func DeleteRole(tx store.Tx, account, name string) error {
	return tx.Delete(Roles, nameKey(account, name))
}

// DeletePolicy removes a customer managed policy.
func DeletePolicy(tx store.Tx, arn string) error { return tx.Delete(Policies, arn) }

// PutAccount stores a.
func PutAccount(tx store.Tx, a *model.Account) error { return store.PutJSON(tx, Accounts, a.ID, a) }

// PutAccountPublicAccess stores an account-level Block Public Access
// configuration; nil removes it.
func PutAccountPublicAccess(tx store.Tx, account string, p *acl.PublicAccessBlock) error {
	if p == nil {
		err := tx.Delete(AccountPAB, account)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	return store.PutJSON(tx, AccountPAB, account, p)
}

// PutAccessKey stores k.
func PutAccessKey(tx store.Tx, k *model.AccessKey) error {
	return store.PutJSON(tx, AccessKeys, k.ID, k)
}

// DeleteAccessKey removes an access key.
func DeleteAccessKey(tx store.Tx, id string) error { return tx.Delete(AccessKeys, id) }

// ListAccessKeys returns the access keys of one user of an account (user ""
// is the root user), ordered by key ID. Keys are few, so the table is
// scanned whole.
func ListAccessKeys(tx store.Tx, account, user string) ([]model.AccessKey, error) {
	var out []model.AccessKey
	err := store.ScanJSON(tx, AccessKeys, "", "", func(_ string, k model.AccessKey) (bool, error) {
		if k.Account == account && strings.EqualFold(k.User, user) {
			out = append(out, k)
		}
		return true, nil
	})
	return out, err
}

// PutSession stores temporary credentials under their access key ID.
func PutSession(tx store.Tx, s *model.Session) error {
	return store.PutJSON(tx, Sessions, s.AccessKeyID, s)
}

// keyUseGranularity is how stale a key's recorded last use may get before a
// request records it again. AWS itself documents that last-used data can
// lag by hours, so a minute loses nothing and spares a write per request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_RotateAccessKey
const keyUseGranularity = time.Minute

// KeyUseStale reports whether a use of k by service in region at now should
// be recorded: the service or region changed, or the record is older than a
// minute.
func KeyUseStale(k *model.AccessKey, service, region string, now time.Time) bool {
	return k.LastService != service || k.LastRegion != region || now.Sub(k.LastUsed) >= keyUseGranularity || now.Before(k.LastUsed)
}

// RecordKeyUse records that the long-term access key id was used with
// service in region at now, for GetAccessKeyLastUsed. It reports whether it
// wrote; unknown keys (root's account-ID keys, session keys) are ignored.
func RecordKeyUse(tx store.Tx, id, service, region string, now time.Time) (bool, error) {
	k, err := AccessKey(tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !KeyUseStale(k, service, region, now) {
		return false, nil
	}
	k.LastUsed, k.LastService, k.LastRegion = now.UTC(), service, region
	return true, PutAccessKey(tx, k)
}

// NoteKeyUse records a use of a long-term access key in its own
// transaction (see RecordKeyUse), after a read-only look that skips the
// write when the record is fresh. Servers call it once per request signed
// with a long-term key.
func NoteKeyUse(ctx context.Context, st store.Store, id, service, region string, now time.Time) error {
	stale := false
	err := st.View(ctx, func(tx store.Tx) error {
		k, err := AccessKey(tx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		stale = KeyUseStale(k, service, region, now)
		return nil
	})
	if err != nil || !stale {
		return err
	}
	return st.Update(ctx, func(tx store.Tx) error {
		_, err := RecordKeyUse(tx, id, service, region, now)
		return err
	})
}

// StableID returns an IAM-style unique ID (see NewID) derived from seed, so
// that records declared by name get the same ID on every installation and
// every start.
func StableID(prefix, seed string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	h := sha256.Sum256([]byte("verdict stable id " + prefix + " " + seed))
	b := make([]byte, 16)
	for i := range b {
		b[i] = alphabet[int(h[i])%len(alphabet)]
	}
	return prefix + string(b)
}

// AWSManagedPolicyID is the policy ID verdict reports for an AWS managed
// policy: stable, ANPA-prefixed like AWS's.
func AWSManagedPolicyID(arn string) string { return StableID("ANPA", arn) }

// ManagedPolicyExists reports whether arn names an AWS managed policy or a
// customer managed policy in the store.
func ManagedPolicyExists(tx store.Tx, arn string) (bool, error) {
	if _, ok := awsmanaged.Get(arn); ok {
		return true, nil
	}
	_, err := Policy(tx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// PolicyUse counts where a managed policy is used in one account.
type PolicyUse struct {
	// Attachments counts the users, groups and roles it is attached to.
	Attachments int
	// Boundaries counts the users and roles it is the permissions boundary
	// of.
	Boundaries int
}

// PolicyUses counts, in one pass over an account's users, groups and roles,
// the attachments and boundary uses of every managed policy they name.
func PolicyUses(tx store.Tx, account string) (map[string]PolicyUse, error) {
	m := map[string]PolicyUse{}
	attach := func(arns []string) {
		for _, a := range arns {
			u := m[a]
			u.Attachments++
			m[a] = u
		}
	}
	bound := func(a string) {
		if a != "" {
			u := m[a]
			u.Boundaries++
			m[a] = u
		}
	}
	users, err := ListUsers(tx, account)
	if err != nil {
		return nil, err
	}
	for _, x := range users {
		attach(x.Attached)
		bound(x.Boundary)
	}
	groups, err := ListGroups(tx, account)
	if err != nil {
		return nil, err
	}
	for _, x := range groups {
		attach(x.Attached)
	}
	roles, err := ListRoles(tx, account)
	if err != nil {
		return nil, err
	}
	for _, x := range roles {
		attach(x.Attached)
		bound(x.Boundary)
	}
	return m, nil
}

// CountPolicyUse counts the attachments and boundary uses of one managed
// policy within an account.
func CountPolicyUse(tx store.Tx, account, arn string) (PolicyUse, error) {
	m, err := PolicyUses(tx, account)
	return m[arn], err
}

// SyncAttachments recounts the attachments of a customer managed policy and
// stores the count in its record when it changed. AWS managed policies and
// missing policies are left alone.
func SyncAttachments(tx store.Tx, arn string) error {
	p, err := Policy(tx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	u, err := CountPolicyUse(tx, p.Account, arn)
	if err != nil {
		return err
	}
	if u.Attachments == p.Attachments {
		return nil
	}
	p.Attachments = u.Attachments
	return PutPolicy(tx, p)
}

// PrincipalExists returns the existence check IAM applies to the AWS
// principals a trust policy names: an IAM user or role ARN must name one
// that exists (with that path); account principals, session ARNs and
// unique IDs are accepted.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
func PrincipalExists(tx store.Tx) func(string) bool {
	return func(v string) bool {
		a, err := arn.Parse(v)
		if err != nil || a.Service != "iam" {
			return true
		}
		typ, rest, ok := strings.Cut(a.Resource, "/")
		if !ok {
			return true
		}
		name := rest[strings.LastIndexByte(rest, '/')+1:]
		switch typ {
		case "user":
			u, err := User(tx, a.Account, name)
			return err == nil && u.ARN() == v
		case "role":
			r, err := Role(tx, a.Account, name)
			return err == nil && r.ARN() == v
		}
		return true
	}
}
