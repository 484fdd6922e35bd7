// Package condition compiles and evaluates the Condition element of AWS policies:
// every operator family, the ...IfExists suffix, the ForAllValues / ForAnyValue set
// qualifiers, the missing-key rules and policy variables.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
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
