package condition

// Null tests whether the key is absent: "true" matches when the request does
// not carry the key, "false" when it does. The values are read
// case-insensitively, like Bool. Null takes neither IfExists nor a set
// qualifier, and no policy variables. A key present with an empty set of
// values counts as absent (see Eval).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null

// matchNull reports whether any policy value of a Null entry accepts the
// key's presence.
func matchNull(vals []value, present bool) bool {
	for i := range vals {
		if vals[i].b != present {
			return true
		}
	}
	return false
}
