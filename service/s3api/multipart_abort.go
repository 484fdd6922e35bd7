package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/store"
)

func init() { register("AbortMultipartUpload", abortMultipartUpload) }

// loadUploadFor loads the upload a request names and authorizes action on
// it (with the initiator's default permission). When the upload does not
// exist, the caller's permission is checked first, so that NoSuchUpload is
// reported only to callers allowed the action.
func (q *request) loadUploadFor(tx store.Tx, action string) (*model.Bucket, *model.Upload, error) {
	b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
	if err != nil {
		return nil, nil, err
	}
	id := q.query.Get("uploadId")
	u, err := getUpload(tx, b.Name, q.key, id)
	if awserr.Code(err) == "NoSuchUpload" {
		if _, ok := q.authorize(tx, authCheck{action: action, resource: objectARN(b.Name, q.key), bucket: b}); !ok {
			return nil, nil, errWritten
		}
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	if !q.authorizeUpload(tx, b, u, action) {
		return nil, nil, errWritten
	}
	return b, u, nil
}

// abortMultipartUpload implements AbortMultipartUpload
// (s3:AbortMultipartUpload): 204, and the parts are gone; 404 NoSuchUpload
// for an upload that does not exist (or was completed or aborted).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
func abortMultipartUpload(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	var blobs []string
	err := q.update(func(tx store.Tx) error {
		_, u, err := q.loadUploadFor(tx, "s3:AbortMultipartUpload")
		if err != nil {
			return err
		}
		blobs, err = deleteUpload(tx, u)
		return err
	})
	if q.done(err) {
		return
	}
	q.removeBlobs(blobs)
	q.w.WriteHeader(http.StatusNoContent)
}
