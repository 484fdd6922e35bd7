package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("PutBucketAcl", putBucketACL)
	register("GetBucketAcl", getBucketACL)
}

// putBucketACL implements PutBucketAcl: a canned ACL, grant headers or an
// AccessControlPolicy body replaces the bucket's ACL. Under
// BucketOwnerEnforced only bucket-owner-full-control (or the same grants in
// XML) is accepted, and changes nothing; Block Public Access BlockPublicAcls
// refuses a public ACL.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
func putBucketACL(q *request) {
	body, e := readBody(q, maxACLBody, s3xml.MalformedACL())
	if e != nil {
		q.fail(e)
		return
	}
	ctx := condition.Map{}
	aclContext(q, ctx)
	err := q.update(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: "s3:PutBucketAcl", resource: bucketARN(q.bucket), bucket: b, ctx: ctx}); !ok {
			return errWritten
		}
		change, e := parseACLChange(q.r.Header, body)
		if e != nil {
			return e
		}
		owner := ownerOf(b.Owner)
		a, err := change.build(newGrantees(tx, b.Owner, q.Caller.Principal.Account), owner, owner, true)
		if err != nil {
			return err
		}
		if b.Ownership.ACLsDisabled() {
			if !change.enforcedAccepts(a, owner) {
				return aclNotSupported()
			}
			return nil
		}
		if err := q.blockPublicACL(tx, b, a, "s3:PutBucketAcl", bucketARN(q.bucket)); err != nil {
			return err
		}
		b.ACL = a
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusOK)
}

// blockPublicACL applies Block Public Access BlockPublicAcls (bucket and
// account settings) to an ACL about to be written: a public one is 403
// AccessDenied with S3's message.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options
func (q *request) blockPublicACL(tx store.Tx, b *model.Bucket, a acl.ACL, action, resource string) error {
	pab, err := effectivePAB(tx, b)
	if err != nil {
		return err
	}
	if !authz.PublicACLBlocked(pab, &a) {
		return nil
	}
	pr := q.Caller.Principal
	req := &authz.Request{Principal: pr, Action: action, Resource: resource}
	// The detailed message goes only to callers of the bucket owner's
	// account (organizations are not modelled here).
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples
	enhanced := pr.Type != authz.Anonymous && pr.Account == b.Owner
	return awserr.New("AccessDenied", http.StatusForbidden, authz.PublicACLMessage(req, enhanced))
}

// getBucketACL implements GetBucketAcl. With ACLs disabled the bucket's ACL
// is the owner's FULL_CONTROL, which is what S3 reports. Public grants are
// reported even under IgnorePublicAcls: that setting ignores them when
// authorizing but "doesn't affect the persistence of any existing ACLs".
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html
func getBucketACL(q *request) {
	var a acl.ACL
	err := q.onBucket(false, "s3:GetBucketAcl", func(tx store.Tx, b *model.Bucket) error {
		a = b.ACL
		// A record stored without an ACL has the default one.
		if b.Ownership.ACLsDisabled() || a.Owner.ID == "" {
			a = acl.Private(ownerOf(b.Owner))
		}
		a.Owner = ownerOf(b.Owner)
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, aclXML(a))
}
