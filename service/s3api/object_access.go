package s3api

import (
	"errors"
	"net/http"
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
//
// versionID ("" for the current version) names a version; the object
// context is then that version's owner and ACL, and s3:VersionId is set.
// An unknown version is 404 NoSuchVersion under the same rule. A version
// that is a delete marker is returned as is (authorized in the bucket
// context: a marker has no ACL) for the caller to refuse. When the current
// version of the key is a delete marker, GET and HEAD of the key add
// x-amz-delete-marker and its x-amz-version-id to the 404.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RetrievingObjectVersions.html
func (q *request) readObject(tx store.Tx, b *model.Bucket, key, versionID, action string, ctx condition.Map) (*model.Object, error) {
	var obj *model.Object
	var err error
	if b.Versioning == "" && (versionID == "" || versionID == nullVersion) {
		obj, err = state.Object(tx, b.Name, key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	} else if obj, _, err = versionTarget(tx, b, key, versionID); err != nil {
		return nil, err
	}
	if versionID != "" {
		c := condition.Map{"s3:versionid": {versionID}}
		for k, v := range ctx {
			c[k] = v
		}
		ctx = c
	}
	res := objectARN(b.Name, key)
	if obj == nil || obj.DeleteMarker {
		canList := obj == nil && q.allowed(tx, authCheck{action: "s3:ListBucket", resource: bucketARN(b.Name), bucket: b})
		if _, ok := q.authorize(tx, authCheck{action: action, resource: res, bucket: b, ctx: ctx}); !ok {
			return nil, errWritten
		}
		if obj != nil {
			return obj, nil
		}
		if !canList {
			return nil, awserr.AccessDenied()
		}
		if versionID != "" {
			return nil, noSuchVersion(key, versionID)
		}
		if b.Versioning != "" && key == q.key && (q.r.Method == http.MethodGet || q.r.Method == http.MethodHead) {
			if vs, err := keyVersions(tx, b.Name, key, 1); err == nil && len(vs) > 0 && vs[0].DeleteMarker {
				versionHeaders(q.w.Header(), vs[0])
			}
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
// version. A version ID verdict cannot have issued (see versionIDLen) is
// 400 InvalidArgument "Invalid version id specified".
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
func readAction(versionID string, hasVersion bool) (string, *awserr.Error) {
	if !hasVersion {
		return "s3:GetObject", nil
	}
	if !wellFormedVersionID(versionID) {
		return "", invalidVersionID(versionID)
	}
	return "s3:GetObjectVersion", nil
}
