package s3api

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("CreateBucket", createBucket) }

// validBucketName applies S3's general-purpose bucket naming rules.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func validBucketName(n string) bool {
	if len(n) < 3 || len(n) > 63 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	first, last := n[0], n[len(n)-1]
	if !isAlnum(first) || !isAlnum(last) || strings.Contains(n, "..") {
		return false
	}
	if _, err := netip.ParseAddr(n); err == nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(n, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func invalidBucketName(b string) *awserr.Error {
	return awserr.New("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid.").With("BucketName", b)
}

// createBucket implements CreateBucket.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
func createBucket(q *request) {
	if !validBucketName(q.bucket) {
		q.fail(invalidBucketName(q.bucket))
		return
	}
	region := q.Region
	var cfg s3xml.CreateBucketConfiguration
	if q.r.ContentLength != 0 {
		if err := s3xml.Decode(q.r.Body, 64<<10, &cfg); err != nil {
			var e *awserr.Error
			if !(errors.As(err, &e) && e.Code == "MissingRequestBodyError") {
				q.failErr(err)
				return
			}
		}
	}
	if lc := cfg.LocationConstraint; lc != "" {
		// us-east-1 is written as an empty constraint; naming it, or any
		// region other than the endpoint's, is refused.
		if lc != q.Region || q.Region == "us-east-1" {
			q.fail(awserr.New("IllegalLocationConstraintException", http.StatusBadRequest,
				"The "+lc+" location constraint is incompatible for the region specific endpoint this request was sent to."))
			return
		}
		region = lc
	} else if q.Region != "us-east-1" {
		q.fail(awserr.New("IllegalLocationConstraintException", http.StatusBadRequest,
			"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."))
		return
	}
	pr := q.Caller.Principal
	if pr.Type == authz.Anonymous {
		q.fail(awserr.AccessDenied())
		return
	}
	// New buckets get BucketOwnerEnforced and all of Block Public Access
	// unless the request says otherwise (April 2023 defaults).
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-faq.html
	ownership := acl.BucketOwnerEnforced
	if h := q.r.Header.Get("x-amz-object-ownership"); h != "" {
		o, ok := acl.ParseOwnership(h)
		if !ok {
			q.fail(awserr.InvalidArgument("Invalid x-amz-object-ownership header: " + h))
			return
		}
		ownership = o
	}
	owner := acl.Owner{ID: pr.CanonicalID, DisplayName: displayName(pr.Account)}
	ctx := condition.Map{}
	if lc := cfg.LocationConstraint; lc != "" {
		ctx["s3:locationconstraint"] = []string{lc}
	}
	if h := q.r.Header.Get("x-amz-object-ownership"); h != "" {
		ctx["s3:x-amz-object-ownership"] = []string{h}
	}
	aclContext(q, ctx)
	err := q.update(func(tx store.Tx) error {
		bucketACL, change, aerr := requestACL(q, tx, owner, owner, true, pr.Account)
		if aerr != nil {
			return aerr
		}
		hasACL := change != nil
		if ownership == acl.BucketOwnerEnforced && hasACL && !bucketACL.OnlyOwner() {
			return awserr.New("InvalidBucketAclWithObjectOwnership", http.StatusBadRequest,
				"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
		}
		existing, err := state.Bucket(tx, q.bucket)
		switch {
		case err == nil:
			if existing.Owner == pr.Account {
				if q.Region == "us-east-1" {
					// In us-east-1 re-creating your own bucket succeeds
					// and resets the bucket's ACL (legacy behaviour kept
					// by S3).
					// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_Errors
					existing.ACL = bucketACL
					return state.PutBucket(tx, existing)
				}
				return awserr.New("BucketAlreadyOwnedByYou", http.StatusConflict,
					"Your previous request to create the named bucket succeeded and you already own it.").With("BucketName", q.bucket)
			}
			return awserr.New("BucketAlreadyExists", http.StatusConflict,
				"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.").With("BucketName", q.bucket)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		checks := []string{"s3:CreateBucket"}
		if hasACL {
			checks = append(checks, "s3:PutBucketAcl")
		}
		if q.r.Header.Get("x-amz-object-ownership") != "" {
			checks = append(checks, "s3:PutBucketOwnershipControls")
		}
		for _, a := range checks {
			if _, ok := q.authorize(tx, authCheck{action: a, resource: bucketARN(q.bucket), ctx: ctx}); !ok {
				return errWritten
			}
		}
		if _, err := state.Account(tx, pr.Account, q.Now); err != nil {
			return err
		}
		all := acl.AllOn()
		b := &model.Bucket{Name: q.bucket, Owner: pr.Account, Region: region, Created: q.Now.UTC(),
			Ownership: ownership, ACL: bucketACL, PublicAccess: &all}
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.Header().Set("Location", "/"+q.bucket)
	q.w.WriteHeader(http.StatusOK)
}

// displayName is the owner DisplayName verdict reports: the account ID, since
// verdict accounts have no e-mail-derived names.
func displayName(account string) string { return account }
