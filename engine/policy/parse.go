package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/condition"
)

// ErrorCode classifies a structural problem found by Parse. Validate turns these
// into each service's own error text.
type ErrorCode uint8

// The structural error codes.
const (
	ErrSyntax           ErrorCode = iota + 1 // not JSON, or not an object at the top
	ErrMissingElement                        // a required element is absent
	ErrUnknownElement                        // an element the grammar does not have
	ErrInvalidElement                        // an element of the wrong type or value
	ErrConflict                              // e.g. both Action and NotAction
	ErrInvalidCondition                      // the Condition block does not compile
)

// Error is a structural policy error.
type Error struct {
	Code ErrorCode
	// Element names the element concerned ("Effect", "Statement", ...), when any.
	Element string
	// Value is the offending value, when any.
	Value   string
	Message string
	// Pos is the byte offset in the document.
	Pos int
	// Statement is the index of the statement concerned, or -1.
	Statement int
	// Err is the underlying error (for example a condition compile error).
	Err error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// AsError returns err as an *Error, if it is one.
func AsError(err error) (*Error, bool) {
	var pe *Error
	ok := errors.As(err, &pe)
	return pe, ok
}

// Parse reads a policy document. It checks the grammar only: element names and
// types, string-or-array values, Effect, mutually exclusive pairs, and that the
// Condition block compiles. It does not apply any service's rules (whether
// Principal is required or forbidden, size limits, known actions): see Validate.
func Parse(data []byte) (*Policy, error) {
	root, err := parseJSON(data)
	if err != nil {
		je := err.(*jsonError)
		return nil, &Error{Code: ErrSyntax, Message: "policy is not valid JSON: " + je.Error(), Pos: je.pos, Statement: -1, Err: err}
	}
	if root.kind != jsonObject {
		return nil, &Error{Code: ErrSyntax, Message: "policy must be a JSON object", Pos: root.pos, Statement: -1}
	}
	p := &Policy{Size: len(data), Source: data}
	var stmts *jsonNode
	for _, m := range root.members {
		switch m.key {
		case "Version":
			if m.val.kind != jsonString {
				return nil, invalid("Version", m.val, -1, "Version must be a string")
			}
			p.Version = m.val.text
		case "Id":
			if m.val.kind != jsonString {
				return nil, invalid("Id", m.val, -1, "Id must be a string")
			}
			p.ID = m.val.text
		case "Statement":
			stmts = m.val
		default:
			return nil, &Error{Code: ErrUnknownElement, Element: m.key, Message: "unknown element " + m.key, Pos: m.val.pos, Statement: -1}
		}
	}
	if stmts == nil {
		return nil, &Error{Code: ErrMissingElement, Element: "Statement", Message: "missing required element Statement", Pos: root.pos, Statement: -1}
	}
	// Statement may be one object or an array of them.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html
	var list []*jsonNode
	switch stmts.kind {
	case jsonObject:
		list = []*jsonNode{stmts}
	case jsonArray:
		list = stmts.items
	default:
		return nil, invalid("Statement", stmts, -1, "Statement must be an object or an array")
	}
	vars := p.Version == Version2012
	p.Statements = make([]Statement, len(list))
	for i, n := range list {
		if err := parseStatement(data, n, i, vars, &p.Statements[i]); err != nil {
			return nil, err
		}
	}
	p.index = buildIndex(p.Statements)
	return p, nil
}

func invalid(element string, n *jsonNode, stmt int, msg string) *Error {
	return &Error{Code: ErrInvalidElement, Element: element, Value: n.text, Message: msg, Pos: n.pos, Statement: stmt}
}

func parseStatement(data []byte, n *jsonNode, idx int, vars bool, s *Statement) error {
	if n.kind != jsonObject {
		return invalid("Statement", n, idx, "each statement must be a JSON object")
	}
	s.Index = idx
	s.Pos = n.pos
	s.Line, s.Col = lineCol(data, n.pos)
	var haveEffect, haveAction bool
	for _, m := range n.members {
		var err error
		switch m.key {
		case "Sid":
			if m.val.kind != jsonString {
				return invalid("Sid", m.val, idx, "Sid must be a string")
			}
			s.Sid = m.val.text
		case "Effect":
			if m.val.kind != jsonString {
				return invalid("Effect", m.val, idx, "Effect must be a string")
			}
			s.EffectPos = m.val.pos
			switch m.val.text {
			case "Allow":
				s.Effect = Allow
			case "Deny":
				s.Effect = Deny
			default:
				// Effect values are case-sensitive.
				// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
				return invalid("Effect", m.val, idx, "invalid effect: "+m.val.text)
			}
			haveEffect = true
		case "Principal", "NotPrincipal":
			if s.Principal != nil {
				return &Error{Code: ErrConflict, Element: m.key, Message: "a statement cannot have both Principal and NotPrincipal", Pos: m.val.pos, Statement: idx}
			}
			s.Principal, err = parsePrincipal(m.key, m.val, idx)
			s.NotPrincipal = m.key == "NotPrincipal"
		case "Action", "NotAction":
			if haveAction {
				return &Error{Code: ErrConflict, Element: m.key, Message: "a statement cannot have both Action and NotAction", Pos: m.val.pos, Statement: idx}
			}
			haveAction = true
			s.ActionPos = m.val.pos
			s.Action, err = stringList(m.key, m.val, idx)
			s.NotAction = m.key == "NotAction"
		case "Resource", "NotResource":
			if s.HasResource {
				return &Error{Code: ErrConflict, Element: m.key, Message: "a statement cannot have both Resource and NotResource", Pos: m.val.pos, Statement: idx}
			}
			s.HasResource = true
			s.ResourcePos = m.val.pos
			s.Resource, err = stringList(m.key, m.val, idx)
			s.NotResource = m.key == "NotResource"
		case "Condition":
			s.ConditionPos = m.val.pos
			s.Conditions, err = conditionEntries(m.val, idx)
		default:
			return &Error{Code: ErrUnknownElement, Element: m.key, Message: "unknown element " + m.key, Pos: m.val.pos, Statement: idx}
		}
		if err != nil {
			return err
		}
	}
	if !haveEffect {
		return &Error{Code: ErrMissingElement, Element: "Effect", Message: "missing required element Effect", Pos: n.pos, Statement: idx}
	}
	if !haveAction {
		return &Error{Code: ErrMissingElement, Element: "Action", Message: "missing required element Action", Pos: n.pos, Statement: idx}
	}
	s.prefixes = make([]string, len(s.Resource))
	for i, r := range s.Resource {
		if j := strings.IndexAny(r, "*?$"); j >= 0 {
			r = r[:j]
		}
		s.prefixes[i] = r
	}
	s.actions = make([]string, len(s.Action))
	for i, a := range s.Action {
		s.actions[i] = strings.ToLower(a)
	}
	if len(s.Conditions) > 0 {
		b, err := condition.Compile(s.Conditions, vars)
		if err != nil {
			return &Error{Code: ErrInvalidCondition, Element: "Condition", Message: err.Error(), Pos: s.ConditionPos, Statement: idx, Err: err}
		}
		s.Condition = b
	}
	return nil
}

// stringList reads AWS's string-or-array-of-strings value. An empty array is
// kept empty (it matches nothing); validation decides whether to refuse it.
func stringList(element string, n *jsonNode, idx int) ([]string, error) {
	switch n.kind {
	case jsonString:
		return []string{n.text}, nil
	case jsonArray:
		out := make([]string, 0, len(n.items))
		for _, it := range n.items {
			if it.kind != jsonString {
				return nil, invalid(element, it, idx, element+" values must be strings")
			}
			out = append(out, it.text)
		}
		return out, nil
	}
	return nil, invalid(element, n, idx, element+" must be a string or an array of strings")
}

// parsePrincipal reads every documented form of Principal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
func parsePrincipal(element string, n *jsonNode, idx int) (*Principal, error) {
	p := &Principal{Pos: n.pos}
	switch n.kind {
	case jsonString:
		// Only "*" is allowed as a bare string.
		if n.text != "*" {
			return nil, invalid(element, n, idx, "invalid principal: "+n.text)
		}
		p.All = true
		return p, nil
	case jsonObject:
	default:
		return nil, invalid(element, n, idx, element+" must be \"*\" or an object")
	}
	if len(n.members) == 0 {
		return nil, invalid(element, n, idx, element+" must name at least one principal")
	}
	for _, m := range n.members {
		vals, err := stringList(element, m.val, idx)
		if err != nil {
			return nil, err
		}
		switch m.key {
		case "AWS":
			for _, v := range vals {
				if v == "*" {
					p.All = true
					continue
				}
				p.AWS = append(p.AWS, v)
				if acct, ok := accountPrincipal(v); ok {
					p.Accounts = append(p.Accounts, acct)
				} else {
					p.Others = append(p.Others, v)
				}
			}
		case "Service":
			p.Service = append(p.Service, vals...)
		case "Federated":
			p.Federated = append(p.Federated, vals...)
		case "CanonicalUser":
			p.CanonicalUser = append(p.CanonicalUser, vals...)
		default:
			return nil, &Error{Code: ErrInvalidElement, Element: element, Value: m.key, Message: "invalid principal type " + m.key, Pos: m.val.pos, Statement: idx}
		}
	}
	return p, nil
}

// conditionEntries flattens {"Operator": {"key": value-or-list}} into entries.
// Values may be strings, numbers or booleans; AWS reads them as text.
func conditionEntries(n *jsonNode, idx int) ([]condition.Entry, error) {
	if n.kind != jsonObject {
		return nil, invalid("Condition", n, idx, "Condition must be an object")
	}
	var out []condition.Entry
	for _, op := range n.members {
		if op.val.kind != jsonObject {
			return nil, invalid("Condition", op.val, idx, fmt.Sprintf("condition operator %s must map keys to values", op.key))
		}
		for _, kv := range op.val.members {
			e := condition.Entry{Operator: op.key, Key: kv.key, Pos: kv.val.pos}
			switch kv.val.kind {
			case jsonString, jsonNumber, jsonBool:
				e.Values = []string{kv.val.text}
			case jsonArray:
				e.Values = make([]string, 0, len(kv.val.items))
				for _, it := range kv.val.items {
					switch it.kind {
					case jsonString, jsonNumber, jsonBool:
						e.Values = append(e.Values, it.text)
					default:
						return nil, invalid("Condition", it, idx, "condition values must be strings, numbers or booleans")
					}
				}
			default:
				return nil, invalid("Condition", kv.val, idx, "condition values must be strings, numbers or booleans")
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// accountPrincipal returns the account an AWS principal value names as the
// account principal: a bare 12-digit ID or arn:PARTITION:iam::ID:root.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
func accountPrincipal(v string) (string, bool) {
	if arn.IsAccountID(v) {
		return v, true
	}
	if strings.HasPrefix(v, "arn:") && strings.HasSuffix(v, ":root") {
		a, err := arn.Parse(v)
		if err == nil && a.Service == "iam" && a.Region == "" && a.Resource == "root" && arn.IsAccountID(a.Account) {
			return a.Account, true
		}
	}
	return "", false
}
