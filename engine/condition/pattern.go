package condition

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A pattern is a policy value that contains policy variables, cut into
// pieces: literal text, the '*' and '?' wildcards (for the Like operators) and
// variable references. Text that comes from a variable, a default value or
// the special variables ${*}, ${?} and ${$} is always literal: the special
// variables exist precisely so that a policy can name a literal '*', '?' or
// '$'.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars

type pieceKind uint8

const (
	pieceLit pieceKind = iota
	pieceStar
	pieceOne
	pieceVar
)

type piece struct {
	kind pieceKind
	// text is the literal text, or the variable's context key for pieceVar.
	text string
	// def is the variable's default value when hasDef is set.
	def    string
	hasDef bool
}

// hasVariable reports whether s contains a "${...}" sequence.
func hasVariable(s string) bool {
	i := strings.Index(s, "${")
	return i >= 0 && strings.IndexByte(s[i+2:], '}') >= 0
}

// tokenize cuts s into pieces, appending to buf. With glob set, '*' and '?'
// outside variables are wildcards. An unterminated "${" is literal text.
// Variable key names are returned as written; resolve lower-cases them.
func tokenize(s string, glob bool, buf []piece) []piece {
	out := buf
	lit := 0
	for i := 0; i+1 < len(s); {
		if s[i] != '$' || s[i+1] != '{' {
			i++
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			break
		}
		out = appendLiteral(out, s[lit:i], glob)
		out = append(out, variable(s[i+2:i+2+end]))
		i += 2 + end + 1
		lit = i
	}
	return appendLiteral(out, s[lit:], glob)
}

// appendLiteral appends policy text, splitting out wildcards when glob is set.
func appendLiteral(out []piece, s string, glob bool) []piece {
	if !glob {
		if s != "" {
			out = append(out, piece{kind: pieceLit, text: s})
		}
		return out
	}
	for s != "" {
		i := strings.IndexAny(s, "*?")
		if i < 0 {
			return append(out, piece{kind: pieceLit, text: s})
		}
		if i > 0 {
			out = append(out, piece{kind: pieceLit, text: s[:i]})
		}
		if s[i] == '*' {
			out = append(out, piece{kind: pieceStar})
		} else {
			out = append(out, piece{kind: pieceOne})
		}
		s = s[i+1:]
	}
	return out
}

// variable reads the inside of "${...}": a key, optionally followed by a
// comma and a single-quoted default value, or one of the special characters.
// Spaces around the key and the default are ignored.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-default-values
func variable(inner string) piece {
	t := strings.TrimSpace(inner)
	switch t {
	case "*", "?", "$":
		return piece{kind: pieceLit, text: t}
	}
	if i := strings.IndexByte(t, ','); i >= 0 {
		d := strings.TrimSpace(t[i+1:])
		if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
			return piece{kind: pieceVar, text: strings.TrimSpace(t[:i]), def: d[1 : len(d)-1], hasDef: true}
		}
		// A malformed default leaves the whole text as the key name, which
		// no request carries: the variable never resolves.
	}
	return piece{kind: pieceVar, text: t}
}

// lowerKeys lower-cases the variable keys of a compiled pattern, so that
// resolve does not allocate.
func lowerKeys(p []piece) {
	for i := range p {
		if p[i].kind == pieceVar {
			p[i].text = strings.ToLower(p[i].text)
		}
	}
}

// resolve replaces variables by their values from ctx, appending to buf. ok
// is false when a variable has no single value and no default. Multivalued
// keys cannot be used as variables, so a key with several values counts as
// having none.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func resolve(p []piece, ctx Context, buf []piece) ([]piece, bool) {
	out := buf
	for _, pc := range p {
		if pc.kind != pieceVar {
			out = append(out, pc)
			continue
		}
		// strings.ToLower returns its argument unchanged, without
		// allocating, when it is already lower case (keys compiled by
		// Compile are).
		if vals, ok := ctx.Value(strings.ToLower(pc.text)); ok && len(vals) == 1 {
			out = append(out, piece{kind: pieceLit, text: vals[0]})
			continue
		}
		if !pc.hasDef {
			return nil, false
		}
		out = append(out, piece{kind: pieceLit, text: pc.def})
	}
	return out, true
}

// render concatenates resolved pieces back into text (wildcards as '*' and
// '?'), for Expand and for explanations.
func render(p []piece) string {
	var b strings.Builder
	for _, pc := range p {
		switch pc.kind {
		case pieceStar:
			b.WriteByte('*')
		case pieceOne:
			b.WriteByte('?')
		default:
			b.WriteString(pc.text)
		}
	}
	return b.String()
}

// matchPieces matches s against resolved pieces: literal pieces match
// themselves (with simple case folding when fold is set), '*' any run of
// characters, '?' exactly one. Like the wildcard package it backtracks only
// to the last '*', so it runs in O(len(pattern)*len(s)) and never recurses.
func matchPieces(p []piece, s string, fold bool) bool {
	ti, off, si := 0, 0, 0
	starT, starS := -1, 0
	for {
		// Step over exhausted literal pieces.
		for ti < len(p) && p[ti].kind == pieceLit && off >= len(p[ti].text) {
			ti, off = ti+1, 0
		}
		if si >= len(s) {
			break
		}
		if ti < len(p) {
			switch pc := &p[ti]; pc.kind {
			case pieceStar:
				starT, starS = ti, si
				ti, off = ti+1, 0
				continue
			case pieceOne:
				_, n := utf8.DecodeRuneInString(s[si:])
				si += n
				ti, off = ti+1, 0
				continue
			default:
				pr, pn := utf8.DecodeRuneInString(pc.text[off:])
				sr, sn := utf8.DecodeRuneInString(s[si:])
				if pr == sr || (fold && equalFoldRune(pr, sr)) {
					off += pn
					si += sn
					continue
				}
			}
		}
		if starT < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		ti, off, si = starT+1, 0, starS
	}
	for ; ti < len(p); ti, off = ti+1, 0 {
		if p[ti].kind == pieceStar || (p[ti].kind == pieceLit && off >= len(p[ti].text)) {
			continue
		}
		return false
	}
	return true
}

// equalFoldRune reports whether a and b are equal under Unicode simple case
// folding, as strings.EqualFold compares runes.
func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// arnParts splits an ARN into its six colon-separated parts; the last keeps
// any further colons. ok is false unless s has five colons and starts with
// "arn:".
func arnParts(s string) (parts [6]string, ok bool) {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i], s = s[:j], s[j+1:]
	}
	parts[5] = s
	return parts, parts[0] == "arn"
}

// matchARNPieces is arn.Like for a resolved pattern: each of the six parts is
// matched separately, so a wildcard cannot swallow a ':' that separates the
// first five parts. Literal colons, including colons inside substituted
// values, separate parts, exactly as if the value had been written in place.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
func matchARNPieces(p []piece, value string) bool {
	var buf [24]piece
	segs := buf[:0]
	var bounds [7]int
	n := 0
	for _, pc := range p {
		if pc.kind != pieceLit || n == 5 {
			segs = append(segs, pc)
			continue
		}
		text := pc.text
		for n < 5 {
			j := strings.IndexByte(text, ':')
			if j < 0 {
				break
			}
			if j > 0 {
				segs = append(segs, piece{kind: pieceLit, text: text[:j]})
			}
			n++
			bounds[n] = len(segs)
			text = text[j+1:]
		}
		if text != "" {
			segs = append(segs, piece{kind: pieceLit, text: text})
		}
	}
	if n < 5 {
		// Not ARN-shaped: like arn.Like, only a lone '*' matches.
		return len(p) == 1 && p[0].kind == pieceStar
	}
	bounds[6] = len(segs)
	if !piecesEqual(segs[:bounds[1]], "arn") {
		return false
	}
	vp, ok := arnParts(value)
	if !ok {
		return false
	}
	for i := 1; i < 6; i++ {
		if !matchPieces(segs[bounds[i]:bounds[i+1]], vp[i], false) {
			return false
		}
	}
	return true
}

// piecesEqual reports whether p is literal text equal to s.
func piecesEqual(p []piece, s string) bool {
	for _, pc := range p {
		if pc.kind != pieceLit || !strings.HasPrefix(s, pc.text) {
			return false
		}
		s = s[len(pc.text):]
	}
	return s == ""
}
