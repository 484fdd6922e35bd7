package condition

import "strings"

// Bool compares "true" and "false". Both policy and request values are read
// case-insensitively (a JSON true arrives as the text "true"; whether AWS
// also accepts "True" is UNCONFIRMED). A request value that is neither never
// matches.
//
// The condition-operators page says policy variables can be used with Bool,
// the policy-variables page says they cannot; variables are accepted here
// and the resolved text must then read as a boolean.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-conditionelement

func parseBool(s string) (value, ok bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// matchBool compares the parsed request value with policy value v.
func matchBool(v *value, req bool, ctx Context) bool {
	if v.pieces == nil {
		return v.b == req
	}
	var buf [stackPieces]piece
	p, ok := resolve(v.pieces, ctx, buf[:0])
	if !ok {
		return false
	}
	return boolPieces(p, req)
}

// boolPieces tests resolved literal pieces against "true" or "false"
// without building the string.
func boolPieces(p []piece, req bool) bool {
	want := "false"
	if req {
		want = "true"
	}
	for _, pc := range p {
		if len(pc.text) > len(want) || !strings.EqualFold(pc.text, want[:len(pc.text)]) {
			return false
		}
		want = want[len(pc.text):]
	}
	return want == ""
}
