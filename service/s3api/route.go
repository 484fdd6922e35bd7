package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// op is one S3 operation.
type op struct {
	name        string
	needsBucket bool
	handler     func(*request)
}

// handlers maps operation names (as in the S3 API reference) to their
// implementation; each operation's file registers itself.
var handlers = map[string]func(*request){}

func register(name string, h func(*request)) { handlers[name] = h }

// route picks the operation from the method, the presence of a bucket and key,
// and the sub-resource query parameters.
func route(q *request) *op {
	name := operationName(q)
	if name == "" {
		return nil
	}
	h, ok := handlers[name]
	if !ok {
		h = func(q *request) { q.fail(awserr.NotImplemented()) }
	}
	return &op{name: name, needsBucket: name != "ListBuckets", handler: h}
}

func operationName(q *request) string {
	has := func(k string) bool { _, ok := q.query[k]; return ok }
	m := q.r.Method
	if q.bucket == "" {
		if m == http.MethodGet {
			return "ListBuckets"
		}
		return ""
	}
	if q.key == "" {
		switch m {
		case http.MethodPut:
			for _, s := range []struct{ q, op string }{
				{"policy", "PutBucketPolicy"}, {"acl", "PutBucketAcl"}, {"ownershipControls", "PutBucketOwnershipControls"},
				{"publicAccessBlock", "PutPublicAccessBlock"}, {"requestPayment", "PutBucketRequestPayment"},
				{"tagging", "PutBucketTagging"}, {"encryption", "PutBucketEncryption"}, {"versioning", "PutBucketVersioning"},
				{"cors", "PutBucketCors"}, {"lifecycle", "PutBucketLifecycleConfiguration"}, {"website", "PutBucketWebsite"},
				{"logging", "PutBucketLogging"}, {"accelerate", "PutBucketAccelerateConfiguration"},
			} {
				if has(s.q) {
					return s.op
				}
			}
			return "CreateBucket"
		case http.MethodGet:
			for _, s := range []struct{ q, op string }{
				{"policyStatus", "GetBucketPolicyStatus"}, {"policy", "GetBucketPolicy"}, {"acl", "GetBucketAcl"},
				{"ownershipControls", "GetBucketOwnershipControls"}, {"publicAccessBlock", "GetPublicAccessBlock"},
				{"requestPayment", "GetBucketRequestPayment"}, {"tagging", "GetBucketTagging"}, {"encryption", "GetBucketEncryption"},
				{"location", "GetBucketLocation"}, {"versioning", "GetBucketVersioning"}, {"uploads", "ListMultipartUploads"},
				{"versions", "ListObjectVersions"}, {"cors", "GetBucketCors"}, {"lifecycle", "GetBucketLifecycleConfiguration"},
				{"object-lock", "GetObjectLockConfiguration"}, {"website", "GetBucketWebsite"}, {"logging", "GetBucketLogging"},
				{"notification", "GetBucketNotificationConfiguration"}, {"replication", "GetBucketReplication"},
				{"accelerate", "GetBucketAccelerateConfiguration"},
			} {
				if has(s.q) {
					return s.op
				}
			}
			if q.query.Get("list-type") == "2" {
				return "ListObjectsV2"
			}
			return "ListObjects"
		case http.MethodHead:
			return "HeadBucket"
		case http.MethodDelete:
			for _, s := range []struct{ q, op string }{
				{"policy", "DeleteBucketPolicy"}, {"ownershipControls", "DeleteBucketOwnershipControls"},
				{"publicAccessBlock", "DeletePublicAccessBlock"}, {"tagging", "DeleteBucketTagging"},
				{"encryption", "DeleteBucketEncryption"}, {"cors", "DeleteBucketCors"}, {"lifecycle", "DeleteBucketLifecycle"},
				{"website", "DeleteBucketWebsite"},
			} {
				if has(s.q) {
					return s.op
				}
			}
			return "DeleteBucket"
		case http.MethodPost:
			if has("delete") {
				return "DeleteObjects"
			}
			if len(q.query) == 0 {
				// A POST to the bucket itself is a browser-based upload.
				// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
				return "PostObject"
			}
		}
		return ""
	}
	switch m {
	case http.MethodPut:
		switch {
		case has("partNumber") && has("uploadId"):
			if q.r.Header.Get("x-amz-copy-source") != "" {
				return "UploadPartCopy"
			}
			return "UploadPart"
		case has("acl"):
			return "PutObjectAcl"
		case has("tagging"):
			return "PutObjectTagging"
		case q.r.Header.Get("x-amz-copy-source") != "":
			return "CopyObject"
		}
		return "PutObject"
	case http.MethodGet:
		switch {
		case has("uploadId"):
			return "ListParts"
		case has("acl"):
			return "GetObjectAcl"
		case has("tagging"):
			return "GetObjectTagging"
		case has("attributes"):
			return "GetObjectAttributes"
		}
		return "GetObject"
	case http.MethodHead:
		return "HeadObject"
	case http.MethodDelete:
		switch {
		case has("uploadId"):
			return "AbortMultipartUpload"
		case has("tagging"):
			return "DeleteObjectTagging"
		}
		return "DeleteObject"
	case http.MethodPost:
		switch {
		case has("uploads"):
			return "CreateMultipartUpload"
		case has("uploadId"):
			return "CompleteMultipartUpload"
		}
	}
	return ""
}
