package condition

import "testing"

func TestSetQualifiers(t *testing.T) {
	const attrs = "dynamodb:attributes"
	allowed := vs("ID", "Message", "Tags")
	forbidden := vs("ID", "PostDateTime")
	runCases(t, []opCase{
		// Multi-value page: ForAllValues:StringEquals allows only ID, Message
		// and Tags.
		{"multi page: all allowed", "ForAllValues:StringEquals", "dynamodb:Attributes", allowed, false, Map{attrs: {"ID", "Message", "Tags"}}, true},
		{"multi page: UserName not allowed", "ForAllValues:StringEquals", "dynamodb:Attributes", allowed, false, Map{attrs: {"Message", "UserName"}}, false},
		// Multi-value page: ForAllValues is true when the key is absent or
		// resolves to an empty data set.
		{"multi page: all absent", "ForAllValues:StringEquals", "dynamodb:Attributes", allowed, false, Map{}, true},
		{"multi page: all empty set", "ForAllValues:StringEquals", "dynamodb:Attributes", allowed, false, Map{attrs: {}}, true},
		// Multi-value page: ForAnyValue:StringEquals with Deny on ID or
		// PostDateTime.
		{"multi page: any hit", "ForAnyValue:StringEquals", "dynamodb:Attributes", forbidden, false, Map{attrs: {"PostDateTime", "Message"}}, true},
		{"multi page: any miss", "ForAnyValue:StringEquals", "dynamodb:Attributes", forbidden, false, Map{attrs: {"UserName"}}, false},
		{"multi page: any absent", "ForAnyValue:StringEquals", "dynamodb:Attributes", forbidden, false, Map{}, false},
		{"multi page: any empty set", "ForAnyValue:StringEquals", "dynamodb:Attributes", forbidden, false, Map{attrs: {}}, false},
		// Multi-value page, evaluation table: PostDateTime and UserName
		// against PostDateTime, Message, Tags.
		{"multi page: table ForAllValues", "ForAllValues:StringLike", "dynamodb:requestedAttributes", vs("PostDateTime", "Message", "Tags"), false,
			Map{"dynamodb:requestedattributes": {"PostDateTime", "UserName"}}, false},
		{"multi page: table ForAnyValue", "ForAnyValue:StringLike", "dynamodb:requestedAttributes", vs("ID", "PostDateTime"), false,
			Map{"dynamodb:requestedattributes": {"UserName", "Message", "PostDateTime"}}, true},
		// Negated operators under qualifiers.
		{"all not equals: none listed", "ForAllValues:StringNotEquals", "aws:TagKeys", vs("a", "b"), false, Map{"aws:tagkeys": {"c", "d"}}, true},
		{"all not equals: one listed", "ForAllValues:StringNotEquals", "aws:TagKeys", vs("a", "b"), false, Map{"aws:tagkeys": {"a", "c"}}, false},
		{"all not equals: absent", "ForAllValues:StringNotEquals", "aws:TagKeys", vs("a", "b"), false, Map{}, true},
		{"any not equals: one unlisted", "ForAnyValue:StringNotEquals", "aws:TagKeys", vs("a", "b"), false, Map{"aws:tagkeys": {"a", "c"}}, true},
		{"any not equals: all listed", "ForAnyValue:StringNotEquals", "aws:TagKeys", vs("a", "b"), false, Map{"aws:tagkeys": {"a", "b"}}, false},
		{"any not equals: absent", "ForAnyValue:StringNotEquals", "aws:TagKeys", vs("a", "b"), false, Map{}, false},
		{"all like", "ForAllValues:StringLike", "aws:TagKeys", vs("team-*"), false, Map{"aws:tagkeys": {"team-a", "team-b"}}, true},
		{"any ip", "ForAnyValue:IpAddress", "k", vs("10.0.0.0/8"), false, Map{"k": {"192.0.2.1", "10.1.2.3"}}, true},
		{"all numeric", "ForAllValues:NumericLessThan", "k", vs("10"), false, Map{"k": {"1", "2", "11"}}, false},
		{"all arn", "ForAllValues:ArnLike", "aws:PrincipalServiceNamesList", vs("arn:aws:iam::*:role/*"), false, Map{"aws:principalservicenameslist": {"arn:aws:iam::1:role/a"}}, true},
		{"any date", "ForAnyValue:DateLessThan", "k", vs("2020-01-01"), false, Map{"k": {"2021-01-01", "2019-01-01"}}, true},
		{"all bool", "ForAllValues:Bool", "k", vs("true"), false, Map{"k": {"true", "false"}}, false},
		{"any binary", "ForAnyValue:BinaryEquals", "k", vs("QQ=="), false, Map{"k": {"B", "A"}}, true},
		{"all IfExists absent", "ForAllValues:StringEqualsIfExists", "k", vs("a"), false, Map{}, true},
		// Plain operators on multivalued keys behave as ForAnyValue
		// (assumption, see eval.go).
		{"plain positive multi", "StringEquals", "aws:TagKeys", vs("a"), false, Map{"aws:tagkeys": {"x", "a"}}, true},
		{"plain positive multi none", "StringEquals", "aws:TagKeys", vs("a"), false, Map{"aws:tagkeys": {"x", "y"}}, false},
		// Plain negated operators are the complement of the positive form.
		{"plain negated multi one listed", "StringNotEquals", "aws:TagKeys", vs("a"), false, Map{"aws:tagkeys": {"x", "a"}}, false},
		{"plain negated multi none listed", "StringNotEquals", "aws:TagKeys", vs("a"), false, Map{"aws:tagkeys": {"x", "y"}}, true},
		{"plain negated empty set", "StringNotEquals", "aws:TagKeys", vs("a"), false, Map{"aws:tagkeys": {}}, true},
		{"plain positive empty set", "StringEquals", "aws:TagKeys", vs("a"), false, Map{"aws:tagkeys": {}}, false},
	})
}

func TestBlockLogic(t *testing.T) {
	// Multi-value page: three operators ANDed, two IP values ORed.
	b, err := Compile([]Entry{
		{Operator: "DateGreaterThan", Key: "aws:CurrentTime", Values: vs("2019-07-16T12:00:00Z")},
		{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: vs("2019-07-16T15:00:00Z")},
		{Operator: "IpAddress", Key: "aws:SourceIp", Values: vs("192.0.2.0/24", "203.0.113.0/24")},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ctx  Map
		want bool
	}{
		{"all met", one("aws:currenttime", "2019-07-16T13:00:00Z", "aws:sourceip", "203.0.113.1"), true},
		{"too early", one("aws:currenttime", "2019-07-16T11:00:00Z", "aws:sourceip", "203.0.113.1"), false},
		{"wrong ip", one("aws:currenttime", "2019-07-16T13:00:00Z", "aws:sourceip", "198.51.100.1"), false},
		{"no ip", one("aws:currenttime", "2019-07-16T13:00:00Z"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := b.Eval(tt.ctx)
			all, res := b.Trace(tt.ctx)
			if got != tt.want || all != got {
				t.Fatalf("Eval = %v, Trace = %v, want %v", got, all, tt.want)
			}
			and := true
			for _, r := range res {
				and = and && r.Matched
			}
			if and != got {
				t.Fatalf("AND of Trace results = %v, Eval = %v", and, got)
			}
		})
	}
}
