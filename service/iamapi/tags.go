package iamapi

import (
	"slices"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/store"
)

// Tags of users and roles.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html

func init() {
	for _, k := range []*kind{userKind, roleKind} {
		register("Tag"+k.title, tagEntity(k))
		register("Untag"+k.title, untagEntity(k))
		register("List"+k.title+"Tags", listTags(k))
	}
}

// maxTags is IAM's quota of tags per user or role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entities
const maxTags = 50

func tagEntity(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
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
			e, err := q.entityFor(tx, k, name, "iam:Tag"+k.title, ctx, false)
			if err != nil {
				return err
			}
			merged, err := mergeTags(*e.tags, tags, "TagsPer"+k.title)
			if err != nil {
				return err
			}
			*e.tags = merged
			return e.save(tx)
		})
		return nil, err
	}
}

func untagEntity(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		keys := q.untagKeysParam(p)
		if err := p.err(); err != nil {
			return nil, err
		}
		ctx := condition.Map{"aws:tagkeys": keys}
		err := q.update(func(tx store.Tx) error {
			e, err := q.entityFor(tx, k, name, "iam:Untag"+k.title, ctx, false)
			if err != nil {
				return err
			}
			*e.tags = withoutTagKeys(*e.tags, keys)
			return e.save(tx)
		})
		return nil, err
	}
}

type listTagsResult struct {
	Tags        []xmlTag `xml:"Tags>member"`
	IsTruncated bool     `xml:"IsTruncated"`
	Marker      string   `xml:"Marker,omitempty"`
}

func listTags(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		pr := p.page()
		if err := p.err(); err != nil {
			return nil, err
		}
		var out listTagsResult
		err := q.view(func(tx store.Tx) error {
			e, err := q.entityFor(tx, k, name, "iam:List"+k.title+"Tags", nil, false)
			if err != nil {
				return err
			}
			out = tagPage(*e.tags, pr)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

// Helpers every Tag*, Untag* and List*Tags operation shares, whatever it
// tags (users, roles, instance profiles, OIDC providers).

// tagsParam reads the Tags list of a Tag* call, which must not be empty.
func (q *request) tagsParam(p *params) ([]model.Tag, error) {
	if len(q.v.Structs("Tags.member")) == 0 {
		p.vs = append(p.vs, query.NotNull("tags"))
	}
	return p.tags("Tags")
}

// mergeTags adds tags to have: a key equal to an existing one without
// regard to case replaces its value. More than maxTags is LimitExceeded,
// named after the quota of what is tagged (UNCONFIRMED wording, after
// IAM's other quota messages).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
func mergeTags(have, tags []model.Tag, quota string) ([]model.Tag, error) {
	merged := slices.Clone(have)
	for _, t := range tags {
		i := slices.IndexFunc(merged, func(x model.Tag) bool { return strings.EqualFold(x.Key, t.Key) })
		if i >= 0 {
			merged[i] = t
		} else {
			merged = append(merged, t)
		}
	}
	if len(merged) > maxTags {
		return nil, limitExceeded("Cannot exceed quota for " + quota + ": " + strconv.Itoa(maxTags))
	}
	return merged, nil
}

// untagKeysParam reads and validates the TagKeys list of an Untag* call,
// which must not be empty.
func (q *request) untagKeysParam(p *params) []string {
	keys := q.v.List("TagKeys.member")
	if len(keys) == 0 {
		p.vs = append(p.vs, query.NotNull("tagKeys"))
	}
	for i, key := range keys {
		if c := model.TagKeyRule.Check(key); c != "" {
			p.vs = append(p.vs, query.Violation{Member: "tagKeys." + strconv.Itoa(i+1) + ".member", Value: key, Constraint: c})
		}
	}
	return keys
}

// withoutTagKeys returns tags without those whose key equals one of keys
// without regard to case; keys not present are ignored.
func withoutTagKeys(tags []model.Tag, keys []string) []model.Tag {
	return slices.DeleteFunc(tags, func(t model.Tag) bool {
		return slices.ContainsFunc(keys, func(key string) bool { return strings.EqualFold(key, t.Key) })
	})
}

// tagPage answers a List*Tags call: tags sorted by key, paged with Marker
// and MaxItems.
func tagPage(have []model.Tag, pr pageReq) listTagsResult {
	tags := slices.Clone(have)
	slices.SortFunc(tags, func(a, b model.Tag) int { return strings.Compare(a.Key, b.Key) })
	page, next, more := paginate(tags, func(t *model.Tag) string { return t.Key }, pr)
	out := listTagsResult{Tags: make([]xmlTag, 0, len(page)), Marker: next, IsTruncated: more}
	for _, t := range page {
		out.Tags = append(out.Tags, xmlTag{t.Key, t.Value})
	}
	return out
}
