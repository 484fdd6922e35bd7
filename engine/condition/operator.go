package condition

import (
	"strconv"
	"strings"
)

// family is an operator family: it decides how policy and request values are
// read and compared.
type family uint8

const (
	famString family = iota + 1
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famARN
	famNull
)

// String names the family as the AWS documentation does.
func (f family) String() string {
	switch f {
	case famString:
		return "String"
	case famNumeric:
		return "Numeric"
	case famDate:
		return "Date"
	case famBool:
		return "Bool"
	case famBinary:
		return "Binary"
	case famIP:
		return "IP address"
	case famARN:
		return "ARN"
	}
	return "Null"
}

// comparison is how one request value is compared with one policy value.
type comparison uint8

const (
	cmpEqual comparison = iota + 1
	cmpEqualFold
	cmpLike
	cmpLess
	cmpLessEqual
	cmpGreater
	cmpGreaterEqual
)

// opInfo describes a base operator (no qualifier, no IfExists suffix).
type opInfo struct {
	name string
	fam  family
	cmp  comparison
	// neg marks the negated operators: with several policy values they
	// match when the request value matches none of them, and they match when
	// the key is absent.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
	neg bool
}

// operators lists every base operator on the condition-operators page.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
var operators = func() map[string]opInfo {
	list := []opInfo{
		{"StringEquals", famString, cmpEqual, false},
		{"StringNotEquals", famString, cmpEqual, true},
		{"StringEqualsIgnoreCase", famString, cmpEqualFold, false},
		{"StringNotEqualsIgnoreCase", famString, cmpEqualFold, true},
		{"StringLike", famString, cmpLike, false},
		{"StringNotLike", famString, cmpLike, true},

		{"NumericEquals", famNumeric, cmpEqual, false},
		{"NumericNotEquals", famNumeric, cmpEqual, true},
		{"NumericLessThan", famNumeric, cmpLess, false},
		{"NumericLessThanEquals", famNumeric, cmpLessEqual, false},
		{"NumericGreaterThan", famNumeric, cmpGreater, false},
		{"NumericGreaterThanEquals", famNumeric, cmpGreaterEqual, false},

		{"DateEquals", famDate, cmpEqual, false},
		{"DateNotEquals", famDate, cmpEqual, true},
		{"DateLessThan", famDate, cmpLess, false},
		{"DateLessThanEquals", famDate, cmpLessEqual, false},
		{"DateGreaterThan", famDate, cmpGreater, false},
		{"DateGreaterThanEquals", famDate, cmpGreaterEqual, false},

		{"Bool", famBool, cmpEqual, false},

		{"BinaryEquals", famBinary, cmpEqual, false},

		{"IpAddress", famIP, cmpEqual, false},
		{"NotIpAddress", famIP, cmpEqual, true},

		// ArnEquals and ArnLike behave identically, as do their negations.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
		{"ArnEquals", famARN, cmpLike, false},
		{"ArnLike", famARN, cmpLike, false},
		{"ArnNotEquals", famARN, cmpLike, true},
		{"ArnNotLike", famARN, cmpLike, true},

		{"Null", famNull, cmpEqual, false},
	}
	m := make(map[string]opInfo, len(list))
	for _, o := range list {
		m[o.name] = o
	}
	return m
}()

// qualifier is a set qualifier (set operator) prefix.
type qualifier uint8

const (
	qualNone qualifier = iota
	qualForAllValues
	qualForAnyValue
)

// String returns the qualifier as written in policies ("" for none).
func (q qualifier) String() string {
	switch q {
	case qualForAllValues:
		return "ForAllValues"
	case qualForAnyValue:
		return "ForAnyValue"
	}
	return ""
}

const ifExistsSuffix = "IfExists"

// parseOperator splits an operator name into qualifier, base operator and
// IfExists suffix.
//
// Operator names are case-sensitive: IAM refuses "stringEquals" with
// "Invalid Condition type : stringEquals" (observed,
// https://github.com/ministryofjustice/modernisation-platform-environments/pull/8893),
// and every AWS page spells them in one exact case.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
func parseOperator(src Entry) (opInfo, qualifier, bool, *Error) {
	name := src.Operator
	q := qualNone
	if i := strings.IndexByte(name, ':'); i >= 0 {
		switch prefix := name[:i]; prefix {
		case "ForAllValues":
			q = qualForAllValues
		case "ForAnyValue":
			q = qualForAnyValue
		default:
			msg := "unknown set qualifier " + strconv.Quote(prefix) + ": use ForAllValues or ForAnyValue"
			if s := suggestQualifier(prefix); s != "" {
				msg += " (did you mean " + strconv.Quote(s) + "?)"
			}
			return opInfo{}, 0, false, newError(ErrUnknownQualifier, src, "", msg)
		}
		name = name[i+1:]
	}
	op, ok := operators[name]
	ifExists := false
	if !ok && strings.HasSuffix(name, ifExistsSuffix) {
		op, ok = operators[strings.TrimSuffix(name, ifExistsSuffix)]
		ifExists = ok
	}
	if !ok {
		msg := "unknown condition operator " + strconv.Quote(name)
		if s := suggestOperator(name); s != "" {
			msg += " (operator names are case-sensitive; did you mean " + strconv.Quote(s) + "?)"
		}
		return opInfo{}, 0, false, newError(ErrUnknownOperator, src, "", msg)
	}
	if op.fam == famNull {
		// IfExists may be added to any operator except Null.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
		if ifExists {
			return opInfo{}, 0, false, newError(ErrNullModifier, src, "", "the Null operator cannot take the IfExists suffix: Null itself tests whether the key is present")
		}
		// A set qualifier compares request values one by one; Null compares
		// none, so the combination has no documented meaning. Refused
		// (UNCONFIRMED whether IAM accepts it).
		if q != qualNone {
			return opInfo{}, 0, false, newError(ErrNullModifier, src, "", "the Null operator cannot take the "+q.String()+" qualifier: Null tests whether the key is present, not its values")
		}
	}
	return op, q, ifExists, nil
}

// suggestOperator finds the operator name that differs from name only in
// case, for the error message.
func suggestOperator(name string) string {
	for known := range operators {
		if strings.EqualFold(known, name) {
			return known
		}
	}
	n := len(name) - len(ifExistsSuffix)
	if n > 0 && strings.EqualFold(name[n:], ifExistsSuffix) {
		for known, op := range operators {
			if op.fam != famNull && strings.EqualFold(known, name[:n]) {
				return known + ifExistsSuffix
			}
		}
	}
	return ""
}

func suggestQualifier(prefix string) string {
	for _, q := range []string{"ForAllValues", "ForAnyValue"} {
		if strings.EqualFold(prefix, q) || strings.EqualFold(prefix, q+"s") {
			return q
		}
	}
	return ""
}
