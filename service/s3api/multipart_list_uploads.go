package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("ListMultipartUploads", listMultipartUploads) }

// listMultipartUploads implements ListMultipartUploads
// (s3:ListBucketMultipartUploads): uploads in progress ordered by key and,
// within a key, by initiation; prefix and delimiter as in ListObjects;
// key-marker alone resumes after that key, with upload-id-marker it resumes
// after that upload of the key (upload-id-marker is ignored without
// key-marker).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
func listMultipartUploads(q *request) {
	v := q.query
	asked, limit, e := parseMaxArg(v.Get("max-uploads"), v.Has("max-uploads"), "max-uploads")
	if e != nil {
		q.fail(e)
		return
	}
	encode, err := s3xml.ParseEncodingType(v.Get("encoding-type"))
	if q.done(err) {
		return
	}
	prefix, delim := v.Get("prefix"), v.Get("delimiter")
	keyMarker, idMarker := v.Get("key-marker"), v.Get("upload-id-marker")
	if keyMarker == "" {
		idMarker = ""
	}
	after := ""
	if keyMarker != "" {
		// Upload IDs are hex, so key+"\x00\xff" sorts after every upload
		// of the key.
		after = keyMarker + "\x00\xff"
		if idMarker != "" {
			after = keyMarker + "\x00" + idMarker
		}
	}
	var uploads []model.Upload
	var prefixes []string
	var truncated bool
	var last string
	err = q.view(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: "s3:ListBucketMultipartUploads", resource: bucketARN(b.Name), bucket: b}); !ok {
			return errWritten
		}
		w := listWalk{table: state.Uploads, base: b.Name + "/", prefix: prefix, delimiter: delim, after: after, skipPrefix: keyMarker, max: limit}
		truncated, err = walkList(tx, w, func(u *model.Upload) string { return u.Key }, func(u *model.Upload, cp string) {
			if u == nil {
				prefixes = append(prefixes, cp)
				last = cp
				return
			}
			uploads = append(uploads, *u)
			last = ""
		})
		return err
	})
	if q.done(err) {
		return
	}
	out := s3xml.ListMultipartUploadsResult{Bucket: q.bucket, KeyMarker: keyMarker, UploadIDMarker: idMarker,
		Delimiter: delim, Prefix: prefix, MaxUploads: asked, IsTruncated: truncated}
	for i := range uploads {
		u := &uploads[i]
		out.Uploads = append(out.Uploads, s3xml.MultipartUpload{Key: u.Key, UploadID: u.ID, Initiator: initiatorOwner(u),
			Owner: uploadOwner(u), StorageClass: storageClass(&u.Template), Initiated: s3xml.NewTimestamp(u.Initiated),
			ChecksumAlgorithm: u.Algorithm, ChecksumType: u.Extra["checksumType"]})
		out.NextKeyMarker, out.NextUploadIDMarker = u.Key, u.ID
	}
	if last != "" {
		out.NextKeyMarker, out.NextUploadIDMarker = last, ""
	}
	for _, p := range prefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, s3xml.CommonPrefix{Prefix: p})
	}
	if encode {
		out.EncodeURL()
	}
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}
