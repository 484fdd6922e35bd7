package s3api

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// encryptionBody is a PutBucketEncryption body with the given rules (each
// the content of a Rule element).
func encryptionBody(rules ...string) []byte {
	b := `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`
	for _, r := range rules {
		b += "<Rule>" + r + "</Rule>"
	}
	return []byte(b + `</ServerSideEncryptionConfiguration>`)
}

func sseRule(alg, key string, bucketKey bool) string {
	r := "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>" + alg + "</SSEAlgorithm>"
	if key != "" {
		r += "<KMSMasterKeyID>" + key + "</KMSMasterKeyID>"
	}
	r += "</ApplyServerSideEncryptionByDefault>"
	if bucketKey {
		r += "<BucketKeyEnabled>true</BucketKeyEnabled>"
	}
	return r
}

// TestBucketEncryption: every bucket reports SSE-S3 until configured
// otherwise; Put stores SSE-KMS with its key and Bucket Key setting, Delete
// goes back to SSE-S3, and the refusals are S3's.
func TestBucketEncryption(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "enc-a")
	ctx := context.Background()
	c := e.client(acctA)
	get := func() types.ServerSideEncryptionRule {
		t.Helper()
		out, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("enc-a")})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.ServerSideEncryptionConfiguration.Rules) != 1 {
			t.Fatalf("rules %+v", out.ServerSideEncryptionConfiguration.Rules)
		}
		return out.ServerSideEncryptionConfiguration.Rules[0]
	}
	r := e.do(acctA, http.MethodGet, "/enc-a?encryption", nil, nil)
	golden(t, "get_bucket_encryption_default", r.body)

	const key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("enc-a"),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(key)},
			BucketKeyEnabled:                   aws.Bool(true),
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	rule := get()
	if d := rule.ApplyServerSideEncryptionByDefault; d.SSEAlgorithm != types.ServerSideEncryptionAwsKms || aws.ToString(d.KMSMasterKeyID) != key || !aws.ToBool(rule.BucketKeyEnabled) {
		t.Errorf("rule %+v %+v", d, rule)
	}
	tests := []struct {
		name     string
		body     []byte
		code     string
		argument string
	}{
		{"no rules", encryptionBody(), "MalformedXML", ""},
		{"two rules", encryptionBody(sseRule("aws:kms", "", true), sseRule("AES256", "", false)), "MalformedXML", ""},
		{"unknown algorithm", encryptionBody(sseRule("AES128", "", false)), "MalformedXML", ""},
		{"rule without a default", encryptionBody("<BucketKeyEnabled>true</BucketKeyEnabled>"), "MalformedXML", ""},
		{"KMS key with AES256", encryptionBody(sseRule("AES256", "randomkeyid", false)), "InvalidArgument", "ApplyServerSideEncryptionByDefault"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodPut, "/enc-a?encryption", nil, tt.body)
			expectStatus(t, r, 400, tt.code)
			if element(r.body, "ArgumentName") != tt.argument {
				t.Errorf("ArgumentName %q", element(r.body, "ArgumentName"))
			}
		})
	}
	if d := get().ApplyServerSideEncryptionByDefault; aws.ToString(d.KMSMasterKeyID) != key {
		t.Errorf("refused requests changed the key: %+v", d)
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/enc-a?encryption", nil, encryptionBody(sseRule("aws:kms:dsse", "", false))), 200, "")
	if d := get().ApplyServerSideEncryptionByDefault; d.SSEAlgorithm != types.ServerSideEncryptionAwsKmsDsse {
		t.Errorf("DSSE-KMS: %+v", d)
	}
	expectStatus(t, e.do(acctB, http.MethodGet, "/enc-a?encryption", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodPut, "/enc-a?encryption", nil, encryptionBody(sseRule("AES256", "", false))), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodDelete, "/enc-a?encryption", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctA, http.MethodPut, "/no-such-enc?encryption", nil, encryptionBody()), 404, "NoSuchBucket")

	expectStatus(t, e.do(acctA, http.MethodDelete, "/enc-a?encryption", nil, nil), 204, "")
	expectStatus(t, e.do(acctA, http.MethodDelete, "/enc-a?encryption", nil, nil), 204, "")
	if rule := get(); rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 || aws.ToBool(rule.BucketKeyEnabled) {
		t.Errorf("after delete %+v", rule)
	}
}
