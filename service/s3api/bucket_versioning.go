package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("PutBucketVersioning", putBucketVersioning)
	register("GetBucketVersioning", getBucketVersioning)
}

// putBucketVersioning implements PutBucketVersioning
// (s3:PutBucketVersioning): Status Enabled or Suspended, anything else
// (including no Status) MalformedXML. There is no way back to unversioned:
// "Once you version-enable a bucket, it can never return to an unversioned
// state" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html).
// MfaDelete Disabled is accepted and changes nothing; MfaDelete Enabled
// needs an x-amz-mfa token from the bucket owner's MFA device, which
// verdict has no way to check, so it answers NotImplemented.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html
func putBucketVersioning(q *request) {
	var cfg s3xml.VersioningConfiguration
	ok := putConfig(q, "s3:PutBucketVersioning", maxConfigBody, &cfg, func(_ store.Tx, b *model.Bucket) error {
		if cfg.Status == "" {
			return s3xml.MalformedXML()
		}
		if cfg.MfaDelete == "Enabled" {
			return awserr.NotImplemented()
		}
		b.Versioning = cfg.Status
		return nil
	})
	if ok {
		q.w.WriteHeader(http.StatusOK)
	}
}

// getBucketVersioning implements GetBucketVersioning
// (s3:GetBucketVersioning): the Status once set; a bucket whose versioning
// was never set gets an empty VersioningConfiguration. MfaDelete is
// returned only for buckets ever configured with MFA delete, which verdict
// never does.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html
func getBucketVersioning(q *request) {
	var out s3xml.VersioningConfiguration
	err := q.onBucket(false, "s3:GetBucketVersioning", func(_ store.Tx, b *model.Bucket) error {
		out.Status = b.Versioning
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}
