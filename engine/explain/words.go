package explain

import (
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/engine/trace"
)

// maxValues bounds how many values of one list a sentence shows.
const maxValues = 6

// list renders values for a sentence: "a", "a, b", or the first few and a
// count of the rest.
func list(vals []string) string {
	if len(vals) == 0 {
		return "(none)"
	}
	shown := vals
	more := 0
	if len(shown) > maxValues {
		shown, more = vals[:maxValues], len(vals)-maxValues
	}
	parts := make([]string, len(shown))
	for i, v := range shown {
		parts[i] = value(v)
	}
	s := strings.Join(parts, ", ")
	if more > 0 {
		s += " and " + strconv.Itoa(more) + " more"
	}
	return s
}

// value shows one value; the empty string is shown as "".
func value(v string) string {
	if v == "" {
		return `""`
	}
	return v
}

// operator is a condition operator split into its parts.
type operator struct {
	qualifier string // "ForAllValues", "ForAnyValue" or ""
	base      string // e.g. "StringNotEquals"
	ifExists  bool
}

func parseOperator(op string) operator {
	var o operator
	if q, rest, ok := strings.Cut(op, ":"); ok {
		o.qualifier, op = q, rest
	}
	if b, ok := strings.CutSuffix(op, "IfExists"); ok {
		o.base, o.ifExists = b, true
	} else {
		o.base = op
	}
	return o
}

// inverse is the operator that matches exactly when base does not (for a key
// that is present). Boolean and Null values are flipped instead.
var inverse = map[string]string{
	"StringEquals": "StringNotEquals", "StringNotEquals": "StringEquals",
	"StringEqualsIgnoreCase": "StringNotEqualsIgnoreCase", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
	"StringLike": "StringNotLike", "StringNotLike": "StringLike",
	"NumericEquals": "NumericNotEquals", "NumericNotEquals": "NumericEquals",
	"NumericLessThan": "NumericGreaterThanEquals", "NumericGreaterThanEquals": "NumericLessThan",
	"NumericLessThanEquals": "NumericGreaterThan", "NumericGreaterThan": "NumericLessThanEquals",
	"DateEquals": "DateNotEquals", "DateNotEquals": "DateEquals",
	"DateLessThan": "DateGreaterThanEquals", "DateGreaterThanEquals": "DateLessThan",
	"DateLessThanEquals": "DateGreaterThan", "DateGreaterThan": "DateLessThanEquals",
	"ArnEquals": "ArnNotEquals", "ArnNotEquals": "ArnEquals",
	"ArnLike": "ArnNotLike", "ArnNotLike": "ArnLike",
	"IpAddress": "NotIpAddress", "NotIpAddress": "IpAddress",
}

// requirement says in words what a key must be for base to hold over want:
// "vpce-1a2b", "a value other than 10.0.0.0/8", "absent". ok is false for an
// operator it does not know.
func requirement(base string, want []string) (string, bool) {
	one := len(want) == 1
	pick := func(single, multi string) string {
		if one {
			return single + list(want)
		}
		return multi + list(want)
	}
	switch base {
	case "StringEquals", "ArnEquals", "NumericEquals", "DateEquals", "BinaryEquals", "Bool":
		return pick("", "one of "), true
	case "StringEqualsIgnoreCase":
		return pick("", "one of ") + " (in any case)", true
	case "StringNotEquals", "ArnNotEquals", "NumericNotEquals", "DateNotEquals":
		return pick("a value other than ", "a value other than any of "), true
	case "StringNotEqualsIgnoreCase":
		return pick("a value other than ", "a value other than any of ") + " (in any case)", true
	case "StringLike", "ArnLike":
		return pick("a value matching ", "a value matching one of "), true
	case "StringNotLike", "ArnNotLike":
		return pick("a value not matching ", "a value matching none of "), true
	case "IpAddress":
		return pick("an address in ", "an address in one of "), true
	case "NotIpAddress":
		return pick("an address outside ", "an address outside all of "), true
	case "NumericLessThan":
		return "a number less than " + list(want), true
	case "NumericLessThanEquals":
		return "a number of at most " + list(want), true
	case "NumericGreaterThan":
		return "a number greater than " + list(want), true
	case "NumericGreaterThanEquals":
		return "a number of at least " + list(want), true
	case "DateLessThan":
		return "a time before " + list(want), true
	case "DateLessThanEquals":
		return "a time at or before " + list(want), true
	case "DateGreaterThan":
		return "a time after " + list(want), true
	case "DateGreaterThanEquals":
		return "a time at or after " + list(want), true
	case "Null":
		if one && strings.EqualFold(want[0], "true") {
			return "absent", true
		}
		if one && strings.EqualFold(want[0], "false") {
			return "present", true
		}
	}
	return "", false
}

// invert returns the operator and values that hold exactly when base over
// want does not (for a present key).
func invert(base string, want []string) (string, []string, bool) {
	if inv, ok := inverse[base]; ok {
		return inv, want, true
	}
	if (base == "Bool" || base == "Null") && len(want) == 1 {
		switch strings.ToLower(want[0]) {
		case "true":
			return base, []string{"false"}, true
		case "false":
			return base, []string{"true"}, true
		}
	}
	return "", nil, false
}

// carried says what the request carried for a key.
func carried(c *trace.Condition) string {
	if !c.Present {
		return c.Key + " was absent"
	}
	return c.Key + " was " + list(c.Got)
}

// needs says what a statement needs of the key.
func needs(key, base string, want []string) string {
	req, ok := requirement(base, want)
	if !ok {
		return ""
	}
	if base == "Null" {
		return key + " to be " + req
	}
	return req
}

// conditionText explains one condition test of a statement with the given
// effect: what the request carried and what the statement requires for the
// request to get through ("aws:SourceVpce was absent; the statement requires
// vpce-1a2b").
func conditionText(c *trace.Condition, effect string) string {
	o := parseOperator(c.Operator)
	raw := c.Operator + " " + c.Key + " " + list(c.Want)
	if o.qualifier != "" {
		// Set operators are said as written: their inverse is not a single
		// operator.
		if effect == "Deny" {
			return carried(c) + "; the statement denies when " + raw
		}
		return carried(c) + "; the statement requires " + raw
	}
	if effect == "Deny" {
		// To avoid a Deny the condition must fail: the key present with a
		// value the inverse operator accepts (a Null test flips).
		inv, vals, ok := invert(o.base, c.Want)
		n := ""
		if ok {
			n = needs(c.Key, inv, vals)
		}
		if n == "" {
			return carried(c) + "; the statement denies when " + raw
		}
		if o.ifExists && inv != "Null" {
			n += " (and " + c.Key + " present)"
		}
		return carried(c) + "; the statement requires " + n
	}
	n := needs(c.Key, o.base, c.Want)
	if n == "" {
		return carried(c) + "; the statement requires " + raw
	}
	if o.ifExists && o.base != "Null" {
		n += " (or " + c.Key + " absent)"
	}
	return carried(c) + "; the statement requires " + n
}

// elementName is the element as written.
func elementName(el *trace.Element) string {
	if el.Negated && el.Name != "Condition" {
		return "Not" + el.Name
	}
	return el.Name
}

// missText says why an element of an Allow statement did not match.
func missText(el *trace.Element) []string {
	name := elementName(el)
	got := list(el.Got)
	switch el.Name {
	case "Principal":
		if el.Negated {
			return []string{"its NotPrincipal (" + list(el.Want) + ") lists the caller " + got}
		}
		return []string{"its Principal (" + list(el.Want) + ") does not name the caller " + got}
	case "Action", "Resource":
		what := "action"
		if el.Name == "Resource" {
			what = "resource"
		}
		if el.Negated {
			return []string{"its " + name + " (" + list(el.Want) + ") excludes the " + what + " " + got}
		}
		return []string{"its " + name + " (" + list(el.Want) + ") does not cover the " + what + " " + got}
	case "Condition":
		var out []string
		for i := range el.Conditions {
			if c := &el.Conditions[i]; !c.Matched {
				out = append(out, conditionText(c, "Allow"))
			}
		}
		if len(out) == 0 {
			out = append(out, "its Condition did not hold")
		}
		return out
	}
	return []string{"its " + name + " did not match"}
}

// matchText says why an element of a matched Deny applied.
func matchText(el *trace.Element) string {
	name := elementName(el)
	got := list(el.Got)
	switch el.Name {
	case "Principal":
		if el.Negated {
			return "its NotPrincipal (" + list(el.Want) + ") does not exempt the caller " + got
		}
		return "its Principal (" + list(el.Want) + ") names the caller " + got
	case "Action", "Resource":
		if el.Negated {
			return "its " + name + " (" + list(el.Want) + ") does not exclude " + got
		}
		return "its " + name + " (" + list(el.Want) + ") covers " + got
	}
	return "its " + name + " matched"
}

// statementLabel names a statement: `Sid "X"` or "statement #i".
func statementLabel(sid string, index int) string {
	if sid != "" {
		return "Sid " + strconv.Quote(sid)
	}
	return "statement #" + strconv.Itoa(index)
}
