package s3api

import (
	"errors"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// This file holds what the object sub-resource operations (Get/PutObjectAcl,
// Get/Put/DeleteObjectTagging) share: the action a versionId turns the
// request into, and loading and authorizing the object they act on.

// subresourceAction returns the action an object sub-resource request
// needs and adds s3:VersionId to ctx when the request names a version:
// naming one turns s3:GetObjectAcl into s3:GetObjectVersionAcl, and so on.
// A version ID verdict cannot have issued is 400 InvalidArgument.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
func subresourceAction(q *request, current, version string, ctx condition.Map) (string, *awserr.Error) {
	if !q.query.Has("versionId") {
		return current, nil
	}
	v := q.query.Get("versionId")
	if !wellFormedVersionID(v) {
		return "", invalidVersionID(v)
	}
	ctx["s3:versionid"] = []string{v}
	return version, nil
}

// subresourceTarget loads the bucket and the object a sub-resource request
// names and authorizes action on it (see subresourceObject).
func (q *request) subresourceTarget(tx store.Tx, action string, ctx condition.Map, missingKey string) (*model.Bucket, *model.Object, error) {
	b, err := q.subresourceBucket(tx)
	if err != nil {
		return nil, nil, err
	}
	obj, err := q.subresourceObject(tx, b, action, ctx, missingKey)
	return b, obj, err
}

// subresourceBucket checks the key and loads the bucket, applying
// x-amz-expected-bucket-owner.
func (q *request) subresourceBucket(tx store.Tx) (*model.Bucket, error) {
	if e := checkKey(q.key); e != nil {
		return nil, e
	}
	return q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
}

// subresourceObject loads the object a sub-resource request names and
// authorizes action on it in the object context, with the object's tags as
// s3:ExistingObjectTag/<key> keys. A missing object is 404 NoSuchKey (whose
// Key element is missingKey) once the caller is allowed the action on the
// key. When it returns errWritten the denial has been written.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
func (q *request) subresourceObject(tx store.Tx, b *model.Bucket, action string, ctx condition.Map, missingKey string) (*model.Object, error) {
	obj, err := state.Object(tx, b.Name, q.key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	// A request naming a version is decided in that version's object
	// context (its owner and ACL; a delete marker has none).
	v, hasVersion := q.query.Get("versionId"), q.query.Has("versionId")
	target := obj
	if hasVersion {
		if target, _, err = versionTarget(tx, b, q.key, v); err != nil {
			return nil, err
		}
		if target != nil && target.DeleteMarker {
			target = nil
		}
	}
	c := condition.Map{}
	if target != nil {
		c = existingTagContext(target.Tags)
	}
	for k, v := range ctx {
		c[k] = v
	}
	if _, ok := q.authorize(tx, authCheck{action: action, resource: objectARN(b.Name, q.key), bucket: b, object: target, ctx: c}); !ok {
		return nil, errWritten
	}
	if hasVersion {
		// A version has its own ACL and tags: those of the current version
		// are in the object record, a noncurrent version's in its version
		// record (saveObjectRecord writes each back where it came from).
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/VersionedObjectACL.html
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
		switch {
		case obj != nil && versionIDOf(obj) == v:
		case target != nil:
			return target, nil
		default:
			return nil, noSuchVersion(q.key, v)
		}
	}
	if obj == nil {
		return nil, noSuchKey(missingKey)
	}
	return obj, nil
}

// saveObjectRecord writes back a record a sub-resource operation changed:
// the object record when o is the current version, else o's version record.
// Neither the version ID nor LastModified changes, so a version record
// keeps its key.
func saveObjectRecord(tx store.Tx, o *model.Object) error {
	cur, err := state.Object(tx, o.Bucket, o.Key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if cur != nil && versionIDOf(cur) == versionIDOf(o) {
		return state.PutObject(tx, o)
	}
	return state.PutVersion(tx, o)
}
