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
		if len(q.v.Structs("Tags.member")) == 0 {
			p.vs = append(p.vs, query.NotNull("tags"))
		}
		tags, err := p.tags("Tags")
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
			merged := slices.Clone(*e.tags)
			for _, t := range tags {
				i := slices.IndexFunc(merged, func(x model.Tag) bool { return strings.EqualFold(x.Key, t.Key) })
				if i >= 0 {
					merged[i] = t
				} else {
					merged = append(merged, t)
				}
			}
			if len(merged) > maxTags {
				// UNCONFIRMED wording, after IAM's other quota messages.
				return limitExceeded("Cannot exceed quota for TagsPer" + k.title + ": " + strconv.Itoa(maxTags))
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
		keys := q.v.List("TagKeys.member")
		if len(keys) == 0 {
			p.vs = append(p.vs, query.NotNull("tagKeys"))
		}
		for i, key := range keys {
			if c := model.TagKeyRule.Check(key); c != "" {
				p.vs = append(p.vs, query.Violation{Member: "tagKeys." + strconv.Itoa(i+1) + ".member", Value: key, Constraint: c})
			}
		}
		if err := p.err(); err != nil {
			return nil, err
		}
		ctx := condition.Map{"aws:tagkeys": keys}
		err := q.update(func(tx store.Tx) error {
			e, err := q.entityFor(tx, k, name, "iam:Untag"+k.title, ctx, false)
			if err != nil {
				return err
			}
			*e.tags = slices.DeleteFunc(*e.tags, func(t model.Tag) bool {
				return slices.ContainsFunc(keys, func(key string) bool { return strings.EqualFold(key, t.Key) })
			})
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
			tags := slices.Clone(*e.tags)
			slices.SortFunc(tags, func(a, b model.Tag) int { return strings.Compare(a.Key, b.Key) })
			page, next, more := paginate(tags, func(t *model.Tag) string { return t.Key }, pr)
			out.Tags = make([]xmlTag, 0, len(page))
			for _, t := range page {
				out.Tags = append(out.Tags, xmlTag{t.Key, t.Value})
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
