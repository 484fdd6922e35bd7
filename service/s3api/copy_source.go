package s3api

import (
	"net/url"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// copySource is the object named by x-amz-copy-source.
type copySource struct {
	bucket, key string
	// versionID is the versionId the header names, "" for the current
	// version.
	versionID  string
	hasVersion bool
}

// String is the source as the s3:x-amz-copy-source condition key sees it:
// bucket/key, decoded, without the version.
func (c copySource) String() string { return c.bucket + "/" + c.key }

// parseCopySource reads x-amz-copy-source: "bucket/key" or "/bucket/key",
// the key URL-encoded, optionally followed by "?versionId=ID". The query is
// split off before decoding, so an encoded '?' (%3F) stays in the key. S3's
// errors: InvalidArgument "Invalid copy source bucket name" when the bucket
// part is empty or not a bucket name, "Invalid copy source object key" when
// the key is missing, and "Invalid version id specified" for an empty
// version.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax
func parseCopySource(v string) (copySource, *awserr.Error) {
	var c copySource
	raw, query, hasQuery := strings.Cut(v, "?")
	raw = strings.TrimPrefix(raw, "/")
	rawBucket, rawKey, _ := strings.Cut(raw, "/")
	bucket, err1 := url.PathUnescape(rawBucket)
	key, err2 := url.PathUnescape(rawKey)
	if err1 != nil || bucket == "" || !validCopyBucket(bucket) {
		return c, awserr.InvalidArgument("Invalid copy source bucket name")
	}
	if err2 != nil || key == "" {
		return c, awserr.InvalidArgument("Invalid copy source object key")
	}
	if e := checkKey(key); e != nil {
		return c, e
	}
	c.bucket, c.key = bucket, key
	if hasQuery {
		vals, err := url.ParseQuery(query)
		if err != nil {
			return c, awserr.InvalidArgument("Invalid copy source object key")
		}
		if vs, ok := vals["versionId"]; ok {
			if len(vs) != 1 || vs[0] == "" {
				return c, invalidVersionID(strings.Join(vs, ","))
			}
			c.versionID, c.hasVersion = vs[0], true
		}
	}
	return c, nil
}

// validCopyBucket accepts the characters bucket names may have, including
// the upper case and underscores of legacy us-east-1 names, so that an
// existing bucket is never refused here.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func validCopyBucket(b string) bool {
	if len(b) > 255 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// invalidVersionID is S3's answer to a version ID it cannot have issued.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
func invalidVersionID(v string) *awserr.Error {
	return awserr.InvalidArgument("Invalid version id specified").With("ArgumentName", "versionId").With("ArgumentValue", v)
}
