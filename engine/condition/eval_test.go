package condition

import (
	"math/rand"
	"slices"
	"testing"
)

func TestTraceResultFields(t *testing.T) {
	b, err := Compile([]Entry{
		{Operator: "StringEquals", Key: "aws:SourceVpce", Values: vs("vpce-1a2b"), Pos: 7},
		{Operator: "ForAllValues:StringLike", Key: "aws:TagKeys", Values: vs("team-*")},
		{Operator: "NotIpAddressIfExists", Key: "aws:SourceIp", Values: vs("10.0.0.0/8")},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := Map{"aws:tagkeys": {}, "aws:sourceip": {"10.1.1.1"}}
	all, res := b.Trace(ctx)
	if all || b.Eval(ctx) {
		t.Fatal("block must not match")
	}
	vpce := res[0]
	if vpce.Present || vpce.Actual != nil || vpce.Matched || vpce.Key != "aws:sourcevpce" || vpce.Entry.Pos != 7 || vpce.Entry.Values[0] != "vpce-1a2b" {
		t.Fatalf("absent key result = %+v", vpce)
	}
	tags := res[1]
	if tags.Present || tags.Actual == nil || len(tags.Actual) != 0 || !tags.Matched || tags.Qualifier != "ForAllValues" {
		t.Fatalf("empty set result = %+v", tags)
	}
	ip := res[2]
	if !ip.Present || ip.Actual[0] != "10.1.1.1" || ip.Matched || !ip.IfExists || !ip.Negated || ip.Operator != "NotIpAddress" {
		t.Fatalf("ip result = %+v", ip)
	}
}

func TestEvalNilContext(t *testing.T) {
	b, err := Compile([]Entry{{Operator: "StringNotEquals", Key: "k", Values: vs("x")}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Eval(nil) {
		t.Fatal("negated operator must match with no context")
	}
	if ok, res := b.Trace(nil); !ok || res[0].Present {
		t.Fatal("Trace with nil context")
	}
}

// complements pairs each positive operator with its negation.
var complements = [][2]string{
	{"StringEquals", "StringNotEquals"},
	{"StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"},
	{"StringLike", "StringNotLike"},
	{"NumericEquals", "NumericNotEquals"},
	{"DateEquals", "DateNotEquals"},
	{"IpAddress", "NotIpAddress"},
	{"ArnLike", "ArnNotLike"},
	{"ArnEquals", "ArnNotEquals"},
}

// pools of policy values per family, valid for Compile.
var valuePools = map[family][]string{
	famString:  {"a", "A", "a*", "?", "", "home/${aws:username}/*", "${aws:username, 'x'}", "${*}", "${aws:missing}", "b${?}"},
	famARN:     {"arn:aws:s3:::b/*", "arn:aws:iam::*:user/${aws:username}", "*", "arn:aws:sns:*:1:t", "${aws:missing}"},
	famNumeric: {"1", "1.5", "-2", "1e1", "0"},
	famDate:    {"2020-01-01", "2020-01-01T00:00:00Z", "1577836800", "2021-06-01T12:00:00+02:00"},
	famBool:    {"true", "false", "${aws:flag}"},
	famBinary:  {"QQ==", "Qg=="},
	famIP:      {"10.0.0.0/8", "203.0.113.5", "2001:db8::/32", "::ffff:192.0.2.0/120"},
	famNull:    {"true", "false"},
}

// request value pool, mixing readable and unreadable values for every family.
var requestPool = []string{
	"a", "A", "ab", "", "home/bob/x", "*", "x", "1", "10", "1.5", "-2", "nope", "2020-01-01T00:00:00Z", "1577836800",
	"2022-01-01", "true", "FALSE", "A", "B", "10.1.2.3", "203.0.113.5", "2001:db8::1", "::ffff:192.0.2.9",
	"arn:aws:s3:::b/k", "arn:aws:iam::1:user/bob", "arn:aws:sns:us-east-1:1:t", "b?",
}

var keyPool = []string{"k1", "k2", "aws:username", "aws:flag"}

func randomEntry(r *rand.Rand) Entry {
	names := make([]string, 0, len(operators))
	for n := range operators {
		names = append(names, n)
	}
	// Map order is random; sort so that the seeded generator is repeatable.
	slices.Sort(names)
	name := names[r.Intn(len(names))]
	op := operators[name]
	if op.fam != famNull {
		switch r.Intn(4) {
		case 0:
			name = "ForAllValues:" + name
		case 1:
			name = "ForAnyValue:" + name
		}
		if r.Intn(3) == 0 {
			name += "IfExists"
		}
	}
	pool := valuePools[op.fam]
	vals := make([]string, r.Intn(3))
	for i := range vals {
		vals[i] = pool[r.Intn(len(pool))]
	}
	return Entry{Operator: name, Key: keyPool[r.Intn(len(keyPool))], Values: vals}
}

func randomContext(r *rand.Rand) Map {
	m := Map{}
	for _, k := range keyPool {
		n := r.Intn(4) - 1 // -1: absent
		if n < 0 {
			continue
		}
		vals := make([]string, n)
		for i := range vals {
			vals[i] = requestPool[r.Intn(len(requestPool))]
		}
		m[k] = vals
	}
	return m
}

// TestPropertyTraceAgreesWithEval checks on random blocks and contexts that
// Trace and Eval agree, that Trace's overall result is the AND of its
// entries, and that each entry's result is what a block of that entry alone
// gives.
func TestPropertyTraceAgreesWithEval(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		entries := make([]Entry, 1+r.Intn(4))
		for j := range entries {
			entries[j] = randomEntry(r)
		}
		vars := r.Intn(4) != 0
		b, err := Compile(entries, vars)
		if err != nil {
			// Only Bool/Null variable values can fail under 2008.
			continue
		}
		ctx := randomContext(r)
		got := b.Eval(ctx)
		all, res := b.Trace(ctx)
		and := true
		for j, re := range res {
			and = and && re.Matched
			single, err := Compile(entries[j:j+1], vars)
			if err != nil {
				t.Fatal(err)
			}
			if single.Eval(ctx) != re.Matched {
				t.Fatalf("entry %+v: Trace says %v, alone it evaluates %v (ctx %v)", entries[j], re.Matched, !re.Matched, ctx)
			}
		}
		if got != all || all != and {
			t.Fatalf("entries %+v ctx %v: Eval %v, Trace %v, AND %v", entries, ctx, got, all, and)
		}
	}
}

// TestPropertyComplements checks the algebra of the documented rules on
// random values and contexts: a plain negated operator is the complement of
// its positive form, ForAnyValue:NotX the complement of ForAllValues:X (and
// vice versa), and IfExists only changes the outcome for an absent key.
func TestPropertyComplements(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	eval := func(op string, vals []string, ctx Map) bool {
		b, err := Compile([]Entry{{Operator: op, Key: "k1", Values: vals}}, true)
		if err != nil {
			t.Fatalf("%s %q: %v", op, vals, err)
		}
		return b.Eval(ctx)
	}
	for i := 0; i < 3000; i++ {
		pair := complements[r.Intn(len(complements))]
		pool := valuePools[operators[pair[0]].fam]
		vals := make([]string, r.Intn(3))
		for j := range vals {
			vals[j] = pool[r.Intn(len(pool))]
		}
		ctx := randomContext(r)
		pos, neg := pair[0], pair[1]
		if eval(pos, vals, ctx) == eval(neg, vals, ctx) {
			t.Fatalf("%s and %s agree on %q, ctx %v", pos, neg, vals, ctx)
		}
		if eval("ForAnyValue:"+neg, vals, ctx) == eval("ForAllValues:"+pos, vals, ctx) {
			t.Fatalf("ForAnyValue:%s and ForAllValues:%s agree on %q, ctx %v", neg, pos, vals, ctx)
		}
		if eval("ForAllValues:"+neg, vals, ctx) == eval("ForAnyValue:"+pos, vals, ctx) {
			t.Fatalf("ForAllValues:%s and ForAnyValue:%s agree on %q, ctx %v", neg, pos, vals, ctx)
		}
		present := len(ctx["k1"]) > 0
		for _, op := range []string{pos, neg, "ForAnyValue:" + pos, "ForAllValues:" + neg} {
			withIf := eval(op+"IfExists", vals, ctx)
			if present && withIf != eval(op, vals, ctx) || !present && !withIf {
				t.Fatalf("%sIfExists on %q, ctx %v = %v", op, vals, ctx, withIf)
			}
		}
	}
}
