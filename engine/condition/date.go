package condition

import "time"

// Date operators compare instants. Policy values and request values (such as
// aws:CurrentTime, an ISO 8601 string, and aws:EpochTime, epoch seconds) are
// read the same way:
//
//   - epoch (UNIX) seconds: an optional '-', digits and an optional fraction.
//     A bare year such as "2024" is therefore epoch second 2024, not the year.
//   - the W3C profile of ISO 8601 (https://www.w3.org/TR/NOTE-datetime):
//     YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD, YYYY-MM-DDThh:mm:ssTZD and
//     YYYY-MM-DDThh:mm:ss.sTZD, where TZD is Z, +hh:mm or -hh:mm. Also
//     accepted, leniently: "z" and a lower-case "t", +hhmm offsets, and a
//     missing TZD (read as UTC).
//
// Wildcards and policy variables are not allowed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date

// maxEpochDigits bounds epoch seconds so that they fit in an int64 and in
// time's range.
const maxEpochDigits = 15

// instant is a point in time as seconds and nanoseconds since the epoch
// (0 <= nsec < 1e9).
type instant struct {
	sec  int64
	nsec int32
}

func compareInstant(a, b instant) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// parseDate reads s as epoch seconds or as a W3C date; ok is false
// otherwise. It does not allocate.
func parseDate(s string) (instant, bool) {
	if t, ok := parseEpoch(s); ok {
		return t, true
	}
	return parseW3C(s)
}

func parseEpoch(s string) (instant, bool) {
	i, neg := 0, false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	start := i
	var sec int64
	for i < len(s) && isDigit(s[i]) {
		sec = sec*10 + int64(s[i]-'0')
		i++
		if i-start > maxEpochDigits {
			return instant{}, false
		}
	}
	if i == start {
		return instant{}, false
	}
	var nsec int32
	if i < len(s) && s[i] == '.' {
		i++
		n, ok := fraction(s, &i)
		if !ok {
			return instant{}, false
		}
		nsec = n
	}
	if i != len(s) {
		return instant{}, false
	}
	if neg {
		sec = -sec
		if nsec > 0 {
			sec--
			nsec = 1e9 - nsec
		}
	}
	return instant{sec, nsec}, true
}

// fraction reads at least one digit at s[*i:] as a fraction of a second,
// keeping nanosecond precision and ignoring further digits.
func fraction(s string, i *int) (int32, bool) {
	start := *i
	var n int32
	scale := int32(1e9)
	for *i < len(s) && isDigit(s[*i]) {
		if scale > 1 {
			scale /= 10
			n += int32(s[*i]-'0') * scale
		}
		*i++
	}
	return n, *i > start
}

func parseW3C(s string) (instant, bool) {
	i := 0
	year, ok := fixed(s, &i, 4)
	if !ok || !expect(s, &i, '-') {
		return instant{}, false
	}
	month, ok := fixed(s, &i, 2)
	if !ok || month < 1 || month > 12 {
		return instant{}, false
	}
	day := 1
	if i < len(s) {
		if !expect(s, &i, '-') {
			return instant{}, false
		}
		if day, ok = fixed(s, &i, 2); !ok || day < 1 || day > daysIn(year, month) {
			return instant{}, false
		}
	}
	var hour, minute, sec int
	var nsec int32
	offset := 0
	if i < len(s) {
		if s[i] != 'T' && s[i] != 't' {
			return instant{}, false
		}
		i++
		if hour, ok = fixed(s, &i, 2); !ok || hour > 23 || !expect(s, &i, ':') {
			return instant{}, false
		}
		if minute, ok = fixed(s, &i, 2); !ok || minute > 59 {
			return instant{}, false
		}
		if i < len(s) && s[i] == ':' {
			i++
			if sec, ok = fixed(s, &i, 2); !ok || sec > 59 {
				return instant{}, false
			}
			if i < len(s) && s[i] == '.' {
				i++
				if nsec, ok = fraction(s, &i); !ok {
					return instant{}, false
				}
			}
		}
		if offset, ok = zone(s, &i); !ok {
			return instant{}, false
		}
	}
	if i != len(s) {
		return instant{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	return instant{t.Unix() - int64(offset), nsec}, true
}

// zone reads an optional time zone designator and returns its offset from
// UTC in seconds.
func zone(s string, i *int) (int, bool) {
	if *i == len(s) {
		return 0, true
	}
	switch s[*i] {
	case 'Z', 'z':
		*i++
		return 0, true
	case '+', '-':
	default:
		return 0, false
	}
	sign := 1
	if s[*i] == '-' {
		sign = -1
	}
	*i++
	h, ok := fixed(s, i, 2)
	if !ok || h > 23 {
		return 0, false
	}
	if *i < len(s) && s[*i] == ':' {
		*i++
	}
	m, ok := fixed(s, i, 2)
	if !ok || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// fixed reads exactly n digits.
func fixed(s string, i *int, n int) (int, bool) {
	if len(s)-*i < n {
		return 0, false
	}
	v := 0
	for k := 0; k < n; k++ {
		c := s[*i+k]
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	*i += n
	return v, true
}

func expect(s string, i *int, c byte) bool {
	if *i < len(s) && s[*i] == c {
		*i++
		return true
	}
	return false
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
