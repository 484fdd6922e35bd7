package s3api

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/verdict-project/verdict/model"
)

// TestUnsetBucketConfigs: the readers of configurations verdict never
// stores answer as S3 does for a bucket on which they were never set, and
// authorize like every bucket sub-resource operation.
func TestUnsetBucketConfigs(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "unset-a")
	e.createBucket(acctA, "unset-shared")
	// B may read every configuration of unset-shared.
	e.setPolicy("unset-shared", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
"Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":["s3:GetBucket*","s3:GetLifecycleConfiguration",
"s3:GetReplicationConfiguration","s3:GetAccelerateConfiguration"],"Resource":"arn:aws:s3:::unset-shared"}]}`)
	tests := []struct {
		name, query string
		status      int
		code        string // error code, "" on success
		golden      string // golden file of the owner's response
	}{
		{"cors", "cors", 404, "NoSuchCORSConfiguration", "get_bucket_cors_unset"},
		{"website", "website", 404, "NoSuchWebsiteConfiguration", "get_bucket_website_unset"},
		{"lifecycle", "lifecycle", 404, "NoSuchLifecycleConfiguration", "get_bucket_lifecycle_unset"},
		{"replication", "replication", 404, "ReplicationConfigurationNotFoundError", "get_bucket_replication_unset"},
		{"object lock", "object-lock", 404, "ObjectLockConfigurationNotFoundError", "get_object_lock_unset"},
		{"versioning", "versioning", 200, "", "get_bucket_versioning_unset"},
		{"logging", "logging", 200, "", "get_bucket_logging_unset"},
		{"accelerate", "accelerate", 200, "", "get_bucket_accelerate_unset"},
		{"notification", "notification", 200, "", "get_bucket_notification_unset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodGet, "/unset-a?"+tt.query, nil, nil)
			expectStatus(t, r, tt.status, tt.code)
			golden(t, tt.golden, r.body)
			if tt.code != "" && element(r.body, "BucketName") != "unset-a" {
				t.Errorf("error names no BucketName: %s", r.body)
			}
			expectStatus(t, e.do(acctB, http.MethodGet, "/unset-a?"+tt.query, nil, nil), 403, "AccessDenied")
			expectStatus(t, e.do(acctB, http.MethodGet, "/unset-shared?"+tt.query, nil, nil), tt.status, tt.code)
			expectStatus(t, e.do(acctA, http.MethodGet, "/no-such-unset?"+tt.query, nil, nil), 404, "NoSuchBucket")
			expectStatus(t, e.do("", http.MethodGet, "/unset-a?"+tt.query, nil, nil), 403, "AccessDenied")
		})
	}
}

// TestBucketVersioningState: a versioning state given by a world file is
// what GetBucketVersioning reports, read back by the SDK.
func TestBucketVersioningState(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name, state string
	}{
		{"never set", ""},
		{"enabled", "Enabled"},
		{"suspended", "Suspended"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "versioning-" + string(rune('a'+i))
			e.createBucket(acctA, name)
			e.setBucket(name, func(b *model.Bucket) { b.Versioning = tt.state })
			out, err := e.client(acctA).GetBucketVersioning(context.Background(), &s3.GetBucketVersioningInput{Bucket: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			if string(out.Status) != tt.state || out.MFADelete != "" {
				t.Errorf("Status %q MFADelete %q, want %q and none", out.Status, out.MFADelete, tt.state)
			}
		})
	}
}

// TestUnsetBucketConfigsSDK: the SDK decodes each answer into the shape
// clients test for (the error code, or an output with nothing set).
func TestUnsetBucketConfigsSDK(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "unset-sdk")
	c, ctx, b := e.client(acctA), context.Background(), aws.String("unset-sdk")
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"cors", func() error { _, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b}); return err }, "NoSuchCORSConfiguration"},
		{"website", func() error { _, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b}); return err }, "NoSuchWebsiteConfiguration"},
		{"lifecycle", func() error {
			_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
			return err
		}, "NoSuchLifecycleConfiguration"},
		{"replication", func() error {
			_, err := c.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: b})
			return err
		},
			"ReplicationConfigurationNotFoundError"},
		{"object lock", func() error {
			_, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: b})
			return err
		}, "ObjectLockConfigurationNotFoundError"},
		{"logging", func() error {
			out, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b})
			if err == nil && out.LoggingEnabled != nil {
				t.Errorf("LoggingEnabled = %+v", out.LoggingEnabled)
			}
			return err
		}, ""},
		{"accelerate", func() error {
			out, err := c.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: b})
			if err == nil && out.Status != "" {
				t.Errorf("Status = %q", out.Status)
			}
			return err
		}, ""},
		{"notification", func() error {
			out, err := c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
			if err == nil && (len(out.TopicConfigurations)+len(out.QueueConfigurations)+len(out.LambdaFunctionConfigurations) != 0 || out.EventBridgeConfiguration != nil) {
				t.Errorf("configured: %+v", out)
			}
			return err
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apiCode(tt.call()); got != tt.code {
				t.Errorf("code %q, want %q", got, tt.code)
			}
		})
	}
}
