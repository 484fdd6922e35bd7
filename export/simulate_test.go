package export

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSimulate(t *testing.T) {
	tests := []struct {
		name      string
		changes   map[string]string
		q         Query
		allowed   bool
		layer     string
		warnings  int
		wantError string
	}{
		{name: "user allowed by inline policy", q: Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			allowed: true, layer: "identity"},
		{name: "group policy decoded from URL encoding", q: Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:ListBucket", Resource: "arn:aws:s3:::logs"},
			allowed: true, layer: "identity"},
		{name: "bucket policy denies bob", q: Query{Principal: "arn:aws:iam::123456789012:user/dev/bob", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			layer: "bucket-policy"},
		{name: "role session", q: Query{Principal: "arn:aws:sts::123456789012:assumed-role/reader/s1", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			allowed: true, layer: "identity"},
		{name: "role ARN", q: Query{Principal: "arn:aws:iam::123456789012:role/reader", Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/new"},
			layer: "identity"},
		{name: "anonymous list through public ACL", q: Query{Principal: "anonymous", Action: "s3:ListBucket", Resource: "arn:aws:s3:::logs"},
			allowed: true, layer: "acl"},
		{name: "kms key policy", q: Query{Principal: "arn:aws:iam::123456789012:root", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
			allowed: true, layer: "key-policy"},
		{name: "missing bucket policy stops", changes: map[string]string{"s3/logs/policy.json": ""},
			q:         Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			wantError: "aws s3api get-bucket-policy --bucket logs"},
		{name: "missing bucket policy assumed empty", changes: map[string]string{"s3/logs/policy.json": ""},
			q:       Query{Principal: "arn:aws:iam::123456789012:user/dev/bob", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log", AssumeMissingEmpty: true},
			allowed: true, layer: "identity", warnings: 1},
		{name: "missing object ACL", q: Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/other"},
			wantError: "aws s3api get-object-acl --bucket logs --key other"},
		{name: "unknown bucket", q: Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::nope/k"},
			wantError: "verdict collect-commands --bucket nope"},
		{name: "no IAM export", changes: map[string]string{"iam-authorization-details.json": ""},
			q:         Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			wantError: "aws iam get-account-authorization-details"},
		{name: "no account PAB export", changes: map[string]string{"s3control-public-access-block.json": ""},
			q:         Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			wantError: "aws s3control get-public-access-block --account-id 123456789012"},
		{name: "unknown endpoint", q: Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log", EndpointID: "vpce-zzz"},
			wantError: "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids vpce-zzz"},
		{name: "object owned by an unknown account", changes: map[string]string{"s3/logs/objects/2024/app.log.acl.json": `{"Owner":{"ID":"bbbb"},"Grants":[]}`},
			q:         Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			wantError: "which account has canonical ID bbbb"},
		{name: "object owned by another account", changes: map[string]string{"s3/logs/objects/2024/app.log.acl.json": `{"Owner":{"ID":"bbbb"},"Grants":[]}`,
			"canonical-ids.json": `{"bbbb":"210987654321"}`},
			q:     Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			layer: "object-ownership"},
		{name: "account without Block Public Access", changes: map[string]string{"s3control-public-access-block.json": `{}`},
			q:       Query{Principal: "anonymous", Action: "s3:ListBucket", Resource: "arn:aws:s3:::logs"},
			allowed: true, layer: "acl"},
		{name: "unsupported action", q: Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "iam:ListUsers", Resource: "*"},
			wantError: "simulate supports s3: and kms: actions"},
		{name: "unknown user", q: Query{Principal: "arn:aws:iam::123456789012:user/zed", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/2024/app.log"},
			wantError: "user zed is not in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Load(writeExport(t, tt.changes))
			if err != nil {
				t.Fatal(err)
			}
			tt.q.Now = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			res, err := Simulate(context.Background(), ex, tt.q)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("err = %v, want %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Record.Allowed != tt.allowed || res.Record.Layer != tt.layer {
				t.Errorf("allowed=%v layer=%s (%s), want %v %s", res.Record.Allowed, res.Record.Layer, res.Record.Message, tt.allowed, tt.layer)
			}
			if len(res.Warnings) != tt.warnings {
				t.Errorf("warnings = %q, want %d", res.Warnings, tt.warnings)
			}
			if res.Record.Trace == nil {
				t.Error("no trace recorded")
			}
		})
	}
}

func TestSimulateMissingIsTyped(t *testing.T) {
	ex, err := Load(writeExport(t, map[string]string{"s3/logs/acl.json": "", "s3/logs/ownership.json": ""}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Simulate(context.Background(), ex, Query{Principal: "anonymous", Action: "s3:ListBucket", Resource: "arn:aws:s3:::logs"})
	var me *MissingError
	if !errors.As(err, &me) || len(me.Need) != 2 {
		t.Fatalf("err = %v, want a MissingError naming two files", err)
	}
}

func TestParseCloudTrail(t *testing.T) {
	tests := []struct {
		name, event string
		want        Query
		wantErr     string
	}{
		{name: "s3 get object", event: `{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},
			"sourceIPAddress":"203.0.113.9","vpcEndpointId":"vpce-1","requestParameters":{"bucketName":"logs","key":"a/b.txt"},"errorCode":"AccessDenied"}`,
			want: Query{Principal: "arn:aws:iam::123456789012:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/a/b.txt", SourceIP: "203.0.113.9", EndpointID: "vpce-1"}},
		{name: "records wrapper and list", event: `{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"ListObjectsV2","userIdentity":{"type":"Root","accountId":"123456789012"},
			"sourceIPAddress":"s3.amazonaws.com","requestParameters":{"bucketName":"logs"}}]}`,
			want: Query{Principal: "arn:aws:iam::123456789012:root", Action: "s3:ListBucket", Resource: "arn:aws:s3:::logs"}},
		{name: "kms decrypt", event: `{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/r/s"},
			"resources":[{"ARN":"arn:aws:kms:us-east-1:123456789012:key/k1","type":"AWS::KMS::Key"}]}`,
			want: Query{Principal: "arn:aws:sts::123456789012:assumed-role/r/s", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:123456789012:key/k1"}},
		{name: "anonymous head", event: `{"eventSource":"s3.amazonaws.com","eventName":"HeadObject","userIdentity":{"type":"AWSAccount","principalId":""},"requestParameters":{"bucketName":"b","key":"k"}}`,
			want: Query{Principal: "anonymous", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}},
		{name: "not JSON", event: `nope`, wantErr: "not a CloudTrail event"},
		{name: "other service", event: `{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","userIdentity":{}}`, wantErr: "only S3, KMS, IAM and STS"},
		{name: "no resource", event: `{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"arn":"arn:aws:iam::123456789012:user/a"}}`, wantErr: "cannot tell the resource"},
		{name: "no identity", event: `{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}`, wantErr: "no userIdentity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseCloudTrail([]byte(tt.event))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Principal != tt.want.Principal || q.Action != tt.want.Action || q.Resource != tt.want.Resource || q.SourceIP != tt.want.SourceIP || q.EndpointID != tt.want.EndpointID {
				t.Errorf("got %+v, want %+v", q, tt.want)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	out := strings.Join(Commands("logs", "arn:aws:iam::210987654321:user/alice", "2024/app.log"), "\n")
	for _, want := range []string{
		"aws iam get-account-authorization-details --output json > iam-authorization-details.json",
		"aws s3api get-bucket-policy --bucket logs --output json > s3/logs/policy.json || echo '{}' > s3/logs/policy.json",
		"aws s3api get-bucket-acl --bucket logs",
		"aws s3api get-object-acl --bucket logs --key 2024/app.log --output json > s3/logs/objects/2024/app.log.acl.json",
		"mkdir -p s3/logs/objects/2024",
		"210987654321/",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("commands lack %q:\n%s", want, out)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"a/b.txt": "a/b.txt", "a b": "'a b'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
