package iamapi

import (
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("CreateUser", createUser)
	register("GetUser", getUser)
	register("ListUsers", listUsers)
	register("DeleteUser", deleteUser)
	register("UpdateUser", updateUser)
}

type userResult struct {
	User xmlUser `xml:"User"`
}

// checkBoundary verifies that a permissions boundary ARN names an existing
// managed policy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html
func checkBoundary(tx store.Tx, policyARN string) error {
	if _, err := arn.Parse(policyARN); err != nil {
		return invalidInput("ARN " + policyARN + " is not valid.")
	}
	ok, err := state.ManagedPolicyExists(tx, policyARN)
	if err != nil {
		return err
	}
	if !ok {
		// Observed wording for a boundary that does not exist.
		return noSuchEntity("Scope ARN: " + policyARN + " does not exist or is not attachable.")
	}
	return nil
}

// createUser implements CreateUser.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
func createUser(q *request) (any, error) {
	p := q.params()
	name := p.name("UserName", model.UserNameRule, true)
	path := p.path("Path")
	bound := p.arn("PermissionsBoundary", false)
	tags, err := p.tags("Tags")
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	ctx := condition.Map{}
	requestTagKeys(ctx, tags)
	if bound != "" {
		ctx["iam:permissionsboundary"] = []string{bound}
	}
	u := &model.User{Account: q.account, Name: name, Path: path, ID: state.NewID("AIDA"), Created: q.Now.UTC(),
		Boundary: bound, Tags: tags}
	err = q.update(func(tx store.Tx) error {
		if err := q.authorize("iam:CreateUser", u.ARN(), ctx); err != nil {
			return err
		}
		if len(tags) > 0 {
			// Tagging on create needs iam:TagUser as well.
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_users.html
			if err := q.authorize("iam:TagUser", u.ARN(), ctx); err != nil {
				return err
			}
		}
		if _, err := state.User(tx, q.account, name); err == nil {
			return alreadyExists("User with name " + name + " already exists.")
		} else if !isNotFound(err) {
			return err
		}
		if bound != "" {
			if err := checkBoundary(tx, bound); err != nil {
				return err
			}
		}
		return state.PutUser(tx, u)
	})
	if err != nil {
		return nil, err
	}
	return userResult{userXML(u, true)}, nil
}

// nonUserCredentials is IAM's answer when an operation that defaults to
// the caller's own user is called by a role session or a federated user.
func nonUserCredentials() error {
	return validationError("Must specify userName when calling with non-User credentials")
}

// getUser implements GetUser; without UserName it describes the caller.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
func getUser(q *request) (any, error) {
	p := q.params()
	name := p.name("UserName", model.UserNameRule, false)
	if err := p.err(); err != nil {
		return nil, err
	}
	pr := q.Caller.Principal
	if name == "" {
		switch {
		case pr.Type == authz.Root:
			// The root user has no user name or path.
			var acct *model.Account
			err := q.update(func(tx store.Tx) error {
				if err := q.authorize("iam:GetUser", pr.ARN, nil); err != nil {
					return err
				}
				var err error
				acct, err = state.Account(tx, q.account, q.Now)
				return err
			})
			if err != nil {
				return nil, err
			}
			return userResult{xmlUser{UserID: q.account, Arn: pr.ARN, CreateDate: query.Timestamp{Time: acct.Created}}}, nil
		case q.Caller.User != nil && pr.Type == authz.User:
			name = q.Caller.User.Name
		default:
			return nil, nonUserCredentials()
		}
	}
	var out userResult
	err := q.view(func(tx store.Tx) error {
		e, err := q.entityFor(tx, userKind, name, "iam:GetUser", nil, false)
		if err != nil {
			return err
		}
		out.User = userXML(e.user, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type listUsersResult struct {
	Users       []xmlUser `xml:"Users>member"`
	IsTruncated bool      `xml:"IsTruncated"`
	Marker      string    `xml:"Marker,omitempty"`
}

// listUsers implements ListUsers. AWS names the resource of the denial
// arn:aws:iam::ACCOUNT:user followed by the path prefix.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html
func listUsers(q *request) (any, error) {
	users, marker, more, err := listByPath(q, "iam:ListUsers", "user", state.ListUsers,
		func(u *model.User) string { return u.Path }, func(u *model.User) string { return u.Name },
		func(u *model.User) xmlUser { return userXML(u, false) })
	if err != nil {
		return nil, err
	}
	return listUsersResult{Users: users, IsTruncated: more, Marker: marker}, nil
}

// filterPath keeps the items whose path starts with prefix.
func filterPath[T any](items []T, prefix string, path func(*T) string) []T {
	if prefix == "/" {
		return items
	}
	out := items[:0]
	for i := range items {
		if strings.HasPrefix(path(&items[i]), prefix) {
			out = append(out, items[i])
		}
	}
	return out
}

// deleteUser implements DeleteUser: the user must have no password (login
// profile), access keys, policies or group memberships left.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
func deleteUser(q *request) (any, error) {
	p := q.params()
	name := p.name("UserName", model.UserNameRule, true)
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		e, err := q.entityFor(tx, userKind, name, "iam:DeleteUser", nil, false)
		if err != nil {
			return err
		}
		u := e.user
		keys, err := state.ListAccessKeys(tx, q.account, u.Name)
		if err != nil {
			return err
		}
		hasLogin, err := state.HasLoginProfile(tx, q.account, u.ID)
		if err != nil {
			return err
		}
		switch {
		case hasLogin:
			// Observed wording.
			// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
			return deleteConflict("Cannot delete entity, must delete login profile first.")
		case len(keys) > 0:
			return deleteConflict("Cannot delete entity, must delete access keys first.")
		case len(u.Inline) > 0:
			return deleteConflict("Cannot delete entity, must delete policies first.")
		case len(u.Attached) > 0:
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		case len(u.Groups) > 0:
			// UNCONFIRMED wording; the API reference lists group
			// membership among what must be removed first.
			return deleteConflict("Cannot delete entity, must remove user from all groups first.")
		}
		return state.DeleteUser(tx, q.account, u.Name)
	})
	return nil, err
}

// updateUser implements UpdateUser (rename and move). Renaming needs
// iam:UpdateUser on both the old and the new name.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html
func updateUser(q *request) (any, error) {
	p := q.params()
	name := p.name("UserName", model.UserNameRule, true)
	newName := p.name("NewUserName", model.UserNameRule, false)
	newPath := ""
	if q.v.Has("NewPath") {
		newPath = p.path("NewPath")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		e, err := q.entityFor(tx, userKind, name, "iam:UpdateUser", nil, false)
		if err != nil {
			return err
		}
		u := *e.user
		if newName != "" {
			u.Name = newName
		}
		if newPath != "" {
			u.Path = newPath
		}
		if u.ARN() != e.user.ARN() {
			if err := q.authorize("iam:UpdateUser", u.ARN(), nil); err != nil {
				return err
			}
		}
		if !strings.EqualFold(u.Name, e.user.Name) {
			if _, err := state.User(tx, q.account, u.Name); err == nil {
				return alreadyExists("User with name " + u.Name + " already exists.")
			} else if !isNotFound(err) {
				return err
			}
		}
		if err := state.DeleteUser(tx, q.account, e.user.Name); err != nil {
			return err
		}
		if err := state.PutUser(tx, &u); err != nil {
			return err
		}
		keys, err := state.ListAccessKeys(tx, q.account, e.user.Name)
		if err != nil {
			return err
		}
		for i := range keys {
			keys[i].User = u.Name
			if err := state.PutAccessKey(tx, &keys[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return nil, err
}
