package condition

// Numeric operators compare integers and decimals.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
//
// Numbers are compared exactly, as decimals, never through float64: a
// policy value 9007199254740993 is not equal to 9007199254740992. Accepted
// syntax: an optional sign, digits with an optional fraction (".5" and "5."
// are accepted) and an optional exponent ("1e3", which is how a JSON number
// may be written). Anything else — spaces, hex, "Infinity", "NaN" — is not a
// number.

// maxExponentDigits bounds the exponent so that arithmetic on it cannot
// overflow.
const maxExponentDigits = 9

// decimal is a parsed number, normalised as ±0.D1D2D3… × 10^exp where the
// digit string is hi followed by lo (both substrings of the input, so parsing
// does not allocate), without leading or trailing zeros. Zero has no digits.
type decimal struct {
	neg    bool
	hi, lo string
	exp    int64
}

func (d decimal) zero() bool { return d.hi == "" && d.lo == "" }

func (d decimal) digit(k int) byte {
	if k < len(d.hi) {
		return d.hi[k]
	}
	return d.lo[k-len(d.hi)]
}

func (d decimal) ndigits() int { return len(d.hi) + len(d.lo) }

// parseDecimal reads s; ok is false when s is not a number.
func parseDecimal(s string) (d decimal, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	ip := s[start:i]
	var fp string
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fp = s[start:i]
	}
	if ip == "" && fp == "" {
		return decimal{}, false
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		start = i
		for i < len(s) && isDigit(s[i]) {
			exp = exp*10 + int64(s[i]-'0')
			i++
			if i-start > maxExponentDigits {
				return decimal{}, false
			}
		}
		if i == start {
			return decimal{}, false
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(s) {
		return decimal{}, false
	}
	ip = trimLeft(ip, '0')
	fp = trimRight(fp, '0')
	if ip == "" {
		z := len(fp)
		fp = trimLeft(fp, '0')
		d.exp = exp - int64(z-len(fp))
		d.lo = fp
	} else {
		d.exp = exp + int64(len(ip))
		if fp == "" {
			ip = trimRight(ip, '0')
		}
		d.hi, d.lo = ip, fp
	}
	if d.zero() {
		d.neg, d.exp = false, 0
	}
	return d, true
}

// compareDecimal returns -1, 0 or +1 as a is less than, equal to or greater
// than b.
func compareDecimal(a, b decimal) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	m := compareMagnitude(a, b)
	if a.neg {
		return -m
	}
	return m
}

func (d decimal) sign() int {
	switch {
	case d.zero():
		return 0
	case d.neg:
		return -1
	}
	return 1
}

func compareMagnitude(a, b decimal) int {
	if a.exp != b.exp {
		if a.exp < b.exp {
			return -1
		}
		return 1
	}
	na, nb := a.ndigits(), b.ndigits()
	for k := 0; k < na && k < nb; k++ {
		if x, y := a.digit(k), b.digit(k); x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case na < nb:
		return -1
	case na > nb:
		return 1
	}
	return 0
}

// ordered applies comparison c to the result of a three-way comparison of
// the request value with the policy value.
func ordered(c comparison, r int) bool {
	switch c {
	case cmpLess:
		return r < 0
	case cmpLessEqual:
		return r <= 0
	case cmpGreater:
		return r > 0
	case cmpGreaterEqual:
		return r >= 0
	}
	return r == 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func trimLeft(s string, c byte) string {
	for len(s) > 0 && s[0] == c {
		s = s[1:]
	}
	return s
}

func trimRight(s string, c byte) string {
	for len(s) > 0 && s[len(s)-1] == c {
		s = s[:len(s)-1]
	}
	return s
}
