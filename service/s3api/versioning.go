package s3api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Object versions.
//
// A bucket is unversioned (model.Bucket.Versioning ""), versioning-enabled
// or versioning-suspended; once enabled it never returns to unversioned.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
//
// Unversioned buckets keep the one-record-per-key path of object_put.go
// and object_delete.go and read nothing more. In a versioned bucket
// state.Objects still holds the current version when it is not a delete
// marker, so ListObjects is unchanged; state.Versions holds every other
// version, newest first per key (see state.VersionKey). A write in a
// versioned bucket moves the current version to state.Versions (Enabled),
// or replaces the null version (Suspended).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersioningEnabledBuckets.html

// Versioning states of model.Bucket.Versioning.
const (
	versioningEnabled   = "Enabled"
	versioningSuspended = "Suspended"
)

// nullVersion is the version ID of objects written while a bucket was
// unversioned or versioning was suspended.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html
const nullVersion = "null"

// versionIDOf is o's version ID as S3 reports it.
func versionIDOf(o *model.Object) string {
	if o.VersionID == "" {
		return nullVersion
	}
	return o.VersionID
}

// Version IDs verdict issues are 32 lowercase hexadecimal digits: the
// version's state.VersionOrder followed by 16 random digits. S3's IDs are
// opaque URL-safe strings of up to 1,024 bytes; this shape lets verdict
// find a version's record from its ID with one read, and tell an ID it
// could never have issued (400 InvalidArgument "Invalid version id
// specified") from one it no longer has (404 NoSuchVersion).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html
const versionIDLen = 32

// newVersionID returns a fresh version ID for a version written at t.
func newVersionID(t time.Time) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return state.VersionOrder(t) + hex.EncodeToString(b[:])
}

// wellFormedVersionID reports whether v is "null" or an ID of verdict's shape.
func wellFormedVersionID(v string) bool {
	if v == nullVersion {
		return true
	}
	if len(v) != versionIDLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// noSuchVersion is S3's 404 for a well-formed version ID that names no
// version of the key.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
func noSuchVersion(key, v string) *awserr.Error {
	return awserr.New("NoSuchVersion", http.StatusNotFound, "The specified version does not exist.").With("Key", key).With("VersionId", v)
}

// deleteMarkerNotAllowed is S3's answer to a GET or HEAD naming a delete
// marker's version: 405 Method Not Allowed, with x-amz-delete-marker.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html
func deleteMarkerNotAllowed(method string) *awserr.Error {
	return awserr.New("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource.").
		With("Method", method).With("ResourceType", "DeleteMarker")
}

// setNewVersionID sets the x-amz-version-id of a response to a write
// (PUT, copy, CompleteMultipartUpload): the new version's ID when
// versioning is enabled. A write to a versioning-suspended bucket makes
// the null version and, as recorded against AWS, names no version.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html
func setNewVersionID(h http.Header, o *model.Object) {
	if o.VersionID != "" && o.VersionID != nullVersion {
		h.Set("x-amz-version-id", o.VersionID)
	}
}

// versionHeaders sets x-amz-version-id (and x-amz-delete-marker for a
// marker) on responses about version o.
func versionHeaders(h http.Header, o *model.Object) {
	h.Set("x-amz-version-id", versionIDOf(o))
	if o.DeleteMarker {
		h.Set("x-amz-delete-marker", "true")
	}
}

// keyVersions returns the versions of key held in state.Versions, newest
// first (at most limit, 0: all).
func keyVersions(tx store.Tx, bucket, key string, limit int) ([]*model.Object, error) {
	var out []*model.Object
	err := store.ScanJSON(tx, state.Versions, state.VersionPrefix(bucket, key), "", func(_ string, o model.Object) (bool, error) {
		if o.Key != key {
			return true, nil // a longer key containing NUL
		}
		out = append(out, &o)
		return limit == 0 || len(out) < limit, nil
	})
	return out, err
}

// latestVersion returns the current version of key in a versioned bucket:
// the record of state.Objects, else the newest of state.Versions (then a
// delete marker), nil when the key has no version at all.
func latestVersion(tx store.Tx, bucket, key string) (*model.Object, error) {
	o, err := state.Object(tx, bucket, key)
	if err == nil {
		return o, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	vs, err := keyVersions(tx, bucket, key, 1)
	if err != nil || len(vs) == 0 {
		return nil, err
	}
	return vs[0], nil
}

// findVersion returns version v of key, and whether it is the record of
// state.Objects; nil when there is no such version.
func findVersion(tx store.Tx, bucket, key, v string) (*model.Object, bool, error) {
	cur, err := state.Object(tx, bucket, key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}
	if cur != nil && versionIDOf(cur) == v {
		return cur, true, nil
	}
	if v == nullVersion {
		vs, err := keyVersions(tx, bucket, key, 0)
		if err != nil {
			return nil, false, err
		}
		for _, o := range vs {
			if versionIDOf(o) == nullVersion {
				return o, false, nil
			}
		}
		return nil, false, nil
	}
	o, err := state.Get[model.Object](tx, state.Versions, state.VersionPrefix(bucket, key)+v[:16]+v)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return o, false, nil
}

// removed collects what a versioned change takes away: records whose
// bytes must be removed once the transaction has committed.
type removed []*model.Object

// drop removes o's in-store data now and remembers its blob file.
func (r *removed) drop(tx store.Tx, o *model.Object) error {
	if o.DeleteMarker {
		return nil
	}
	if err := deleteObjectData(tx, o); err != nil {
		return err
	}
	*r = append(*r, o)
	return nil
}

// dropAll removes the blob files of the dropped versions, once the
// transaction that forgot them has committed.
func (q *request) dropAll(r removed) {
	for _, o := range r {
		q.dropBlob(o)
	}
}

// installVersion makes obj (an object or a delete marker) the current
// version of its key in bucket b, whose versioning is Enabled or
// Suspended, in transaction tx. Under Enabled obj gets a new version ID
// and the previous current version becomes noncurrent; under Suspended obj
// is the null version, replacing (and dropping the bytes of) any earlier
// null version. obj's LastModified is moved past the newest version's, so
// that versions sort in the order they were written.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersioningEnabledBuckets.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html
func installVersion(tx store.Tx, b *model.Bucket, obj *model.Object, gone *removed) error {
	cur, err := state.Object(tx, obj.Bucket, obj.Key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	newest := cur
	if newest == nil {
		vs, err := keyVersions(tx, obj.Bucket, obj.Key, 1)
		if err != nil {
			return err
		}
		if len(vs) > 0 {
			newest = vs[0]
		}
	}
	if newest != nil && !obj.LastModified.After(newest.LastModified) {
		obj.LastModified = newest.LastModified.Add(time.Nanosecond)
	}
	if b.Versioning == versioningEnabled {
		obj.VersionID = newVersionID(obj.LastModified)
	} else {
		obj.VersionID = nullVersion
		// The null version is replaced wherever it is.
		vs, err := keyVersions(tx, obj.Bucket, obj.Key, 0)
		if err != nil {
			return err
		}
		for _, o := range vs {
			if versionIDOf(o) == nullVersion {
				if err := state.DeleteVersion(tx, o); err != nil {
					return err
				}
				if err := gone.drop(tx, o); err != nil {
					return err
				}
			}
		}
	}
	if cur != nil {
		if err := tx.Delete(state.Objects, state.ObjectKey(cur.Bucket, cur.Key)); err != nil {
			return err
		}
		if b.Versioning == versioningSuspended && versionIDOf(cur) == nullVersion {
			if err := gone.drop(tx, cur); err != nil {
				return err
			}
		} else if err := state.PutVersion(tx, cur); err != nil {
			return err
		}
	}
	if obj.DeleteMarker {
		return state.PutVersion(tx, obj)
	}
	return state.PutObject(tx, obj)
}

// removeVersion permanently deletes version o of its key (current is
// whether it is the record of state.Objects) and, when the key then has no
// current object record, promotes the newest remaining version if it is
// an object. A delete marker that becomes the newest version stays in
// state.Versions and is the current version.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
func removeVersion(tx store.Tx, o *model.Object, current bool, gone *removed) error {
	if current {
		if err := tx.Delete(state.Objects, state.ObjectKey(o.Bucket, o.Key)); err != nil {
			return err
		}
	} else if err := state.DeleteVersion(tx, o); err != nil {
		return err
	}
	if err := gone.drop(tx, o); err != nil {
		return err
	}
	if !current {
		if _, err := state.Object(tx, o.Bucket, o.Key); err == nil {
			return nil // a newer object is current
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	vs, err := keyVersions(tx, o.Bucket, o.Key, 1)
	if err != nil || len(vs) == 0 || vs[0].DeleteMarker {
		return err
	}
	if err := state.DeleteVersion(tx, vs[0]); err != nil {
		return err
	}
	return state.PutObject(tx, vs[0])
}

// newDeleteMarker is the delete marker a simple DELETE by the caller
// inserts; it has no bytes and no ACL, and belongs to the deleter.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html
func (q *request) newDeleteMarker(bucket, key string) *model.Object {
	owner := q.Caller.Principal.Account
	if owner == "" {
		owner = "anonymous"
	}
	return &model.Object{Bucket: bucket, Key: key, Owner: owner, LastModified: q.Now.UTC(), DeleteMarker: true}
}

// versionOutcome is what one versioned delete did, for the response.
type versionOutcome struct {
	versionID    string // the version deleted or the marker created
	deleteMarker bool   // a marker was created, or the deleted version was one
	created      bool   // a delete marker was created
}

// deleteInVersioned performs a DELETE in a versioned bucket once
// authorized: with a version ID it removes that version (nothing when it
// does not exist); without one it inserts a delete marker.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
func (q *request) deleteInVersioned(tx store.Tx, b *model.Bucket, key, versionID string, target *model.Object, current bool, gone *removed) (versionOutcome, error) {
	if versionID != "" {
		out := versionOutcome{versionID: versionID}
		if target == nil {
			return out, nil
		}
		out.deleteMarker = target.DeleteMarker
		return out, removeVersion(tx, target, current, gone)
	}
	m := q.newDeleteMarker(b.Name, key)
	if err := installVersion(tx, b, m, gone); err != nil {
		return versionOutcome{}, err
	}
	return versionOutcome{versionID: versionIDOf(m), deleteMarker: true, created: true}, nil
}

// versionTarget resolves the object a delete or read of (key, versionID)
// acts on in bucket b: the current object record when versionID is ""
// (nil when there is none), else that version (nil when absent). current
// reports whether it is the record of state.Objects.
func versionTarget(tx store.Tx, b *model.Bucket, key, versionID string) (*model.Object, bool, error) {
	if versionID == "" {
		o, err := state.Object(tx, b.Name, key)
		if errors.Is(err, store.ErrNotFound) {
			return nil, false, nil
		}
		return o, err == nil, err
	}
	if b.Versioning == "" {
		if versionID != nullVersion {
			return nil, false, nil
		}
		o, err := state.Object(tx, b.Name, key)
		if errors.Is(err, store.ErrNotFound) {
			return nil, false, nil
		}
		return o, err == nil, err
	}
	return findVersion(tx, b.Name, key, versionID)
}
