package condition

import (
	"strings"

	"github.com/verdict-project/verdict/engine/wildcard"
)

// String operators: StringEquals and StringNotEquals compare exactly and
// case-sensitively, the IgnoreCase forms with Unicode simple case folding,
// StringLike and StringNotLike case-sensitively with '*' and '?' anywhere.
// Policy variables are allowed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String

// matchString compares request value req with policy value v.
func matchString(c comparison, v *value, req string, ctx Context) bool {
	if v.pieces != nil {
		var buf [stackPieces]piece
		p, ok := resolve(v.pieces, ctx, buf[:0])
		if !ok {
			return false
		}
		return matchPieces(p, req, c == cmpEqualFold)
	}
	switch c {
	case cmpEqual:
		return req == v.text
	case cmpEqualFold:
		return strings.EqualFold(req, v.text)
	}
	return wildcard.Match(v.text, req)
}
