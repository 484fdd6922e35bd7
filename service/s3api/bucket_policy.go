package s3api

import (
	"errors"
	"io"
	"net/http"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("PutBucketPolicy", putBucketPolicy)
	register("GetBucketPolicy", getBucketPolicy)
	register("DeleteBucketPolicy", deleteBucketPolicy)
	register("GetBucketPolicyStatus", getBucketPolicyStatus)
}

// maxBucketPolicy is S3's bucket policy size limit.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
const maxBucketPolicy = 20 << 10

// ownerOnly enforces that the bucket-policy APIs are for the bucket owner's
// account: a permitted principal of another account gets 405.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
func (q *request) ownerOnly(b *model.Bucket) error {
	if q.Caller.Principal.Account != b.Owner {
		return awserr.New("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource.").
			With("Method", q.r.Method).With("ResourceType", "BUCKETPOLICY")
	}
	return nil
}

// effectivePAB is the bucket's Block Public Access combined with its owner
// account's.
func effectivePAB(tx store.Tx, b *model.Bucket) (acl.PublicAccessBlock, error) {
	var p acl.PublicAccessBlock
	if b.PublicAccess != nil {
		p = *b.PublicAccess
	}
	a, err := state.AccountPublicAccess(tx, b.Owner)
	if err != nil {
		return p, err
	}
	if a != nil {
		p = p.Merge(*a)
	}
	return p, nil
}

// putBucketPolicy implements PutBucketPolicy.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
func putBucketPolicy(q *request) {
	body, err := io.ReadAll(io.LimitReader(q.r.Body, maxBucketPolicy*4))
	if err != nil {
		q.failErr(err)
		return
	}
	err = q.update(func(tx store.Tx) error {
		b, err := getBucket(tx, q.bucket)
		if err != nil {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: "s3:PutBucketPolicy", resource: bucketARN(q.bucket), bucket: b}); !ok {
			return errWritten
		}
		if err := q.ownerOnly(b); err != nil {
			return err
		}
		p, err := policy.Validate(body, policy.Bucket, policy.Options{Bucket: q.bucket, Account: b.Owner, PrincipalExists: state.PrincipalExists(tx)})
		if err != nil {
			if ve, ok := policy.AsValidationError(err); ok {
				return awserr.New(ve.Code, ve.Status, ve.Message)
			}
			return awserr.New("MalformedPolicy", http.StatusBadRequest, "Policies must be valid JSON and the first byte must be '{'")
		}
		pab, err := effectivePAB(tx, b)
		if err != nil {
			return err
		}
		if authz.PublicPolicyBlocked(pab, p) {
			req := &authz.Request{Principal: q.Caller.Principal, Action: "s3:PutBucketPolicy", Resource: bucketARN(q.bucket)}
			return awserr.New("AccessDenied", http.StatusForbidden, authz.PublicPolicyMessage(req, true))
		}
		b.Policy = string(body)
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}

func noSuchBucketPolicy(b string) *awserr.Error {
	return awserr.New("NoSuchBucketPolicy", http.StatusNotFound, "The bucket policy does not exist").With("BucketName", b)
}

// getBucketPolicy implements GetBucketPolicy.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
func getBucketPolicy(q *request) {
	var doc string
	err := q.onBucket(false, "s3:GetBucketPolicy", func(tx store.Tx, b *model.Bucket) error {
		if err := q.ownerOnly(b); err != nil {
			return err
		}
		if b.Policy == "" {
			return noSuchBucketPolicy(q.bucket)
		}
		doc = b.Policy
		return nil
	})
	if q.done(err) {
		return
	}
	q.w.Header().Set("Content-Type", "application/json")
	q.w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(q.w, doc)
}

// deleteBucketPolicy implements DeleteBucketPolicy (204 even when there is
// none).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
func deleteBucketPolicy(q *request) {
	err := q.onBucket(true, "s3:DeleteBucketPolicy", func(tx store.Tx, b *model.Bucket) error {
		if err := q.ownerOnly(b); err != nil {
			return err
		}
		b.Policy = ""
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}

// getBucketPolicyStatus implements GetBucketPolicyStatus: IsPublic as Block
// Public Access defines it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html
func getBucketPolicyStatus(q *request) {
	public := false
	err := q.onBucket(false, "s3:GetBucketPolicyStatus", func(tx store.Tx, b *model.Bucket) error {
		if b.Policy == "" {
			return noSuchBucketPolicy(q.bucket)
		}
		p, err := q.Compiler.Compile(b.Policy)
		if err != nil {
			return err
		}
		public = policy.IsPublic(p)
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, &s3xml.PolicyStatus{IsPublic: public})
}

var _ = errors.New
