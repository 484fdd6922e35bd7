package iamapi

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
)

// params reads an operation's parameters and collects every constraint they
// break, as AWS reports all of them in one ValidationError.
// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
type params struct {
	v  query.Values
	vs []query.Violation
}

func (q *request) params() *params { return &params{v: q.v} }

// member is the name AWS's messages give a parameter: lower camel case.
func member(param string) string {
	if param == "" {
		return ""
	}
	return strings.ToLower(param[:1]) + param[1:]
}

// err returns the ValidationError for the violations found, or nil.
func (p *params) err() error {
	if len(p.vs) == 0 {
		return nil
	}
	return query.ValidationError(p.vs...)
}

func (p *params) violate(param, value, constraint string) {
	p.vs = append(p.vs, query.Violation{Member: member(param), Value: value, Constraint: constraint})
}

// str returns a parameter's value, "" when absent; required makes an absent
// parameter a violation.
func (p *params) str(param string, required bool) string {
	if !p.v.Has(param) {
		if required {
			p.vs = append(p.vs, query.NotNull(member(param)))
		}
		return ""
	}
	return p.v.Get(param)
}

// name returns a name parameter checked against rule.
func (p *params) name(param string, rule model.NameRule, required bool) string {
	s := p.str(param, required)
	if !p.v.Has(param) {
		return ""
	}
	if c := rule.Check(s); c != "" {
		p.violate(param, s, c)
	}
	return s
}

// path returns a Path parameter, "/" when absent.
func (p *params) path(param string) string {
	if !p.v.Has(param) {
		return "/"
	}
	s := p.v.Get(param)
	if c := model.PathRule.Check(s); c != "" {
		p.violate(param, s, c)
	} else if !model.ValidPath(s) {
		p.violate(param, s, "Member must satisfy regular expression pattern: "+model.PathRule.Pattern)
	}
	return s
}

// pathPrefix returns a PathPrefix parameter, "/" when absent.
func (p *params) pathPrefix(param string) string {
	if !p.v.Has(param) {
		return "/"
	}
	s := p.v.Get(param)
	if c := model.PathPrefixRule.Check(s); c != "" {
		p.violate(param, s, c)
	} else if !strings.HasPrefix(s, "/") {
		p.violate(param, s, "Member must satisfy regular expression pattern: "+model.PathPrefixRule.Pattern)
	}
	return s
}

// document returns a policy document parameter: 1 to 131,072 characters
// without control characters, reported without the value (AWS hides
// policy text).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html#API_PutUserPolicy_RequestParameters
func (p *params) document(param string, required bool) string {
	s := p.str(param, required)
	if !p.v.Has(param) {
		return ""
	}
	n := 0
	for _, r := range s {
		n++
		// Only control characters are refused: IAM's documented class ends
		// at \u00FF, but it stores policies with other characters.
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			p.vs = append(p.vs, query.Violation{Member: member(param), Sensitive: true,
				Constraint: `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`})
			return s
		}
	}
	switch {
	case n < 1:
		p.vs = append(p.vs, query.Violation{Member: member(param), Sensitive: true, Constraint: "Member must have length greater than or equal to 1"})
	case n > 131072:
		p.vs = append(p.vs, query.Violation{Member: member(param), Sensitive: true, Constraint: "Member must have length less than or equal to 131072"})
	}
	return s
}

// arn returns an ARN parameter: 20 to 2048 characters.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html#API_AttachUserPolicy_RequestParameters
func (p *params) arn(param string, required bool) string {
	s := p.str(param, required)
	if !p.v.Has(param) {
		return ""
	}
	switch n := len([]rune(s)); {
	case n < 20:
		p.violate(param, s, "Member must have length greater than or equal to 20")
	case n > 2048:
		p.violate(param, s, "Member must have length less than or equal to 2048")
	}
	return s
}

// integer returns an integer parameter within [lo, hi]; def when absent.
func (p *params) integer(param string, lo, hi, def int) int {
	if !p.v.Has(param) {
		return def
	}
	s := p.v.Get(param)
	n, err := strconv.Atoi(s)
	if err != nil {
		// The Query protocol's own answer to a number that does not parse.
		p.violate(param, s, "Member must be a number")
		return def
	}
	if n < lo {
		p.violate(param, s, "Member must have value greater than or equal to "+strconv.Itoa(lo))
	} else if n > hi {
		p.violate(param, s, "Member must have value less than or equal to "+strconv.Itoa(hi))
	}
	return n
}

// boolean returns a boolean parameter, def when absent.
func (p *params) boolean(param string, def bool) bool {
	if !p.v.Has(param) {
		return def
	}
	s := p.v.Get(param)
	switch strings.ToLower(s) {
	case "true":
		return true
	case "false":
		return false
	}
	p.violate(param, s, "Member must be a boolean")
	return def
}

// enum returns a parameter restricted to a set of values, def when absent.
func (p *params) enum(param, def string, allowed ...string) string {
	if !p.v.Has(param) {
		return def
	}
	s := p.v.Get(param)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.violate(param, s, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
	return s
}

// tags returns the Tags.member.N list, checked against IAM's tag rules:
// at most 50, keys 1-128 and values 0-256 characters of the tag class, keys
// unique without regard to case.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules_creating
func (p *params) tags(param string) ([]model.Tag, error) {
	structs := p.v.Structs(param + ".member")
	if len(structs) > 50 {
		p.violate(param, "", "Member must have length less than or equal to 50")
		return nil, nil
	}
	var out []model.Tag
	seen := map[string]bool{}
	for i, s := range structs {
		at := member(param) + "." + strconv.Itoa(i+1) + ".member."
		k, v := s.Get("Key"), s.Get("Value")
		if !s.Has("Key") {
			p.vs = append(p.vs, query.NotNull(at+"key"))
			continue
		}
		if c := model.TagKeyRule.Check(k); c != "" {
			p.vs = append(p.vs, query.Violation{Member: at + "key", Value: k, Constraint: c})
		}
		if !s.Has("Value") {
			p.vs = append(p.vs, query.NotNull(at+"value"))
		} else if c := model.TagValueRule.Check(v); c != "" {
			p.vs = append(p.vs, query.Violation{Member: at + "value", Value: v, Constraint: c})
		}
		lk := strings.ToLower(k)
		if seen[lk] {
			return nil, invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[lk] = true
		out = append(out, model.Tag{Key: k, Value: v})
	}
	return out, nil
}

// pageReq is a List operation's Marker and MaxItems.
type pageReq struct {
	after string // key of the last item of the previous page
	max   int
}

// page reads Marker (opaque to callers: verdict's is the last key it
// returned, base64url-encoded) and MaxItems (1 to 1000, default 100).
// https://docs.aws.amazon.com/IAM/latest/APIReference/Pagination.html
func (p *params) page() pageReq {
	pr := pageReq{max: p.integer("MaxItems", 1, 1000, 100)}
	if m := p.v.Get("Marker"); m != "" {
		b, err := base64.RawURLEncoding.DecodeString(m)
		if err != nil || len(b) == 0 {
			p.violate("Marker", m, `Member must satisfy regular expression pattern: [\u0020-\u00FF]+`)
		} else {
			pr.after = string(b)
		}
	}
	return pr
}

// paginate returns the page of items (sorted by key) after pr.after, the
// marker of the next page and whether there is one.
func paginate[T any](items []T, key func(*T) string, pr pageReq) ([]T, string, bool) {
	start := 0
	if pr.after != "" {
		start = len(items)
		for i := range items {
			if key(&items[i]) > pr.after {
				start = i
				break
			}
		}
	}
	end := start + pr.max
	if end >= len(items) {
		return items[start:], "", false
	}
	page := items[start:end]
	return page, base64.RawURLEncoding.EncodeToString([]byte(key(&page[len(page)-1]))), true
}

// IAM's errors, in its words.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html#API_CreateUser_Errors

func noSuchEntity(msg string) *awserr.Error {
	return awserr.New("NoSuchEntity", http.StatusNotFound, msg)
}

func alreadyExists(msg string) *awserr.Error {
	return awserr.New("EntityAlreadyExists", http.StatusConflict, msg)
}

func deleteConflict(msg string) *awserr.Error {
	return awserr.New("DeleteConflict", http.StatusConflict, msg)
}

func limitExceeded(msg string) *awserr.Error {
	return awserr.New("LimitExceeded", http.StatusConflict, msg)
}

func invalidInput(msg string) *awserr.Error {
	return awserr.New("InvalidInput", http.StatusBadRequest, msg)
}

func validationError(msg string) *awserr.Error {
	return awserr.New("ValidationError", http.StatusBadRequest, msg)
}

// unmodifiable is IAM's refusal to change a role that an AWS service owns,
// such as the roles IAM Identity Center creates.
// https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html
func unmodifiable(role string) *awserr.Error {
	return awserr.New("UnmodifiableEntity", http.StatusBadRequest,
		"Cannot perform the operation on the protected role '"+role+"' - this role is only modifiable by AWS")
}

// encodeDocument writes a policy document as IAM returns it: URL-encoded
// per RFC 3986 ("The policy document returned in this structure is URL-
// encoded compliant with RFC 3986").
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUserPolicy.html#API_GetUserPolicy_ResponseElements
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
