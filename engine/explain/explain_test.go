package explain

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/engine/trace"
)

func TestConditionText(t *testing.T) {
	tests := []struct {
		name    string
		c       trace.Condition
		effect  string
		want    string
		wantHas string
	}{
		{name: "deny not-equals absent (the issue's example)", effect: "Deny",
			c:    trace.Condition{Operator: "StringNotEquals", Key: "aws:SourceVpce", Want: []string{"vpce-1a2b"}},
			want: "aws:SourceVpce was absent; the statement requires vpce-1a2b"},
		{name: "allow equals absent", effect: "Allow",
			c:    trace.Condition{Operator: "StringEquals", Key: "aws:SourceVpce", Want: []string{"vpce-1a2b"}},
			want: "aws:SourceVpce was absent; the statement requires vpce-1a2b"},
		{name: "allow equals several values", effect: "Allow",
			c:    trace.Condition{Operator: "StringEquals", Key: "s3:prefix", Want: []string{"a/", "b/"}, Got: []string{"c/"}, Present: true},
			want: "s3:prefix was c/; the statement requires one of a/, b/"},
		{name: "deny bool", effect: "Deny",
			c:    trace.Condition{Operator: "Bool", Key: "aws:SecureTransport", Want: []string{"false"}, Got: []string{"false"}, Present: true, Matched: true},
			want: "aws:SecureTransport was false; the statement requires true"},
		{name: "deny bool if exists", effect: "Deny",
			c:    trace.Condition{Operator: "BoolIfExists", Key: "aws:MultiFactorAuthPresent", Want: []string{"false"}},
			want: "aws:MultiFactorAuthPresent was absent; the statement requires true (and aws:MultiFactorAuthPresent present)"},
		{name: "allow if exists", effect: "Allow",
			c:    trace.Condition{Operator: "StringEqualsIfExists", Key: "aws:PrincipalTag/team", Want: []string{"data"}, Got: []string{"web"}, Present: true},
			want: "aws:PrincipalTag/team was web; the statement requires data (or aws:PrincipalTag/team absent)"},
		{name: "deny null true", effect: "Deny",
			c:    trace.Condition{Operator: "Null", Key: "s3:x-amz-server-side-encryption", Want: []string{"true"}},
			want: "s3:x-amz-server-side-encryption was absent; the statement requires s3:x-amz-server-side-encryption to be present"},
		{name: "allow null false", effect: "Allow",
			c:    trace.Condition{Operator: "Null", Key: "aws:TokenIssueTime", Want: []string{"false"}},
			want: "aws:TokenIssueTime was absent; the statement requires aws:TokenIssueTime to be present"},
		{name: "deny not ip address", effect: "Deny",
			c:    trace.Condition{Operator: "NotIpAddress", Key: "aws:SourceIp", Want: []string{"192.0.2.0/24"}, Got: []string{"203.0.113.7"}, Present: true},
			want: "aws:SourceIp was 203.0.113.7; the statement requires an address in 192.0.2.0/24"},
		{name: "deny numeric less than", effect: "Deny",
			c:    trace.Condition{Operator: "NumericLessThan", Key: "s3:TlsVersion", Want: []string{"1.2"}, Got: []string{"1.1"}, Present: true},
			want: "s3:TlsVersion was 1.1; the statement requires a number of at least 1.2"},
		{name: "allow date before", effect: "Allow",
			c:    trace.Condition{Operator: "DateLessThan", Key: "aws:CurrentTime", Want: []string{"2020-01-01T00:00:00Z"}, Got: []string{"2025-03-14T09:26:53Z"}, Present: true},
			want: "aws:CurrentTime was 2025-03-14T09:26:53Z; the statement requires a time before 2020-01-01T00:00:00Z"},
		{name: "allow like", effect: "Allow",
			c:    trace.Condition{Operator: "StringLike", Key: "s3:prefix", Want: []string{"home/alice/*"}, Got: []string{""}, Present: true},
			want: `s3:prefix was ""; the statement requires a value matching home/alice/*`},
		{name: "allow not like several", effect: "Allow",
			c:    trace.Condition{Operator: "ArnNotLike", Key: "aws:PrincipalArn", Want: []string{"arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"}, Got: []string{"arn:aws:iam::1:role/a"}, Present: true},
			want: "aws:PrincipalArn was arn:aws:iam::1:role/a; the statement requires a value matching none of arn:aws:iam::*:role/a, arn:aws:iam::*:role/b"},
		{name: "set operator said as written", effect: "Allow",
			c:    trace.Condition{Operator: "ForAllValues:StringEquals", Key: "aws:TagKeys", Want: []string{"a"}, Got: []string{"a", "b"}, Present: true},
			want: "aws:TagKeys was a, b; the statement requires ForAllValues:StringEquals aws:TagKeys a"},
		{name: "deny set operator", effect: "Deny",
			c:    trace.Condition{Operator: "ForAnyValue:StringLike", Key: "aws:TagKeys", Want: []string{"x*"}, Got: []string{"xy"}, Present: true},
			want: "aws:TagKeys was xy; the statement denies when ForAnyValue:StringLike aws:TagKeys x*"},
		{name: "deny binary has no inverse", effect: "Deny",
			c:    trace.Condition{Operator: "BinaryEquals", Key: "k", Want: []string{"QmluYXJ5"}, Got: []string{"QmluYXJ5"}, Present: true},
			want: "k was QmluYXJ5; the statement denies when BinaryEquals k QmluYXJ5"},
		{name: "unknown operator", effect: "Allow",
			c:    trace.Condition{Operator: "Fancy", Key: "k", Want: []string{"v"}},
			want: "k was absent; the statement requires Fancy k v"},
		{name: "ignore case", effect: "Allow",
			c:       trace.Condition{Operator: "StringEqualsIgnoreCase", Key: "k", Want: []string{"V"}},
			wantHas: "(in any case)"},
		{name: "many values are cut", effect: "Allow",
			c:       trace.Condition{Operator: "StringEquals", Key: "k", Want: strings.Split("a,b,c,d,e,f,g,h", ",")},
			wantHas: "and 2 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := conditionText(&tt.c, tt.effect)
			if tt.want != "" && got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			if tt.wantHas != "" && !strings.Contains(got, tt.wantHas) {
				t.Fatalf("%q lacks %q", got, tt.wantHas)
			}
		})
	}
}

func TestRequirementCoversEveryInverse(t *testing.T) {
	for op, inv := range inverse {
		if _, ok := requirement(op, []string{"v"}); !ok {
			t.Errorf("no requirement for %s", op)
		}
		if inverse[inv] != op {
			t.Errorf("inverse of %s is %s, whose inverse is %s", op, inv, inverse[inv])
		}
	}
	for _, op := range []string{"NumericEquals", "DateNotEquals", "StringNotEqualsIgnoreCase", "DateLessThanEquals"} {
		if _, ok := requirement(op, []string{"a", "b"}); !ok {
			t.Errorf("no requirement for %s with two values", op)
		}
	}
	if _, ok := requirement("Null", []string{"maybe"}); ok {
		t.Error("Null with a non-boolean value has a requirement")
	}
	if _, _, ok := invert("Bool", []string{"maybe"}); ok {
		t.Error("Bool with a non-boolean value inverts")
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"safe", "arn:aws:s3:::b/k.txt", "arn:aws:s3:::b/k.txt"},
		{"empty", "", "''"},
		{"space", "a b", "'a b'"},
		{"single quote", "it's", `'it'\''s'`},
		{"json", `{"a":1}`, `'{"a":1}'`},
		{"dollar", "$HOME", "'$HOME'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shq(tt.in); got != tt.want {
				t.Fatalf("shq(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestClassifyPolicy(t *testing.T) {
	tests := []struct {
		name, in string
		want     policyKind
	}{
		{"user inline", "user/alice inline policy Read", policyKind{kind: "inline", owner: "user", name: "alice", inner: "Read"}},
		{"group inline", "group/dev inline policy Deny Deletes", policyKind{kind: "inline", owner: "group", name: "dev", inner: "Deny Deletes"}},
		{"role inline", "role/app inline policy X", policyKind{kind: "inline", owner: "role", name: "app", inner: "X"}},
		{"customer managed", "arn:aws:iam::111111111111:policy/team/S3", policyKind{kind: "managed", arn: "arn:aws:iam::111111111111:policy/team/S3"}},
		{"AWS managed", "arn:aws:iam::aws:policy/ReadOnlyAccess", policyKind{kind: "aws-managed", arn: "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
		{"session", "session policy", policyKind{kind: "session"}},
		{"org ID", "p-FullAWSAccess", policyKind{kind: "org", orgID: "p-FullAWSAccess"}},
		{"org ARN", "arn:aws:organizations::111111111111:policy/o-abc/service_control_policy/p-12345678", policyKind{kind: "org", orgID: "p-12345678"}},
		{"org ARN without ID", "arn:aws:organizations::111111111111:policy/o-abc", policyKind{}},
		{"other", "bucket policy of b", policyKind{}},
		{"inline without name", "user/alice inline policy ", policyKind{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classifyPolicy(tt.in); got != tt.want {
				t.Fatalf("classifyPolicy(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestS3Command(t *testing.T) {
	tests := []struct {
		action, bucket, key string
		want                string
	}{
		{"s3:GetObject", "b", "a/k.csv", "aws s3api get-object --bucket b --key a/k.csv k.csv"},
		{"s3:PutObject", "b", "k", "aws s3api put-object --bucket b --key k --body k"},
		{"s3:DeleteObject", "b", "k", "aws s3api delete-object --bucket b --key k"},
		{"s3:GetObjectTagging", "b", "k", "aws s3api get-object-tagging --bucket b --key k"},
		{"s3:GetObjectAcl", "b", "k", "aws s3api get-object-acl --bucket b --key k"},
		{"s3:ListBucket", "b", "", "aws s3api list-objects-v2 --bucket b"},
		{"s3:ListBucketVersions", "b", "", "aws s3api list-object-versions --bucket b"},
		{"s3:GetObject", "b", "", ""},
		{"s3:PutBucketPolicy", "b", "", ""},
		{"s3:GetObject", "", "k", ""},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.key, func(t *testing.T) {
			words, ok := s3Command(tt.action, tt.bucket, tt.key)
			got := ""
			if ok {
				got = cmd(words...)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCallerFromRecord(t *testing.T) {
	tests := []struct {
		name string
		r    Record
		want caller
	}{
		{"user", Record{Principal: "arn:aws:iam::111111111111:user/path/alice"},
			caller{arn: "arn:aws:iam::111111111111:user/path/alice", typ: typeUser, account: "111111111111", user: "alice"}},
		{"root", Record{Principal: "arn:aws:iam::111111111111:root"},
			caller{arn: "arn:aws:iam::111111111111:root", typ: typeRoot, account: "111111111111"}},
		{"role session without role ARN", Record{Principal: "arn:aws:sts::111111111111:assumed-role/app/s1"},
			caller{arn: "arn:aws:sts::111111111111:assumed-role/app/s1", typ: typeRole, account: "111111111111", role: "app", session: "s1"}},
		{"role session with path", Record{Principal: "arn:aws:sts::111111111111:assumed-role/app/s1", RoleARN: "arn:aws:iam::111111111111:role/svc/app"},
			caller{arn: "arn:aws:sts::111111111111:assumed-role/app/s1", typ: typeRole, account: "111111111111", role: "app", roleARN: "arn:aws:iam::111111111111:role/svc/app", session: "s1"}},
		{"federated", Record{Principal: "arn:aws:sts::111111111111:federated-user/carol", RoleARN: "arn:aws:iam::111111111111:user/broker"},
			caller{arn: "arn:aws:sts::111111111111:federated-user/carol", typ: typeFederated, account: "111111111111", user: "broker", session: "carol"}},
		{"anonymous", Record{Principal: "anonymous"}, caller{arn: "anonymous", typ: typeAnonymous}},
		{"empty", Record{}, caller{typ: typeAnonymous}},
		{"service", Record{Principal: "logging.s3.amazonaws.com"}, caller{arn: "logging.s3.amazonaws.com", typ: typeService}},
		{"unparsable", Record{Principal: "bob"}, caller{arn: "bob"}},
		{"other ARN", Record{Principal: "arn:aws:s3:::b"}, caller{arn: "arn:aws:s3:::b"}},
		{"logged type wins", Record{Principal: "arn:aws:iam::111111111111:user/alice", PrincipalType: "User", Account: "111111111111"},
			caller{arn: "arn:aws:iam::111111111111:user/alice", typ: typeUser, account: "111111111111", user: "alice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newCaller(&tt.r); got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// fixFor explains r and returns its first fix of cause.
func fixFor(t *testing.T, r *Record, cause string) Fix {
	t.Helper()
	e := Explain(r)
	for _, fx := range e.Fixes {
		if fx.Cause == cause {
			return fx
		}
	}
	t.Fatalf("no %s fix in %+v", cause, e.Fixes)
	return Fix{}
}

func TestFixesWithoutTrace(t *testing.T) {
	deny := func(layer authz.Layer, effect authz.Effect, principal string) Record {
		return Record{Principal: principal, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/dir/k", ResourceAccount: "222222222222",
			Layer: string(layer), Effect: string(effect)}
	}
	user := "arn:aws:iam::111111111111:user/alice"
	role := "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com"
	tests := []struct {
		name  string
		r     Record
		cause string
		has   []string
	}{
		{"identity user", deny(authz.LayerIdentity, authz.ImplicitDeny, user), CauseIdentity,
			[]string{"aws iam put-user-policy --user-name alice --policy-name AllowS3GetObject-b"}},
		{"identity Identity Center role", deny(authz.LayerIdentity, authz.ImplicitDeny, role), CauseIdentity,
			[]string{"IAM Identity Center", "put-inline-policy-to-permission-set"}},
		{"identity unknown user", func() Record {
			r := deny(authz.LayerIdentity, authz.ImplicitDeny, "arn:aws:iam::111111111111:user/alice")
			r.Principal, r.PrincipalType, r.Account = "AIDAEXAMPLE", "User", "111111111111"
			return r
		}(), CauseIdentity, []string{"<IAM-USER-NAME>", "does not name the IAM user"}},
		{"identity unknown role", func() Record {
			r := deny(authz.LayerIdentity, authz.ImplicitDeny, "x")
			r.PrincipalType = "AssumedRole"
			return r
		}(), CauseIdentity, []string{"<ROLE-NAME>"}},
		{"identity root", deny(authz.LayerIdentity, authz.ImplicitDeny, "arn:aws:iam::111111111111:root"), CauseIdentity,
			[]string{"does not say which IAM user or role"}},
		{"identity federated", func() Record {
			r := deny(authz.LayerIdentity, authz.ImplicitDeny, "arn:aws:sts::111111111111:federated-user/carol")
			r.RoleARN = "arn:aws:iam::111111111111:user/broker"
			return r
		}(), CauseIdentity, []string{"--user-name broker", "GetFederationToken"}},
		{"bucket policy anonymous", deny(authz.LayerBucketPolicy, authz.ImplicitDeny, "anonymous"), CauseBucketPolicy,
			[]string{`"Principal": "*"`, "public"}},
		{"bucket policy service", deny(authz.LayerBucketPolicy, authz.ImplicitDeny, "cloudtrail.amazonaws.com"), CauseBucketPolicy,
			[]string{`"Service": "cloudtrail.amazonaws.com"`, "aws:SourceArn"}},
		{"bucket policy foreign object", func() Record {
			r := deny(authz.LayerBucketPolicy, authz.ImplicitDeny, user)
			r.ObjectOwner = "333333333333"
			return r
		}(), CauseBucketPolicy, []string{"owned by account 333333333333"}},
		{"bucket unknown", func() Record {
			r := deny(authz.LayerBucketPolicy, authz.ImplicitDeny, user)
			r.Action = "s3:ListAllMyBuckets"
			r.Resource = ""
			return r
		}(), CauseBucketPolicy, []string{"<BUCKET>", "does not name the bucket"}},
		{"key policy without key", Record{Principal: user, Action: "kms:Decrypt", Layer: "key-policy", Effect: "implicit-deny"}, CauseKeyPolicy,
			[]string{"<KEY-ARN>"}},
		{"key policy cross account no identity", Record{Principal: user, Action: "kms:GenerateDataKey", Resource: "arn:aws:kms:us-east-1:222222222222:key/k",
			ResourceAccount: "222222222222", Layer: "key-policy", Effect: "implicit-deny"}, CauseKeyPolicy,
			[]string{"must allow kms:GenerateDataKey on arn:aws:kms:us-east-1:222222222222:key/k as well", "arn:aws:iam::111111111111:root"}},
		{"aws managed key", Record{Principal: user, Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:222222222222:key/k",
			ResourceAccount: "222222222222", Layer: "key-policy", Effect: "implicit-deny", AWSManagedKey: true}, CauseAWSManagedKey,
			[]string{"AWS managed key"}},
		{"trust policy", Record{Principal: user, Action: "sts:AssumeRole", Resource: "arn:aws:iam::222222222222:role/Reader",
			ResourceAccount: "222222222222", Layer: "trust-policy", Effect: "implicit-deny"}, CauseTrustPolicy,
			[]string{"update-assume-role-policy --role-name Reader", "identity-based policy must allow"}},
		{"trust policy unknown role", Record{Principal: user, Action: "sts:AssumeRole", Layer: "trust-policy", Effect: "implicit-deny"}, CauseTrustPolicy,
			[]string{"<ROLE-NAME>"}},
		{"other resource policy", Record{Principal: user, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:222222222222:q",
			Layer: "resource-policy", Effect: "implicit-deny"}, CauseResourcePolicy, []string{"sqs:SendMessage"}},
		{"endpoint without ID", deny(authz.LayerEndpoint, authz.ImplicitDeny, user), CauseEndpoint,
			[]string{"<VPC-ENDPOINT-ID>", "aws:PrincipalArn"}},
		{"scp without level", deny(authz.LayerSCP, authz.ImplicitDeny, user), CauseSCP, []string{"<TARGET-ID>"}},
		{"rcp from note", func() Record {
			r := deny(authz.LayerRCP, authz.ImplicitDeny, user)
			r.Trace = &trace.Trace{Stages: []*trace.Stage{{Layer: "rcp", Outcome: trace.ImplicitDeny, Note: "no resource control policy attached at ou-x allows the action"}}}
			return r
		}(), CauseRCP, []string{"--target-id ou-x --filter RESOURCE_CONTROL_POLICY"}},
		{"boundary unknown", deny(authz.LayerBoundary, authz.ImplicitDeny, user), CauseBoundary, []string{"put-user-permissions-boundary --user-name alice"}},
		{"boundary role AWS managed", func() Record {
			r := deny(authz.LayerBoundary, authz.ImplicitDeny, "arn:aws:sts::111111111111:assumed-role/app/s")
			r.Trace = &trace.Trace{Stages: []*trace.Stage{{Layer: "permissions-boundary", Policies: []*trace.Policy{{Name: "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}}
			return r
		}(), CauseBoundary, []string{"cannot be edited", "put-role-permissions-boundary --role-name app"}},
		{"session role without ARN", deny(authz.LayerSession, authz.ImplicitDeny, "arn:aws:sts::111111111111:assumed-role/app/s"), CauseSession,
			[]string{"<ROLE-ARN>", "--role-session-name s"}},
		{"session federated", deny(authz.LayerSession, authz.ImplicitDeny, "arn:aws:sts::111111111111:federated-user/carol"), CauseSession,
			[]string{"get-federation-token --name carol"}},
		{"requester pays anonymous", deny(authz.LayerRequesterPays, authz.ImplicitDeny, "anonymous"), CauseRequesterPays,
			[]string{"never serves anonymous", "get-object --bucket b --key dir/k k --request-payer requester"}},
		{"requester pays other action", func() Record {
			r := deny(authz.LayerRequesterPays, authz.ImplicitDeny, user)
			r.Action = "s3:RestoreObject"
			return r
		}(), CauseRequesterPays, []string{"Add --request-payer requester to the aws s3api"}},
		{"ownership unknown owner", func() Record {
			r := deny(authz.LayerObjectOwner, authz.ImplicitDeny, user)
			r.Resource = "arn:aws:s3:::b"
			return r
		}(), CauseObjectOwnership, []string{"does not name the object's owner", "--grant-read"}},
		{"public access without settings", deny(authz.LayerPublicAccess, authz.ExplicitDeny, user), CausePublicAccess,
			[]string{"RestrictPublicBuckets"}},
		{"explicit deny without statement", deny(authz.LayerSCP, authz.ExplicitDeny, user), CauseExplicitDeny,
			[]string{"does not say which statement"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			fx := fixFor(t, &r, tt.cause)
			all := fx.Summary + "\n" + strings.Join(fx.Commands, "\n") + "\n" + fx.Policy + "\n" + strings.Join(fx.Notes, "\n")
			for _, h := range tt.has {
				if !strings.Contains(all, h) {
					t.Errorf("fix lacks %q:\n%s", h, all)
				}
			}
		})
	}
}

func TestPublicAccessSecondFixWithoutSettings(t *testing.T) {
	r := Record{Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
		ResourceAccount: "222222222222", Layer: "public-access-block", Effect: "explicit-deny"}
	e := Explain(&r)
	if len(e.Fixes) != 2 || !strings.Contains(strings.Join(e.Fixes[1].Notes, " "), "get-public-access-block") {
		t.Fatalf("%+v", e.Fixes)
	}
}

// TestEditCommands covers how each kind of policy holding an explicit deny
// is read and written back.
func TestEditCommands(t *testing.T) {
	tests := []struct {
		name, layer, policy string
		r                   Record
		has                 []string
	}{
		{"bucket", "bucket-policy", "bucket policy of b", Record{Bucket: "b"}, []string{"get-bucket-policy --bucket b", "put-bucket-policy --bucket b"}},
		{"bucket unknown", "bucket-policy", "x", Record{}, []string{"<BUCKET>"}},
		{"key", "key-policy", "k", Record{Action: "kms:Decrypt", Resource: "arn:aws:kms:r:1:key/k"}, []string{"get-key-policy --key-id arn:aws:kms:r:1:key/k"}},
		{"trust", "trust-policy", "t", Record{Resource: "arn:aws:iam::1:role/R"}, []string{"get-role --role-name R"}},
		{"endpoint by name", "vpc-endpoint", "vpce-9", Record{}, []string{"--vpc-endpoint-ids vpce-9"}},
		{"endpoint unknown", "vpc-endpoint", "ep", Record{}, []string{"<VPC-ENDPOINT-ID>"}},
		{"scp by ID", "scp", "p-abcdefgh", Record{}, []string{"describe-policy --policy-id p-abcdefgh", "update-policy --policy-id p-abcdefgh"}},
		{"rcp by name", "rcp", "DenyExternal", Record{}, []string{"--filter RESOURCE_CONTROL_POLICY", "Policies[?Name=='DenyExternal'].Id"}},
		{"scp by name", "scp", "Guard", Record{}, []string{"--filter SERVICE_CONTROL_POLICY"}},
		{"user inline", "identity", "user/alice inline policy P", Record{}, []string{"get-user-policy --user-name alice --policy-name P"}},
		{"role inline", "identity", "role/app inline policy P", Record{}, []string{"put-role-policy --role-name app --policy-name P"}},
		{"customer managed", "identity", "arn:aws:iam::1:policy/P", Record{}, []string{"create-policy-version --policy-arn arn:aws:iam::1:policy/P", "five versions"}},
		{"AWS managed", "permissions-boundary", "arn:aws:iam::aws:policy/P", Record{}, []string{"list-entities-for-policy", "cannot be edited"}},
		{"session", "session", "session policy", Record{}, []string{"new session"}},
		{"unknown", "identity", "mystery", Record{}, []string{"Look up where the policy mystery is attached"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			f := newFacts(&r)
			cmds, run, notes := f.editCommands(tt.layer, tt.policy)
			all := strings.Join(cmds, "\n") + "\n" + run + "\n" + strings.Join(notes, "\n")
			for _, h := range tt.has {
				if !strings.Contains(all, h) {
					t.Errorf("lacks %q:\n%s", h, all)
				}
			}
		})
	}
}

// TestReconstructWithoutQuote: a traced record whose deciding statement is
// not quoted gets the statement rebuilt from the trace.
func TestReconstructWithoutQuote(t *testing.T) {
	files, cases := scenarios(t)
	for _, file := range files {
		if scenarioName(file) != "scp-explicit" {
			continue
		}
		r := scenarioRecord(t, "scp-explicit", cases[file], true)
		r.Quotes = nil
		fx := fixFor(t, r, CauseExplicitDeny)
		for _, h := range []string{`"Sid": "DenyOutsideEU"`, `"NotAction": [`, `"StringNotEquals": {`, "rebuilt from the trace"} {
			if !strings.Contains(fx.Policy+strings.Join(fx.Notes, " "), h) {
				t.Errorf("lacks %q:\n%s", h, fx.Policy)
			}
		}
		return
	}
	t.Fatal("scenario scp-explicit not found")
}

func TestReconstructPrincipalStar(t *testing.T) {
	got := reconstruct(&Statement{Effect: "Deny", Elements: []Element{
		{Name: "Principal", Want: []string{"*"}}, {Name: "NotAction", Want: []string{"a", "b"}}, {Name: "Resource"},
	}})
	want := "{\n  \"Effect\": \"Deny\",\n  \"Principal\": \"*\",\n  \"NotAction\": [\n    \"a\",\n    \"b\"\n  ],\n  \"Resource\": []\n}"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if reconstruct(&Statement{}) != "" {
		t.Fatal("empty statement reconstructed")
	}
}

func TestStatementSource(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"A\"}","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	st := &p.Statements[0]
	text, ok := statementSource(p, st)
	if !ok || !strings.Contains(text, `"Sid": "A\"}"`) || !strings.HasSuffix(text, "}") {
		t.Fatalf("got %q, %v", text, ok)
	}
	bad := *st
	bad.Pos = 1
	if _, ok := statementSource(p, &bad); ok {
		t.Fatal("quoted from a position that is not a statement")
	}
	bad.Pos = len(doc) + 5
	if _, ok := statementSource(p, &bad); ok {
		t.Fatal("quoted past the end")
	}
	if _, ok := objectEnd([]byte(`{"a":[1,2`), 0); ok {
		t.Fatal("unterminated object has an end")
	}
	long := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["` + strings.Repeat("x", maxQuote) + `"]}]}`
	p, err = policy.Parse([]byte(long))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := statementSource(p, &p.Statements[0]); ok {
		t.Fatal("quoted an over-long statement")
	}
}

func TestNewRecordWithoutInputs(t *testing.T) {
	req := &authz.Request{Principal: authz.Principal{Type: authz.Service, ServiceName: "logging.s3.amazonaws.com"}, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k"}
	d := authz.Decision{Effect: authz.ImplicitDeny, Layer: authz.LayerBucketPolicy}
	r := NewRecord(req, nil, &d)
	if r.Principal != "logging.s3.amazonaws.com" || r.PrincipalType != "Service" || r.Message != "Access Denied" || r.Bucket != "" {
		t.Fatalf("%+v", r)
	}
	anon := &authz.Request{Principal: authz.Principal{Type: authz.Anonymous}, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	in := &authz.Inputs{Endpoint: &authz.PolicyRef{Name: "vpce-77"}, KMS: &authz.KMS{AWSManaged: true}}
	r = NewRecord(anon, in, &d)
	if r.Principal != "anonymous" || r.EndpointID != "vpce-77" || !r.AWSManagedKey || r.Bucket != "b" || r.Key != "k" {
		t.Fatalf("%+v", r)
	}
}

func TestQuoteLookup(t *testing.T) {
	p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ref := authz.PolicyRef{Name: "n", Policy: p}
	in := &authz.Inputs{
		PrincipalOrg: &authz.Org{Levels: []authz.OrgLevel{{Target: "r-1", Policies: []authz.PolicyRef{ref}}}},
		ResourceOrg:  &authz.Org{Levels: []authz.OrgLevel{{Target: "r-1", Policies: []authz.PolicyRef{ref}}}},
		Endpoint:     &ref, Identity: []authz.PolicyRef{ref}, Boundary: &ref, Session: []authz.PolicyRef{ref}, Resource: &ref,
	}
	for _, l := range []authz.Layer{authz.LayerSCP, authz.LayerRCP, authz.LayerEndpoint, authz.LayerIdentity, authz.LayerBoundary, authz.LayerSession, authz.LayerKeyPolicy} {
		if _, ok := quote(in, authz.Ref{Layer: l, Policy: "n", Target: "r-1"}); !ok {
			t.Errorf("%s: no quote", l)
		}
	}
	for _, ref := range []authz.Ref{{Layer: authz.LayerACL, Policy: "n"}, {Layer: authz.LayerIdentity, Policy: "other"}, {Layer: authz.LayerIdentity, Policy: "n", Index: 3}} {
		if _, ok := quote(in, ref); ok {
			t.Errorf("%+v quoted", ref)
		}
	}
}

type failWriter struct{}

var errWrite = errors.New("write failed")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriters(t *testing.T) {
	if err := WriteText(&bytes.Buffer{}, nil, TextOptions{}); !errors.Is(err, ErrNilExplanation) {
		t.Fatalf("WriteText(nil) = %v", err)
	}
	if err := WriteJSON(&bytes.Buffer{}, nil); !errors.Is(err, ErrNilExplanation) {
		t.Fatalf("WriteJSON(nil) = %v", err)
	}
	e := Explain(&Record{Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Layer: "identity", Effect: "implicit-deny"})
	if err := WriteText(failWriter{}, e, TextOptions{Verbose: true}); !errors.Is(err, errWrite) {
		t.Fatalf("WriteText to a failing writer = %v", err)
	}
	if err := WriteJSON(failWriter{}, e); !errors.Is(err, errWrite) {
		t.Fatalf("WriteJSON to a failing writer = %v", err)
	}
}

func TestSummaries(t *testing.T) {
	tests := []struct {
		name string
		r    Record
		has  string
	}{
		{"allowed by root", Record{Allowed: true, Effect: "allow", Layer: "root", Principal: "arn:aws:iam::1:root"}, "root user needs no policy"},
		{"allowed by ACL", Record{Allowed: true, Effect: "allow", Layer: "acl", Statements: []authz.Ref{{Layer: authz.LayerACL, Policy: "bucket ACL", Sid: "READ to x"}}}, "the bucket ACL"},
		{"unknown layer", Record{Effect: "implicit-deny", Layer: "mystery"}, "Denied by the mystery"},
		{"empty layer", Record{}, "unknown layer"},
		{"explicit without statement", Record{Effect: "explicit-deny", Layer: "scp"}, "an explicit deny in a service control policy matches"},
		{"ownership without owner", Record{Effect: "implicit-deny", Layer: "object-ownership"}, "owned by another account"},
		{"requester pays anonymous", Record{Effect: "implicit-deny", Layer: "requester-pays", Principal: "anonymous"}, "never allows anonymous"},
		{"anonymous bucket", Record{Effect: "implicit-deny", Layer: "bucket-policy", Principal: "anonymous", ResourceAccount: "1"}, "needs a grant in the bucket policy"},
		{"trust", Record{Effect: "implicit-deny", Layer: "trust-policy", Resource: "arn:aws:iam::1:role/R"}, "role trust policy of arn:aws:iam::1:role/R"},
		{"rcp", Record{Effect: "implicit-deny", Layer: "rcp"}, "no resource control policy allows"},
		{"acl", Record{Effect: "implicit-deny", Layer: "acl"}, "no resource-based policy allows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			e := Explain(&r)
			var b bytes.Buffer
			if err := WriteText(&b, e, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.has) {
				t.Fatalf("lacks %q:\n%s", tt.has, b.String())
			}
		})
	}
}
