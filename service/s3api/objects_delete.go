package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/protocol/sigv4"
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
	var gone removed
	err = q.update(func(tx store.Tx) error {
		out, gone = s3xml.DeleteResult{}, nil
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		for _, id := range del.Objects {
			res, e := q.deleteOne(tx, b, id, &gone)
			if e != nil {
				out.Errors = append(out.Errors, s3xml.DeleteError{Key: id.Key, VersionID: id.VersionID, Code: e.Code, Message: e.Message})
				continue
			}
			if !del.Quiet {
				out.Deleted = append(out.Deleted, res)
			}
		}
		return nil
	})
	if q.done(err) {
		return
	}
	q.dropAll(gone)
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}

// hasChecksumValue reports whether the client sent a flexible checksum
// (header or trailer) for the body.
func hasChecksumValue(sums *sigv4.Checksums) bool { return flexible(sums) != "" }

// deleteOne deletes one key of a DeleteObjects request as DeleteObject
// would (see deleteKey), returning its Deleted entry or the per-key error.
// In a versioned bucket the entry reports a delete marker created
// (DeleteMarker, DeleteMarkerVersionId) or the version removed (VersionId,
// and DeleteMarker with DeleteMarkerVersionId when it was a marker).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html#API_DeleteObjects_ResponseSyntax
func (q *request) deleteOne(tx store.Tx, b *model.Bucket, id s3xml.ObjectIdentifier, gone *removed) (s3xml.DeletedObject, *awserr.Error) {
	res := s3xml.DeletedObject{Key: id.Key, VersionID: id.VersionID}
	if id.Key == "" {
		return res, awserr.New("UserKeyMustBeSpecified", http.StatusBadRequest, "The request was not well-formed or did not validate against our published schema.")
	}
	if e := checkKey(id.Key); e != nil {
		return res, e
	}
	action, e := deleteAction(id.VersionID, id.VersionID != "")
	if e != nil {
		return res, awserr.New("NoSuchVersion", http.StatusNotFound, "The specified version does not exist.")
	}
	// Conditional deletes per key.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
	out, e, err := q.deleteKey(tx, b, id.Key, id.VersionID, id.ETag, action, gone)
	if err != nil {
		return res, awserr.InternalError()
	}
	if e != nil {
		return res, e
	}
	if out.deleteMarker {
		res.DeleteMarker = true
		res.DeleteMarkerVersionID = out.versionID
	}
	return res, nil
}
