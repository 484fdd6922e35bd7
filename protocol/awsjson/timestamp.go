package awsjson

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Timestamp is a time carried as epoch seconds, the JSON protocol's default
// timestamp format. Use *Timestamp for optional members: omitempty does not
// apply to structs.
// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#shape-serialization
type Timestamp struct{ time.Time }

// MarshalJSON writes the time as seconds with millisecond precision, spelled
// the way AWS's services spell doubles (Java's Double.toString), for example
// 1.558042829767E9 for 2019-05-16T21:40:29.767Z.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(javaDouble(float64(t.UnixMilli()) / 1000)), nil
}

// UnmarshalJSON reads epoch seconds, with or without a fraction; the time is
// kept to the millisecond. null leaves t unchanged.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e14 {
		return errors.New("awsjson: timestamp is not epoch seconds")
	}
	t.Time = time.UnixMilli(int64(math.Round(f * 1000))).UTC()
	return nil
}

// javaDouble formats f as Java's Double.toString does: plain notation with at
// least one fractional digit for 1e-3 <= |f| < 1e7, otherwise scientific
// notation with an unsigned exponent ("1.0E9", "1.558042829767E9").
func javaDouble(f float64) string {
	if f == 0 {
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // 1.558042829767E+09
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	exp = strings.TrimLeft(exp[1:], "0")
	if exp == "" {
		exp = "0"
	}
	return mant + "E" + sign + exp
}
