package query

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Errors of the Query protocol. Unless noted, codes, statuses and messages
// are the common errors of
// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
// (STS and EC2 list the same ones).

// MalformedQueryString is returned for a query string or form with a syntax
// error. AWS documents status 404 for it.
func MalformedQueryString() *awserr.Error {
	return awserr.New("MalformedQueryString", http.StatusNotFound, "The query string contains a syntax error.")
}

// InvalidQueryParameter is returned for a query that does not follow AWS
// conventions; verdict also uses it for a form over the size limit, for which
// AWS documents no code.
func InvalidQueryParameter() *awserr.Error {
	return awserr.New("InvalidQueryParameter", http.StatusBadRequest,
		"The AWS query string is malformed or does not adhere to AWS standards.")
}

// MissingAction is returned when the Action parameter is absent.
func MissingAction() *awserr.Error {
	return awserr.New("MissingAction", http.StatusBadRequest, "The request is missing an action or a required parameter.")
}

// InvalidAction is returned by IAM and STS for an Action they do not have,
// worded as those services word it.
func InvalidAction(action, version string) *awserr.Error {
	return awserr.New("InvalidAction", http.StatusBadRequest,
		"Could not find operation "+action+" for version "+version)
}

// EC2InvalidAction is EC2's answer to an unknown Action.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
func EC2InvalidAction(action string) *awserr.Error {
	return awserr.New("InvalidAction", http.StatusBadRequest, "The action "+action+" is not valid for this web service.")
}

// MissingParameter is EC2's error for an absent required parameter.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
func MissingParameter(name string) *awserr.Error {
	return awserr.New("MissingParameter", http.StatusBadRequest, "The request must contain the parameter "+name)
}

// InvalidParameterValue is returned for a parameter whose value is out of
// range or of the wrong form; msg is the service's explanation.
func InvalidParameterValue(msg string) *awserr.Error {
	return awserr.New("InvalidParameterValue", http.StatusBadRequest, msg)
}

// Violation is one failed constraint in a ValidationError.
type Violation struct {
	// Member is the parameter's name as the service's model spells it, in
	// lower camel case ("userName", "roleArn").
	Member string
	// Value is the rejected value; ignored when Null or Sensitive is set.
	Value string
	// Null marks a required member that was not given.
	Null bool
	// Sensitive hides the value, as AWS does for secrets and policy text.
	Sensitive bool
	// Constraint is the rule, for example "Member must have length less than
	// or equal to 64".
	Constraint string
}

// NotNull is the violation of a required member that is absent.
func NotNull(member string) Violation {
	return Violation{Member: member, Null: true, Constraint: "Member must not be null"}
}

// ValidationError is IAM's and STS's error for parameters that break the
// service model's constraints, in AWS's wording: "1 validation error detected:
// Value 'x' at 'userName' failed to satisfy constraint: Member must …", with
// several violations joined by "; ".
func ValidationError(vs ...Violation) *awserr.Error {
	return awserr.New("ValidationError", http.StatusBadRequest, ValidationMessage(vs))
}

// ValidationMessage formats violations the way AWS services built on the
// same framework do (IAM, STS, KMS, Organizations).
func ValidationMessage(vs []Violation) string {
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
	return b.String()
}
