package stsapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
)

// params reads an operation's parameters and collects the constraints they
// break, reported together in one ValidationError as STS does.
type params struct {
	v  query.Values
	vs []query.Violation
}

func member(param string) string {
	if param == "" {
		return ""
	}
	return strings.ToLower(param[:1]) + param[1:]
}

func (p *params) err() error {
	if len(p.vs) == 0 {
		return nil
	}
	return query.ValidationError(p.vs...)
}

func (p *params) violate(m, value, constraint string) {
	p.vs = append(p.vs, query.Violation{Member: m, Value: value, Constraint: constraint})
}

// name returns a parameter checked against rule; required makes absence a
// violation.
func (p *params) name(param string, rule model.NameRule, required bool) string {
	if !p.v.Has(param) {
		if required {
			p.vs = append(p.vs, query.NotNull(member(param)))
		}
		return ""
	}
	s := p.v.Get(param)
	if c := rule.Check(s); c != "" {
		p.violate(member(param), s, c)
	}
	return s
}

// arn returns an ARN parameter (20 to 2048 characters).
func (p *params) arn(param string, required bool) string {
	return p.name(param, model.NameRule{Min: 20, Max: 2048}, required)
}

// duration returns DurationSeconds within [lo, hi], def when absent.
func (p *params) duration(lo, hi, def int) int {
	const param = "DurationSeconds"
	if !p.v.Has(param) {
		return def
	}
	s := p.v.Get(param)
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		p.violate(member(param), s, "Member must be a number")
	case n < lo:
		p.violate(member(param), s, "Member must have value greater than or equal to "+strconv.Itoa(lo))
	case n > hi:
		p.violate(member(param), s, "Member must have value less than or equal to "+strconv.Itoa(hi))
	default:
		return n
	}
	return def
}

// policy returns the inline session Policy (1 to 2048 characters of the
// allowed class; the value is hidden in messages).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_RequestParameters
func (p *params) policy() string {
	if !p.v.Has("Policy") {
		return ""
	}
	s := p.v.Get("Policy")
	n := len([]rune(s))
	switch {
	case n < 1:
		p.vs = append(p.vs, query.Violation{Member: "policy", Sensitive: true, Constraint: "Member must have length greater than or equal to 1"})
	case n > 2048:
		p.vs = append(p.vs, query.Violation{Member: "policy", Sensitive: true, Constraint: "Member must have length less than or equal to 2048"})
	}
	return s
}

// maxPolicyARNs is the most managed session policies one call may pass.
const maxPolicyARNs = 10

// policyARNs returns PolicyArns.member.N.arn.
func (p *params) policyARNs() []string {
	structs := p.v.Structs("PolicyArns.member")
	if len(structs) > maxPolicyARNs {
		p.violate("policyArns", "", "Member must have length less than or equal to 10")
		return nil
	}
	var out []string
	for i, s := range structs {
		a := s.Get("arn")
		if n := len([]rune(a)); n < 20 || n > 2048 {
			c := "Member must have length greater than or equal to 20"
			if n > 2048 {
				c = "Member must have length less than or equal to 2048"
			}
			p.violate("policyArns."+strconv.Itoa(i+1)+".member.arn", a, c)
			continue
		}
		out = append(out, a)
	}
	return out
}

// maxSessionTags is the most session tags one call may pass.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_know
const maxSessionTags = 50

// tags returns Tags.member.N, with keys unique without regard to case.
func (p *params) tags() ([]model.Tag, error) {
	structs := p.v.Structs("Tags.member")
	if len(structs) > maxSessionTags {
		p.violate("tags", "", "Member must have length less than or equal to 50")
		return nil, nil
	}
	var out []model.Tag
	seen := map[string]bool{}
	for i, s := range structs {
		at := "tags." + strconv.Itoa(i+1) + ".member."
		k, v := s.Get("Key"), s.Get("Value")
		if c := model.TagKeyRule.Check(k); c != "" {
			p.violate(at+"key", k, c)
		}
		if c := model.TagValueRule.Check(v); c != "" {
			p.violate(at+"value", v, c)
		}
		if seen[strings.ToLower(k)] {
			// UNCONFIRMED wording; IAM answers the same mistake with
			// this message.
			return nil, awserr.New("InvalidParameterValue", http.StatusBadRequest,
				"Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[strings.ToLower(k)] = true
		out = append(out, model.Tag{Key: k, Value: v})
	}
	return out, nil
}

// transitiveKeys returns TransitiveTagKeys.member.N; each must be one of
// the tags passed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining
func (p *params) transitiveKeys(tags []model.Tag) ([]string, error) {
	keys := p.v.List("TransitiveTagKeys.member")
	if len(keys) > maxSessionTags {
		p.violate("transitiveTagKeys", "", "Member must have length less than or equal to 50")
		return nil, nil
	}
	for i, k := range keys {
		if c := model.TagKeyRule.Check(k); c != "" {
			p.violate("transitiveTagKeys."+strconv.Itoa(i+1)+".member", k, c)
			continue
		}
		found := false
		for _, t := range tags {
			found = found || strings.EqualFold(t.Key, k)
		}
		if !found {
			// UNCONFIRMED wording.
			return nil, awserr.New("InvalidParameterValue", http.StatusBadRequest,
				"The specified transitive tag key must be included in the requested tags.")
		}
	}
	return keys, nil
}

// mfa reads SerialNumber and TokenCode. verdict keeps no MFA devices: any
// well-formed pair counts as a successful MFA check (an assumption that
// lets policies with aws:MultiFactorAuthPresent be exercised).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html#API_GetSessionToken_RequestParameters
func (p *params) mfa() bool {
	serial := p.name("SerialNumber", model.NameRule{Min: 9, Max: 256, Pattern: `[\w+=/:,.@-]*`,
		Char: func(r rune) bool {
			return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_+=/:,.@-", r))
		}}, false)
	code := p.name("TokenCode", model.NameRule{Min: 6, Max: 6, Pattern: `[\d]*`,
		Char: func(r rune) bool { return r >= '0' && r <= '9' }}, false)
	return serial != "" && code != ""
}
