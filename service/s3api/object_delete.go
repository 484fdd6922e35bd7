package s3api

import (
	"errors"

	"github.com/verdict-project/verdict/engine/condition"
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("DeleteObject", deleteObject) }

// deleteAction is the action a delete needs: s3:DeleteObjectVersion when
// it names a version. A version ID verdict cannot have issued is 400
// InvalidArgument.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html#API_DeleteObject_RequestSyntax
func deleteAction(versionID string, hasVersion bool) (string, *awserr.Error) {
	if !hasVersion {
		return "s3:DeleteObject", nil
	}
	if !wellFormedVersionID(versionID) {
		return "", invalidVersionID(versionID)
	}
	return "s3:DeleteObjectVersion", nil
}

// deleteObject implements DeleteObject: 204 whether or not the key exists
// (S3 does not reveal it), once s3:DeleteObject is allowed. If-Match makes
// the delete conditional on the ETag (412 when it differs, 404 NoSuchKey
// when there is no object). In a versioned bucket a DELETE without
// versionId inserts a delete marker and one with versionId removes that
// version for good (s3:DeleteObjectVersion); the response names the
// version in x-amz-version-id and says x-amz-delete-marker: true when a
// marker was created or removed.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
func deleteObject(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	versionID, hasVersion := q.query.Get("versionId"), q.query.Has("versionId")
	action, e := deleteAction(versionID, hasVersion)
	if e != nil {
		q.fail(e)
		return
	}
	ifMatch := strings.TrimSpace(q.r.Header.Get("If-Match"))
	var gone removed
	var out versionOutcome
	versioned := false
	err := q.update(func(tx store.Tx) error {
		gone = nil
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		versioned = b.Versioning != ""
		var e *awserr.Error
		out, e, err = q.deleteKey(tx, b, q.key, versionID, ifMatch, action, &gone)
		if e != nil {
			return e
		}
		return err
	})
	if q.done(err) {
		return
	}
	q.dropAll(gone)
	if versioned {
		h := q.w.Header()
		if out.versionID != "" {
			h.Set("x-amz-version-id", out.versionID)
		}
		if out.deleteMarker {
			h.Set("x-amz-delete-marker", "true")
		}
	}
	q.w.WriteHeader(http.StatusNoContent)
}

// deleteKey deletes key (versionID "" for a simple DELETE) in bucket b on
// the authority of action, as DeleteObject and each key of DeleteObjects
// do: it authorizes in the object context of the version acted on (a
// delete marker has no ACL: bucket context), applies If-Match, and
// deletes. A denial or a failed condition is the *awserr.Error; err is
// anything else. Versions whose bytes must go are added to gone.
func (q *request) deleteKey(tx store.Tx, b *model.Bucket, key, versionID, ifMatch, action string, gone *removed) (versionOutcome, *awserr.Error, error) {
	var obj *model.Object
	var current bool
	var err error
	if b.Versioning == "" && (versionID == "" || versionID == nullVersion) {
		obj, err = state.Object(tx, b.Name, key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return versionOutcome{}, nil, err
		}
		current = obj != nil
	} else if obj, current, err = versionTarget(tx, b, key, versionID); err != nil {
		return versionOutcome{}, nil, err
	}
	ch := authCheck{action: action, resource: objectARN(b.Name, key), bucket: b, object: obj}
	if obj != nil && obj.DeleteMarker {
		ch.object = nil
	}
	if versionID != "" {
		ch.ctx = condition.Map{"s3:versionid": {versionID}}
	}
	d, areq, err := q.decide(tx, ch)
	if err != nil {
		return versionOutcome{}, nil, err
	}
	if !d.Allowed {
		return versionOutcome{}, awserr.New("AccessDenied", http.StatusForbidden, d.Message(areq)), nil
	}
	q.charged(b)
	if ifMatch != "" {
		if obj == nil || obj.DeleteMarker {
			return versionOutcome{}, noSuchKeyErr(), nil
		}
		if !etagListMatches(ifMatch, obj.ETag) {
			return versionOutcome{}, preconditionFailed("If-Match"), nil
		}
	}
	if b.Versioning == "" {
		if obj == nil {
			return versionOutcome{}, nil, nil
		}
		*gone = append(*gone, obj)
		return versionOutcome{}, nil, removeObject(tx, obj)
	}
	out, err := q.deleteInVersioned(tx, b, key, versionID, obj, current, gone)
	return out, nil, err
}

// removeObject deletes an object's record, layout and inline bytes; the
// caller removes its blob file once the transaction has committed.
func removeObject(tx store.Tx, o *model.Object) error {
	if err := tx.Delete(state.Objects, state.ObjectKey(o.Bucket, o.Key)); err != nil {
		return err
	}
	return deleteObjectData(tx, o)
}
