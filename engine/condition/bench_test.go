package condition

import "testing"

func mustCompile(tb testing.TB, entries []Entry) *Block {
	tb.Helper()
	b, err := Compile(entries, true)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mixed5 is a typical S3 bucket-policy condition: five operators of
// different families, one with a policy variable.
var mixed5 = []Entry{
	{Operator: "StringLike", Key: "s3:prefix", Values: vs("", "home/", "home/${aws:username}/*")},
	{Operator: "ArnLike", Key: "aws:PrincipalArn", Values: vs("arn:aws:iam::111122223333:user/*", "arn:aws:iam::111122223333:role/admin")},
	{Operator: "Bool", Key: "aws:SecureTransport", Values: vs("true")},
	{Operator: "IpAddress", Key: "aws:SourceIp", Values: vs("192.0.2.0/24", "203.0.113.0/24", "2001:db8::/32")},
	{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: vs("2030-01-01T00:00:00Z")},
}

var mixed5Ctx = Map{
	"s3:prefix":           {"home/David/photos/"},
	"aws:username":        {"David"},
	"aws:principalarn":    {"arn:aws:iam::111122223333:user/David"},
	"aws:securetransport": {"true"},
	"aws:sourceip":        {"203.0.113.77"},
	"aws:currenttime":     {"2024-05-06T07:08:09Z"},
	"s3:max-keys":         {"100"},
	"aws:sourcevpce":      {"vpce-1a2b3c4d"},
}

// TestEvalDoesNotAllocate pins the zero-allocation promise for the common
// operators against a Map.
func TestEvalDoesNotAllocate(t *testing.T) {
	blocks := map[string][]Entry{
		"mixed5":        mixed5,
		"string equals": {{Operator: "StringEquals", Key: "aws:SourceVpce", Values: vs("vpce-1a2b3c4d")}},
		"numeric":       {{Operator: "NumericLessThanEquals", Key: "s3:max-keys", Values: vs("1000")}},
		"negated sets":  {{Operator: "ForAllValues:StringNotLike", Key: "s3:prefix", Values: vs("secret/*")}},
		"ipv6":          {{Operator: "NotIpAddress", Key: "aws:SourceIp", Values: vs("2001:db8::/32")}},
		"arn variable":  {{Operator: "ArnLike", Key: "aws:PrincipalArn", Values: vs("arn:aws:iam::*:user/${aws:username}")}},
		"ignore case":   {{Operator: "StringEqualsIgnoreCase", Key: "aws:username", Values: vs("${aws:username}")}},
	}
	for name, entries := range blocks {
		t.Run(name, func(t *testing.T) {
			b := mustCompile(t, entries)
			if !b.Eval(mixed5Ctx) {
				t.Fatal("benchmark block must match its context")
			}
			if n := testing.AllocsPerRun(100, func() { b.Eval(mixed5Ctx) }); n != 0 {
				t.Fatalf("Eval allocates %v times per run", n)
			}
		})
	}
	if n := testing.AllocsPerRun(100, func() { Expand("arn:aws:s3:::b/home/*", mixed5Ctx) }); n != 0 {
		t.Fatalf("Expand without variables allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		MatchResource("arn:aws:s3:::b/home/${aws:username}/*", "arn:aws:s3:::b/home/David/x", mixed5Ctx)
	}); n != 0 {
		t.Fatalf("MatchResource allocates %v times", n)
	}
}

func BenchmarkEvalStringEquals(b *testing.B) {
	blk := mustCompile(b, []Entry{{Operator: "StringEquals", Key: "aws:SourceVpce", Values: vs("vpce-1a2b3c4d")}})
	b.ReportAllocs()
	for b.Loop() {
		if !blk.Eval(mixed5Ctx) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkEvalMixed5(b *testing.B) {
	blk := mustCompile(b, mixed5)
	b.ReportAllocs()
	for b.Loop() {
		if !blk.Eval(mixed5Ctx) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkTraceMixed5(b *testing.B) {
	blk := mustCompile(b, mixed5)
	b.ReportAllocs()
	for b.Loop() {
		blk.Trace(mixed5Ctx)
	}
}

func BenchmarkExpand(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Expand("arn:aws:s3:::bucket/home/${aws:username}/*", mixed5Ctx)
	}
}

func BenchmarkCompileMixed5(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(mixed5, true); err != nil {
			b.Fatal(err)
		}
	}
}
