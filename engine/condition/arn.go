package condition

import "github.com/verdict-project/verdict/engine/arn"

// ARN operators: ArnEquals and ArnLike behave identically (as do ArnNotEquals
// and ArnNotLike): each of the six colon-delimited parts is matched
// separately and case-sensitively, with '*' and '?' allowed in every part.
// Policy variables are allowed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN

// matchARN compares request value req with policy value v.
func matchARN(v *value, req string, ctx Context) bool {
	if v.pieces != nil {
		var buf [stackPieces]piece
		p, ok := resolve(v.pieces, ctx, buf[:0])
		if !ok {
			return false
		}
		return matchARNPieces(p, req)
	}
	return arn.Like(v.text, req)
}
