package state

import (
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// KMS tables: keys by key ID (a UUID, unique across accounts) and aliases by
// account/alias-name.
const (
	KMSKeys    = "kms.keys"
	KMSAliases = "kms.aliases"
)

// KMSKey returns a KMS key by its ID.
func KMSKey(tx store.Tx, id string) (*model.KMSKey, error) {
	return Get[model.KMSKey](tx, KMSKeys, id)
}

// PutKMSKey stores k.
func PutKMSKey(tx store.Tx, k *model.KMSKey) error { return store.PutJSON(tx, KMSKeys, k.ID, k) }

// ListKMSKeys calls fn for every key of the account, in key ID order.
func ListKMSKeys(tx store.Tx, account string, fn func(*model.KMSKey) (bool, error)) error {
	return store.ScanJSON(tx, KMSKeys, "", "", func(_ string, k model.KMSKey) (bool, error) {
		if k.Account != account {
			return true, nil
		}
		return fn(&k)
	})
}

// KMSAlias returns an alias ("alias/name") of the account.
func KMSAlias(tx store.Tx, account, name string) (*model.KMSAlias, error) {
	return Get[model.KMSAlias](tx, KMSAliases, account+"/"+name)
}

// PutKMSAlias stores a.
func PutKMSAlias(tx store.Tx, a *model.KMSAlias) error {
	return store.PutJSON(tx, KMSAliases, a.Account+"/"+a.Name, a)
}

// InsertKMSAlias stores a, failing with store.ErrExists if the name is taken.
func InsertKMSAlias(tx store.Tx, a *model.KMSAlias) error {
	return store.InsertJSON(tx, KMSAliases, a.Account+"/"+a.Name, a)
}

// DeleteKMSAlias removes an alias.
func DeleteKMSAlias(tx store.Tx, account, name string) error {
	return tx.Delete(KMSAliases, account+"/"+name)
}

// ListKMSAliases calls fn for every alias of the account, in name order.
func ListKMSAliases(tx store.Tx, account string, fn func(*model.KMSAlias) (bool, error)) error {
	return store.ScanJSON(tx, KMSAliases, account+"/", "", func(_ string, a model.KMSAlias) (bool, error) {
		return fn(&a)
	})
}
