package s3api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("PutObject", putObject) }

// maxKeyLen is S3's key length limit in bytes.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
const maxKeyLen = 1024

// maxSinglePut is the largest object one PUT (or one part, or a copy
// source) may carry: 5 GiB.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const maxSinglePut = 5 << 30

// checkKey applies S3's key rules: at most 1024 bytes of UTF-8. A key that
// is not UTF-8 is refused as an unreadable URI, as S3 does (400 InvalidURI).
// Keys are otherwise opaque: "../x" is a key like any other.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
func checkKey(k string) *awserr.Error {
	if len(k) > maxKeyLen {
		return awserr.New("KeyTooLongError", http.StatusBadRequest, "Your key is too long").
			With("Size", strconv.Itoa(len(k))).With("MaxSizeAllowed", strconv.Itoa(maxKeyLen))
	}
	if !utf8.ValidString(k) {
		return awserr.New("InvalidURI", http.StatusBadRequest, "Couldn't parse the specified URI.")
	}
	return nil
}

// objectHeaders are the content headers S3 stores and returns.
var objectHeaders = []string{"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires", "x-amz-website-redirect-location", "x-amz-storage-class"}

// writeContext returns the condition keys every object write supplies: the
// ACL headers and the encryption, storage-class and redirect headers.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
func writeContext(q *request) condition.Map {
	ctx := condition.Map{}
	aclContext(q, ctx)
	for _, h := range []string{"x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-customer-algorithm", "x-amz-storage-class", "x-amz-website-redirect-location"} {
		if v := q.r.Header.Get(h); v != "" {
			ctx["s3:"+h] = []string{v}
		}
	}
	return ctx
}

// writePlan is what an object write decides before reading any byte: the
// bucket, the object now at the key, and the new object's owner, ACL and
// tags.
type writePlan struct {
	bucket   *model.Bucket
	existing *model.Object
	owner    string
	acl      acl.ACL
	tags     []model.Tag
}

// planWrite loads the bucket and the current object, works out the new
// object's owner (the writer's account, or the bucket owner under Object
// Ownership) and ACL, and authorizes s3:PutObject, plus s3:PutObjectAcl when
// the request sets an ACL and s3:PutObjectTagging when it sets tags.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
func (q *request) planWrite(tx store.Tx, ctx condition.Map, tags []model.Tag) (*writePlan, error) {
	pr := q.Caller.Principal
	writer := pr.Account
	if pr.Type == authz.Anonymous {
		writer = "anonymous"
	}
	bucket, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
	if err != nil {
		return nil, err
	}
	p := &writePlan{bucket: bucket, tags: tags, owner: writer}
	if p.existing, err = state.Object(tx, q.bucket, q.key); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if bucket.Ownership.NewObjectOwnerIsBucketOwner(q.r.Header.Get("x-amz-acl")) {
		p.owner = bucket.Owner
	}
	a, change, aerr := requestACL(q, tx, ownerOf(p.owner), ownerOf(bucket.Owner), false, q.Caller.Principal.Account, bucket.Owner, p.owner)
	if aerr != nil {
		return nil, aerr
	}
	hasACL := change != nil
	if hasACL && bucket.Ownership.ACLsDisabled() && !change.enforcedAccepts(a, ownerOf(bucket.Owner)) {
		// Under BucketOwnerEnforced only bucket-owner-full-control (or
		// no ACL) is accepted.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
		return nil, awserr.New("AccessControlListNotSupported", http.StatusBadRequest, "The bucket does not allow ACLs")
	}
	if bucket.Ownership.ACLsDisabled() {
		a = acl.Private(ownerOf(p.owner))
	}
	p.acl = a
	res := objectARN(q.bucket, q.key)
	if _, ok := q.authorize(tx, authCheck{action: "s3:PutObject", resource: res, bucket: bucket, object: p.existing, ctx: ctx}); !ok {
		return nil, errWritten
	}
	if hasACL {
		if _, ok := q.authorize(tx, authCheck{action: "s3:PutObjectAcl", resource: res, bucket: bucket, ctx: ctx}); !ok {
			return nil, errWritten
		}
		if err := q.blockPublicACL(tx, bucket, a, "s3:PutObjectAcl", res); err != nil {
			return nil, err
		}
	}
	if len(tags) > 0 {
		// Setting tags on upload also needs s3:PutObjectTagging.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
		if _, ok := q.authorize(tx, authCheck{action: "s3:PutObjectTagging", resource: res, bucket: bucket, ctx: ctx}); !ok {
			return nil, errWritten
		}
	}
	return p, nil
}

// newObject returns the record of the object a plan writes, with the
// request's content headers and metadata.
func (q *request) newObject(p *writePlan) (*model.Object, *awserr.Error) {
	obj := &model.Object{Bucket: q.bucket, Key: q.key, Owner: p.owner, LastModified: q.Now.UTC(), ACL: p.acl, Tags: p.tags}
	if e := readObjectHeaders(q, obj); e != nil {
		return nil, e
	}
	return obj, nil
}

// checkConditionalWrite authorizes and evaluates If-Match / If-None-Match
// before the body is read. If-Match also needs s3:GetObject.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
func (q *request) checkConditionalWrite(tx store.Tx, p *writePlan, c writeConditions) error {
	if c.ifMatch != "" {
		if _, ok := q.authorize(tx, authCheck{action: "s3:GetObject", resource: objectARN(q.bucket, q.key), bucket: p.bucket, object: p.existing}); !ok {
			return errWritten
		}
	}
	if e := c.check(p.existing, nil, false); e != nil {
		return e
	}
	return nil
}

// declaredLength is the size the request says its body has: the
// x-amz-decoded-content-length of an aws-chunked body, else Content-Length.
// A body of unknown length is S3's 411 MissingContentLength.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
func declaredLength(r *http.Request) (int64, *awserr.Error) {
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, missingContentLength()
		}
		return n, nil
	}
	if r.ContentLength < 0 {
		return 0, missingContentLength()
	}
	return r.ContentLength, nil
}

func missingContentLength() *awserr.Error {
	return awserr.New("MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header.")
}

// entityTooLarge is S3's 400 for a body over the limit.
func entityTooLarge(size, limit int64) *awserr.Error {
	return awserr.New("EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed size").
		With("ProposedSize", strconv.FormatInt(size, 10)).With("MaxSizeAllowed", strconv.FormatInt(limit, 10))
}

// putLimit is the largest body one PUT may carry.
func (q *request) putLimit() int64 {
	if q.MaxObjectSize > 0 && q.MaxObjectSize < maxSinglePut {
		return q.MaxObjectSize
	}
	return maxSinglePut
}

// putObject implements PutObject: authorization before the body is read
// (so a denied upload costs nothing and gets no 100 Continue: Go's server
// sends it only when the handler first reads the body), then the bytes
// (temp file, fsync, rename), then the metadata.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
func putObject(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	conds, e := readWriteConditions(q.r.Header)
	if e != nil {
		q.fail(e)
		return
	}
	size, e := declaredLength(q.r)
	if e != nil {
		q.fail(e)
		return
	}
	if limit := q.putLimit(); size > limit {
		q.fail(entityTooLarge(size, limit))
		return
	}
	ctx := writeContext(q)
	tags, err := requestTags(q.r.Header.Get("x-amz-tagging"), ctx)
	if q.done(err) {
		return
	}
	var plan *writePlan
	err = q.view(func(tx store.Tx) error {
		var err error
		if plan, err = q.planWrite(tx, ctx, tags); err != nil {
			return err
		}
		return q.checkConditionalWrite(tx, plan, conds)
	})
	if q.done(err) {
		return
	}
	obj, e := q.newObject(plan)
	if e != nil {
		q.fail(e)
		return
	}
	if obj.SSE, err = q.sseWrite(plan.bucket, q.key); q.done(err) {
		return
	}
	sums, alg, err := bodyChecksums(q.r.Header, "")
	if q.done(err) {
		return
	}
	data, n, e := q.writeObjectData(q.r.Body, sums, q.putLimit(), size)
	if e != nil {
		q.fail(e)
		return
	}
	if !q.storeNewObject(obj, plan, conds, data, n, sums, alg) {
		return
	}
	h := q.w.Header()
	setNewVersionID(h, obj)
	h.Set("ETag", obj.ETag)
	setChecksumHeaders(h, obj.Checksums, obj.ChecksumType)
	sseHeaders(h, obj.SSE)
	q.w.WriteHeader(http.StatusOK)
}

// storeNewObject completes obj with the bytes just received (data, n
// bytes, their sums; the checksum algorithm alg), records it and removes
// what it replaced. It reports false when it failed, the error written.
func (q *request) storeNewObject(obj *model.Object, plan *writePlan, conds writeConditions, data *objectData, n int64,
	sums *sigv4.Checksums, alg sigv4.ChecksumAlgorithm) bool {
	data.setOn(obj)
	obj.Size, obj.ETag = n, `"`+md5Hex(sums)+`"`
	obj.Checksums = map[string]string{string(alg): sums.Sum(alg)}
	obj.ChecksumType = checksumFullObject
	gone, err := q.commitObject(obj, data, plan, conds)
	if err != nil {
		q.discard(data)
		q.done(err)
		return false
	}
	q.dropAll(gone)
	q.charged(plan.bucket)
	return true
}

// commitObject records obj and its inline bytes (a blob file is already
// committed), re-checking that the bucket still exists and the write
// conditions still hold. It returns the versions it replaced, whose blobs
// the caller removes (see dropAll). In a versioned bucket obj becomes a new
// version (see installVersion) and gets its VersionID.
func (q *request) commitObject(obj *model.Object, data *objectData, plan *writePlan, conds writeConditions) (removed, error) {
	var gone removed
	err := q.update(func(tx store.Tx) error {
		gone = nil
		b, err := getBucket(tx, obj.Bucket)
		if err != nil {
			return err
		}
		prev, err := state.Object(tx, obj.Bucket, obj.Key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if conds.present() {
			if e := conds.check(prev, plan.existing, true); e != nil {
				return e
			}
		}
		if b.Versioning != "" {
			if err := putObjectData(tx, obj, data); err != nil {
				return err
			}
			return installVersion(tx, b, obj, &gone)
		}
		if prev != nil {
			gone = removed{prev}
		}
		if prev != nil && prev.BlobID != obj.BlobID {
			if err := deleteObjectData(tx, prev); err != nil {
				return err
			}
		}
		if err := putObjectData(tx, obj, data); err != nil {
			return err
		}
		return state.PutObject(tx, obj)
	})
	return gone, err
}

// dropBlob removes the blob of an object whose record is already gone, so
// a crash here leaves an orphan blob for blob.Collect, never a dangling
// record.
func (q *request) dropBlob(old *model.Object) {
	if old == nil || old.BlobID == "" || old.Inline {
		return
	}
	_ = q.Blobs.Remove(old.BlobID)
}

// readObjectHeaders copies Content-Type, the content headers and x-amz-meta-*
// into obj.
func readObjectHeaders(q *request, obj *model.Object) *awserr.Error {
	h := q.r.Header
	obj.ContentType = h.Get("Content-Type")
	if obj.ContentType == "" {
		obj.ContentType = "binary/octet-stream"
	}
	obj.Headers, obj.Metadata = nil, nil
	for _, name := range objectHeaders {
		v := h.Get(name)
		if name == "Content-Encoding" {
			v = stripAWSChunked(v)
		}
		if v != "" {
			if obj.Headers == nil {
				obj.Headers = map[string]string{}
			}
			obj.Headers[name] = v
		}
	}
	size := 0
	for k, v := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-amz-meta-") {
			if obj.Metadata == nil {
				obj.Metadata = map[string]string{}
			}
			obj.Metadata[strings.TrimPrefix(lk, "x-amz-meta-")] = strings.Join(v, ",")
			size += len(lk) + len(strings.Join(v, ","))
		}
	}
	// User metadata is limited to 2 KB.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html
	if size > 2048 {
		return awserr.New("MetadataTooLarge", http.StatusBadRequest, "Your metadata headers exceed the maximum allowed metadata size.")
	}
	return nil
}

// stripAWSChunked removes "aws-chunked" from a Content-Encoding value: it
// describes the upload's framing, not the object, and S3 does not store it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
func stripAWSChunked(v string) string {
	if !strings.Contains(strings.ToLower(v), "aws-chunked") {
		return v
	}
	var keep []string
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); e != "" && !strings.EqualFold(e, "aws-chunked") {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, ",")
}

// writeBlob streams body into a new blob file and commits it only when the
// whole body arrived and every checksum matched (see receive). It returns
// the blob's id and size.
func (q *request) writeBlob(body io.Reader, sums *sigv4.Checksums, limit, expect int64) (string, int64, *awserr.Error) {
	bw, err := q.sseCreate()
	if err != nil {
		return "", 0, awserr.InternalError()
	}
	defer func() { _ = bw.Abort() }()
	n, e := q.receive(bw, body, sums, limit, expect)
	if e != nil {
		return "", 0, e
	}
	id, err := bw.Commit()
	if err != nil {
		return "", 0, awserr.InternalError()
	}
	return id, n, nil
}

// receive copies body into w, computing sums on the way, and checks that
// the whole body arrived (expect is the size it must have, -1: any), that
// it is within limit and that every checksum (including the ones the
// signature layer verifies) matched. The caller commits w only when it
// returns no error, so nothing is left behind otherwise.
func (q *request) receive(w io.Writer, body io.Reader, sums *sigv4.Checksums, limit, expect int64) (int64, *awserr.Error) {
	n, err := io.Copy(io.MultiWriter(w, sums), io.LimitReader(body, limit+1))
	if err != nil {
		var e *awserr.Error
		if errors.As(err, &e) {
			return 0, e
		}
		return 0, awserr.New("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	}
	if n > limit {
		return 0, entityTooLarge(n, limit)
	}
	if expect >= 0 && n != expect {
		return 0, awserr.New("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	}
	if err := sums.Verify(); err != nil {
		return 0, awserr.As(err)
	}
	return n, nil
}
