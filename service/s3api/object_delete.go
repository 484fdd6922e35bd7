package s3api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("DeleteObject", deleteObject) }

// deleteAction is the action a delete needs: s3:DeleteObjectVersion when
// it names a version (only the "null" version exists in verdict).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html#API_DeleteObject_RequestSyntax
func deleteAction(versionID string, hasVersion bool) (string, *awserr.Error) {
	if !hasVersion {
		return "s3:DeleteObject", nil
	}
	if versionID != "null" {
		return "", invalidVersionID(versionID)
	}
	return "s3:DeleteObjectVersion", nil
}

// deleteObject implements DeleteObject: 204 whether or not the key exists
// (S3 does not reveal it), once s3:DeleteObject is allowed. If-Match makes
// the delete conditional on the ETag (412 when it differs, 404 NoSuchKey
// when there is no object).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
func deleteObject(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	action, e := deleteAction(q.query.Get("versionId"), q.query.Has("versionId"))
	if e != nil {
		q.fail(e)
		return
	}
	ifMatch := strings.TrimSpace(q.r.Header.Get("If-Match"))
	var old *model.Object
	err := q.update(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		obj, err := state.Object(tx, b.Name, q.key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: action, resource: objectARN(b.Name, q.key), bucket: b, object: obj}); !ok {
			return errWritten
		}
		if ifMatch != "" {
			if obj == nil {
				return noSuchKeyErr()
			}
			if !etagListMatches(ifMatch, obj.ETag) {
				return preconditionFailed("If-Match")
			}
		}
		if obj == nil {
			return nil
		}
		old = obj
		return removeObject(tx, obj)
	})
	if q.done(err) {
		return
	}
	q.dropBlob(old)
	q.w.WriteHeader(http.StatusNoContent)
}

// removeObject deletes an object's record, layout and inline bytes; the
// caller removes its blob file once the transaction has committed.
func removeObject(tx store.Tx, o *model.Object) error {
	if err := tx.Delete(state.Objects, state.ObjectKey(o.Bucket, o.Key)); err != nil {
		return err
	}
	return deleteObjectData(tx, o)
}
