package condition

import (
	"errors"
	"regexp"
	"testing"
	"time"
)

// FuzzCompile: arbitrary entries never panic; a refusal is always an *Error
// with a code and a message; an accepted block evaluates the same through
// Eval and Trace.
func FuzzCompile(f *testing.F) {
	f.Add("StringEquals", "aws:username", "bob", "${aws:username}", true)
	f.Add("ForAnyValue:NumericLessThanIfExists", "s3:max-keys", "1e3", "-0.5", false)
	f.Add("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00+01:00", "1577836800", true)
	f.Add("IpAddress", "aws:SourceIp", "::ffff:10.0.0.0/104", "203.0.113.7", true)
	f.Add("NullIfExists", "k", "true", "x", true)
	f.Add("stringequals", "", "", "", false)
	f.Fuzz(func(t *testing.T, op, key, v1, v2 string, vars bool) {
		entries := []Entry{{Operator: op, Key: key, Values: []string{v1, v2}}}
		b, err := Compile(entries, vars)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || ce.Code == "" || ce.Message == "" || err.Error() == "" {
				t.Fatalf("Compile error %#v is not a complete *Error", err)
			}
			if b != nil {
				t.Fatal("Compile returned a block with an error")
			}
			return
		}
		for _, ctx := range []Map{{}, {b.Keys()[0]: {v1}}, {b.Keys()[0]: {v2, v1}}} {
			got := b.Eval(ctx)
			all, res := b.Trace(ctx)
			if got != all || len(res) != 1 || res[0].Matched != got {
				t.Fatalf("Eval = %v, Trace = %v %+v", got, all, res)
			}
		}
	})
}

// FuzzEval: a compiled block against an arbitrary context never panics and
// Eval agrees with Trace.
func FuzzEval(f *testing.F) {
	f.Add("StringLike", "home/${aws:username}/*", "a*", "home/bob/x", "bob", 2, true)
	f.Add("ForAllValues:StringNotEquals", "a", "b", "c", "d", 3, false)
	f.Add("ArnLike", "arn:aws:iam::*:user/${aws:username}", "*", "arn:aws:iam::1:user/x", "x", 2, true)
	f.Add("NotIpAddress", "10.0.0.0/8", "2001:db8::/32", "10.1.2.3%eth0", "::ffff:10.0.0.1", 3, false)
	f.Add("DateLessThanEquals", "2020-01-01", "1577836800.5", "2020-01-01T00:00:00.5Z", "-1", 3, false)
	f.Add("NumericGreaterThan", "1e2", ".5", "100.0000001", "x", 3, false)
	f.Add("Bool", "${aws:username}", "true", "TRUE", "tRuE", 2, true)
	f.Add("BinaryEquals", "QQ", "Qg==", "A", "B", 3, false)
	f.Add("Null", "false", "true", "", "", 1, false)
	f.Fuzz(func(t *testing.T, op, p1, p2, r1, r2 string, shape int, vars bool) {
		b, err := Compile([]Entry{
			{Operator: op, Key: "aws:k", Values: []string{p1, p2}},
			{Operator: "StringNotLike", Key: "aws:username", Values: []string{p2}},
		}, vars)
		if err != nil {
			return
		}
		ctx := Map{"aws:username": {r2}}
		switch shape & 3 {
		case 1:
			ctx["aws:k"] = []string{}
		case 2:
			ctx["aws:k"] = []string{r1}
		case 3:
			ctx["aws:k"] = []string{r1, r2}
		}
		got := b.Eval(ctx)
		all, res := b.Trace(ctx)
		if got != all || len(res) != 2 || got != (res[0].Matched && res[1].Matched) {
			t.Fatalf("Eval = %v, Trace = %v %+v", got, all, res)
		}
		if _, ok := Expand(p1, ctx); !ok && !hasVariable(p1) {
			t.Fatalf("Expand(%q) failed without variables", p1)
		}
		MatchResource(p1, r1, ctx)
	})
}

// FuzzParseDecimal checks the exact decimal comparison against math/big.
func FuzzParseDecimal(f *testing.F) {
	f.Add("10", "1e1")
	f.Add("-0.05", ".5")
	f.Add("9007199254740993", "9007199254740992")
	f.Add("5.", "+5")
	f.Fuzz(func(t *testing.T, a, b string) {
		da, oka := parseDecimal(a)
		db, okb := parseDecimal(b)
		if !oka || !okb {
			return
		}
		// Keep math/big's work bounded.
		if len(a) > 64 || len(b) > 64 || da.exp > 80 || da.exp < -80 || db.exp > 80 || db.exp < -80 {
			return
		}
		ra, ok1 := ratOf(a)
		rb, ok2 := ratOf(b)
		if !ok1 || !ok2 {
			t.Fatalf("parseDecimal accepted %q / %q but math/big does not", a, b)
		}
		if got, want := compareDecimal(da, db), ra.Cmp(rb); got != want {
			t.Fatalf("compareDecimal(%q, %q) = %d, math/big says %d", a, b, got, want)
		}
	})
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$`)

// FuzzParseDate checks that every RFC 3339 time the standard library reads
// is read to the same instant, and that parsing never panics.
func FuzzParseDate(f *testing.F) {
	f.Add("2020-01-01T00:00:00Z")
	f.Add("2019-07-16T12:00:00.123456789+05:30")
	f.Add("1577836800")
	f.Add("2020-02")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseDate(s)
		if ok && (got.nsec < 0 || got.nsec >= 1e9) {
			t.Fatalf("parseDate(%q) nsec out of range: %+v", s, got)
		}
		// time.Parse is lenient (one-digit hours, offsets of +24:00 or
		// +00:60); compare only strings in the strict RFC 3339 shape.
		m := rfc3339.FindStringSubmatch(s)
		if m == nil || m[3] > "23" || m[4] > "59" {
			return
		}
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return
		}
		if !ok {
			t.Fatalf("parseDate(%q) refused a valid RFC 3339 time", s)
		}
		if got.sec != want.Unix() || int(got.nsec) != want.Nanosecond() {
			t.Fatalf("parseDate(%q) = %+v, time.Parse says %d.%09d", s, got, want.Unix(), want.Nanosecond())
		}
	})
}
