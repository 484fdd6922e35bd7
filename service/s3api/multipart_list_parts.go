package s3api

import (
	"net/http"
	"strconv"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("ListParts", listParts) }

// listParts implements ListParts (s3:ListMultipartUploadParts): the parts
// after part-number-marker, at most max-parts (1,000 at most) per page.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
func listParts(q *request) {
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	asked, limit, e := parseMaxArg(q.query.Get("max-parts"), q.query.Has("max-parts"), "max-parts")
	if e != nil {
		q.fail(e)
		return
	}
	marker := 0
	if v := q.query.Get("part-number-marker"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 0 {
			q.fail(awserr.InvalidArgument("Argument part-number-marker must be an integer between 0 and 2147483647").
				With("ArgumentName", "part-number-marker").With("ArgumentValue", v))
			return
		}
		marker = int(n)
	}
	var u *model.Upload
	var parts []model.Part
	truncated := false
	err := q.view(func(tx store.Tx) error {
		var err error
		if _, u, err = q.loadUploadFor(tx, "s3:ListMultipartUploadParts"); err != nil {
			return err
		}
		after := ""
		if marker > 0 {
			after = partKey(u.ID, min(marker, 99999))
		}
		return store.ScanJSON(tx, state.Parts, u.ID+"/", after, func(_ string, p model.Part) (bool, error) {
			if len(parts) == limit {
				truncated = limit > 0
				return false, nil
			}
			parts = append(parts, p)
			return true, nil
		})
	})
	if q.done(err) {
		return
	}
	out := s3xml.ListPartsResult{Bucket: q.bucket, Key: q.key, UploadID: u.ID, Initiator: initiatorOwner(u), Owner: uploadOwner(u),
		StorageClass: storageClass(&u.Template), PartNumberMarker: marker, MaxParts: asked, IsTruncated: truncated,
		ChecksumAlgorithm: u.Algorithm, ChecksumType: u.Extra["checksumType"]}
	alg := sigv4.ChecksumAlgorithm(u.Algorithm)
	for _, p := range parts {
		e := s3xml.Part{PartNumber: p.Number, LastModified: s3xml.NewTimestamp(p.LastModified), ETag: p.ETag, Size: p.Size}
		if alg != "" {
			setXMLChecksum(&e.Checksums, alg, p.Checksums[string(alg)])
		}
		out.Parts = append(out.Parts, e)
		out.NextPartNumberMarker = p.Number
	}
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}
