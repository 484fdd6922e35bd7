// Package condition compiles and evaluates the Condition element of AWS policies:
// every operator family, the ...IfExists suffix, the ForAllValues / ForAnyValue set
// qualifiers, the missing-key rules and policy variables.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
//
// Compile checks a statement's entries once and pre-parses every policy value
// (numbers, dates, CIDR ranges, base64, booleans, variable references), so that
// Eval does no parsing of the policy and, for the common operators, no
// allocation. Trace gives the same answer as Eval with the detail of every entry,
// for explanations.
//
// Files: one per operator family (string.go, numeric.go, date.go, bool.go,
// binary.go, ip.go, arn.go, null.go); operator.go parses operator names;
// eval.go holds the evaluation rules and the choices made where AWS documents
// nothing; pattern.go and variables.go implement policy variables.
package condition

// Entry is one operator/key pair of a Condition element as written in a policy,
// before compilation. Values holds the JSON values as text: strings as written,
// numbers and booleans as their literal (AWS accepts `true` and `"true"` alike).
type Entry struct {
	Operator string
	Key      string
	Values   []string
	// Pos is the byte offset of the key in the policy document.
	Pos int
}

// Context supplies the request context keys. Keys are looked up in lower case
// (AWS condition key names are case-insensitive); implementations must store
// them lower-cased. ok is false when the key is absent from the request.
type Context interface {
	Value(key string) (values []string, ok bool)
}

// Map is a Context backed by a map whose keys are lower-case.
type Map map[string][]string

// Value implements Context.
func (m Map) Value(key string) ([]string, bool) {
	v, ok := m[key]
	return v, ok
}
