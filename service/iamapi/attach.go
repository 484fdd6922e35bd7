package iamapi

import (
	"slices"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Managed policy attachments and permissions boundaries.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html

func init() {
	for _, k := range []*kind{userKind, groupKind, roleKind} {
		register("Attach"+k.title+"Policy", attachPolicy(k))
		register("Detach"+k.title+"Policy", detachPolicy(k))
		register("ListAttached"+k.title+"Policies", listAttached(k))
	}
	for _, k := range []*kind{userKind, roleKind} {
		register("Put"+k.title+"PermissionsBoundary", putBoundary(k))
		register("Delete"+k.title+"PermissionsBoundary", deleteBoundary(k))
	}
	register("ListEntitiesForPolicy", listEntitiesForPolicy)
}

// maxAttached is IAM's default quota on managed policies attached to one
// user, group or role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entities
const maxAttached = 10

// policyName returns the name part of a managed policy ARN.
func policyName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// notAttachable is IAM's answer for attaching a policy that does not
// exist (or is another account's).
func notAttachable(arn string) error {
	return noSuchEntity("Policy " + arn + " does not exist or is not attachable.")
}

func attachPolicy(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		arn := p.arn("PolicyArn", true)
		if err := p.err(); err != nil {
			return nil, err
		}
		ctx := condition.Map{"iam:policyarn": {arn}}
		err := q.changeEntity(k, name, "iam:Attach"+k.title+"Policy", ctx, true, func(tx store.Tx, e *entity) error {
			m, _, err := q.findManaged(tx, arn)
			if err != nil {
				return err
			}
			if m == nil {
				return notAttachable(arn)
			}
			if slices.Contains(*e.attached, arn) {
				return nil
			}
			if len(*e.attached) >= maxAttached {
				return limitExceeded("Cannot exceed quota for " + k.quota + ": 10")
			}
			*e.attached = append(*e.attached, arn)
			if err := e.save(tx); err != nil {
				return err
			}
			return state.SyncAttachments(tx, arn)
		})
		return nil, err
	}
}

func detachPolicy(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		arn := p.arn("PolicyArn", true)
		if err := p.err(); err != nil {
			return nil, err
		}
		ctx := condition.Map{"iam:policyarn": {arn}}
		err := q.changeEntity(k, name, "iam:Detach"+k.title+"Policy", ctx, true, func(tx store.Tx, e *entity) error {
			i := slices.Index(*e.attached, arn)
			if i < 0 {
				return policyNotFound(arn)
			}
			*e.attached = slices.Delete(*e.attached, i, i+1)
			if err := e.save(tx); err != nil {
				return err
			}
			return state.SyncAttachments(tx, arn)
		})
		return nil, err
	}
}

type listAttachedResult struct {
	AttachedPolicies []xmlAttached `xml:"AttachedPolicies>member"`
	IsTruncated      bool          `xml:"IsTruncated"`
	Marker           string        `xml:"Marker,omitempty"`
}

// policyPath returns the path part of a managed policy ARN.
func policyPath(arn string) string {
	_, res, _ := strings.Cut(arn, ":policy")
	return res[:strings.LastIndexByte(res, '/')+1]
}

func listAttached(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		prefix := p.pathPrefix("PathPrefix")
		pr := p.page()
		if err := p.err(); err != nil {
			return nil, err
		}
		var out listAttachedResult
		err := q.view(func(tx store.Tx) error {
			e, err := q.entityFor(tx, k, name, "iam:ListAttached"+k.title+"Policies", nil, false)
			if err != nil {
				return err
			}
			var arns []string
			for _, a := range *e.attached {
				if strings.HasPrefix(policyPath(a), prefix) {
					arns = append(arns, a)
				}
			}
			slices.Sort(arns)
			page, next, more := paginate(arns, func(s *string) string { return *s }, pr)
			out.AttachedPolicies = make([]xmlAttached, 0, len(page))
			for _, a := range page {
				out.AttachedPolicies = append(out.AttachedPolicies, xmlAttached{policyName(a), a})
			}
			out.Marker, out.IsTruncated = next, more
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

func putBoundary(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		arn := p.arn("PermissionsBoundary", true)
		if err := p.err(); err != nil {
			return nil, err
		}
		ctx := condition.Map{"iam:permissionsboundary": {arn}}
		err := q.changeEntity(k, name, "iam:Put"+k.title+"PermissionsBoundary", ctx, false, func(tx store.Tx, e *entity) error {
			if err := checkBoundary(tx, arn); err != nil {
				return err
			}
			*e.boundary = arn
			return e.save(tx)
		})
		return nil, err
	}
}

func deleteBoundary(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		if err := p.err(); err != nil {
			return nil, err
		}
		err := q.changeEntity(k, name, "iam:Delete"+k.title+"PermissionsBoundary", nil, true, func(tx store.Tx, e *entity) error {
			*e.boundary = ""
			return e.save(tx)
		})
		return nil, err
	}
}

type xmlPolicyGroup struct {
	GroupName string `xml:"GroupName"`
	GroupID   string `xml:"GroupId"`
}

type xmlPolicyUser struct {
	UserName string `xml:"UserName"`
	UserID   string `xml:"UserId"`
}

type xmlPolicyRole struct {
	RoleName string `xml:"RoleName"`
	RoleID   string `xml:"RoleId"`
}

type listEntitiesResult struct {
	PolicyGroups []xmlPolicyGroup `xml:"PolicyGroups>member"`
	PolicyUsers  []xmlPolicyUser  `xml:"PolicyUsers>member"`
	PolicyRoles  []xmlPolicyRole  `xml:"PolicyRoles>member"`
	IsTruncated  bool             `xml:"IsTruncated"`
	Marker       string           `xml:"Marker,omitempty"`
}

// policyEntity is one user, group or role using a policy.
type policyEntity struct {
	kind     *kind
	name, id string
}

// listEntitiesForPolicy implements ListEntitiesForPolicy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
func listEntitiesForPolicy(q *request) (any, error) {
	p := q.params()
	arn := p.arn("PolicyArn", true)
	filter := p.enum("EntityFilter", "", "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy")
	prefix := p.pathPrefix("PathPrefix")
	usage := p.enum("PolicyUsageFilter", "", "PermissionsPolicy", "PermissionsBoundary")
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	out := listEntitiesResult{PolicyGroups: []xmlPolicyGroup{}, PolicyUsers: []xmlPolicyUser{}, PolicyRoles: []xmlPolicyRole{}}
	err := q.view(func(tx store.Tx) error {
		if _, _, err := q.policyFor(tx, arn, "iam:ListEntitiesForPolicy", false); err != nil {
			return err
		}
		uses := func(attached []string, bound string) bool {
			switch usage {
			case "PermissionsPolicy":
				return slices.Contains(attached, arn)
			case "PermissionsBoundary":
				return bound == arn
			}
			return slices.Contains(attached, arn) || bound == arn
		}
		var list []policyEntity
		if filter == "" || filter == "Group" {
			groups, err := state.ListGroups(tx, q.account)
			if err != nil {
				return err
			}
			for _, g := range groups {
				if uses(g.Attached, "") && strings.HasPrefix(g.Path, prefix) {
					list = append(list, policyEntity{groupKind, g.Name, g.ID})
				}
			}
		}
		if filter == "" || filter == "User" {
			users, err := state.ListUsers(tx, q.account)
			if err != nil {
				return err
			}
			for _, u := range users {
				if uses(u.Attached, u.Boundary) && strings.HasPrefix(u.Path, prefix) {
					list = append(list, policyEntity{userKind, u.Name, u.ID})
				}
			}
		}
		if filter == "" || filter == "Role" {
			roles, err := state.ListRoles(tx, q.account)
			if err != nil {
				return err
			}
			for _, r := range roles {
				if uses(r.Attached, r.Boundary) && strings.HasPrefix(r.Path, prefix) {
					list = append(list, policyEntity{roleKind, r.Name, r.ID})
				}
			}
		}
		order := map[*kind]string{groupKind: "1", userKind: "2", roleKind: "3"}
		page, next, more := paginate(list, func(e *policyEntity) string { return order[e.kind] + strings.ToLower(e.name) }, pr)
		for _, e := range page {
			switch e.kind {
			case groupKind:
				out.PolicyGroups = append(out.PolicyGroups, xmlPolicyGroup{e.name, e.id})
			case userKind:
				out.PolicyUsers = append(out.PolicyUsers, xmlPolicyUser{e.name, e.id})
			default:
				out.PolicyRoles = append(out.PolicyRoles, xmlPolicyRole{e.name, e.id})
			}
		}
		out.Marker, out.IsTruncated = next, more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// attachedPolicies renders a list of managed policy ARNs.
func attachedPolicies(arns []string) []xmlAttached {
	out := make([]xmlAttached, 0, len(arns))
	for _, a := range arns {
		out = append(out, xmlAttached{policyName(a), a})
	}
	return out
}
