// Package wildcard implements AWS's two-character glob: '*' matches any run of
// characters (including none, and including '/' and ':'), '?' matches exactly
// one character. No other character is special and there is no escape.
//
// Case rules differ by element, so the caller picks the matcher:
//   - Action names are case-insensitive (MatchFold).
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
//   - Resources, StringLike values and ArnLike segments are case-sensitive (Match).
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
//
// Matching is iterative with single-star backtracking, so it runs in
// O(len(pattern) * len(s)) in the worst case and never recurses.
package wildcard

import (
	"strings"
	"unicode/utf8"
)

// Match reports whether s matches pattern, case-sensitively.
func Match(pattern, s string) bool { return match(pattern, s, false) }

// MatchFold reports whether s matches pattern with Unicode simple case folding.
func MatchFold(pattern, s string) bool { return match(pattern, s, true) }

// HasWildcard reports whether pattern contains '*' or '?'.
func HasWildcard(pattern string) bool { return strings.ContainsAny(pattern, "*?") }

func match(p, s string, fold bool) bool {
	// Fast paths: no wildcard at all, or a lone "*".
	if !HasWildcard(p) {
		if fold {
			return strings.EqualFold(p, s)
		}
		return p == s
	}
	if p == "*" {
		return true
	}
	var pi, si int
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch pc := p[pi]; pc {
			case '*':
				starP, starS = pi, si
				pi++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[si:])
				pi++
				si += n
				continue
			default:
				pr, pn := utf8.DecodeRuneInString(p[pi:])
				sr, sn := utf8.DecodeRuneInString(s[si:])
				if pr == sr || (fold && equalFoldRune(pr, sr)) {
					pi += pn
					si += sn
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Backtrack: let the last '*' swallow one more character.
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		pi, si = starP+1, starS
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func equalFoldRune(a, b rune) bool {
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	return strings.EqualFold(string(a), string(b))
}
