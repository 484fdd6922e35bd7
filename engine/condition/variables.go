package condition

import (
	"strings"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/wildcard"
)

// Policy variables (policy language version 2012-10-17 only):
//
//   - ${key} is replaced by the value of the request context key; key names are
//     case-insensitive.
//   - ${key, 'default'} uses default when the key has no value.
//   - ${*}, ${?} and ${$} stand for a literal '*', '?' and '$'.
//   - A key that is absent, or that has several values (multivalued keys cannot
//     be variables), leaves the variable unresolved. In a condition, a policy
//     value with an unresolved variable matches no request value: positive
//     operators do not match on it, negated operators count it as "not equal".
//     In Resource, an element with an unresolved variable matches nothing.
//   - An unterminated "${" is literal text.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

// stackPieces is the size of the on-stack buffers used while matching, enough
// for every realistic pattern; longer ones spill to the heap.
const stackPieces = 16

// Expand replaces policy variables in s from ctx. ok is false when a variable
// has no value and no default. Special variables become their character, so
// Expand("${*}") is "*"; a caller that goes on to match the result as a glob
// loses the difference between a literal and a wildcard '*' — MatchResource
// keeps it. Expand allocates only when s contains a variable.
func Expand(s string, ctx Context) (string, bool) {
	if !hasVariable(s) {
		return s, true
	}
	if ctx == nil {
		ctx = Map(nil)
	}
	var tb, rb [stackPieces]piece
	p, ok := resolve(tokenize(s, false, tb[:0]), ctx, rb[:0])
	if !ok {
		return "", false
	}
	return render(p), true
}

// MatchResource matches resource against a Resource or NotResource pattern
// that may contain policy variables, as AWS matches Resource elements:
// ARN-shaped patterns (starting "arn:") part by part with arn.Like semantics,
// anything else as a glob. Text substituted for a variable, a default and the
// special variables ${*} ${?} ${$} match literally, never as wildcards. ok is
// false when a variable cannot be resolved; the element then matches
// nothing. Call it only for policies whose Version interprets variables.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-resourceelement
func MatchResource(pattern, resource string, ctx Context) (matched, ok bool) {
	isARN := strings.HasPrefix(pattern, "arn:")
	if !hasVariable(pattern) {
		if isARN {
			return arn.Like(pattern, resource), true
		}
		return wildcard.Match(pattern, resource), true
	}
	if ctx == nil {
		ctx = Map(nil)
	}
	var tb, rb [stackPieces]piece
	p, ok := resolve(tokenize(pattern, true, tb[:0]), ctx, rb[:0])
	if !ok {
		return false, false
	}
	if isARN {
		return matchARNPieces(p, resource), true
	}
	return matchPieces(p, resource, false), true
}
