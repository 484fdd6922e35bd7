package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// UserAccessKeyID is the access key ID Apply gives the IAM user name of
// account: exports never contain secrets, so imported users get one key
// each, derived from their names, to make requests with.
func UserAccessKeyID(account, name string) string {
	return state.StableID("AKIA", "verdict import "+account+"/"+name)
}

// UserSecret is the secret access key of UserAccessKeyID: the first 40 hex
// digits of SHA-256("verdict import secret <account>/<user name>"). It is
// fixed and public — an imported setup is for local replay only.
func UserSecret(account, name string) string {
	h := sha256.Sum256([]byte("verdict import secret " + account + "/" + name))
	return hex.EncodeToString(h[:])[:40]
}

// Apply writes the export into st in one transaction: accounts and their
// Block Public Access settings, IAM users (each with the access key
// UserAccessKeyID / UserSecret), groups, roles and customer managed
// policies, buckets with their policy, ACL, ownership, Block Public Access
// and Requester Pays settings, objects' owners and ACLs with empty bodies
// (each its own inline record, so deleting one leaves the others), KMS keys
// with their policies and grants (without key material), VPC endpoints and
// organizations. Records already in st under the same keys are replaced.
func (ex *Export) Apply(ctx context.Context, st store.Store, now time.Time) error {
	now = now.UTC()
	return st.Update(ctx, func(tx store.Tx) error {
		for _, a := range ex.Accounts {
			if err := applyAccount(tx, a, now); err != nil {
				return err
			}
		}
		for _, o := range ex.Orgs {
			c := *o
			if c.Created.IsZero() {
				c.Created = now
			}
			if err := state.PutOrganization(tx, &c); err != nil {
				return err
			}
		}
		return nil
	})
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

func applyAccount(tx store.Tx, a *Account, now time.Time) error {
	if _, err := state.Account(tx, a.ID, now); err != nil {
		return err
	}
	if a.HasPublicAccessBlock {
		if err := state.PutAccountPublicAccess(tx, a.ID, a.PublicAccessBlock); err != nil {
			return err
		}
	}
	for _, p := range a.Policies {
		c := *p
		if c.ID == "" {
			c.ID = state.StableID("ANPA", c.ARN)
		}
		c.Created, c.Updated = orNow(c.Created, now), orNow(c.Updated, now)
		for i := range c.Versions {
			c.Versions[i].Created = orNow(c.Versions[i].Created, now)
		}
		if err := state.PutPolicy(tx, &c); err != nil {
			return err
		}
	}
	for _, g := range a.Groups {
		c := *g
		if c.ID == "" {
			c.ID = state.StableID("AGPA", a.ID+"/"+c.Name)
		}
		c.Created = orNow(c.Created, now)
		if err := state.PutGroup(tx, &c); err != nil {
			return err
		}
	}
	for _, u := range a.Users {
		c := *u
		if c.ID == "" {
			c.ID = state.StableID("AIDA", a.ID+"/"+c.Name)
		}
		c.Created = orNow(c.Created, now)
		if err := state.PutUser(tx, &c); err != nil {
			return err
		}
		k := &model.AccessKey{ID: UserAccessKeyID(a.ID, c.Name), Secret: UserSecret(a.ID, c.Name), Account: a.ID, User: c.Name,
			Status: "Active", Created: now}
		if err := state.PutAccessKey(tx, k); err != nil {
			return err
		}
	}
	for _, r := range a.Roles {
		c := *r
		if c.ID == "" {
			c.ID = state.StableID("AROA", a.ID+"/"+c.Name)
		}
		c.Created = orNow(c.Created, now)
		if c.TrustPolicy == "" {
			c.TrustPolicy = `{"Version":"2012-10-17","Statement":[]}`
		}
		if err := state.PutRole(tx, &c); err != nil {
			return err
		}
	}
	for _, p := range a.Policies {
		if err := state.SyncAttachments(tx, p.ARN); err != nil {
			return err
		}
	}
	for _, b := range a.Buckets {
		c := b.Record
		c.Created = orNow(c.Created, now)
		if err := state.PutBucket(tx, &c); err != nil {
			return err
		}
		for _, o := range b.Objects {
			oc := o.Record
			oc.LastModified = orNow(oc.LastModified, now)
			// An object already at the key (an earlier import) gives up its
			// inline bytes; a blob file it had is left to blob collection.
			if prev, err := state.Object(tx, oc.Bucket, oc.Key); err == nil && prev.Inline {
				if err := tx.Delete(state.ObjectData, prev.BlobID); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			oc.BlobID, oc.Inline, oc.Size, oc.ETag = state.NewDataID(now), true, 0, EmptyETag
			oc.PartsCount = 0
			// The bytes were not exported, so neither is their encryption.
			oc.SSE = nil
			if err := tx.Put(state.ObjectData, oc.BlobID, nil); err != nil {
				return err
			}
			if err := state.PutObject(tx, &oc); err != nil {
				return err
			}
		}
	}
	for _, k := range a.Keys {
		c := *k
		c.Created = orNow(c.Created, now)
		if err := state.PutKMSKey(tx, &c); err != nil {
			return err
		}
	}
	for _, e := range a.Endpoints {
		c := *e
		c.Created = orNow(c.Created, now)
		if err := state.PutVPCEndpoint(tx, &c); err != nil {
			return err
		}
	}
	return nil
}
