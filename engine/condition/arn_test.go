package condition

import "testing"

func TestARNOperators(t *testing.T) {
	const pattern = "arn:aws:someservice:*:111122223333:finance/*"
	const tricky = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
	runCases(t, []opCase{
		// Operators page, ARN: the first '*' cannot swallow the colons, so
		// ArnLike fails where StringLike succeeds.
		{"ops page: ArnLike per segment", "ArnLike", "aws:SourceArn", vs(pattern), false, one("aws:sourcearn", tricky), false},
		{"ops page: ArnLike matches", "ArnLike", "aws:SourceArn", vs(pattern), false, one("aws:sourcearn", "arn:aws:someservice:us-east-2:111122223333:finance/doc"), true},
		// Operators page: SNS topic as aws:SourceArn with ArnEquals.
		{"ops page: ArnEquals", "ArnEquals", "aws:SourceArn", vs("arn:aws:sns:REGION:123456789012:TOPIC-ID"), false, one("aws:sourcearn", "arn:aws:sns:REGION:123456789012:TOPIC-ID"), true},
		{"ops page: ArnEquals absent", "ArnEquals", "aws:SourceArn", vs("arn:aws:sns:REGION:123456789012:TOPIC-ID"), false, Map{}, false},
		{"ArnEquals accepts wildcards like ArnLike", "ArnEquals", "aws:SourceArn", vs("arn:aws:sns:*:123456789012:*"), false, one("aws:sourcearn", "arn:aws:sns:us-east-1:123456789012:t"), true},
		{"case-sensitive", "ArnLike", "aws:PrincipalArn", vs("arn:aws:iam::111122223333:role/Admin"), false, one("aws:principalarn", "arn:aws:iam::111122223333:role/admin"), false},
		{"ArnNotLike listed", "ArnNotLike", "aws:PrincipalArn", vs("arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"), false, one("aws:principalarn", "arn:aws:iam::1:role/b"), false},
		{"ArnNotEquals other", "ArnNotEquals", "aws:PrincipalArn", vs("arn:aws:iam::*:role/a"), false, one("aws:principalarn", "arn:aws:iam::1:role/c"), true},
		{"ops page: ArnNotLike absent", "ArnNotLike", "aws:PrincipalArn", vs("arn:aws:iam::*:role/a"), false, Map{}, true},
		{"request not an ARN", "ArnLike", "aws:SourceArn", vs("arn:aws:s3:::*"), false, one("aws:sourcearn", "bucket"), false},
		{"lone star", "ArnLike", "aws:SourceArn", vs("*"), false, one("aws:sourcearn", "arn:aws:s3:::b"), true},
		// Variables in ARN values (operators page: variables allowed).
		{"variable in resource part", "ArnLike", "aws:PrincipalArn", vs("arn:aws:iam::*:user/${aws:username}"), true,
			one("aws:principalarn", "arn:aws:iam::1:user/alice", "aws:username", "alice"), true},
		{"variable other user", "ArnLike", "aws:PrincipalArn", vs("arn:aws:iam::*:user/${aws:username}"), true,
			one("aws:principalarn", "arn:aws:iam::1:user/bob", "aws:username", "alice"), false},
		{"variable carrying colons splits parts", "ArnEquals", "aws:SourceArn", vs("${aws:PrincipalArn}"), true,
			one("aws:sourcearn", "arn:aws:iam::1:role/r", "aws:principalarn", "arn:aws:iam::1:role/r"), true},
		{"variable account wildcard part", "ArnLike", "aws:SourceArn", vs("arn:aws:sns:*:${aws:PrincipalAccount}:*"), true,
			one("aws:sourcearn", "arn:aws:sns:us-east-1:111122223333:t", "aws:principalaccount", "111122223333"), true},
		{"variable account mismatch", "ArnLike", "aws:SourceArn", vs("arn:aws:sns:*:${aws:PrincipalAccount}:*"), true,
			one("aws:sourcearn", "arn:aws:sns:us-east-1:444455556666:t", "aws:principalaccount", "111122223333"), false},
		{"unresolved variable positive", "ArnLike", "aws:SourceArn", vs("arn:aws:sns:*:${aws:PrincipalAccount}:*"), true,
			one("aws:sourcearn", "arn:aws:sns:us-east-1:444455556666:t"), false},
		{"unresolved variable negated", "ArnNotLike", "aws:SourceArn", vs("arn:aws:sns:*:${aws:PrincipalAccount}:*"), true,
			one("aws:sourcearn", "arn:aws:sns:us-east-1:444455556666:t"), true},
		{"literal star variable", "ArnLike", "aws:SourceArn", vs("arn:aws:sns:us-east-1:1:a${*}"), true, one("aws:sourcearn", "arn:aws:sns:us-east-1:1:a*"), true},
		{"literal star variable is not a wildcard", "ArnLike", "aws:SourceArn", vs("arn:aws:sns:us-east-1:1:a${*}"), true, one("aws:sourcearn", "arn:aws:sns:us-east-1:1:ab"), false},
		{"variable pattern not ARN-shaped", "ArnLike", "aws:SourceArn", vs("${aws:username}"), true, one("aws:sourcearn", "arn:aws:s3:::b", "aws:username", "x"), false},
		{"variable pattern bad prefix", "ArnLike", "aws:SourceArn", vs("urn:${aws:username}:s3:::b"), true, one("aws:sourcearn", "arn:aws:s3:::b", "aws:username", "aws"), false},
		{"variable pattern value not ARN", "ArnLike", "aws:SourceArn", vs("arn:aws:s3:::${aws:username}"), true, one("aws:sourcearn", "b", "aws:username", "b"), false},
	})
}

// TestARNPiecesAgreesWithArnLike checks the variable-aware ARN matcher
// against arn.Like on patterns without variables.
func TestARNPiecesAgreesWithArnLike(t *testing.T) {
	patterns := []string{
		"arn:aws:someservice:*:111122223333:finance/*", "*", "arn:*:*:*:*:*", "arn:aws:s3:::b/*/x",
		"arn:aws:iam::?????????????:root", "arn:aws", "urn:aws:s3:::b", "arn:aws:sns:*:*:topic:*", "arn:a?s:s3:::*",
		"*:*:*:*:*:*", "arn::::::", "arn:aws:s3:::",
	}
	values := []string{
		"arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
		"arn:aws:someservice:us-east-2:111122223333:finance/x", "arn:aws:s3:::b/1/2/x", "arn:aws:s3:::b//x",
		"arn:aws:iam::1111222233334:root", "arn:aws:sns:us-east-1:1:topic:sub", "bucket", "arn::::::", "arn:aws:s3:::",
		"arn:aws:iam::111122223333:root", "arn:abs:s3:::k",
	}
	for _, p := range patterns {
		for _, v := range values {
			b, err := Compile([]Entry{{Operator: "ArnLike", Key: "k", Values: []string{p}}}, false)
			if err != nil {
				t.Fatal(err)
			}
			want := b.Eval(one("k", v))
			if got := matchARNPieces(tokenize(p, true, nil), v); got != want {
				t.Errorf("matchARNPieces(%q, %q) = %v, arn.Like says %v", p, v, got, want)
			}
		}
	}
}
