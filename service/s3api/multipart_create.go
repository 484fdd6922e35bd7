package s3api

import (
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("CreateMultipartUpload", createMultipartUpload) }

// uploadChecksum reads x-amz-checksum-algorithm and x-amz-checksum-type of
// CreateMultipartUpload. FULL_OBJECT works only with the CRCs, COMPOSITE
// with all but CRC64NVME; the default type is FULL_OBJECT for CRC64NVME and
// COMPOSITE otherwise.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#ChecksumTypes
func uploadChecksum(h http.Header) (sigv4.ChecksumAlgorithm, string, *awserr.Error) {
	alg, e := parseChecksumAlgorithm(h.Get("x-amz-checksum-algorithm"))
	if e != nil {
		return "", "", e
	}
	typ := h.Get("x-amz-checksum-type")
	switch typ {
	case "", checksumComposite, checksumFullObject:
	default:
		return "", "", awserr.InvalidRequest("Value for x-amz-checksum-type header is invalid.")
	}
	if typ != "" && alg == "" {
		return "", "", awserr.InvalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
	}
	switch {
	case typ == checksumFullObject && !isCRC(alg):
		return "", "", awserr.InvalidRequest("The FULL_OBJECT checksum type cannot be used with the " + strings.ToLower(string(alg)) + " checksum algorithm.")
	case typ == checksumComposite && alg == sigv4.CRC64NVME:
		return "", "", awserr.InvalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.")
	case typ == "" && alg == sigv4.CRC64NVME:
		typ = checksumFullObject
	case typ == "" && alg != "":
		typ = checksumComposite
	}
	return alg, typ, nil
}

// createMultipartUpload implements CreateMultipartUpload, authorized like
// PutObject (s3:PutObject, plus s3:PutObjectAcl and s3:PutObjectTagging for
// ACL and tagging headers). The object's owner, ACL, content headers,
// metadata and tags are fixed now and applied on completion.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
func createMultipartUpload(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	alg, typ, e := uploadChecksum(q.r.Header)
	if e != nil {
		q.fail(e)
		return
	}
	ctx := writeContext(q)
	tags, err := requestTags(q.r.Header.Get("x-amz-tagging"), ctx)
	if q.done(err) {
		return
	}
	pr := q.Caller.Principal
	var u *model.Upload
	err = q.update(func(tx store.Tx) error {
		plan, err := q.planWrite(tx, ctx, tags)
		if err != nil {
			return err
		}
		tmpl, e := q.newObject(plan)
		if e != nil {
			return e
		}
		id, err := newUploadID(tx)
		if err != nil {
			return err
		}
		acct := pr.Account
		if pr.Type == authz.Anonymous {
			acct = "anonymous"
		}
		u = &model.Upload{ID: id, Bucket: q.bucket, Key: q.key, Initiated: q.Now.UTC(), Initiator: pr.ARN, InitAcct: acct,
			Owner: plan.owner, ACL: plan.acl, Template: *tmpl, Algorithm: string(alg)}
		if typ != "" {
			u.Extra = map[string]string{"checksumType": typ}
		}
		return store.InsertJSON(tx, state.Uploads, uploadKey(u.Bucket, u.Key, u.ID), u)
	})
	if q.done(err) {
		return
	}
	if q.done(q.sseUpload(u)) {
		return
	}
	sseHeaders(q.w.Header(), u.Template.SSE)
	if alg != "" {
		q.w.Header().Set("x-amz-checksum-algorithm", string(alg))
		q.w.Header().Set("x-amz-checksum-type", typ)
	}
	_ = s3xml.Write(q.w, http.StatusOK, &s3xml.InitiateMultipartUploadResult{Bucket: q.bucket, Key: q.key, UploadID: u.ID})
}

// authorizeUpload authorizes an operation on an upload in progress
// (AbortMultipartUpload, ListParts). Besides what policies and ACLs grant,
// the upload's initiator (and, for an IAM initiator, its account) may do
// these by default; an explicit deny, and the organization and VPC endpoint
// policies, still apply.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
func (q *request) authorizeUpload(tx store.Tx, b *model.Bucket, u *model.Upload, action string) bool {
	ch := authCheck{action: action, resource: objectARN(b.Name, u.Key), bucket: b}
	d, areq, err := q.decide(tx, ch)
	if err != nil {
		q.failErr(err)
		return false
	}
	if !d.Allowed && !(d.Effect == authz.ImplicitDeny && initiatorDefaultLayer(d.Layer) && q.isInitiator(u)) {
		q.fail(awserr.New("AccessDenied", http.StatusForbidden, d.Message(areq)))
		return false
	}
	q.charged(b)
	return true
}

// initiatorDefaultLayer reports whether an implicit denial decided at layer
// l is one the initiator's default permission overrides: the identity and
// resource-policy layers, not SCPs, RCPs, endpoint policies, boundaries or
// session policies.
func initiatorDefaultLayer(l authz.Layer) bool {
	switch l {
	case authz.LayerIdentity, authz.LayerBucketPolicy, authz.LayerACL, authz.LayerResourcePolicy, authz.LayerObjectOwner:
		return true
	}
	return false
}

// isInitiator reports whether the caller started the upload, or is the
// root user of the account that did.
func (q *request) isInitiator(u *model.Upload) bool {
	pr := q.Caller.Principal
	if pr.Type == authz.Anonymous {
		return false
	}
	return (u.Initiator != "" && pr.ARN == u.Initiator) || (pr.Type == authz.Root && pr.Account == u.InitAcct)
}

// initiatorOwner is the Initiator element of ListParts and
// ListMultipartUploads: the canonical user for a root user or anonymous
// caller, the principal's ARN and name for an IAM identity.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Initiator.html
func initiatorOwner(u *model.Upload) s3xml.Owner {
	if u.Initiator == "" || strings.HasSuffix(u.Initiator, ":root") {
		o := ownerOf(u.InitAcct)
		return s3xml.Owner{ID: o.ID, DisplayName: o.DisplayName}
	}
	name := u.Initiator
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return s3xml.Owner{ID: u.Initiator, DisplayName: name}
}

// uploadOwner is the Owner element of an upload: the account that will own
// the object.
func uploadOwner(u *model.Upload) s3xml.Owner {
	o := ownerOf(u.Owner)
	return s3xml.Owner{ID: o.ID, DisplayName: o.DisplayName}
}
