package condition

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	ctx := Map{
		"aws:username":          {"David"},
		"aws:principaltag/team": {"blue"},
		"aws:tagkeys":           {"a", "b"},
		"aws:empty":             {""},
		"aws:none":              {},
	}
	tests := []struct {
		name string
		in   string
		want string
		ok   bool
	}{
		// Variables page: ${aws:username} is the friendly name.
		{"vars page: username", "arn:aws:s3:::mybucket/${aws:username}/*", "arn:aws:s3:::mybucket/David/*", true},
		// Variables page: key names are case-insensitive.
		{"vars page: key case", "${AWS:UserName}", "David", true},
		{"tag key", "${aws:PrincipalTag/team}", "blue", true},
		// Variables page: default value when the key is absent.
		{"vars page: default", "arn:aws:s3:::/bucket/${aws:userid, 'anonymous'}", "arn:aws:s3:::/bucket/anonymous", true},
		{"default unused", "${aws:username, 'x'}", "David", true},
		{"default without space", "${aws:userid,'anon'}", "anon", true},
		{"default with spaces", "${ aws:userid ,  'anon' }", "anon", true},
		{"empty default", "${aws:userid, ''}", "", true},
		{"default keeps case and spaces", "${aws:userid, 'No One'}", "No One", true},
		// Variables page: special characters.
		{"vars page: star", "a${*}b", "a*b", true},
		{"vars page: question", "a${?}b", "a?b", true},
		{"vars page: dollar", "${$}{x}", "${x}", true},
		{"missing", "${aws:userid}", "", false},
		{"multivalued cannot be a variable", "${aws:TagKeys}", "", false},
		{"multivalued uses default", "${aws:TagKeys, 'd'}", "d", true},
		{"empty set uses default", "${aws:none, 'd'}", "d", true},
		{"empty string value", "x${aws:empty}y", "xy", true},
		{"malformed default never resolves", "${aws:username, David}", "", false},
		{"unterminated is literal", "a${aws:username", "a${aws:username", true},
		{"unterminated after variable", "${aws:username}${x", "David${x", true},
		{"no variable", "plain", "plain", true},
		{"two variables", "${aws:username}-${aws:PrincipalTag/team}", "David-blue", true},
		{"empty braces", "${}", "", false},
		{"dollar alone", "$x{y}", "$x{y}", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Expand(tt.in, ctx)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("Expand(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	if got, ok := Expand("${aws:username}", nil); ok || got != "" {
		t.Fatalf("Expand with nil ctx = %q, %v", got, ok)
	}
}

func TestMatchResource(t *testing.T) {
	ctx := one("aws:username", "David", "aws:principaltag/department", "hr", "s3:prefix", "a*")
	tests := []struct {
		name              string
		pattern, resource string
		ctx               Context
		matched, ok       bool
	}{
		// Variables page, Resource element: each user's home directory.
		{"vars page: own home", "arn:aws:s3:::mybucket/${aws:username}/*", "arn:aws:s3:::mybucket/David/notes.txt", ctx, true, true},
		{"vars page: other home", "arn:aws:s3:::mybucket/${aws:username}/*", "arn:aws:s3:::mybucket/Bob/notes.txt", ctx, false, true},
		{"vars page: tag", "arn:aws:s3:::bucket/${aws:PrincipalTag/department}", "arn:aws:s3:::bucket/hr", ctx, true, true},
		{"vars page: sqs queue name", "arn:aws:sqs:us-east-2:*:${aws:username}-queue", "arn:aws:sqs:us-east-2:111122223333:David-queue", ctx, true, true},
		{"unresolved", "arn:aws:s3:::mybucket/${aws:userid}/*", "arn:aws:s3:::mybucket/x/y", ctx, false, false},
		{"nil ctx", "arn:aws:s3:::mybucket/${aws:userid}/*", "arn:aws:s3:::mybucket/x/y", nil, false, false},
		{"substituted star is literal", "arn:aws:s3:::b/${s3:prefix}", "arn:aws:s3:::b/a*", ctx, true, true},
		{"substituted star is not a wildcard", "arn:aws:s3:::b/${s3:prefix}", "arn:aws:s3:::b/abc", ctx, false, true},
		{"special star is literal", "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", ctx, true, true},
		{"special star is not a wildcard", "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", ctx, false, true},
		{"no variables arn", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x", ctx, true, true},
		{"no variables glob", "*", "anything", ctx, true, true},
		{"glob with variable", "${aws:username}*", "David's", ctx, true, true},
		{"glob with variable miss", "${aws:username}?", "David", ctx, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := MatchResource(tt.pattern, tt.resource, tt.ctx)
			if m != tt.matched || ok != tt.ok {
				t.Fatalf("MatchResource(%q, %q) = %v, %v; want %v, %v", tt.pattern, tt.resource, m, ok, tt.matched, tt.ok)
			}
		})
	}
}

func TestEqualFoldRune(t *testing.T) {
	tests := []struct {
		a, b rune
		want bool
	}{
		{'a', 'a', true}, {'a', 'A', true}, {'Z', 'z', true}, {'a', 'b', false}, {'1', '1', true},
		{'K', 'k', true}, {'K', '\u212a', true}, {'\u212a', 'k', true}, {'ǅ', 'Ǆ', true}, {'é', 'É', true},
		{'é', 'e', false}, {'ß', 'S', false},
	}
	for _, tt := range tests {
		if got := equalFoldRune(tt.a, tt.b); got != tt.want {
			t.Errorf("equalFoldRune(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestConditionVariables(t *testing.T) {
	runCases(t, []opCase{
		// Variables page: SNS endpoint must match the user name.
		{"vars page: sns endpoint", "StringLike", "sns:endpoint", vs("https://example.com/${aws:username}/"), true,
			one("sns:endpoint", "https://example.com/David/", "aws:username", "David"), true},
		{"vars page: sns endpoint other", "StringLike", "sns:endpoint", vs("https://example.com/${aws:username}/"), true,
			one("sns:endpoint", "https://example.com/Bob/", "aws:username", "David"), false},
		// Variables page: default value in a StringEquals condition.
		{"vars page: default", "StringEquals", "aws:Resource", vs("arn:aws:s3:::/bucket/${aws:userid, 'anonymous'}"), true,
			one("aws:resource", "arn:aws:s3:::/bucket/anonymous"), true},
		// Missing variable: positive operators do not match, negated do.
		{"unresolved positive", "StringEquals", "k", vs("${aws:username}"), true, one("k", "x"), false},
		{"unresolved negated", "StringNotEquals", "k", vs("${aws:username}"), true, one("k", "x"), true},
		{"unresolved like negated", "StringNotLike", "k", vs("home/${aws:username}/*"), true, one("k", "home/x/y"), true},
		{"unresolved among others", "StringEquals", "k", vs("${aws:username}", "x"), true, one("k", "x"), true},
		{"unresolved negated among others", "StringNotEquals", "k", vs("${aws:username}", "x"), true, one("k", "x"), false},
		{"variable case fold", "StringEqualsIgnoreCase", "k", vs("team-${aws:PrincipalTag/team}"), true, one("k", "TEAM-BLUE", "aws:principaltag/team", "Blue"), true},
		{"variable equals is not glob", "StringEquals", "k", vs("a*${aws:username}"), true, one("k", "abc", "aws:username", "c"), false},
		{"variable equals literal star", "StringEquals", "k", vs("a*${aws:username}"), true, one("k", "a*c", "aws:username", "c"), true},
		{"special star in like is literal", "StringLike", "k", vs("a${*}"), true, one("k", "ab"), false},
		{"special star in like", "StringLike", "k", vs("a${*}"), true, one("k", "a*"), true},
		{"wildcards around variable", "StringLike", "k", vs("*-${aws:username}-?"), true, one("k", "x-David-1", "aws:username", "David"), true},
		{"substituted question is literal", "StringLike", "k", vs("${aws:username}"), true, one("k", "a", "aws:username", "?"), false},
		{"variable value is the request key itself", "StringEquals", "aws:username", vs("${aws:username}"), true, one("aws:username", "x"), true},
		{"multivalued variable unresolved", "StringEquals", "k", vs("${aws:TagKeys}"), true, Map{"k": {"a"}, "aws:tagkeys": {"a", "b"}}, false},
		{"unterminated variable literal", "StringEquals", "k", vs("${aws:username"), true, one("k", "${aws:username"), true},
	})
}

func TestVariableKeysAndTraceExpansion(t *testing.T) {
	b, err := Compile([]Entry{
		{Operator: "StringLike", Key: "s3:prefix", Values: vs("", "home/${aws:username}/*", "team/${aws:PrincipalTag/Team, 'none'}/*")},
		{Operator: "StringEquals", Key: "S3:Prefix", Values: vs("${aws:userid}")},
		{Operator: "NumericLessThan", Key: "s3:max-keys", Values: vs("10")},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.Keys(), ","); got != "s3:prefix,s3:max-keys" {
		t.Fatalf("Keys = %s", got)
	}
	if got := strings.Join(b.VariableKeys(), ","); got != "aws:username,aws:principaltag/team,aws:userid" {
		t.Fatalf("VariableKeys = %s", got)
	}
	ctx := one("s3:prefix", "home/David/x", "aws:username", "David")
	all, res := b.Trace(ctx)
	if all || all != b.Eval(ctx) {
		t.Fatalf("Trace = %v, Eval = %v", all, b.Eval(ctx))
	}
	if got := strings.Join(res[0].Expanded, "|"); got != "|home/David/*|team/none/*" {
		t.Fatalf("Expanded = %q", got)
	}
	if !res[0].Matched || res[0].Unresolved != nil {
		t.Fatalf("res[0] = %+v", res[0])
	}
	if res[1].Matched || len(res[1].Unresolved) != 1 || res[1].Unresolved[0] != "${aws:userid}" {
		t.Fatalf("res[1] = %+v", res[1])
	}
	if res[2].Expanded != nil || res[2].Present || res[2].Matched {
		t.Fatalf("res[2] = %+v", res[2])
	}
}
