package condition

import (
	"math/big"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"integer", "10", true},
		{"negative", "-3", true},
		{"plus", "+3", true},
		{"decimal", "1.25", true},
		{"leading dot", ".5", true},
		{"trailing dot", "5.", true},
		{"exponent", "1e3", true},
		{"negative exponent", "2.5E-2", true},
		{"exponent plus", "1e+2", true},
		{"zeros", "000.000", true},
		{"empty", "", false},
		{"sign only", "-", false},
		{"dot only", ".", false},
		{"space", " 1", false},
		{"trailing junk", "1x", false},
		{"hex", "0x10", false},
		{"infinity", "Infinity", false},
		{"nan", "NaN", false},
		{"bare exponent", "1e", false},
		{"huge exponent", "1e1234567890", false},
		{"two dots", "1.2.3", false},
		{"variable", "${aws:x}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := parseDecimal(tt.in); ok != tt.ok {
				t.Fatalf("parseDecimal(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
		})
	}
}

func TestCompareDecimal(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"10", "10", 0},
		{"10", "10.0", 0},
		{"1e1", "10", 0},
		{"0", "-0", 0},
		{"0.0", "0e5", 0},
		{"9", "10", -1},
		{"10", "9", 1},
		{"1.5", "1.25", 1},
		{"0.05", "0.5", -1},
		{"-1", "1", -1},
		{"-2", "-1", -1},
		{"-1.5", "-1.25", -1},
		{"0", "0.001", -1},
		{"-0.001", "0", -1},
		{"100", "1e2", 0},
		{"120", "12e1", 0},
		{"9007199254740993", "9007199254740992", 1},
		{"1.000000000000000000001", "1", 1},
		{"1.2", "1.20000", 0},
		{"0.012", "1.2e-2", 0},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			a, ok1 := parseDecimal(tt.a)
			b, ok2 := parseDecimal(tt.b)
			if !ok1 || !ok2 {
				t.Fatalf("parse failed")
			}
			if got := compareDecimal(a, b); got != tt.want {
				t.Fatalf("compare = %d, want %d", got, tt.want)
			}
			if got := compareDecimal(b, a); got != -tt.want {
				t.Fatalf("reverse compare = %d, want %d", got, -tt.want)
			}
		})
	}
}

// ratOf reads s with math/big as the reference for decimal comparisons.
func ratOf(s string) (*big.Rat, bool) {
	return new(big.Rat).SetString(s)
}

func TestNumericOperators(t *testing.T) {
	runCases(t, []opCase{
		// Operators page, Numeric: s3:max-keys at most 10.
		{"ops page: max-keys 10", "NumericLessThanEquals", "s3:max-keys", vs("10"), false, one("s3:max-keys", "10"), true},
		{"ops page: max-keys 5", "NumericLessThanEquals", "s3:max-keys", vs("10"), false, one("s3:max-keys", "5"), true},
		{"ops page: max-keys 11", "NumericLessThanEquals", "s3:max-keys", vs("10"), false, one("s3:max-keys", "11"), false},
		{"ops page: absent", "NumericLessThanEquals", "s3:max-keys", vs("10"), false, Map{}, false},
		{"equals decimal", "NumericEquals", "s3:TlsVersion", vs("1.2"), false, one("s3:tlsversion", "1.20"), true},
		{"equals any of", "NumericEquals", "k", vs("1", "2"), false, one("k", "2"), true},
		{"not equals none", "NumericNotEquals", "k", vs("1", "2"), false, one("k", "3"), true},
		{"not equals listed", "NumericNotEquals", "k", vs("1", "2"), false, one("k", "2"), false},
		{"not equals absent", "NumericNotEquals", "k", vs("1"), false, Map{}, true},
		{"less than", "NumericLessThan", "k", vs("10"), false, one("k", "9.99"), true},
		{"less than equal bound", "NumericLessThan", "k", vs("10"), false, one("k", "10"), false},
		{"greater than", "NumericGreaterThan", "k", vs("1.2"), false, one("k", "1.3"), true},
		{"greater than bound", "NumericGreaterThan", "k", vs("1.2"), false, one("k", "1.2"), false},
		{"greater equal", "NumericGreaterThanEquals", "s3:TlsVersion", vs("1.2"), false, one("s3:tlsversion", "1.2"), true},
		{"greater equal below", "NumericGreaterThanEquals", "s3:TlsVersion", vs("1.2"), false, one("s3:tlsversion", "1.1"), false},
		{"negative numbers", "NumericLessThan", "k", vs("-5"), false, one("k", "-6"), true},
		{"request not a number", "NumericEquals", "k", vs("1"), false, one("k", "one"), false},
		{"request not a number negated", "NumericNotEquals", "k", vs("1"), false, one("k", "one"), true},
		{"epoch time as number", "NumericGreaterThan", "aws:EpochTime", vs("1700000000"), false, one("aws:epochtime", "1700000001"), true},
	})
}
