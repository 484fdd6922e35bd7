package s3api

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("CompleteMultipartUpload", completeMultipartUpload) }

// minPartSize is the smallest size of a part other than the last: 5 MiB.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const minPartSize = 5 << 20

// completeBodyLimit bounds the CompleteMultipartUpload body: 10,000 parts,
// each with an ETag and a checksum, fit well within it.
const completeBodyLimit = 8 << 20

// invalidPart is S3's 400 for a listed part that was not uploaded or whose
// ETag (or checksum) differs.
func invalidPart(uploadID string, n int, etag string) *awserr.Error {
	return awserr.New("InvalidPart", http.StatusBadRequest,
		"One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.").
		With("UploadId", uploadID).With("PartNumber", strconv.Itoa(n)).With("ETag", etag)
}

// entityTooSmall is S3's 400 for a part other than the last under 5 MiB.
func entityTooSmall(p *model.Part) *awserr.Error {
	return awserr.New("EntityTooSmall", http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed size").
		With("ProposedSize", strconv.FormatInt(p.Size, 10)).With("MinSizeAllowed", strconv.Itoa(minPartSize)).
		With("PartNumber", strconv.Itoa(p.Number)).With("ETag", unquoteETag(p.ETag))
}

// completeMultipartUpload implements CompleteMultipartUpload (s3:PutObject):
// the listed parts, in ascending order (InvalidPartOrder), must exist with
// the ETags given (InvalidPart) and all but the last be at least 5 MiB
// (EntityTooSmall). The object's ETag is the MD5 of the parts' binary MD5s
// followed by "-" and the part count. Its bytes are assembled into one blob
// (temporary file, fsync, rename), then the object is recorded and the upload
// and its parts deleted in one transaction, then the parts' blobs removed.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
func completeMultipartUpload(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	conds, e := readWriteConditions(q.r.Header)
	if e != nil {
		q.fail(e)
		return
	}
	id := q.query.Get("uploadId")
	var plan *writePlan
	var u *model.Upload
	err := q.view(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		plan = &writePlan{bucket: b}
		if plan.existing, err = state.Object(tx, b.Name, q.key); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: "s3:PutObject", resource: objectARN(b.Name, q.key), bucket: b, object: plan.existing}); !ok {
			return errWritten
		}
		if u, err = getUpload(tx, b.Name, q.key, id); err != nil {
			return err
		}
		return q.checkConditionalWrite(tx, plan, conds)
	})
	if q.done(err) {
		return
	}
	var req s3xml.CompleteMultipartUpload
	if err := s3xml.Decode(q.r.Body, completeBodyLimit, &req); q.done(err) {
		return
	}
	var stored []model.Part
	err = q.view(func(tx store.Tx) error {
		var err error
		stored, err = uploadParts(tx, u.ID)
		return err
	})
	if q.done(err) {
		return
	}
	if q.done(q.sseComplete(u)) {
		return
	}
	byNumber := make(map[int]*model.Part, len(stored))
	for i := range stored {
		byNumber[stored[i].Number] = &stored[i]
	}
	alg := sigv4.ChecksumAlgorithm(u.Algorithm)
	parts := make([]*model.Part, 0, len(req.Parts))
	for _, cp := range req.Parts {
		p := byNumber[cp.PartNumber]
		if p == nil || unquoteETag(cp.ETag) != unquoteETag(p.ETag) {
			q.fail(invalidPart(u.ID, cp.PartNumber, cp.ETag))
			return
		}
		if alg != "" {
			if v := xmlChecksum(&cp.Checksums, alg); v != "" && v != p.Checksums[string(alg)] {
				q.fail(invalidPart(u.ID, cp.PartNumber, cp.ETag))
				return
			}
		}
		parts = append(parts, p)
	}
	// Sizes are checked once every listed part is known to exist.
	for _, p := range parts[:len(parts)-1] {
		if p.Size < minPartSize {
			q.fail(entityTooSmall(p))
			return
		}
	}
	obj, lay, e := q.assemble(u, parts)
	if e != nil {
		q.fail(e)
		return
	}
	var gone removed
	var partBlobs []string
	err = q.update(func(tx store.Tx) error {
		gone = nil
		b, err := getBucket(tx, q.bucket)
		if err != nil {
			return err
		}
		cur, err := getUpload(tx, q.bucket, q.key, u.ID)
		if err != nil {
			return err
		}
		prev, err := state.Object(tx, q.bucket, q.key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if conds.present() {
			if e := conds.check(prev, plan.existing, true); e != nil {
				return e
			}
		}
		if prev != nil && b.Versioning == "" {
			if err := deleteObjectData(tx, prev); err != nil {
				return err
			}
			gone = removed{prev}
		}
		if partBlobs, err = deleteUpload(tx, cur); err != nil {
			return err
		}
		if err := store.PutJSON(tx, layoutsTable, obj.BlobID, lay); err != nil {
			return err
		}
		if b.Versioning != "" {
			// A new version (see installVersion).
			return installVersion(tx, b, obj, &gone)
		}
		return state.PutObject(tx, obj)
	})
	if err != nil {
		_ = q.Blobs.Remove(obj.BlobID)
		q.done(err)
		return
	}
	q.removeBlobs(partBlobs)
	q.dropAll(gone)
	setNewVersionID(q.w.Header(), obj)
	out := s3xml.CompleteMultipartUploadResult{Location: q.location(), Bucket: q.bucket, Key: q.key, ETag: obj.ETag,
		ChecksumType: obj.ChecksumType}
	for a, v := range obj.Checksums {
		if ca, ok := sigv4.ParseChecksumAlgorithm(a); ok {
			setXMLChecksum(&out.Checksums, ca, v)
		}
	}
	sseHeaders(q.w.Header(), u.Template.SSE)
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}

// assemble writes the parts' bytes, in order, into one new blob and returns
// the object record and its part layout. The object's checksum is computed
// over the whole object (FULL_OBJECT, and CRC64NVME when the upload named
// no algorithm) or from the parts' checksums (COMPOSITE: the checksum of
// the concatenated binary part checksums, then "-" and the part count).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#ChecksumTypes
func (q *request) assemble(u *model.Upload, parts []*model.Part) (*model.Object, *layout, *awserr.Error) {
	alg := sigv4.ChecksumAlgorithm(u.Algorithm)
	typ := u.Extra["checksumType"]
	if alg == "" {
		alg, typ = sigv4.CRC64NVME, checksumFullObject
	}
	full := sigv4.NewChecksums(alg)
	composite := alg.New()
	etag := md5.New()
	lay := &layout{}
	bw, err := q.sseCreate()
	if err != nil {
		return nil, nil, awserr.InternalError()
	}
	defer func() { _ = bw.Abort() }()
	var size int64
	for _, p := range parts {
		sum, err := hex.DecodeString(unquoteETag(p.ETag))
		if err != nil {
			return nil, nil, awserr.InternalError()
		}
		etag.Write(sum)
		if typ == checksumComposite {
			raw, err := base64.StdEncoding.DecodeString(p.Checksums[string(alg)])
			if err != nil || len(raw) == 0 {
				return nil, nil, invalidPart(u.ID, p.Number, p.ETag)
			}
			composite.Write(raw)
		}
		rd, err := q.sseOpen(p.BlobID)
		if err != nil {
			return nil, nil, awserr.InternalError()
		}
		n, err := io.Copy(io.MultiWriter(bw, full), rd)
		_ = rd.Close()
		if err != nil || n != p.Size {
			return nil, nil, awserr.InternalError()
		}
		size += n
		lay.Sizes = append(lay.Sizes, n)
		lay.Checksums = append(lay.Checksums, p.Checksums)
	}
	id, err := bw.Commit()
	if err != nil {
		return nil, nil, awserr.InternalError()
	}
	count := strconv.Itoa(len(parts))
	obj := &model.Object{Bucket: u.Bucket, Key: u.Key, Size: size, ETag: `"` + hex.EncodeToString(etag.Sum(nil)) + "-" + count + `"`,
		LastModified: q.Now.UTC(), Owner: u.Owner, ACL: u.ACL, BlobID: id, ContentType: u.Template.ContentType,
		Headers: u.Template.Headers, Metadata: u.Template.Metadata, Tags: u.Template.Tags, PartsCount: len(parts), ChecksumType: typ, SSE: u.Template.SSE}
	if typ == checksumComposite {
		obj.Checksums = map[string]string{string(alg): base64.StdEncoding.EncodeToString(composite.Sum(nil)) + "-" + count}
	} else {
		obj.Checksums = map[string]string{string(alg): full.Sum(alg)}
	}
	return obj, lay, nil
}

// location is the URL of the request's object, the Location element of
// CompleteMultipartUploadResult.
func (q *request) location() string {
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	path := "/" + q.bucket + "/" + q.key
	if strings.HasPrefix(strings.ToLower(q.r.Host), q.bucket+".") {
		path = "/" + q.key
	}
	return scheme + "://" + q.r.Host + (&url.URL{Path: path}).EscapedPath()
}
