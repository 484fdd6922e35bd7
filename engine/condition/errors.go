package condition

import (
	"strconv"
	"strings"
)

// Code classifies a compile error so that each service can map it to its own
// error code and wording (IAM answers MalformedPolicyDocument, S3 answers
// MalformedPolicy).
type Code string

// The compile error codes.
const (
	// ErrUnknownOperator: the operator name is not one AWS defines. Names are
	// case-sensitive; IAM answers "Invalid Condition type : stringEquals" for a
	// lower-case name (observed in
	// https://github.com/ministryofjustice/modernisation-platform-environments/pull/8893).
	ErrUnknownOperator Code = "UnknownOperator"
	// ErrUnknownQualifier: the part before ':' is neither ForAllValues nor
	// ForAnyValue.
	ErrUnknownQualifier Code = "UnknownQualifier"
	// ErrNullModifier: Null combined with IfExists or a set qualifier.
	ErrNullModifier Code = "NullModifier"
	// ErrEmptyKey: the condition key is the empty string.
	ErrEmptyKey Code = "EmptyKey"
	// ErrInvalidValue: a policy value the operator cannot read (a number,
	// date, IP range, base64 string or boolean that does not parse).
	ErrInvalidValue Code = "InvalidValue"
)

// Error is the error Compile returns. Operator, Key and Value are the text of
// the offending entry as written in the policy (Value is empty when the
// problem is not a value); Message says precisely what is wrong.
type Error struct {
	Code     Code
	Operator string
	Key      string
	Value    string
	// Pos is the Entry's Pos: the byte offset of the key in the document.
	Pos     int
	Message string
}

// Error formats the error as `condition Operator "Key": Message`.
func (e *Error) Error() string {
	op := e.Operator
	if op == "" || strings.ContainsAny(op, " \t\n\"") {
		op = strconv.Quote(op)
	}
	s := "condition " + op
	if e.Key != "" {
		s += " " + strconv.Quote(e.Key)
	}
	return s + ": " + e.Message
}

func newError(code Code, src Entry, value, msg string) *Error {
	return &Error{Code: code, Operator: src.Operator, Key: src.Key, Value: value, Pos: src.Pos, Message: msg}
}
