package state

import (
	"errors"
	"slices"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// Tables of IAM instance profiles and login profiles.
const (
	// InstanceProfiles is keyed like users and roles: account + "/" +
	// lower-cased name, as instance profile names are unique per account
	// without regard to case.
	InstanceProfiles = "iam.instanceprofiles"
	// LoginProfiles is keyed by account + "/" + the user's unique ID (see
	// model.LoginProfile.UserID).
	LoginProfiles = "iam.loginprofiles"
)

// InstanceProfile returns an instance profile; the error wraps
// store.ErrNotFound when there is none.
func InstanceProfile(tx store.Tx, account, name string) (*model.InstanceProfile, error) {
	return Get[model.InstanceProfile](tx, InstanceProfiles, nameKey(account, name))
}

// PutInstanceProfile stores p.
func PutInstanceProfile(tx store.Tx, p *model.InstanceProfile) error {
	return store.PutJSON(tx, InstanceProfiles, nameKey(p.Account, p.Name), p)
}

// DeleteInstanceProfile removes an instance profile.
func DeleteInstanceProfile(tx store.Tx, account, name string) error {
	return tx.Delete(InstanceProfiles, nameKey(account, name))
}

// ListInstanceProfiles returns the account's instance profiles ordered by
// lower-cased name.
func ListInstanceProfiles(tx store.Tx, account string) ([]model.InstanceProfile, error) {
	return scanAccount[model.InstanceProfile](tx, InstanceProfiles, account)
}

// InstanceProfilesForRole returns the account's instance profiles that hold
// the role (matched without regard to case), ordered by lower-cased name.
func InstanceProfilesForRole(tx store.Tx, account, role string) ([]model.InstanceProfile, error) {
	all, err := ListInstanceProfiles(tx, account)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(p model.InstanceProfile) bool {
		return !slices.ContainsFunc(p.Roles, func(r string) bool { return strings.EqualFold(r, role) })
	}), nil
}

func loginKey(account, userID string) string { return account + "/" + userID }

// LoginProfile returns the login profile of the user with unique ID userID;
// the error wraps store.ErrNotFound when the user has none.
func LoginProfile(tx store.Tx, account, userID string) (*model.LoginProfile, error) {
	return Get[model.LoginProfile](tx, LoginProfiles, loginKey(account, userID))
}

// HasLoginProfile reports whether the user with unique ID userID has a
// login profile.
func HasLoginProfile(tx store.Tx, account, userID string) (bool, error) {
	_, err := LoginProfile(tx, account, userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// PutLoginProfile stores p.
func PutLoginProfile(tx store.Tx, p *model.LoginProfile) error {
	return store.PutJSON(tx, LoginProfiles, loginKey(p.Account, p.UserID), p)
}

// DeleteLoginProfile removes the login profile of the user with unique ID
// userID.
func DeleteLoginProfile(tx store.Tx, account, userID string) error {
	return tx.Delete(LoginProfiles, loginKey(account, userID))
}
