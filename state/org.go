package state

import (
	"crypto/rand"
	"encoding/hex"
	"errors"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// Organizations tables: whole organizations by ID, the organization of each
// member account, and a generation token that changes on every write (so
// that compiled organization views can be cached).
const (
	Organizations = "org.organizations"
	OrgMembers    = "org.members"
	OrgMeta       = "org.meta"
)

const orgGenerationKey = "generation"

// Organization returns an organization by ID.
func Organization(tx store.Tx, id string) (*model.Organization, error) {
	return Get[model.Organization](tx, Organizations, id)
}

// OrgOfAccount returns the organization an account belongs to (as member or
// management account); the error wraps ErrNotFound when it is in none.
func OrgOfAccount(tx store.Tx, account string) (*model.Organization, error) {
	id, err := tx.Get(OrgMembers, account)
	if err != nil {
		return nil, err
	}
	return Organization(tx, string(id))
}

// PutOrganization stores o, indexes every account in it and changes the
// generation token.
func PutOrganization(tx store.Tx, o *model.Organization) error {
	if err := store.PutJSON(tx, Organizations, o.ID, o); err != nil {
		return err
	}
	for id := range o.Accounts {
		if err := tx.Put(OrgMembers, id, []byte(o.ID)); err != nil {
			return err
		}
	}
	return bumpOrgGeneration(tx)
}

// RemoveOrgMember drops an account from the membership index.
func RemoveOrgMember(tx store.Tx, account string) error {
	err := tx.Delete(OrgMembers, account)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// DeleteOrganization removes an organization and its index entries.
func DeleteOrganization(tx store.Tx, o *model.Organization) error {
	for id := range o.Accounts {
		if err := RemoveOrgMember(tx, id); err != nil {
			return err
		}
	}
	if err := tx.Delete(Organizations, o.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return bumpOrgGeneration(tx)
}

// AllOrganizations returns every organization.
func AllOrganizations(tx store.Tx) ([]*model.Organization, error) {
	var out []*model.Organization
	err := store.ScanJSON(tx, Organizations, "", "", func(_ string, o model.Organization) (bool, error) {
		out = append(out, &o)
		return true, nil
	})
	return out, err
}

// OrgGeneration returns the token that changes whenever any organization
// does; "" when no organization was ever written.
func OrgGeneration(tx store.Tx) (string, error) {
	b, err := tx.Get(OrgMeta, orgGenerationKey)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return string(b), err
}

func bumpOrgGeneration(tx store.Tx) error {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return tx.Put(OrgMeta, orgGenerationKey, []byte(hex.EncodeToString(b)))
}
