package authz

import (
	"fmt"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/policy"
)

func mustPolicy(tb testing.TB, doc string) *policy.Policy {
	tb.Helper()
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		tb.Fatalf("%v\n%s", err, doc)
	}
	return p
}

// benchScenario is the typical cross-account GetObject: a user with
// five managed policies of ten statements, a permissions boundary, a
// three-level SCP chain, a 20-statement bucket policy with conditions and an
// object ACL. unrelated adds that many statements for other actions to the
// identity policies, to show the index keeps evaluation flat.
func benchScenario(tb testing.TB, unrelated int) (*Request, *Inputs) {
	var identity []PolicyRef
	for p := 0; p < 5; p++ {
		var stmts []string
		for s := 0; s < 10; s++ {
			action := []string{"s3:PutObject", "s3:ListBucket", "s3:GetObjectTagging", "ec2:DescribeInstances", "dynamodb:GetItem"}[s%5]
			if p == 4 && s == 9 {
				action = "s3:GetObject"
			}
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"P%dS%d","Effect":"Allow","Action":%q,"Resource":"arn:aws:s3:::data-%d/*"}`, p, s, action, s))
		}
		if p == 4 {
			stmts[9] = `{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::shared-bucket/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111111111111"}}}`
		}
		if p == 0 && unrelated > 0 {
			for u := 0; u < unrelated; u++ {
				stmts = append(stmts, fmt.Sprintf(`{"Effect":"Allow","Action":"svc%d:Action%d","Resource":"arn:aws:svc%d:::thing/%d"}`, u%97, u, u%97, u))
			}
		}
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		identity = append(identity, PolicyRef{Name: fmt.Sprintf("arn:aws:iam::111111111111:policy/p%d", p), Policy: mustPolicy(tb, doc)})
	}
	boundary := PolicyRef{Name: "arn:aws:iam::111111111111:policy/boundary", Policy: mustPolicy(tb,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:Decrypt"],"Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`)}
	full := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	denyRegions := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}`
	scps := &Org{ID: "o-abc", Levels: []OrgLevel{
		{Target: "r-root", Policies: []PolicyRef{{Name: "FullAWSAccess", Policy: mustPolicy(tb, full)}, {Name: "DenyRegions", Policy: mustPolicy(tb, denyRegions)}}},
		{Target: "ou-prod", Policies: []PolicyRef{{Name: "FullAWSAccess", Policy: mustPolicy(tb, full)}}},
		{Target: "111111111111", Policies: []PolicyRef{{Name: "FullAWSAccess", Policy: mustPolicy(tb, full)}}},
	}}
	var bstmts []string
	for s := 0; s < 19; s++ {
		bstmts = append(bstmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%012d:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-bucket/team%d/*","Condition":{"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"}}}`, s, 300000000000+s, s, s))
	}
	bstmts = append(bstmts, `{"Sid":"CrossAccountRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`)
	bucket := PolicyRef{Name: "shared-bucket", Policy: mustPolicy(tb, `{"Version":"2012-10-17","Statement":[`+strings.Join(bstmts, ",")+`]}`)}
	objACL := acl.Private(acl.Owner{ID: "owner"})
	bucketACL := acl.Private(acl.Owner{ID: "owner"})
	req := &Request{
		Principal: Principal{Type: User, Account: "111111111111", ARN: "arn:aws:iam::111111111111:user/alice", UniqueID: "AIDAEXAMPLE", CanonicalID: "caller"},
		Action:    "s3:GetObject", Resource: "arn:aws:s3:::shared-bucket/reports/q1.csv", ResourceAccount: "222222222222",
		Context: condition.Map{
			"aws:principalaccount": {"111111111111"}, "aws:securetransport": {"true"}, "aws:requestedregion": {"us-east-1"},
			"aws:sourceip": {"203.0.113.9"}, "aws:principalarn": {"arn:aws:iam::111111111111:user/alice"},
		},
	}
	in := &Inputs{
		PrincipalOrg: scps, Identity: identity, Boundary: &boundary,
		ResourceKind: BucketPolicy, Resource: &bucket,
		S3: &S3{BucketOwner: Owner{"222222222222", "owner"}, ObjectOwner: &Owner{"222222222222", "owner"},
			BucketACL: &bucketACL, ObjectACL: &objACL, Ownership: acl.ObjectWriter},
	}
	return req, in
}

func benchDecide(b *testing.B, unrelated int, trace bool) {
	req, in := benchScenario(b, unrelated)
	if d := Decide(req, in, Options{}); !d.Allowed {
		b.Fatalf("scenario should be allowed: %+v", d)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Decide(req, in, Options{Trace: trace})
	}
}

// go test ./engine/authz -run '^$' -bench Decide -benchmem
func BenchmarkDecideCrossAccountGetObject(b *testing.B)             { benchDecide(b, 0, false) }
func BenchmarkDecideCrossAccountGetObject10kUnrelated(b *testing.B) { benchDecide(b, 10000, false) }
func BenchmarkDecideCrossAccountGetObjectTraced(b *testing.B)       { benchDecide(b, 0, true) }
