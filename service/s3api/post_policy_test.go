package s3api

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func TestParsePostPolicy(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name   string
		policy string
		code   string // "" when the policy parses
		conds  int
		rng    [2]int64
	}{
		{name: "sdk style", policy: b64(`{"expiration":"2030-01-01T00:00:00Z","conditions":[{"bucket":"b"},["starts-with","$key","u/"]]}`), conds: 2},
		{name: "boto3 style", policy: b64(`{"expiration":"2030-01-01T00:00:00.000Z","conditions":[["eq","$acl","x"],["content-length-range",1,9]]}`), conds: 1, rng: [2]int64{1, 9}},
		{name: "operation case", policy: b64(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["Starts-With","$key",""]]}`), conds: 1},
		{name: "not base64", policy: "%%%", code: "InvalidPolicyDocument"},
		{name: "not json", policy: b64(`{`), code: "InvalidPolicyDocument"},
		{name: "no expiration", policy: b64(`{"conditions":[]}`), code: "InvalidPolicyDocument"},
		{name: "bad expiration", policy: b64(`{"expiration":"tomorrow","conditions":[]}`), code: "InvalidPolicyDocument"},
		{name: "no conditions", policy: b64(`{"expiration":"2030-01-01T00:00:00Z"}`), code: "InvalidPolicyDocument"},
		{name: "field without dollar", policy: b64(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["eq","key","k"]]}`), code: "InvalidPolicyDocument"},
		{name: "unknown operation", policy: b64(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["in","$key","k"]]}`), code: "InvalidPolicyDocument"},
		{name: "reversed range", policy: b64(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["content-length-range",9,1]]}`), code: "InvalidPolicyDocument"},
		{name: "negative range", policy: b64(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["content-length-range",-1,1]]}`), code: "InvalidPolicyDocument"},
		{name: "non-string value", policy: b64(`{"expiration":"2030-01-01T00:00:00Z","conditions":[{"acl":1}]}`), code: "InvalidPolicyDocument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, e := parsePostPolicy(tt.policy)
			if tt.code != "" {
				if e == nil || e.Code != tt.code {
					t.Fatalf("error %v, want %s", e, tt.code)
				}
				return
			}
			if e != nil {
				t.Fatal(e)
			}
			if len(p.conditions) != tt.conds || (tt.rng != [2]int64{} && (p.minSize != tt.rng[0] || p.maxSize != tt.rng[1])) {
				t.Errorf("got %+v", p)
			}
		})
	}
}

func TestPostPolicyCheck(t *testing.T) {
	future := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	now := future.Add(-time.Hour)
	p := func(conds ...postCondition) *postPolicy { return &postPolicy{expiration: future, conditions: conds} }
	eq := func(f, v string) postCondition { return postCondition{op: "eq", field: f, name: f, value: v} }
	sw := func(f, v string) postCondition { return postCondition{op: "starts-with", field: f, name: f, value: v} }
	tests := []struct {
		name   string
		policy *postPolicy
		fields map[string]string
		now    time.Time
		msg    string // "" when the form passes
	}{
		{name: "exact", policy: p(eq("key", "k")), fields: map[string]string{"key": "k"}},
		{name: "bucket is the request's", policy: p(eq("bucket", "b"), eq("key", "k")), fields: map[string]string{"key": "k"}},
		{name: "wrong bucket", policy: p(eq("bucket", "other"), eq("key", "k")), fields: map[string]string{"key": "k"}, msg: `Policy Condition failed: ["eq", "$bucket", "other"]`},
		{name: "exempt fields", policy: p(eq("key", "k")), fields: map[string]string{"key": "k", "policy": "p", "x-amz-signature": "s", "x-ignore-a": "1", "file": ""}},
		{name: "extra field", policy: p(eq("key", "k")), fields: map[string]string{"key": "k", "acl": "private", "tagging": "t"}, msg: "Extra input fields: acl, tagging"},
		{name: "empty prefix allows all", policy: p(sw("key", "")), fields: map[string]string{"key": "anything"}},
		{name: "content types", policy: p(sw("key", ""), sw("content-type", "image/")), fields: map[string]string{"key": "k", "content-type": "image/png, image/jpeg"}},
		{name: "one content type off", policy: p(sw("key", ""), sw("content-type", "image/")), fields: map[string]string{"key": "k", "content-type": "image/png,text/plain"},
			msg: `Policy Condition failed: ["starts-with", "$content-type", "image/"]`},
		{name: "missing field", policy: p(eq("key", "k"), eq("acl", "private")), fields: map[string]string{"key": "k"}, msg: `Policy Condition failed: ["eq", "$acl", "private"]`},
		{name: "expired", policy: p(eq("key", "k")), fields: map[string]string{"key": "k"}, now: future, msg: "Policy expired."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.now
			if at.IsZero() {
				at = now
			}
			e := tt.policy.check(tt.fields, "b", at)
			if tt.msg == "" {
				if e != nil {
					t.Fatal(e)
				}
				return
			}
			if e == nil || e.Code != "AccessDenied" || !strings.HasSuffix(e.Message, tt.msg) {
				t.Fatalf("error %v, want AccessDenied ...%s", e, tt.msg)
			}
		})
	}
}
