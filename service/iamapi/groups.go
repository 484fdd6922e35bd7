package iamapi

import (
	"slices"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("CreateGroup", createGroup)
	register("GetGroup", getGroup)
	register("ListGroups", listGroups)
	register("DeleteGroup", deleteGroup)
	register("AddUserToGroup", addUserToGroup)
	register("RemoveUserFromGroup", removeUserFromGroup)
	register("ListGroupsForUser", listGroupsForUser)
}

// maxGroupsPerUser is IAM's quota on the groups one user belongs to.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entities
const maxGroupsPerUser = 10

type groupResult struct {
	Group xmlGroup `xml:"Group"`
}

// createGroup implements CreateGroup.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html
func createGroup(q *request) (any, error) {
	p := q.params()
	name := p.name("GroupName", model.GroupNameRule, true)
	path := p.path("Path")
	if err := p.err(); err != nil {
		return nil, err
	}
	g := &model.Group{Account: q.account, Name: name, Path: path, ID: state.NewID("AGPA"), Created: q.Now.UTC()}
	err := q.update(func(tx store.Tx) error {
		if err := q.authorize("iam:CreateGroup", g.ARN(), nil); err != nil {
			return err
		}
		if _, err := state.Group(tx, q.account, name); err == nil {
			return alreadyExists("Group with name " + name + " already exists.")
		} else if !isNotFound(err) {
			return err
		}
		return state.PutGroup(tx, g)
	})
	if err != nil {
		return nil, err
	}
	return groupResult{groupXML(g)}, nil
}

// members returns the users of the account that belong to group.
func members(tx store.Tx, account, group string) ([]model.User, error) {
	all, err := state.ListUsers(tx, account)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, u := range all {
		if inGroup(&u, group) >= 0 {
			out = append(out, u)
		}
	}
	return out, nil
}

// inGroup returns the index of group in u.Groups (names compare without
// regard to case), or -1.
func inGroup(u *model.User, group string) int {
	return slices.IndexFunc(u.Groups, func(g string) bool { return strings.EqualFold(g, group) })
}

type getGroupResult struct {
	Group       xmlGroup  `xml:"Group"`
	Users       []xmlUser `xml:"Users>member"`
	IsTruncated bool      `xml:"IsTruncated"`
	Marker      string    `xml:"Marker,omitempty"`
}

// getGroup implements GetGroup: the group and a page of its users.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroup.html
func getGroup(q *request) (any, error) {
	p := q.params()
	name := p.name("GroupName", model.GroupNameRule, true)
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	var out getGroupResult
	err := q.view(func(tx store.Tx) error {
		e, err := q.entityFor(tx, groupKind, name, "iam:GetGroup", nil, false)
		if err != nil {
			return err
		}
		out.Group = groupXML(e.group)
		users, err := members(tx, q.account, e.name)
		if err != nil {
			return err
		}
		page, next, more := paginate(users, func(u *model.User) string { return strings.ToLower(u.Name) }, pr)
		out.Users = make([]xmlUser, 0, len(page))
		for i := range page {
			out.Users = append(out.Users, userXML(&page[i], false))
		}
		out.Marker, out.IsTruncated = next, more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type listGroupsResult struct {
	Groups      []xmlGroup `xml:"Groups>member"`
	IsTruncated bool       `xml:"IsTruncated"`
	Marker      string     `xml:"Marker,omitempty"`
}

// listGroups implements ListGroups.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroups.html
func listGroups(q *request) (any, error) {
	groups, marker, more, err := listByPath(q, "iam:ListGroups", "group", state.ListGroups,
		func(g *model.Group) string { return g.Path }, func(g *model.Group) string { return g.Name },
		func(g *model.Group) xmlGroup { return groupXML(g) })
	if err != nil {
		return nil, err
	}
	return listGroupsResult{Groups: groups, IsTruncated: more, Marker: marker}, nil
}

// deleteGroup implements DeleteGroup: the group must have no users and no
// policies.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html
func deleteGroup(q *request) (any, error) {
	p := q.params()
	name := p.name("GroupName", model.GroupNameRule, true)
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		e, err := q.entityFor(tx, groupKind, name, "iam:DeleteGroup", nil, false)
		if err != nil {
			return err
		}
		users, err := members(tx, q.account, e.name)
		if err != nil {
			return err
		}
		switch {
		case len(users) > 0:
			return deleteConflict("Cannot delete entity, must remove users from group first.")
		case len(e.group.Inline) > 0:
			return deleteConflict("Cannot delete entity, must delete policies first.")
		case len(e.group.Attached) > 0:
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		}
		return state.DeleteGroup(tx, q.account, e.name)
	})
	return nil, err
}

// membership loads the group (authorizing action on it) and the user of an
// Add/RemoveUserFromGroup request.
func (q *request) membership(tx store.Tx, action string) (*entity, *model.User, error) {
	p := q.params()
	gname := p.name("GroupName", model.GroupNameRule, true)
	uname := p.name("UserName", model.UserNameRule, true)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	g, err := q.entityFor(tx, groupKind, gname, action, nil, false)
	if err != nil {
		return nil, nil, err
	}
	u, err := state.User(tx, q.account, uname)
	if isNotFound(err) {
		return nil, nil, userKind.notFound(uname)
	}
	return g, u, err
}

// addUserToGroup implements AddUserToGroup; adding a member again is a
// no-op.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html
func addUserToGroup(q *request) (any, error) {
	err := q.update(func(tx store.Tx) error {
		g, u, err := q.membership(tx, "iam:AddUserToGroup")
		if err != nil {
			return err
		}
		if inGroup(u, g.name) >= 0 {
			return nil
		}
		if len(u.Groups) >= maxGroupsPerUser {
			return limitExceeded("Cannot exceed quota for GroupsPerUser: 10")
		}
		u.Groups = append(u.Groups, g.name)
		return state.PutUser(tx, u)
	})
	return nil, err
}

// removeUserFromGroup implements RemoveUserFromGroup.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveUserFromGroup.html
func removeUserFromGroup(q *request) (any, error) {
	err := q.update(func(tx store.Tx) error {
		g, u, err := q.membership(tx, "iam:RemoveUserFromGroup")
		if err != nil {
			return err
		}
		i := inGroup(u, g.name)
		if i < 0 {
			// UNCONFIRMED wording for a user who is not a member.
			return userKind.notFound(u.Name)
		}
		u.Groups = slices.Delete(u.Groups, i, i+1)
		return state.PutUser(tx, u)
	})
	return nil, err
}

// listGroupsForUser implements ListGroupsForUser.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupsForUser.html
func listGroupsForUser(q *request) (any, error) {
	p := q.params()
	name := p.name("UserName", model.UserNameRule, true)
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	var out listGroupsResult
	err := q.view(func(tx store.Tx) error {
		e, err := q.entityFor(tx, userKind, name, "iam:ListGroupsForUser", nil, false)
		if err != nil {
			return err
		}
		var groups []model.Group
		for _, gname := range e.user.Groups {
			g, err := state.Group(tx, q.account, gname)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			groups = append(groups, *g)
		}
		slices.SortFunc(groups, func(a, b model.Group) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
		page, next, more := paginate(groups, func(g *model.Group) string { return strings.ToLower(g.Name) }, pr)
		out.Groups = make([]xmlGroup, 0, len(page))
		for i := range page {
			out.Groups = append(out.Groups, groupXML(&page[i]))
		}
		out.Marker, out.IsTruncated = next, more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
