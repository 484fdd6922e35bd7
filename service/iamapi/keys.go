package iamapi

import (
	"strings"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Access keys of IAM users and of the root user.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html

func init() {
	register("CreateAccessKey", createAccessKey)
	register("ListAccessKeys", listAccessKeys)
	register("UpdateAccessKey", updateAccessKey)
	register("DeleteAccessKey", deleteAccessKey)
	register("GetAccessKeyLastUsed", getAccessKeyLastUsed)
}

// maxKeysPerUser is IAM's quota of access keys per user.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entities
const maxKeysPerUser = 2

// keyOwner resolves the user an access-key call is about: UserName when
// given, else the caller (an IAM user, or "" for the root user). Role
// sessions and federated users must name a user.
func (q *request) keyOwner(p *params) (string, error) {
	name := p.name("UserName", model.UserNameRule, false)
	if q.v.Has("UserName") {
		return name, nil
	}
	pr := q.Caller.Principal
	switch {
	case pr.Type == authz.Root:
		return "", nil
	case pr.Type == authz.User && q.Caller.User != nil:
		return q.Caller.User.Name, nil
	}
	return "", nonUserCredentials()
}

// keyTarget authorizes action on the key owner and returns the owner's
// stored name ("" for root).
func (q *request) keyTarget(tx store.Tx, owner, action string) (string, error) {
	if owner == "" {
		return "", q.authorize(action, "arn:aws:iam::"+q.account+":root", nil)
	}
	e, err := q.entityFor(tx, userKind, owner, action, nil, false)
	if err != nil {
		return "", err
	}
	return e.name, nil
}

func keyNotFound(id string) error {
	return noSuchEntity("The Access Key with id " + id + " cannot be found.")
}

type createKeyResult struct {
	AccessKey xmlAccessKey `xml:"AccessKey"`
}

// createAccessKey implements CreateAccessKey: an AKIA key ID and a random
// 40-character secret, returned only here.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html
func createAccessKey(q *request) (any, error) {
	p := q.params()
	owner, err := q.keyOwner(p)
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	var k *model.AccessKey
	err = q.update(func(tx store.Tx) error {
		name, err := q.keyTarget(tx, owner, "iam:CreateAccessKey")
		if err != nil {
			return err
		}
		keys, err := state.ListAccessKeys(tx, q.account, name)
		if err != nil {
			return err
		}
		if len(keys) >= maxKeysPerUser {
			return limitExceeded("Cannot exceed quota for AccessKeysPerUser: 2")
		}
		k = &model.AccessKey{ID: state.NewID("AKIA"), Secret: state.NewSecret(), Account: q.account, User: name,
			Status: "Active", Created: q.Now.UTC()}
		return state.PutAccessKey(tx, k)
	})
	if err != nil {
		return nil, err
	}
	return createKeyResult{keyXML(k, true)}, nil
}

type listKeysResult struct {
	AccessKeyMetadata []xmlAccessKey `xml:"AccessKeyMetadata>member"`
	IsTruncated       bool           `xml:"IsTruncated"`
	Marker            string         `xml:"Marker,omitempty"`
}

// listAccessKeys implements ListAccessKeys.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html
func listAccessKeys(q *request) (any, error) {
	p := q.params()
	owner, err := q.keyOwner(p)
	if err != nil {
		return nil, err
	}
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	var out listKeysResult
	err = q.view(func(tx store.Tx) error {
		name, err := q.keyTarget(tx, owner, "iam:ListAccessKeys")
		if err != nil {
			return err
		}
		keys, err := state.ListAccessKeys(tx, q.account, name)
		if err != nil {
			return err
		}
		page, next, more := paginate(keys, func(k *model.AccessKey) string { return k.ID }, pr)
		out.AccessKeyMetadata = make([]xmlAccessKey, 0, len(page))
		for i := range page {
			out.AccessKeyMetadata = append(out.AccessKeyMetadata, keyXML(&page[i], false))
		}
		out.Marker, out.IsTruncated = next, more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ownKey loads the key id and checks it belongs to user name of the
// caller's account.
func (q *request) ownKey(tx store.Tx, id, name string) (*model.AccessKey, error) {
	k, err := state.AccessKey(tx, id)
	if isNotFound(err) {
		return nil, keyNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	if k.Account != q.account || !strings.EqualFold(k.User, name) {
		return nil, keyNotFound(id)
	}
	return k, nil
}

// updateAccessKey implements UpdateAccessKey (Active / Inactive).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html
func updateAccessKey(q *request) (any, error) {
	p := q.params()
	owner, err := q.keyOwner(p)
	if err != nil {
		return nil, err
	}
	id := p.name("AccessKeyId", model.AccessKeyIDRule, true)
	status := p.str("Status", true)
	if q.v.Has("Status") {
		status = p.enum("Status", "", "Active", "Inactive")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	err = q.update(func(tx store.Tx) error {
		name, err := q.keyTarget(tx, owner, "iam:UpdateAccessKey")
		if err != nil {
			return err
		}
		k, err := q.ownKey(tx, id, name)
		if err != nil {
			return err
		}
		k.Status = status
		return state.PutAccessKey(tx, k)
	})
	return nil, err
}

// deleteAccessKey implements DeleteAccessKey.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteAccessKey.html
func deleteAccessKey(q *request) (any, error) {
	p := q.params()
	owner, err := q.keyOwner(p)
	if err != nil {
		return nil, err
	}
	id := p.name("AccessKeyId", model.AccessKeyIDRule, true)
	if err := p.err(); err != nil {
		return nil, err
	}
	err = q.update(func(tx store.Tx) error {
		name, err := q.keyTarget(tx, owner, "iam:DeleteAccessKey")
		if err != nil {
			return err
		}
		if _, err := q.ownKey(tx, id, name); err != nil {
			return err
		}
		return state.DeleteAccessKey(tx, id)
	})
	return nil, err
}

type xmlLastUsed struct {
	LastUsedDate *query.Timestamp `xml:"LastUsedDate"`
	ServiceName  string           `xml:"ServiceName"`
	Region       string           `xml:"Region"`
}

type lastUsedResult struct {
	UserName          string      `xml:"UserName,omitempty"`
	AccessKeyLastUsed xmlLastUsed `xml:"AccessKeyLastUsed"`
}

// getAccessKeyLastUsed implements GetAccessKeyLastUsed. A key never used
// reports the service and region "N/A" and no date, as AWS does.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyLastUsed.html
func getAccessKeyLastUsed(q *request) (any, error) {
	p := q.params()
	id := p.name("AccessKeyId", model.AccessKeyIDRule, true)
	if err := p.err(); err != nil {
		return nil, err
	}
	var out lastUsedResult
	err := q.view(func(tx store.Tx) error {
		k, err := state.AccessKey(tx, id)
		if isNotFound(err) || err == nil && k.Account != q.account {
			return keyNotFound(id)
		}
		if err != nil {
			return err
		}
		if _, err := q.keyTarget(tx, k.User, "iam:GetAccessKeyLastUsed"); err != nil {
			return err
		}
		out.UserName = k.User
		out.AccessKeyLastUsed = xmlLastUsed{ServiceName: "N/A", Region: "N/A"}
		if !k.LastUsed.IsZero() {
			out.AccessKeyLastUsed = xmlLastUsed{LastUsedDate: &query.Timestamp{Time: k.LastUsed}, ServiceName: k.LastService, Region: k.LastRegion}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
