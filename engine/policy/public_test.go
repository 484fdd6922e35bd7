package policy

import (
	"reflect"
	"testing"
)

// The examples of "The meaning of public":
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
// The page shows single statements with "Resource": "*"; they are wrapped in
// a policy here and parsed (not validated as bucket policies, which refuse
// "*").
func TestIsPublicAWSExamples(t *testing.T) {
	tests := []struct {
		name      string
		statement string
		want      bool
	}{
		{"federated web identity", `{"Principal": {"Federated": "graph.facebook.com"}, "Resource": "*", "Action": "s3:PutObject", "Effect": "Allow"}`, true},
		{"everyone", `{"Principal": "*", "Resource": "*", "Action": "s3:PutObject", "Effect": "Allow"}`, true},
		{"source vpc wildcard", `{"Principal": "*", "Resource": "*", "Action": "s3:PutObject", "Effect": "Allow", "Condition": {"StringLike": {"aws:SourceVpc": "vpc-*"}}}`, true},
		{"source vpc fixed", `{"Principal": "*", "Resource": "*", "Action": "s3:PutObject", "Effect": "Allow", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-91237329"}}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, `{"Version":"2012-10-17","Statement":[`+tt.statement+`]}`)
			if got := IsPublic(p); got != tt.want {
				t.Errorf("IsPublic = %v, want %v", got, tt.want)
			}
		})
	}
}

// "How Amazon S3 evaluates a bucket policy that contains both public and
// non-public access grants": CloudTrail, a named account, and the public.
func TestIsPublicMixed(t *testing.T) {
	cloudtrail := `{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}`
	account2 := `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	public := `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[`+cloudtrail+`,`+account2+`,`+public+`]}`)
	if got := PublicStatements(p, false); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("PublicStatements = %v, want [2]", got)
	}
	p = mustParse(t, `{"Version":"2012-10-17","Statement":[`+cloudtrail+`,`+account2+`]}`)
	if IsPublic(p) {
		t.Error("without the third statement the policy is public")
	}
}

// The access point rule: s3:DataAccessPointArn with a wildcard access point
// name keeps a bucket policy non-public but makes an access point policy
// public.
func TestIsPublicDataAccessPointArn(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
		"Condition":{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/*"}}}]}`)
	if IsPublic(p) {
		t.Error("bucket policy: public")
	}
	if !IsPublicAccessPoint(p) {
		t.Error("access point policy: not public")
	}
}

func TestIsPublicRules(t *testing.T) {
	tests := []struct {
		name      string
		statement string
		version   string
		want      bool
	}{
		{"deny never public", `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}`, "2012-10-17", false},
		{"aws star", `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", true},
		{"account", `{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", false},
		{"account list with star", `{"Effect":"Allow","Principal":{"AWS":["111122223333","*"]},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", true},
		{"service", `{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}`, "2012-10-17", false},
		{"canonical user", `{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", false},
		{"wildcard principal arn", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", true},
		{"variable principal", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/${aws:username}"},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", true},
		{"not principal allow", `{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", true},
		{"no principal", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", true},
		{"empty principal list", `{"Effect":"Allow","Principal":{"AWS":[]},"Action":"s3:GetObject","Resource":"*"}`, "2012-10-17", true},
		{"org id", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-aa111bb222"}}}`, "2012-10-17", false},
		{"org id wildcard", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}`, "2012-10-17", true},
		{"org id variable", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"${aws:PrincipalTag/org}"}}}`, "2012-10-17", true},
		{"org id variable literal in 2008", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"${x}"}}}`, "2008-10-17", false},
		{"key name case", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"AWS:SOURCEVPCE":"vpce-1a2b3c4d"}}}`, "2012-10-17", false},
		{"negated operator", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`, "2012-10-17", true},
		{"if exists", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`, "2012-10-17", true},
		{"for any value", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`, "2012-10-17", false},
		{"for all values", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`, "2012-10-17", true},
		{"unlisted key", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:Referer":"http://www.example.com/*"}}}`, "2012-10-17", true},
		{"unlisted key fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:UserAgent":"x"}}}`, "2012-10-17", true},
		{"source arn", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}}}`, "2012-10-17", false},
		{"source account", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}`, "2012-10-17", false},
		{"source owner", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceOwner":"111122223333"}}}`, "2012-10-17", false},
		{"kms key id", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:us-east-1:111122223333:key/k"}}}`, "2012-10-17", false},
		{"data access point account", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`, "2012-10-17", false},
		{"data access point arn account wildcard", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:*:accesspoint/*"}}}`, "2012-10-17", true},
		{"data access point arn not an access point", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:job/*"}}}`, "2012-10-17", true},
		{"data access point arn fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnEquals":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/ap"}}}`, "2012-10-17", false},
		{"userid role pattern", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}}}`, "2012-10-17", false},
		{"userid wildcard role", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AROA*:*"}}}`, "2012-10-17", true},
		{"userid bare star", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":":*"}}}`, "2012-10-17", true},
		{"userid fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:userid":"AIDAEXAMPLE"}}}`, "2012-10-17", false},
		{"source ip /24", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}`, "2012-10-17", false},
		{"source ip /8", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"54.0.0.0/8"}}}`, "2012-10-17", false},
		{"source ip /7", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"54.0.0.0/7"}}}`, "2012-10-17", true},
		{"source ip /1", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}`, "2012-10-17", true},
		{"source ip one broad value", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","0.0.0.0/0"]}}}`, "2012-10-17", true},
		{"source ip bare address", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.7"}}}`, "2012-10-17", false},
		{"source ip rfc1918", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}`, "2012-10-17", false},
		{"source ip v6 /64", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}}`, "2012-10-17", false},
		{"source ip v6 /32", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}}`, "2012-10-17", false},
		{"source ip v6 /16", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"2001::/16"}}}`, "2012-10-17", true},
		{"source ip v6 bare", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"2001:db8::1"}}}`, "2012-10-17", false},
		{"source ip v4-mapped", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"::ffff:192.0.2.0/120"}}}`, "2012-10-17", false},
		{"not ip address", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}`, "2012-10-17", true},
		{"string operator on source ip", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceIp":"192.0.2.1"}}}`, "2012-10-17", true},
		{"ip operator on vpc", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceVpc":"10.0.0.0/16"}}}`, "2012-10-17", true},
		{"empty values", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":[]}}}`, "2012-10-17", true},
		{"null operator", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:SourceVpc":"false"}}}`, "2012-10-17", true},
		{"second condition restricts", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:Referer":"x*"},"StringEquals":{"aws:SourceVpc":"vpc-1"}}}`, "2012-10-17", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, `{"Version":"`+tt.version+`","Statement":[`+tt.statement+`]}`)
			if got := IsPublic(p); got != tt.want {
				t.Errorf("IsPublic = %v, want %v", got, tt.want)
			}
		})
	}
}

// Values Parse already refuses, checked directly.
func TestNarrowCIDR(t *testing.T) {
	for v, want := range map[string]bool{"not-an-ip": false, "1.2.3.4/40": false, "192.0.2.1": true, "::ffff:0.0.0.0/97": false} {
		if got := narrowCIDR(v); got != want {
			t.Errorf("narrowCIDR(%q) = %v, want %v", v, got, want)
		}
	}
}

func mustParse(t *testing.T, doc string) *Policy {
	t.Helper()
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}
