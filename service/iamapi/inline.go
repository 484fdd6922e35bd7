package iamapi

import (
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// Inline policies: Put/Get/Delete/List{User,Group,Role}Policy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html

func init() {
	for _, k := range []*kind{userKind, groupKind, roleKind} {
		register("Put"+k.title+"Policy", putInline(k))
		register("Get"+k.title+"Policy", getInline(k))
		register("Delete"+k.title+"Policy", deleteInline(k))
		register("List"+k.title+"Policies", listInline(k))
	}
}

// policySize counts a document as IAM's quotas do: characters other than
// white space.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
func policySize(doc string) int {
	n := 0
	for i := 0; i < len(doc); {
		r, w := utf8.DecodeRuneInString(doc[i:])
		if !(r == ' ' || r == '\t' || r == '\n' || r == '\r') {
			n++
		}
		i += w
	}
	return n
}

// inlineKey returns the stored name of an inline policy: names compare
// without regard to case, as all IAM names do.
func inlineKey(m map[string]string, name string) (string, bool) {
	if _, ok := m[name]; ok {
		return name, true
	}
	for k := range m {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}

func (k *kind) policyNotFound(name string) error {
	return noSuchEntity("The " + k.noun + " policy with name " + name + " cannot be found.")
}

// inlineParams reads the entity and policy names of an inline-policy call.
func inlineParams(k *kind, p *params) (entity, policyName string) {
	return p.name(k.param, k.rule, true), p.name("PolicyName", model.PolicyNameRule, true)
}

func putInline(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name, pname := inlineParams(k, p)
		doc := p.document("PolicyDocument", true)
		if err := p.err(); err != nil {
			return nil, err
		}
		err := q.changeEntity(k, name, "iam:Put"+k.title+"Policy", nil, true, func(tx store.Tx, e *entity) error {
			existing, _ := inlineKey(*e.inline, pname)
			used := 0
			for n, d := range *e.inline {
				if n != existing {
					used += policySize(d)
				}
			}
			if _, err := policy.Validate([]byte(doc), policy.Identity, policy.Options{Holder: k.holder, HolderName: e.name,
				InlineUsed: used, Account: q.account}); err != nil {
				return policyError(err)
			}
			if *e.inline == nil {
				*e.inline = map[string]string{}
			}
			if existing != "" {
				delete(*e.inline, existing)
			}
			(*e.inline)[pname] = doc
			return e.save(tx)
		})
		return nil, err
	}
}

type inlineResult struct {
	UserName       string `xml:"UserName,omitempty"`
	GroupName      string `xml:"GroupName,omitempty"`
	RoleName       string `xml:"RoleName,omitempty"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func getInline(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name, pname := inlineParams(k, p)
		if err := p.err(); err != nil {
			return nil, err
		}
		var out inlineResult
		err := q.view(func(tx store.Tx) error {
			e, err := q.entityFor(tx, k, name, "iam:Get"+k.title+"Policy", nil, false)
			if err != nil {
				return err
			}
			key, ok := inlineKey(*e.inline, pname)
			if !ok {
				return k.policyNotFound(pname)
			}
			out = inlineResult{PolicyName: key, PolicyDocument: encodeDocument((*e.inline)[key])}
			switch k {
			case userKind:
				out.UserName = e.name
			case groupKind:
				out.GroupName = e.name
			default:
				out.RoleName = e.name
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

func deleteInline(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name, pname := inlineParams(k, p)
		if err := p.err(); err != nil {
			return nil, err
		}
		err := q.changeEntity(k, name, "iam:Delete"+k.title+"Policy", nil, true, func(tx store.Tx, e *entity) error {
			key, ok := inlineKey(*e.inline, pname)
			if !ok {
				return k.policyNotFound(pname)
			}
			delete(*e.inline, key)
			return e.save(tx)
		})
		return nil, err
	}
}

type listInlineResult struct {
	PolicyNames []string `xml:"PolicyNames>member"`
	IsTruncated bool     `xml:"IsTruncated"`
	Marker      string   `xml:"Marker,omitempty"`
}

func listInline(k *kind) op {
	return func(q *request) (any, error) {
		p := q.params()
		name := p.name(k.param, k.rule, true)
		pr := p.page()
		if err := p.err(); err != nil {
			return nil, err
		}
		var out listInlineResult
		err := q.view(func(tx store.Tx) error {
			e, err := q.entityFor(tx, k, name, "iam:List"+k.title+"Policies", nil, false)
			if err != nil {
				return err
			}
			names := slices.Sorted(maps.Keys(*e.inline))
			page, next, more := paginate(names, func(s *string) string { return *s }, pr)
			out.PolicyNames = append([]string{}, page...)
			out.Marker, out.IsTruncated = next, more
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}
