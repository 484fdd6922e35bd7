package s3api

import (
	"errors"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// bucketFor loads a bucket and applies the expected-owner header (header is
// "x-amz-expected-bucket-owner", or "x-amz-source-expected-bucket-owner" for
// a copy source): a bucket owned by another account is 403 AccessDenied.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
func (q *request) bucketFor(tx store.Tx, name, header string) (*model.Bucket, error) {
	b, err := getBucket(tx, name)
	if err != nil {
		return nil, err
	}
	if want := q.r.Header.Get(header); want != "" && want != b.Owner {
		return nil, awserr.AccessDenied()
	}
	return b, nil
}

// readObject loads the object a read (GetObject, HeadObject, a copy source)
// targets and authorizes action on it in the object context. A missing key
// is 404 NoSuchKey only for callers who may s3:ListBucket the bucket;
// others get 403 AccessDenied, so that keys cannot be probed. When it
// returns errWritten the response (a denial) has been written.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
func (q *request) readObject(tx store.Tx, b *model.Bucket, key, action string, ctx condition.Map) (*model.Object, error) {
	obj, err := state.Object(tx, b.Name, key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	res := objectARN(b.Name, key)
	if obj == nil {
		canList := q.allowed(tx, authCheck{action: "s3:ListBucket", resource: bucketARN(b.Name), bucket: b})
		if _, ok := q.authorize(tx, authCheck{action: action, resource: res, bucket: b, ctx: ctx}); !ok {
			return nil, errWritten
		}
		if !canList {
			return nil, awserr.AccessDenied()
		}
		return nil, noSuchKey(key)
	}
	c := existingTagContext(obj.Tags)
	for k, v := range ctx {
		c[k] = v
	}
	if _, ok := q.authorize(tx, authCheck{action: action, resource: res, bucket: b, object: obj, ctx: c}); !ok {
		return nil, errWritten
	}
	return obj, nil
}

// existingTagContext returns the s3:ExistingObjectTag/<key> condition keys
// of an object's tags.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html
func existingTagContext(tags []model.Tag) condition.Map {
	m := condition.Map{}
	for _, t := range tags {
		k := "s3:existingobjecttag/" + strings.ToLower(t.Key)
		m[k] = append(m[k], t.Value)
	}
	return m
}

// readAction is the action a read of the current object or of a version
// needs: s3:GetObjectVersion replaces s3:GetObject when the request names a
// version. verdict does not version objects, so the only version is the
// "null" version of an unversioned bucket; any other ID is refused.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
func readAction(versionID string, hasVersion bool) (string, *awserr.Error) {
	if !hasVersion {
		return "s3:GetObject", nil
	}
	if versionID != "null" {
		return "", invalidVersionID(versionID)
	}
	return "s3:GetObjectVersion", nil
}
