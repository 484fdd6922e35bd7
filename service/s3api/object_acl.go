package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("PutObjectAcl", putObjectACL)
	register("GetObjectAcl", getObjectACL)
}

// putObjectACL implements PutObjectAcl. It is authorized in the object
// context (the object owner's ACL grants WRITE_ACP), the new ACL keeps the
// object's owner, and bucket-owner-read / bucket-owner-full-control name
// the bucket owner. Under BucketOwnerEnforced only bucket-owner-full-control
// (or the same grants in XML) is accepted, and the stored ACL is left as it
// is, so that re-enabling ACLs brings it back.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func putObjectACL(q *request) {
	body, e := readBody(q, maxACLBody, s3xml.MalformedACL())
	if e != nil {
		q.fail(e)
		return
	}
	ctx := condition.Map{}
	aclContext(q, ctx)
	action, e := subresourceAction(q, "s3:PutObjectAcl", "s3:PutObjectVersionAcl", ctx)
	if e != nil {
		q.fail(e)
		return
	}
	err := q.update(func(tx store.Tx) error {
		b, obj, err := q.subresourceTarget(tx, action, ctx, q.key)
		if err != nil {
			return err
		}
		change, e := parseACLChange(q.r.Header, body)
		if e != nil {
			return e
		}
		bucketOwner := ownerOf(b.Owner)
		owner := effectiveObjectOwner(b, obj)
		a, err := change.build(newGrantees(tx, b.Owner, obj.Owner, q.Caller.Principal.Account), owner, bucketOwner, false)
		if err != nil {
			return err
		}
		if b.Ownership.ACLsDisabled() {
			if !change.enforcedAccepts(a, bucketOwner) {
				return aclNotSupported()
			}
			return nil
		}
		if err := q.blockPublicACL(tx, b, a, action, objectARN(q.bucket, q.key)); err != nil {
			return err
		}
		obj.ACL = a
		return saveObjectRecord(tx, obj)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusOK)
}

// effectiveObjectOwner is the owner S3 reports for an object: the bucket
// owner under BucketOwnerEnforced (which owns every object, including those
// written before), the writer's account otherwise.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func effectiveObjectOwner(b *model.Bucket, obj *model.Object) acl.Owner {
	if b.Ownership.ACLsDisabled() {
		return ownerOf(b.Owner)
	}
	return ownerOf(obj.Owner)
}

// getObjectACL implements GetObjectAcl: the stored ACL, or the bucket
// owner's FULL_CONTROL under BucketOwnerEnforced. Public grants are
// reported even under IgnorePublicAcls, which only ignores them when
// authorizing.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html
func getObjectACL(q *request) {
	ctx := condition.Map{}
	action, e := subresourceAction(q, "s3:GetObjectAcl", "s3:GetObjectVersionAcl", ctx)
	if e != nil {
		q.fail(e)
		return
	}
	var a acl.ACL
	err := q.view(func(tx store.Tx) error {
		b, obj, err := q.subresourceTarget(tx, action, ctx, q.key)
		if err != nil {
			return err
		}
		owner := effectiveObjectOwner(b, obj)
		a = obj.ACL
		// A record stored without an ACL has the default one.
		if b.Ownership.ACLsDisabled() || a.Owner.ID == "" {
			a = acl.Private(owner)
		}
		a.Owner = owner
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, aclXML(a))
}
