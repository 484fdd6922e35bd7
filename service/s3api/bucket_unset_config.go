package s3api

import (
	"encoding/xml"
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/store"
)

// verdict keeps no replication, Object Lock or event-notification
// configuration: the operations that set them answer NotImplemented. Their
// readers, which tools such as the Terraform AWS provider call on every
// refresh of a bucket, answer what S3 answers for a bucket on which the
// configuration was never set, after the same authorization as S3. (CORS,
// lifecycle, website, logging and Transfer Acceleration are stored: see
// bucket_configs.go.)

func init() {
	for _, c := range absentConfigs {
		register(c.op, c.handler())
	}
	register("GetBucketNotificationConfiguration", getBucketNotificationConfiguration)
}

// absentConfig is a bucket configuration whose Get operation fails with a
// 404 of its own when the bucket has none.
type absentConfig struct {
	op      string // S3 operation
	action  string // IAM action that authorizes it
	code    string // error code when unset
	message string // S3's message for code
}

// The not-found answers, with the error codes and messages of S3's list of
// error codes, https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList,
// and the actions of https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html.
var (
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html
	noCORS = absentConfig{"GetBucketCors", "s3:GetBucketCORS", "NoSuchCORSConfiguration", "The CORS configuration does not exist"}
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketWebsite.html
	noWebsite = absentConfig{"GetBucketWebsite", "s3:GetBucketWebsite", "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"}
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html
	noLifecycle = absentConfig{"GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"}
)

// absentConfigs are the configurations verdict never stores.
var absentConfigs = []absentConfig{
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html
	{"GetBucketReplication", "s3:GetReplicationConfiguration", "ReplicationConfigurationNotFoundError", "The replication configuration was not found"},
	// Object Lock can only be enabled when a bucket is created, which
	// verdict does not support, so no bucket has it.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html
	{"GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket"},
}

// handler loads and authorizes the bucket, then fails with the
// configuration's 404, which names the bucket in a BucketName element as
// S3's does.
func (c absentConfig) handler() func(*request) {
	return func(q *request) {
		err := q.onBucket(false, c.action, func(store.Tx, *model.Bucket) error {
			return c.err(q.bucket)
		})
		q.done(err)
	}
}

// err is the configuration's not-found error for bucket.
func (c absentConfig) err(bucket string) *awserr.Error {
	return awserr.New(c.code, http.StatusNotFound, c.message).With("BucketName", bucket)
}

// notificationConfiguration is GetBucketNotificationConfiguration's
// response; a bucket without event notifications has no child elements.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
type notificationConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ NotificationConfiguration"`
}

// getBucketNotificationConfiguration implements
// GetBucketNotificationConfiguration (s3:GetBucketNotification).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
func getBucketNotificationConfiguration(q *request) {
	writeEmptyConfig(q, "s3:GetBucketNotification", &notificationConfiguration{})
}

// writeEmptyConfig authorizes action on the bucket and writes v, a
// configuration with nothing set.
func writeEmptyConfig(q *request, action string, v any) {
	err := q.onBucket(false, action, func(store.Tx, *model.Bucket) error { return nil })
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, v)
}
