package s3api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// The bucket configurations that tools such as Terraform declare beside a
// bucket — CORS, lifecycle, website, server access logging and Transfer
// Acceleration — are validated as S3 validates them, stored in the bucket
// record (model.BucketConfigs, so that DeleteBucket drops them with the
// bucket) and returned as S3 serializes them. verdict does not act on
// them: there is no CORS preflight, no lifecycle expiration or transition,
// no website endpoint and no access log delivery.

func init() {
	register("PutBucketCors", putBucketCors)
	register("GetBucketCors", getBucketCors)
	register("DeleteBucketCors", deleteBucketCors)
	register("PutBucketLifecycleConfiguration", putBucketLifecycle)
	register("GetBucketLifecycleConfiguration", getBucketLifecycle)
	register("DeleteBucketLifecycle", deleteBucketLifecycle)
	register("PutBucketWebsite", putBucketWebsite)
	register("GetBucketWebsite", getBucketWebsite)
	register("DeleteBucketWebsite", deleteBucketWebsite)
	register("PutBucketLogging", putBucketLogging)
	register("GetBucketLogging", getBucketLogging)
	register("PutBucketAccelerateConfiguration", putBucketAccelerate)
	register("GetBucketAccelerateConfiguration", getBucketAccelerate)
}

// transitionMinSizeHeader carries a lifecycle configuration's default
// minimum object size for transitions, in both directions.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
const transitionMinSizeHeader = "x-amz-transition-default-minimum-object-size"

// configs returns b's stored configurations, creating the record.
func configs(b *model.Bucket) *model.BucketConfigs {
	if b.Configs == nil {
		b.Configs = &model.BucketConfigs{}
	}
	return b.Configs
}

// stored returns one of b's documents ("" when unset).
func stored(b *model.Bucket, pick func(*model.BucketConfigs) string) string {
	if b.Configs == nil {
		return ""
	}
	return pick(b.Configs)
}

// putConfig is the shape of every Put here: read the body (at most limit
// bytes) before the transaction, then load and authorize the bucket, decode
// and validate the body into v, let apply change the bucket, and save it.
// S3 reports a missing bucket or a denial before a bad body.
func putConfig(q *request, action string, limit int64, v any, apply func(tx store.Tx, b *model.Bucket) error) bool {
	body, e := readBody(q, limit, s3xml.MalformedXML())
	if e != nil {
		q.fail(e)
		return false
	}
	err := q.onBucket(true, action, func(tx store.Tx, b *model.Bucket) error {
		if err := s3xml.Decode(bytes.NewReader(body), limit, v); err != nil {
			return err
		}
		if err := apply(tx, b); err != nil {
			return err
		}
		return saveConfigs(tx, b)
	})
	return !q.done(err)
}

// saveConfigs stores b, dropping an empty configuration record.
func saveConfigs(tx store.Tx, b *model.Bucket) error {
	if b.Configs.Empty() {
		b.Configs = nil
	}
	return state.PutBucket(tx, b)
}

// deleteConfig implements the DeleteBucket* operations: clear authorizes
// with action and clears the document; 204 whether or not it was set.
func deleteConfig(q *request, action string, clear func(*model.BucketConfigs)) {
	err := q.onBucket(true, action, func(tx store.Tx, b *model.Bucket) error {
		if b.Configs == nil {
			return nil
		}
		clear(b.Configs)
		return saveConfigs(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}

// document is v as the XML document stored and returned.
func document(v any) (string, error) {
	b, err := s3xml.Marshal(v)
	return string(b), err
}

// writeDocument sends a stored document as s3xml.Write sends a value.
func writeDocument(q *request, doc string) {
	q.w.Header().Set("Content-Type", "application/xml")
	q.w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	q.w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(q.w, doc)
}

// getConfig implements a Get whose unset answer is the 404 of unset.
func getConfig(q *request, unset absentConfig, pick func(*model.BucketConfigs) string) {
	var doc string
	err := q.onBucket(false, unset.action, func(_ store.Tx, b *model.Bucket) error {
		doc = stored(b, pick)
		if doc == "" {
			return unset.err(q.bucket)
		}
		return nil
	})
	if q.done(err) {
		return
	}
	writeDocument(q, doc)
}

// putBucketCors implements PutBucketCors (s3:PutBucketCORS), replacing
// any configuration.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
func putBucketCors(q *request) {
	var cfg s3xml.CORSConfiguration
	ok := putConfig(q, "s3:PutBucketCORS", s3xml.MaxCORSBody, &cfg, func(_ store.Tx, b *model.Bucket) error {
		doc, err := document(&cfg)
		configs(b).CORS = doc
		return err
	})
	if ok {
		q.w.WriteHeader(http.StatusOK)
	}
}

// getBucketCors implements GetBucketCors (s3:GetBucketCORS).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html
func getBucketCors(q *request) {
	getConfig(q, noCORS, func(c *model.BucketConfigs) string { return c.CORS })
}

// deleteBucketCors implements DeleteBucketCors, which needs
// s3:PutBucketCORS: "you must have permission to perform the
// s3:PutBucketCORS action".
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketCors.html
func deleteBucketCors(q *request) {
	deleteConfig(q, "s3:PutBucketCORS", func(c *model.BucketConfigs) { c.CORS = "" })
}

// putBucketLifecycle implements PutBucketLifecycleConfiguration
// (s3:PutLifecycleConfiguration), replacing any configuration. The
// x-amz-transition-default-minimum-object-size header, whose default is
// all_storage_classes_128K, is stored and echoed as S3 does.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
func putBucketLifecycle(q *request) {
	size := q.r.Header.Get(transitionMinSizeHeader)
	if size == "" {
		size = s3xml.TransitionMinimumSizes[0]
	}
	var cfg s3xml.LifecycleConfiguration
	ok := putConfig(q, "s3:PutLifecycleConfiguration", s3xml.MaxLifecycleBody, &cfg, func(_ store.Tx, b *model.Bucket) error {
		if !s3xml.ValidTransitionMinimumSize(size) {
			return awserr.InvalidArgument("Invalid value for header "+transitionMinSizeHeader).
				With("ArgumentName", transitionMinSizeHeader).With("ArgumentValue", size)
		}
		doc, err := document(&cfg)
		c := configs(b)
		c.Lifecycle, c.LifecycleMinSize = doc, size
		return err
	})
	if ok {
		q.w.Header().Set(transitionMinSizeHeader, size)
		q.w.WriteHeader(http.StatusOK)
	}
}

// getBucketLifecycle implements GetBucketLifecycleConfiguration
// (s3:GetLifecycleConfiguration).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html
func getBucketLifecycle(q *request) {
	var doc, size string
	err := q.onBucket(false, noLifecycle.action, func(_ store.Tx, b *model.Bucket) error {
		doc = stored(b, func(c *model.BucketConfigs) string { return c.Lifecycle })
		if doc == "" {
			return noLifecycle.err(q.bucket)
		}
		size = b.Configs.LifecycleMinSize
		return nil
	})
	if q.done(err) {
		return
	}
	if size != "" {
		q.w.Header().Set(transitionMinSizeHeader, size)
	}
	writeDocument(q, doc)
}

// deleteBucketLifecycle implements DeleteBucketLifecycle, which needs
// s3:PutLifecycleConfiguration: "you must have permission to perform the
// s3:PutLifecycleConfiguration action".
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketLifecycle.html
func deleteBucketLifecycle(q *request) {
	deleteConfig(q, "s3:PutLifecycleConfiguration", func(c *model.BucketConfigs) { c.Lifecycle, c.LifecycleMinSize = "", "" })
}

// putBucketWebsite implements PutBucketWebsite (s3:PutBucketWebsite). The
// body is bounded like the other small configurations (50 routing rules
// fit easily).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html
func putBucketWebsite(q *request) {
	var cfg s3xml.WebsiteConfiguration
	ok := putConfig(q, "s3:PutBucketWebsite", maxConfigBody, &cfg, func(_ store.Tx, b *model.Bucket) error {
		doc, err := document(&cfg)
		configs(b).Website = doc
		return err
	})
	if ok {
		q.w.WriteHeader(http.StatusOK)
	}
}

// getBucketWebsite implements GetBucketWebsite (s3:GetBucketWebsite).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketWebsite.html
func getBucketWebsite(q *request) {
	getConfig(q, noWebsite, func(c *model.BucketConfigs) string { return c.Website })
}

// deleteBucketWebsite implements DeleteBucketWebsite, which has an action
// of its own: "This DELETE action requires the S3:DeleteBucketWebsite
// permission."
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketWebsite.html
func deleteBucketWebsite(q *request) {
	deleteConfig(q, "s3:DeleteBucketWebsite", func(c *model.BucketConfigs) { c.Website = "" })
}

// putBucketLogging implements PutBucketLogging (s3:PutBucketLogging). An
// empty BucketLoggingStatus turns logging off, which is how it is deleted.
// The target bucket must exist and belong to the source bucket's owner;
// otherwise S3 answers InvalidTargetBucketForLogging (see its list of error
// codes). Logs are never delivered.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
func putBucketLogging(q *request) {
	var cfg s3xml.BucketLoggingStatus
	ok := putConfig(q, "s3:PutBucketLogging", maxConfigBody, &cfg, func(tx store.Tx, b *model.Bucket) error {
		if cfg.LoggingEnabled == nil {
			configs(b).Logging = ""
			return nil
		}
		target := cfg.LoggingEnabled.TargetBucket
		t, err := state.Bucket(tx, target)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return invalidLoggingTarget("The target bucket for logging does not exist", target)
		case err != nil:
			return err
		case t.Owner != b.Owner:
			return invalidLoggingTarget("The owner for the bucket to be logged and the target bucket must be the same.", target)
		}
		doc, err := document(&cfg)
		configs(b).Logging = doc
		return err
	})
	if ok {
		q.w.WriteHeader(http.StatusOK)
	}
}

// invalidLoggingTarget is PutBucketLogging's refusal of a target bucket.
func invalidLoggingTarget(msg, target string) *awserr.Error {
	return awserr.New("InvalidTargetBucketForLogging", http.StatusBadRequest, msg).With("TargetBucket", target)
}

// getBucketLogging implements GetBucketLogging (s3:GetBucketLogging); with
// logging off the BucketLoggingStatus is empty.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html
func getBucketLogging(q *request) {
	var doc string
	err := q.onBucket(false, "s3:GetBucketLogging", func(_ store.Tx, b *model.Bucket) error {
		doc = stored(b, func(c *model.BucketConfigs) string { return c.Logging })
		return nil
	})
	if q.done(err) {
		return
	}
	if doc == "" {
		_ = s3xml.Write(q.w, http.StatusOK, &s3xml.BucketLoggingStatus{})
		return
	}
	writeDocument(q, doc)
}

// putBucketAccelerate implements PutBucketAccelerateConfiguration
// (s3:PutAccelerateConfiguration). Acceleration is never deleted, only
// Suspended, after which GetBucketAccelerateConfiguration reports
// Suspended; a bucket whose name has a period cannot use it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAccelerateConfiguration.html
func putBucketAccelerate(q *request) {
	var cfg s3xml.AccelerateConfiguration
	ok := putConfig(q, "s3:PutAccelerateConfiguration", maxConfigBody, &cfg, func(_ store.Tx, b *model.Bucket) error {
		if err := s3xml.AccelerateBucketName(b.Name); err != nil {
			return err
		}
		configs(b).Accelerate = cfg.Status
		return nil
	})
	if ok {
		q.w.WriteHeader(http.StatusOK)
	}
}

// getBucketAccelerate implements GetBucketAccelerateConfiguration
// (s3:GetAccelerateConfiguration); a bucket whose state was never set has
// no Status.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAccelerateConfiguration.html
func getBucketAccelerate(q *request) {
	var out s3xml.AccelerateConfiguration
	err := q.onBucket(false, "s3:GetAccelerateConfiguration", func(_ store.Tx, b *model.Bucket) error {
		out.Status = stored(b, func(c *model.BucketConfigs) string { return c.Accelerate })
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}
