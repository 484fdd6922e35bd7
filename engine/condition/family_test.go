package condition

import (
	"encoding/base64"
	"testing"
)

func TestBoolOperator(t *testing.T) {
	runCases(t, []opCase{
		// Operators page, Boolean: deny when aws:SecureTransport is false.
		{"ops page: plain http", "Bool", "aws:SecureTransport", vs("false"), false, one("aws:securetransport", "false"), true},
		{"ops page: https", "Bool", "aws:SecureTransport", vs("false"), false, one("aws:securetransport", "true"), false},
		{"absent", "Bool", "aws:SecureTransport", vs("false"), false, Map{}, false},
		{"case-insensitive request", "Bool", "k", vs("true"), false, one("k", "TRUE"), true},
		{"case-insensitive policy", "Bool", "k", vs("True"), false, one("k", "true"), true},
		{"request not a bool", "Bool", "k", vs("true"), false, one("k", "yes"), false},
		{"both values", "Bool", "k", vs("true", "false"), false, one("k", "false"), true},
		// Variables with Bool are accepted (the two AWS pages disagree).
		{"variable", "Bool", "aws:SecureTransport", vs("${aws:ViaAWSService}"), true, one("aws:securetransport", "true", "aws:viaawsservice", "true"), true},
		{"variable differs", "Bool", "aws:SecureTransport", vs("${aws:ViaAWSService}"), true, one("aws:securetransport", "true", "aws:viaawsservice", "false"), false},
		{"variable pieces", "Bool", "k", vs("tr${x}"), true, one("k", "true", "x", "UE"), true},
		{"variable too long", "Bool", "k", vs("true${x}"), true, one("k", "true", "x", "x"), false},
		{"variable short", "Bool", "k", vs("t${x}"), true, one("k", "true", "x", "r"), false},
		{"variable not a bool", "Bool", "k", vs("${x}"), true, one("k", "true", "x", "maybe"), false},
		{"variable unresolved", "Bool", "k", vs("${x}"), true, one("k", "true"), false},
	})
}

func TestBinaryOperator(t *testing.T) {
	// Operators page, Binary: the policy holds base64, compared byte for byte.
	const policy = "QmluYXJ5VmFsdWVJbkJhc2U2NA=="
	runCases(t, []opCase{
		{"ops page: equal bytes", "BinaryEquals", "key", vs(policy), false, one("key", "BinaryValueInBase64"), true},
		{"ops page: different bytes", "BinaryEquals", "key", vs(policy), false, one("key", "binaryvalueinbase64"), false},
		{"base64 text is not the bytes", "BinaryEquals", "key", vs(policy), false, one("key", policy), false},
		{"unpadded", "BinaryEquals", "key", vs("QQ"), false, one("key", "A"), true},
		{"raw bytes", "BinaryEquals", "key", vs(base64.StdEncoding.EncodeToString([]byte{0, 0xff, 0x10})), false, one("key", "\x00\xff\x10"), true},
		{"absent", "BinaryEquals", "key", vs(policy), false, Map{}, false},
	})
}

func TestIPOperators(t *testing.T) {
	runCases(t, []opCase{
		// Operators page, IP: 203.0.113.0 to 203.0.113.255.
		{"ops page: in range", "IpAddress", "aws:SourceIp", vs("203.0.113.0/24"), false, one("aws:sourceip", "203.0.113.77"), true},
		{"ops page: out of range", "IpAddress", "aws:SourceIp", vs("203.0.113.0/24"), false, one("aws:sourceip", "203.0.114.1"), false},
		// Through a VPC endpoint aws:SourceIp is absent: IpAddress fails,
		// NotIpAddress matches.
		{"ops page: VPC endpoint request", "IpAddress", "aws:SourceIp", vs("203.0.113.0/24"), false, Map{}, false},
		{"not ip absent", "NotIpAddress", "aws:SourceIp", vs("203.0.113.0/24"), false, Map{}, true},
		// Operators page: IPv4 and IPv6 ranges mixed.
		{"ops page: mixed v6", "IpAddress", "aws:SourceIp", vs("203.0.113.0/24", "2001:DB8:1234:5678::/64"), false, one("aws:sourceip", "2001:db8:1234:5678::1"), true},
		{"ops page: mixed v6 outside", "IpAddress", "aws:SourceIp", vs("203.0.113.0/24", "2001:DB8:1234:5678::/64"), false, one("aws:sourceip", "2001:db8:1234:5679::1"), false},
		// Multi-value page: two ranges ORed.
		{"multi page: second range", "IpAddress", "aws:SourceIp", vs("192.0.2.0/24", "203.0.113.0/24"), false, one("aws:sourceip", "192.0.2.9"), true},
		{"bare address is /32", "IpAddress", "aws:SourceIp", vs("203.0.113.5"), false, one("aws:sourceip", "203.0.113.5"), true},
		{"bare address is /32 only", "IpAddress", "aws:SourceIp", vs("203.0.113.5"), false, one("aws:sourceip", "203.0.113.6"), false},
		{"bare v6 is /128", "IpAddress", "aws:SourceIp", vs("2001:db8::1"), false, one("aws:sourceip", "2001:db8::1"), true},
		{"host bits ignored", "IpAddress", "aws:SourceIp", vs("203.0.113.7/24"), false, one("aws:sourceip", "203.0.113.200"), true},
		{"mapped request", "IpAddress", "aws:SourceIp", vs("203.0.113.0/24"), false, one("aws:sourceip", "::ffff:203.0.113.5"), true},
		{"mapped policy", "IpAddress", "aws:SourceIp", vs("::ffff:203.0.113.0/120"), false, one("aws:sourceip", "203.0.113.5"), true},
		{"mapped bare policy", "IpAddress", "aws:SourceIp", vs("::ffff:203.0.113.5"), false, one("aws:sourceip", "203.0.113.5"), true},
		{"v4 never in v6 range", "IpAddress", "aws:SourceIp", vs("::/0"), false, one("aws:sourceip", "203.0.113.5"), false},
		{"v6 never in v4 range", "IpAddress", "aws:SourceIp", vs("0.0.0.0/0"), false, one("aws:sourceip", "2001:db8::1"), false},
		{"zone ignored", "IpAddress", "aws:SourceIp", vs("fe80::/10"), false, one("aws:sourceip", "fe80::1%eth0"), true},
		{"not ip outside", "NotIpAddress", "aws:SourceIp", vs("203.0.113.0/24", "192.0.2.0/24"), false, one("aws:sourceip", "198.51.100.1"), true},
		{"not ip inside", "NotIpAddress", "aws:SourceIp", vs("203.0.113.0/24", "192.0.2.0/24"), false, one("aws:sourceip", "192.0.2.1"), false},
		{"request not an address", "IpAddress", "aws:SourceIp", vs("0.0.0.0/0"), false, one("aws:sourceip", "localhost"), false},
		{"request not an address negated", "NotIpAddress", "aws:SourceIp", vs("0.0.0.0/0"), false, one("aws:sourceip", "localhost"), true},
	})
}

func TestNullOperator(t *testing.T) {
	runCases(t, []opCase{
		// Operators page, Null: "true" means the key must be absent
		// (aws:TokenIssueTime is present only with temporary credentials).
		{"ops page: long-term credentials", "Null", "aws:TokenIssueTime", vs("true"), false, Map{}, true},
		{"ops page: temporary credentials", "Null", "aws:TokenIssueTime", vs("true"), false, one("aws:tokenissuetime", "2020-01-01T00:00:00Z"), false},
		{"false requires presence", "Null", "aws:TokenIssueTime", vs("false"), false, one("aws:tokenissuetime", "2020-01-01T00:00:00Z"), true},
		{"false absent", "Null", "aws:TokenIssueTime", vs("false"), false, Map{}, false},
		{"empty set is absent", "Null", "aws:TagKeys", vs("true"), false, Map{"aws:tagkeys": {}}, true},
		{"empty string is present", "Null", "aws:RequestTag/x", vs("false"), false, one("aws:requesttag/x", ""), true},
		{"case-insensitive", "Null", "k", vs("TRUE"), false, Map{}, true},
		{"both", "Null", "k", vs("true", "false"), false, one("k", "v"), true},
		{"no values", "Null", "k", nil, false, Map{}, false},
		{"key name case-insensitive", "Null", "AWS:TokenIssueTime", vs("false"), false, one("aws:tokenissuetime", "x"), true},
	})
}
