package s3api

import (
	"io"
	"net/http"
	"strconv"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/store"
)

func init() { register("CopyObject", copyObject) }

// readDirective reads x-amz-metadata-directive or x-amz-tagging-directive:
// COPY (the default) or REPLACE.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax
func readDirective(h http.Header, name, what string) (string, *awserr.Error) {
	v := h.Get(name)
	switch v {
	case "":
		return "COPY", nil
	case "COPY", "REPLACE":
		return v, nil
	}
	return "", awserr.InvalidArgument("Unknown "+what+" directive.").With("ArgumentName", name).With("ArgumentValue", v)
}

// copySourceObject is a copy source once authorized.
type copySourceObject struct {
	src    copySource
	bucket *model.Bucket
	obj    *model.Object
}

// authorizeCopySource loads the copy source and authorizes reading it:
// s3:GetObject (s3:GetObjectVersion for a version) on the source object in
// its own bucket, in the object context (the source object's owner and ACL
// decide), with the 403/404 rule for a missing source key.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_Permissions
func (q *request) authorizeCopySource(tx store.Tx, src copySource) (*copySourceObject, error) {
	action, e := readAction(src.versionID, src.hasVersion)
	if e != nil {
		return nil, e
	}
	b, err := q.bucketFor(tx, src.bucket, "x-amz-source-expected-bucket-owner")
	if err != nil {
		return nil, err
	}
	obj, err := q.readObject(tx, b, src.key, src.versionID, action, nil)
	if err != nil {
		return nil, err
	}
	if obj.DeleteMarker {
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
		return nil, awserr.InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.")
	}
	return &copySourceObject{src: src, bucket: b, obj: obj}, nil
}

// copyObject implements CopyObject: read permission on the source, write
// permission on the destination, both before any byte moves; the new object
// belongs to the copier's account (subject to Object Ownership) and gets the
// request's ACL, not the source's.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
func copyObject(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	h := q.r.Header
	src, e := parseCopySource(h.Get("x-amz-copy-source"))
	if e != nil {
		q.fail(e)
		return
	}
	mdDirective, e := readDirective(h, "x-amz-metadata-directive", "metadata")
	if e != nil {
		q.fail(e)
		return
	}
	tagDirective, e := readDirective(h, "x-amz-tagging-directive", "tagging")
	if e != nil {
		q.fail(e)
		return
	}
	conds, e := readWriteConditions(h)
	if e != nil {
		q.fail(e)
		return
	}
	alg, e := parseChecksumAlgorithm(h.Get("x-amz-checksum-algorithm"))
	if e != nil {
		q.fail(e)
		return
	}
	ctx := writeContext(q)
	// The copy's condition keys: s3:x-amz-copy-source is bucket/key of the
	// source, s3:x-amz-metadata-directive the directive when sent.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
	ctx["s3:x-amz-copy-source"] = []string{src.String()}
	if v := h.Get("x-amz-metadata-directive"); v != "" {
		ctx["s3:x-amz-metadata-directive"] = []string{v}
	}
	var tags []model.Tag
	var err error
	if tagDirective == "REPLACE" {
		if tags, err = requestTags(h.Get("x-amz-tagging"), ctx); q.done(err) {
			return
		}
	}
	var source *copySourceObject
	var plan *writePlan
	err = q.view(func(tx store.Tx) error {
		var err error
		if source, err = q.authorizeCopySource(tx, src); err != nil {
			return err
		}
		if tagDirective == "COPY" && len(source.obj.Tags) > 0 {
			// Copying the source's tags reads them: s3:GetObjectTagging
			// on the source (and s3:PutObjectTagging on the target, in
			// planWrite).
			// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
			if _, ok := q.authorize(tx, authCheck{action: "s3:GetObjectTagging", resource: objectARN(source.bucket.Name, src.key),
				bucket: source.bucket, object: source.obj, ctx: existingTagContext(source.obj.Tags)}); !ok {
				return errWritten
			}
			tags = source.obj.Tags
		}
		if plan, err = q.planWrite(tx, ctx, tags); err != nil {
			return err
		}
		return q.checkConditionalWrite(tx, plan, conds)
	})
	if q.done(err) {
		return
	}
	sobj := source.obj
	// Copying an earlier version onto its own key is how a version is
	// restored, and is allowed.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RestoringPreviousVersions.html
	restore := src.hasVersion && (plan.existing == nil || versionIDOf(plan.existing) != src.versionID)
	if src.bucket == q.bucket && src.key == q.key && mdDirective != "REPLACE" && !changesAttributes(h) && !restore {
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
		q.fail(awserr.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."))
		return
	}
	pre := readPreconditions(h, "x-amz-copy-source-")
	if e := pre.check(sobj, true); e != nil {
		q.fail(e)
		return
	}
	if sobj.Size > maxSinglePut {
		q.fail(awserr.InvalidRequest("The specified copy source is larger than the maximum allowable size for a copy source: " + strconv.Itoa(maxSinglePut)))
		return
	}
	obj, e := q.newObject(plan)
	if e != nil {
		q.fail(e)
		return
	}
	if mdDirective == "COPY" {
		copyMetadata(obj, sobj, h)
	}
	if alg == "" {
		alg = sourceAlgorithm(sobj)
	}
	if q.done(q.sseRead(sobj)) {
		return
	}
	sse, serr := q.sseWrite(plan.bucket, q.key)
	if q.done(serr) {
		return
	}
	obj.SSE = sse
	rd, err := q.openObject(sobj, nil)
	if q.done(err) {
		return
	}
	sums := sigv4.NewChecksums(sigv4.MD5, alg)
	data, n, e := q.writeObjectData(io.LimitReader(rd, sobj.Size), sums, maxSinglePut, sobj.Size)
	_ = rd.Close()
	if e != nil {
		q.fail(e)
		return
	}
	// storeNewObject also reports x-amz-request-charged for a copy into a
	// Requester Pays bucket, as CopyObject's response does.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_ResponseSyntax
	if !q.storeNewObject(obj, plan, conds, data, n, sums, alg) {
		return
	}
	// The copy reports the source version it read and the version it
	// created, in versioned buckets.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_ResponseSyntax
	if sobj.VersionID != "" || source.bucket.Versioning != "" {
		q.w.Header().Set("x-amz-copy-source-version-id", versionIDOf(sobj))
	}
	setNewVersionID(q.w.Header(), obj)
	out := s3xml.CopyObjectResult{LastModified: s3xml.NewTimestamp(obj.LastModified), ETag: obj.ETag, ChecksumType: obj.ChecksumType}
	setXMLChecksum(&out.Checksums, alg, obj.Checksums[string(alg)])
	sseHeaders(q.w.Header(), obj.SSE)
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}

// changesAttributes reports whether a copy onto the object itself changes
// something S3 accepts as a change: storage class, website redirect or
// encryption.
func changesAttributes(h http.Header) bool {
	for _, n := range []string{"x-amz-storage-class", "x-amz-website-redirect-location", "x-amz-server-side-encryption",
		"x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-customer-algorithm", "x-amz-server-side-encryption-bucket-key-enabled"} {
		if h.Get(n) != "" {
			return true
		}
	}
	return false
}

// copyMetadata applies MetadataDirective COPY: content type, content
// headers and user metadata come from the source; storage class and
// website redirect come from the request, as they are not metadata S3
// copies.
func copyMetadata(dst, src *model.Object, h http.Header) {
	dst.ContentType = src.ContentType
	dst.Metadata = cloneMap(src.Metadata)
	dst.Headers = nil
	for k, v := range src.Headers {
		if k == "x-amz-storage-class" || k == "x-amz-website-redirect-location" {
			continue
		}
		if dst.Headers == nil {
			dst.Headers = map[string]string{}
		}
		dst.Headers[k] = v
	}
	for _, k := range []string{"x-amz-storage-class", "x-amz-website-redirect-location"} {
		if v := h.Get(k); v != "" {
			if dst.Headers == nil {
				dst.Headers = map[string]string{}
			}
			dst.Headers[k] = v
		}
	}
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// sourceAlgorithm is the checksum algorithm a copy keeps: the source's, or
// CRC64NVME.
func sourceAlgorithm(o *model.Object) sigv4.ChecksumAlgorithm {
	for a := range o.Checksums {
		if alg, ok := sigv4.ParseChecksumAlgorithm(a); ok {
			return alg
		}
	}
	return sigv4.CRC64NVME
}

// setXMLChecksum fills the element of c for algorithm a.
func setXMLChecksum(c *s3xml.Checksums, a sigv4.ChecksumAlgorithm, v string) {
	switch a {
	case sigv4.CRC32:
		c.ChecksumCRC32 = v
	case sigv4.CRC32C:
		c.ChecksumCRC32C = v
	case sigv4.CRC64NVME:
		c.ChecksumCRC64NVME = v
	case sigv4.SHA1:
		c.ChecksumSHA1 = v
	case sigv4.SHA256:
		c.ChecksumSHA256 = v
	}
}

// xmlChecksum returns the element of c for algorithm a.
func xmlChecksum(c *s3xml.Checksums, a sigv4.ChecksumAlgorithm) string {
	switch a {
	case sigv4.CRC32:
		return c.ChecksumCRC32
	case sigv4.CRC32C:
		return c.ChecksumCRC32C
	case sigv4.CRC64NVME:
		return c.ChecksumCRC64NVME
	case sigv4.SHA1:
		return c.ChecksumSHA1
	case sigv4.SHA256:
		return c.ChecksumSHA256
	}
	return ""
}
