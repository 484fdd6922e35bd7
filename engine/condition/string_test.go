package condition

import "testing"

// Test cases taken from AWS pages say so in their name and comment:
//   - "ops page": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//   - "condition page": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
//   - "multi page": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
//   - "vars page": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// Cases without a page test an edge or a documented choice (see eval.go).

func TestStringOperators(t *testing.T) {
	const tag = "aws:principaltag/job-category"
	runCases(t, []opCase{
		// Operators page, String: the principal must carry job-category =
		// iamuser-admin; a principal without the tag does not match.
		{"ops page: tag matches", "StringEquals", "aws:PrincipalTag/job-category", vs("iamuser-admin"), true, one(tag, "iamuser-admin"), true},
		{"ops page: tag absent", "StringEquals", "aws:PrincipalTag/job-category", vs("iamuser-admin"), true, Map{}, false},
		{"ops page: StringEquals is case-sensitive", "StringEquals", "aws:PrincipalTag/job-category", vs("iamuser-admin"), true, one(tag, "IAMUser-Admin"), false},
		// Condition element page: StringEquals "john" does not match John,
		// StringEqualsIgnoreCase does.
		{"condition page: john vs John", "StringEquals", "aws:username", vs("john"), true, one("aws:username", "John"), false},
		{"condition page: ignore case", "StringEqualsIgnoreCase", "aws:username", vs("john"), true, one("aws:username", "John"), true},
		{"ignore case unicode", "StringEqualsIgnoreCase", "k", vs("STRASSE Ǆ"), false, one("k", "strasse ǆ"), true},
		{"not equals ignore case", "StringNotEqualsIgnoreCase", "k", vs("Public"), false, one("k", "PUBLIC"), false},
		{"not equals ignore case differs", "StringNotEqualsIgnoreCase", "k", vs("public"), false, one("k", "private"), true},
		// Operators page: StringLike with ["", "home/", "home/${aws:username}/"].
		{"ops page: like empty prefix", "StringLike", "s3:prefix", vs("", "home/", "home/${aws:username}/"), true, one("s3:prefix", "", "aws:username", "David"), true},
		{"ops page: like home/", "StringLike", "s3:prefix", vs("", "home/", "home/${aws:username}/"), true, one("s3:prefix", "home/", "aws:username", "David"), true},
		{"ops page: like own home", "StringLike", "s3:prefix", vs("", "home/", "home/${aws:username}/"), true, one("s3:prefix", "home/David/", "aws:username", "David"), true},
		{"ops page: like other home", "StringLike", "s3:prefix", vs("", "home/", "home/${aws:username}/"), true, one("s3:prefix", "home/Bob/", "aws:username", "David"), false},
		{"like star", "StringLike", "s3:prefix", vs("home/*"), false, one("s3:prefix", "home/a/b"), true},
		{"like question", "StringLike", "k", vs("ab?"), false, one("k", "abc"), true},
		{"like question needs one char", "StringLike", "k", vs("ab?"), false, one("k", "ab"), false},
		{"like case-sensitive", "StringLike", "k", vs("Home/*"), false, one("k", "home/x"), false},
		{"like star spans colon", "StringLike", "aws:sourcearn", vs("arn:aws:someservice:*:111122223333:finance/*"), false,
			one("aws:sourcearn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), true},
		// Negated operators with several values match only when the value
		// matches none of them (NOR).
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
		{"not equals NOR: listed", "StringNotEquals", "aws:PrincipalTag/role", vs("audit", "security"), false, one("aws:principaltag/role", "audit"), false},
		{"not equals NOR: unlisted", "StringNotEquals", "aws:PrincipalTag/role", vs("audit", "security"), false, one("aws:principaltag/role", "dev"), true},
		{"not like NOR", "StringNotLike", "k", vs("a*", "b*"), false, one("k", "bx"), false},
		{"not like none", "StringNotLike", "k", vs("a*", "b*"), false, one("k", "cx"), true},
		// Missing key: negated operators match.
		{"ops page: not like absent", "StringNotLike", "k", vs("a*"), false, Map{}, true},
		{"not equals absent", "StringNotEquals", "k", vs("a"), false, Map{}, true},
		// Empty strings are ordinary values.
		{"empty equals empty", "StringEquals", "k", vs(""), false, one("k", ""), true},
		{"empty not equals x", "StringEquals", "k", vs(""), false, one("k", "x"), false},
		{"star matches empty", "StringLike", "k", vs("*"), false, one("k", ""), true},
		// No policy values at all: nothing can match.
		{"no values positive", "StringEquals", "k", nil, false, one("k", "x"), false},
		{"no values negated", "StringNotEquals", "k", nil, false, one("k", "x"), true},
		// Variables under 2008-10-17 are literal text.
		{"2008 literal variable", "StringEquals", "k", vs("${aws:username}"), false, one("k", "${aws:username}", "aws:username", "bob"), true},
		{"2008 literal not expanded", "StringEquals", "k", vs("${aws:username}"), false, one("k", "bob", "aws:username", "bob"), false},
	})
}

func TestIfExists(t *testing.T) {
	types := vs("t1.*", "t2.*", "m3.*")
	runCases(t, []opCase{
		// Operators page, ...IfExists: "THISPOLICYDOESNOTWORK" fails on
		// resources without ec2:InstanceType; StringLikeIfExists fixes it.
		{"ops page: StringLike absent", "StringLike", "ec2:InstanceType", types, false, Map{}, false},
		{"ops page: StringLikeIfExists absent", "StringLikeIfExists", "ec2:InstanceType", types, false, Map{}, true},
		{"ops page: IfExists present match", "StringLikeIfExists", "ec2:InstanceType", types, false, one("ec2:instancetype", "t2.micro"), true},
		{"ops page: IfExists present no match", "StringLikeIfExists", "ec2:InstanceType", types, false, one("ec2:instancetype", "m4.large"), false},
		// Operators page: with Deny and StringNotEqualsIfExists the request is
		// still denied when the tag is missing: the entry matches.
		{"ops page: negated IfExists absent", "StringNotEqualsIfExists", "aws:RequestTag/DataClass", vs("public"), false, Map{}, true},
		{"negated IfExists present equal", "StringNotEqualsIfExists", "aws:RequestTag/DataClass", vs("public"), false, one("aws:requesttag/dataclass", "public"), false},
		{"numeric IfExists absent", "NumericLessThanIfExists", "s3:max-keys", vs("10"), false, Map{}, true},
		{"date IfExists absent", "DateGreaterThanIfExists", "aws:TokenIssueTime", vs("2020-01-01T00:00:00Z"), false, Map{}, true},
		{"bool IfExists absent", "BoolIfExists", "aws:MultiFactorAuthPresent", vs("true"), false, Map{}, true},
		{"bool IfExists false", "BoolIfExists", "aws:MultiFactorAuthPresent", vs("true"), false, one("aws:multifactorauthpresent", "false"), false},
		{"ip IfExists absent", "IpAddressIfExists", "aws:SourceIp", vs("203.0.113.0/24"), false, Map{}, true},
		{"not ip IfExists absent", "NotIpAddressIfExists", "aws:SourceIp", vs("203.0.113.0/24"), false, Map{}, true},
		{"arn IfExists absent", "ArnLikeIfExists", "aws:SourceArn", vs("arn:aws:sns:*:*:t"), false, Map{}, true},
		{"binary IfExists absent", "BinaryEqualsIfExists", "k", vs("QQ=="), false, Map{}, true},
		{"IfExists empty set is absent", "StringEqualsIfExists", "k", vs("a"), false, Map{"k": {}}, true},
		{"ForAnyValue IfExists absent", "ForAnyValue:StringEqualsIfExists", "aws:TagKeys", vs("a"), false, Map{}, true},
		{"ForAnyValue IfExists present", "ForAnyValue:StringEqualsIfExists", "aws:TagKeys", vs("a"), false, Map{"aws:tagkeys": {"b"}}, false},
	})
}
