package iamapi

import (
	"slices"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Instance profiles: the containers that pass one role to EC2 instances.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html

func init() {
	register("CreateInstanceProfile", createInstanceProfile)
	register("GetInstanceProfile", getInstanceProfile)
	register("DeleteInstanceProfile", deleteInstanceProfile)
	register("AddRoleToInstanceProfile", addRoleToInstanceProfile)
	register("RemoveRoleFromInstanceProfile", removeRoleFromInstanceProfile)
	register("ListInstanceProfiles", listInstanceProfiles)
	register("ListInstanceProfilesForRole", listInstanceProfilesForRole)
	register("TagInstanceProfile", tagInstanceProfile)
	register("UntagInstanceProfile", untagInstanceProfile)
	register("ListInstanceProfileTags", listInstanceProfileTags)
}

// Instance profile quotas: 1000 per account, and one role per profile ("this
// quota cannot be increased"). AWS names them InstanceProfilesPerAccount and
// InstanceSessionsPerInstanceProfile in LimitExceeded (observed: "Cannot
// exceed quota for InstanceSessionsPerInstanceProfile: 1").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entities
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html
const (
	maxInstanceProfiles    = 1000
	maxRolesPerProfile     = 1
	instanceProfileArnNoun = "instance-profile"
)

// instanceProfileARN is the ARN of an instance profile:
// arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
func instanceProfileARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":" + instanceProfileArnNoun + path + name
}

// noSuchInstanceProfile is NoSuchEntity for a missing instance profile, in
// the words IAM uses for its other entities (UNCONFIRMED wording).
func noSuchInstanceProfile(name string) error {
	return noSuchEntity("Instance Profile " + name + " cannot be found.")
}

type xmlInstanceProfile struct {
	Path                string          `xml:"Path"`
	InstanceProfileName string          `xml:"InstanceProfileName"`
	InstanceProfileID   string          `xml:"InstanceProfileId"`
	Arn                 string          `xml:"Arn"`
	CreateDate          query.Timestamp `xml:"CreateDate"`
	// Roles is always present, empty for a profile without a role.
	Roles []xmlRole `xml:"Roles>member"`
	Tags  *[]xmlTag `xml:"Tags>member"`
}

// instanceProfileXML renders p with its roles, as the InstanceProfile data
// type does.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_InstanceProfile.html
func instanceProfileXML(tx store.Tx, p *model.InstanceProfile) (xmlInstanceProfile, error) {
	x := xmlInstanceProfile{Path: p.Path, InstanceProfileName: p.Name, InstanceProfileID: p.ID, Arn: p.ARN(),
		CreateDate: query.Timestamp{Time: p.Created}, Roles: []xmlRole{}, Tags: xmlTags(p.Tags)}
	for _, name := range p.Roles {
		r, err := state.Role(tx, p.Account, name)
		if isNotFound(err) {
			// DeleteRole refuses roles in a profile, so this is only a
			// record written around the API; show what remains.
			continue
		}
		if err != nil {
			return x, err
		}
		x.Roles = append(x.Roles, roleXML(r, false))
	}
	return x, nil
}

type instanceProfileResult struct {
	InstanceProfile xmlInstanceProfile `xml:"InstanceProfile"`
}

// loadInstanceProfile reads an instance profile and authorizes action on it,
// with its tags as aws:ResourceTag; the profile must exist. Authorization
// comes first, so a caller without permission learns nothing about whether
// the profile exists.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html
func (q *request) loadInstanceProfile(tx store.Tx, name, action string, extra condition.Map) (*model.InstanceProfile, error) {
	p, err := state.InstanceProfile(tx, q.account, name)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	resource := instanceProfileARN(q.account, "/", name)
	ctx := condition.Map{}
	if p != nil {
		resource = p.ARN()
		ctx = resourceKeys(p.Tags)
	}
	for k, v := range extra {
		ctx[k] = v
	}
	if err := q.authorize(action, resource, ctx); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, noSuchInstanceProfile(name)
	}
	return p, nil
}

// createInstanceProfile implements CreateInstanceProfile. Tagging on create
// needs iam:TagInstanceProfile as well, as for users and roles.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html
func createInstanceProfile(q *request) (any, error) {
	p := q.params()
	name := p.name("InstanceProfileName", model.InstanceProfileNameRule, true)
	path := p.path("Path")
	tags, err := p.tags("Tags")
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	ctx := condition.Map{}
	requestTagKeys(ctx, tags)
	ip := &model.InstanceProfile{Account: q.account, Name: name, Path: path, ID: state.NewID("AIPA"),
		Created: q.Now.UTC(), Tags: tags}
	var out instanceProfileResult
	err = q.update(func(tx store.Tx) error {
		if err := q.authorize("iam:CreateInstanceProfile", ip.ARN(), ctx); err != nil {
			return err
		}
		if len(tags) > 0 {
			if err := q.authorize("iam:TagInstanceProfile", ip.ARN(), ctx); err != nil {
				return err
			}
		}
		if _, err := state.InstanceProfile(tx, q.account, name); err == nil {
			// Observed: "Instance Profile NAME already exists."
			return alreadyExists("Instance Profile " + name + " already exists.")
		} else if !isNotFound(err) {
			return err
		}
		all, err := state.ListInstanceProfiles(tx, q.account)
		if err != nil {
			return err
		}
		if len(all) >= maxInstanceProfiles {
			return limitExceeded("Cannot exceed quota for InstanceProfilesPerAccount: " + strconv.Itoa(maxInstanceProfiles))
		}
		if err := state.PutInstanceProfile(tx, ip); err != nil {
			return err
		}
		out.InstanceProfile, err = instanceProfileXML(tx, ip)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getInstanceProfile implements GetInstanceProfile.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html
func getInstanceProfile(q *request) (any, error) {
	p := q.params()
	name := p.name("InstanceProfileName", model.InstanceProfileNameRule, true)
	if err := p.err(); err != nil {
		return nil, err
	}
	var out instanceProfileResult
	err := q.view(func(tx store.Tx) error {
		ip, err := q.loadInstanceProfile(tx, name, "iam:GetInstanceProfile", nil)
		if err != nil {
			return err
		}
		out.InstanceProfile, err = instanceProfileXML(tx, ip)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deleteInstanceProfile implements DeleteInstanceProfile: the profile must
// hold no role (DeleteConflict).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteInstanceProfile.html
func deleteInstanceProfile(q *request) (any, error) {
	p := q.params()
	name := p.name("InstanceProfileName", model.InstanceProfileNameRule, true)
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		ip, err := q.loadInstanceProfile(tx, name, "iam:DeleteInstanceProfile", nil)
		if err != nil {
			return err
		}
		if len(ip.Roles) > 0 {
			return deleteConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
		return state.DeleteInstanceProfile(tx, q.account, ip.Name)
	})
	return nil, err
}

// profileRole reads the InstanceProfileName and RoleName parameters of
// AddRoleToInstanceProfile and RemoveRoleFromInstanceProfile.
func (q *request) profileRole() (profile, role string, err error) {
	p := q.params()
	profile = p.name("InstanceProfileName", model.InstanceProfileNameRule, true)
	role = p.name("RoleName", model.RoleNameRule, true)
	return profile, role, p.err()
}

// addRoleToInstanceProfile implements AddRoleToInstanceProfile. Besides
// iam:AddRoleToInstanceProfile on the profile, the API reference requires
// the caller to hold iam:PassRole on the role ("The caller of this operation
// must be granted the PassRole permission on the IAM role by a permissions
// policy"). A profile holds at most one role: adding any role, even the one
// already there, to a full profile is LimitExceeded (observed).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html
func addRoleToInstanceProfile(q *request) (any, error) {
	profile, role, err := q.profileRole()
	if err != nil {
		return nil, err
	}
	err = q.update(func(tx store.Tx) error {
		ip, err := q.loadInstanceProfile(tx, profile, "iam:AddRoleToInstanceProfile", nil)
		if err != nil {
			return err
		}
		r, err := state.Role(tx, q.account, role)
		if isNotFound(err) {
			return roleKind.notFound(role)
		}
		if err != nil {
			return err
		}
		// The role is passed to EC2. The iam:PassedToService value is
		// UNCONFIRMED for this operation; ec2.amazonaws.com is the service
		// the profile serves.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
		passCtx := resourceKeys(r.Tags)
		passCtx["iam:passedtoservice"] = []string{"ec2.amazonaws.com"}
		if err := q.authorize("iam:PassRole", r.ARN(), passCtx); err != nil {
			return err
		}
		if len(ip.Roles) >= maxRolesPerProfile {
			return limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: " + strconv.Itoa(maxRolesPerProfile))
		}
		ip.Roles = append(ip.Roles, r.Name)
		return state.PutInstanceProfile(tx, ip)
	})
	return nil, err
}

// removeRoleFromInstanceProfile implements RemoveRoleFromInstanceProfile.
// A role that exists but is not in the profile is NoSuchEntity
// (UNCONFIRMED wording).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveRoleFromInstanceProfile.html
func removeRoleFromInstanceProfile(q *request) (any, error) {
	profile, role, err := q.profileRole()
	if err != nil {
		return nil, err
	}
	err = q.update(func(tx store.Tx) error {
		ip, err := q.loadInstanceProfile(tx, profile, "iam:RemoveRoleFromInstanceProfile", nil)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ip.Roles, func(r string) bool { return strings.EqualFold(r, role) })
		if i < 0 {
			return roleKind.notFound(role)
		}
		ip.Roles = slices.Delete(ip.Roles, i, i+1)
		return state.PutInstanceProfile(tx, ip)
	})
	return nil, err
}

type listInstanceProfilesResult struct {
	InstanceProfiles []xmlInstanceProfile `xml:"InstanceProfiles>member"`
	IsTruncated      bool                 `xml:"IsTruncated"`
	Marker           string               `xml:"Marker,omitempty"`
}

// listInstanceProfiles implements ListInstanceProfiles. Each profile comes
// with its roles; tags are left out, as ListRoles leaves out role tags
// ("To view all of the information for an instance profile, see
// GetInstanceProfile").
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html
func listInstanceProfiles(q *request) (any, error) {
	// listByPath renders inside its read transaction, so load keeps the
	// transaction for render, which reads each profile's roles.
	var renderErr error
	var tx store.Tx
	load := func(t store.Tx, account string) ([]model.InstanceProfile, error) {
		tx = t
		return state.ListInstanceProfiles(t, account)
	}
	items, marker, more, err := listByPath(q, "iam:ListInstanceProfiles", instanceProfileArnNoun, load,
		func(p *model.InstanceProfile) string { return p.Path }, func(p *model.InstanceProfile) string { return p.Name },
		func(p *model.InstanceProfile) xmlInstanceProfile {
			x, err := instanceProfileXML(tx, p)
			if err != nil && renderErr == nil {
				renderErr = err
			}
			x.Tags = nil
			return x
		})
	if err == nil {
		err = renderErr
	}
	if err != nil {
		return nil, err
	}
	return listInstanceProfilesResult{InstanceProfiles: items, IsTruncated: more, Marker: marker}, nil
}

// listInstanceProfilesForRole implements ListInstanceProfilesForRole,
// authorized on the role; the role must exist.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfilesForRole.html
func listInstanceProfilesForRole(q *request) (any, error) {
	p := q.params()
	name := p.name("RoleName", model.RoleNameRule, true)
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	var out listInstanceProfilesResult
	err := q.view(func(tx store.Tx) error {
		e, err := q.entityFor(tx, roleKind, name, "iam:ListInstanceProfilesForRole", nil, false)
		if err != nil {
			return err
		}
		all, err := state.InstanceProfilesForRole(tx, q.account, e.name)
		if err != nil {
			return err
		}
		page, next, more := paginate(all, func(ip *model.InstanceProfile) string { return strings.ToLower(ip.Name) }, pr)
		out.InstanceProfiles = make([]xmlInstanceProfile, 0, len(page))
		for i := range page {
			x, err := instanceProfileXML(tx, &page[i])
			if err != nil {
				return err
			}
			x.Tags = nil
			out.InstanceProfiles = append(out.InstanceProfiles, x)
		}
		out.Marker, out.IsTruncated = next, more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// tagInstanceProfile implements TagInstanceProfile: tags merge with the
// profile's, a key matching an existing one without regard to case
// replacing its value, up to 50 tags.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagInstanceProfile.html
func tagInstanceProfile(q *request) (any, error) {
	p := q.params()
	name := p.name("InstanceProfileName", model.InstanceProfileNameRule, true)
	tags, err := q.tagsParam(p)
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	ctx := condition.Map{}
	requestTagKeys(ctx, tags)
	err = q.update(func(tx store.Tx) error {
		ip, err := q.loadInstanceProfile(tx, name, "iam:TagInstanceProfile", ctx)
		if err != nil {
			return err
		}
		merged, err := mergeTags(ip.Tags, tags, "TagsPerInstanceProfile")
		if err != nil {
			return err
		}
		ip.Tags = merged
		return state.PutInstanceProfile(tx, ip)
	})
	return nil, err
}

// untagInstanceProfile implements UntagInstanceProfile; keys match without
// regard to case and keys the profile lacks are ignored.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagInstanceProfile.html
func untagInstanceProfile(q *request) (any, error) {
	p := q.params()
	name := p.name("InstanceProfileName", model.InstanceProfileNameRule, true)
	keys := q.untagKeysParam(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	ctx := condition.Map{"aws:tagkeys": keys}
	err := q.update(func(tx store.Tx) error {
		ip, err := q.loadInstanceProfile(tx, name, "iam:UntagInstanceProfile", ctx)
		if err != nil {
			return err
		}
		ip.Tags = withoutTagKeys(ip.Tags, keys)
		return state.PutInstanceProfile(tx, ip)
	})
	return nil, err
}

// listInstanceProfileTags implements ListInstanceProfileTags: tags sorted
// by key, paged with Marker and MaxItems.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfileTags.html
func listInstanceProfileTags(q *request) (any, error) {
	p := q.params()
	name := p.name("InstanceProfileName", model.InstanceProfileNameRule, true)
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	var out listTagsResult
	err := q.view(func(tx store.Tx) error {
		ip, err := q.loadInstanceProfile(tx, name, "iam:ListInstanceProfileTags", nil)
		if err != nil {
			return err
		}
		out = tagPage(ip.Tags, pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// roleInInstanceProfile reports whether the role belongs to an instance
// profile, which DeleteRole refuses.
func roleInInstanceProfile(tx store.Tx, account, role string) (bool, error) {
	ps, err := state.InstanceProfilesForRole(tx, account, role)
	return len(ps) > 0, err
}
