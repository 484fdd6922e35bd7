package iamapi

import (
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// kind is one of the three IAM identities that hold policies: user, group,
// role. The inline-policy, attachment, boundary and tag operations are the
// same for each but for names, so they are written once over a kind.
type kind struct {
	// noun is the word IAM's messages use ("user").
	noun string
	// title is the word in action names ("User").
	title string
	// param is the request parameter naming the entity ("UserName").
	param string
	rule  model.NameRule
	// holder is the inline policy quota the entity has.
	holder policy.Holder
	// quota is the name of the attached-policies quota in LimitExceeded.
	quota string
}

var (
	userKind  = &kind{"user", "User", "UserName", model.UserNameRule, policy.InlineUser, "PoliciesPerUser"}
	groupKind = &kind{"group", "Group", "GroupName", model.GroupNameRule, policy.InlineGroup, "PoliciesPerGroup"}
	roleKind  = &kind{"role", "Role", "RoleName", model.RoleNameRule, policy.InlineRole, "PoliciesPerRole"}
)

// arn returns the ARN of an entity of this kind.
func (k *kind) arn(account, path, name string) string {
	return "arn:aws:iam::" + account + ":" + k.noun + path + name
}

// notFound is IAM's NoSuchEntity for an entity of this kind.
func (k *kind) notFound(name string) error {
	return noSuchEntity("The " + k.noun + " with name " + name + " cannot be found.")
}

// entity is a user, group or role seen through the fields they share.
type entity struct {
	kind    *kind
	user    *model.User
	group   *model.Group
	role    *model.Role
	account string
	name    string
	path    string
	id      string
	created time.Time
	// inline, attached, boundary and tags point into the record; boundary
	// and tags are nil for groups.
	inline   *map[string]string
	attached *[]string
	boundary *string
	tags     *[]model.Tag
}

func (e *entity) arn() string { return e.kind.arn(e.account, e.path, e.name) }

// loadEntity reads an entity; it returns nil, nil when there is none.
func loadEntity(tx store.Tx, k *kind, account, name string) (*entity, error) {
	var e *entity
	switch k {
	case userKind:
		u, err := state.User(tx, account, name)
		if err != nil {
			return nil, ignoreNotFound(err)
		}
		e = &entity{user: u, name: u.Name, path: u.Path, id: u.ID, created: u.Created, inline: &u.Inline,
			attached: &u.Attached, boundary: &u.Boundary, tags: &u.Tags}
	case groupKind:
		g, err := state.Group(tx, account, name)
		if err != nil {
			return nil, ignoreNotFound(err)
		}
		e = &entity{group: g, name: g.Name, path: g.Path, id: g.ID, created: g.Created, inline: &g.Inline, attached: &g.Attached}
	default:
		r, err := state.Role(tx, account, name)
		if err != nil {
			return nil, ignoreNotFound(err)
		}
		e = &entity{role: r, name: r.Name, path: r.Path, id: r.ID, created: r.Created, inline: &r.Inline,
			attached: &r.Attached, boundary: &r.Boundary, tags: &r.Tags}
	}
	e.kind, e.account = k, account
	return e, nil
}

func ignoreNotFound(err error) error {
	if isNotFound(err) {
		return nil
	}
	return err
}

// save writes the entity's record back.
func (e *entity) save(tx store.Tx) error {
	switch {
	case e.user != nil:
		return state.PutUser(tx, e.user)
	case e.group != nil:
		return state.PutGroup(tx, e.group)
	}
	return state.PutRole(tx, e.role)
}

// protected reports whether the entity is a role IAM refuses to change:
// the roles IAM Identity Center makes under /aws-reserved/sso.amazonaws.com/.
// https://docs.aws.amazon.com/singlesignon/latest/userguide/using-service-linked-roles.html
func (e *entity) protected() bool {
	return e.role != nil && strings.HasPrefix(e.path, "/aws-reserved/sso.amazonaws.com/")
}

// resourceKeys returns the condition keys an existing user or role supplies
// as a resource: its tags as aws:ResourceTag and iam:ResourceTag.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html
func resourceKeys(tags []model.Tag) condition.Map {
	m := condition.Map{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		m["aws:resourcetag/"+k] = []string{t.Value}
		m["iam:resourcetag/"+k] = []string{t.Value}
	}
	return m
}

// requestTagKeys returns aws:RequestTag/… and aws:TagKeys for tags passed
// in a request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html#access_tags_control-requests
func requestTagKeys(m condition.Map, tags []model.Tag) {
	if len(tags) == 0 {
		return
	}
	keys := make([]string, 0, len(tags))
	for _, t := range tags {
		m["aws:requesttag/"+strings.ToLower(t.Key)] = []string{t.Value}
		keys = append(keys, t.Key)
	}
	m["aws:tagkeys"] = keys
}

// entityFor loads the entity named by the request's kind parameter and
// authorizes action on it; the entity must exist. extra adds condition keys;
// withBoundary adds iam:PermissionsBoundary with the entity's boundary.
// Authorization comes first, so a caller without permission learns nothing
// about whether the entity exists.
func (q *request) entityFor(tx store.Tx, k *kind, name, action string, extra condition.Map, withBoundary bool) (*entity, error) {
	e, err := loadEntity(tx, k, q.account, name)
	if err != nil {
		return nil, err
	}
	resource := k.arn(q.account, "/", name)
	ctx := condition.Map{}
	if e != nil {
		resource = e.arn()
		if e.tags != nil {
			ctx = resourceKeys(*e.tags)
		}
		if withBoundary && e.boundary != nil && *e.boundary != "" {
			ctx["iam:permissionsboundary"] = []string{*e.boundary}
		}
	}
	for key, vals := range extra {
		ctx[key] = vals
	}
	if err := q.authorize(action, resource, ctx); err != nil {
		return nil, err
	}
	if e == nil {
		return nil, k.notFound(name)
	}
	return e, nil
}

// changeEntity runs change on the entity named by the request in a write
// transaction, after entityFor has authorized action, and refuses entities
// that cannot be changed (service-linked roles).
func (q *request) changeEntity(k *kind, name, action string, extra condition.Map, withBoundary bool, change func(store.Tx, *entity) error) error {
	return q.update(func(tx store.Tx) error {
		e, err := q.entityFor(tx, k, name, action, extra, withBoundary)
		if err != nil {
			return err
		}
		if e.protected() {
			return unmodifiable(e.name)
		}
		return change(tx, e)
	})
}
