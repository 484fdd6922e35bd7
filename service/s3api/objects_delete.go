package s3api

import (
	"errors"
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("DeleteObjects", deleteObjects) }

// deleteObjects implements DeleteObjects: up to 1,000 keys, each deleted
// (or refused) on its own authority as DeleteObject would be, the outcome
// of each reported in a 200 response (only the errors in Quiet mode). A key
// that does not exist is reported as deleted. The body must carry
// Content-MD5 or an x-amz-checksum-* value, which is verified.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
func deleteObjects(q *request) {
	h := q.r.Header
	sums, err := sigv4.ChecksumsFromHeader(h)
	if q.done(err) {
		return
	}
	if h.Get("Content-MD5") == "" && !hasChecksumValue(sums) {
		q.fail(awserr.InvalidRequest("Missing required header for this request: Content-MD5"))
		return
	}
	var del s3xml.Delete
	if err := s3xml.Decode(sums.Reader(q.r.Body), s3xml.DefaultLimit, &del); err != nil {
		q.done(err)
		return
	}
	var out s3xml.DeleteResult
	var blobs []string
	err = q.update(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		for _, id := range del.Objects {
			o, e := q.deleteOne(tx, b, id)
			if e != nil {
				out.Errors = append(out.Errors, s3xml.DeleteError{Key: id.Key, VersionID: id.VersionID, Code: e.Code, Message: e.Message})
				continue
			}
			if o != nil && !o.Inline {
				blobs = append(blobs, o.BlobID)
			}
			if !del.Quiet {
				out.Deleted = append(out.Deleted, s3xml.DeletedObject{Key: id.Key, VersionID: id.VersionID})
			}
		}
		return nil
	})
	if q.done(err) {
		return
	}
	q.removeBlobs(blobs)
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}

// hasChecksumValue reports whether the client sent a flexible checksum
// (header or trailer) for the body.
func hasChecksumValue(sums *sigv4.Checksums) bool { return flexible(sums) != "" }

// deleteOne deletes one key of a DeleteObjects request, returning the
// removed object (nil if there was none) or the per-key error.
func (q *request) deleteOne(tx store.Tx, b *model.Bucket, id s3xml.ObjectIdentifier) (*model.Object, *awserr.Error) {
	if id.Key == "" {
		return nil, awserr.New("UserKeyMustBeSpecified", http.StatusBadRequest, "The request was not well-formed or did not validate against our published schema.")
	}
	if e := checkKey(id.Key); e != nil {
		return nil, e
	}
	action, e := deleteAction(id.VersionID, id.VersionID != "")
	if e != nil {
		return nil, awserr.New("NoSuchVersion", http.StatusNotFound, "The specified version does not exist.")
	}
	obj, err := state.Object(tx, b.Name, id.Key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, awserr.InternalError()
	}
	d, areq, err := q.decide(tx, authCheck{action: action, resource: objectARN(b.Name, id.Key), bucket: b, object: obj})
	if err != nil {
		return nil, awserr.InternalError()
	}
	if !d.Allowed {
		return nil, awserr.New("AccessDenied", http.StatusForbidden, d.Message(areq))
	}
	q.charged(b)
	if id.ETag != "" {
		// Conditional deletes per key.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
		if obj == nil {
			return nil, noSuchKeyErr()
		}
		if !etagListMatches(id.ETag, obj.ETag) {
			return nil, preconditionFailed("If-Match")
		}
	}
	if obj == nil {
		return nil, nil
	}
	if err := removeObject(tx, obj); err != nil {
		return nil, awserr.InternalError()
	}
	return obj, nil
}
