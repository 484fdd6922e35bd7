package awsjson

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Errors of the JSON protocol, shared by KMS and Organizations.
// https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html

// SerializationException is returned for a body that is not a JSON object or
// whose members do not have the model's types. AWS often sends it without a
// message; msg may be "".
func SerializationException(msg string) *awserr.Error {
	return awserr.New("SerializationException", http.StatusBadRequest, msg)
}

// UnknownOperation is returned for a missing or unknown X-Amz-Target.
func UnknownOperation() *awserr.Error {
	return awserr.New("UnknownOperationException", http.StatusBadRequest, "")
}

// Violation is one failed constraint in a ValidationException.
type Violation struct {
	// Member is the member's name in lower camel case ("keyId").
	Member string
	// Value is the rejected value; ignored when Null or Sensitive is set.
	Value string
	// Null marks a required member that was not given.
	Null bool
	// Sensitive hides the value, as KMS does for Plaintext.
	Sensitive bool
	// Constraint is the rule, for example "Member must have length less than
	// or equal to 2048".
	Constraint string
}

// NotNull is the violation of a required member that is absent.
func NotNull(member string) Violation {
	return Violation{Member: member, Null: true, Constraint: "Member must not be null"}
}

// ValidationException reports members that break the model's constraints, in
// AWS's wording: "1 validation error detected: Value null at 'keyId' failed
// to satisfy constraint: Member must not be null", several joined by "; ".
// https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html
func ValidationException(vs ...Violation) *awserr.Error {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(vs)))
	if len(vs) == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	for i, v := range vs {
		if i > 0 {
			b.WriteString("; ")
		}
		switch {
		case v.Null:
			b.WriteString("Value null at '")
		case v.Sensitive:
			b.WriteString("Value at '")
		default:
			b.WriteString("Value '" + v.Value + "' at '")
		}
		b.WriteString(v.Member + "' failed to satisfy constraint: " + v.Constraint)
	}
	return awserr.New("ValidationException", http.StatusBadRequest, b.String())
}
