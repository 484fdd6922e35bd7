package s3api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Multipart records. An upload is stored under
//
//	bucket "/" key "\x00" uploadID
//
// in state.Uploads, so that a scan visits uploads ordered by key and, within
// a key, by upload ID; upload IDs start with a sequence number, so that is
// the order of initiation, the order ListMultipartUploads must use. Parts are
// stored under uploadID "/" five-digit part number in state.Parts. A
// completed multipart object keeps its part sizes (for GetObject
// ?partNumber) in layoutsTable under its blob ID. (A key containing NUL
// would sort its uploads among those of longer keys; S3 keys with control
// characters are legal but cannot be listed in XML 1.0 either.)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html

// layoutsTable holds the part layout of multipart objects.
const layoutsTable = "s3.layouts"

// uploadKey is the record key of an upload.
func uploadKey(bucket, key, id string) string { return state.ObjectKey(bucket, key) + "\x00" + id }

// partKey is the record key of a part.
func partKey(uploadID string, n int) string { return uploadID + "/" + fmt.Sprintf("%05d", n) }

// newUploadID returns an upload ID that sorts after every earlier one: a
// 16-hex-digit sequence number, then 32 random hex digits.
func newUploadID(tx store.Tx) (string, error) {
	seq, err := tx.NextSequence(state.Uploads)
	if err != nil {
		return "", err
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%016x", seq) + hex.EncodeToString(b[:]), nil
}

// validUploadID reports whether id has the shape newUploadID gives, so that
// arbitrary strings never reach a store key.
func validUploadID(id string) bool {
	if len(id) != 48 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// noSuchUpload is S3's 404 for an unknown, aborted or completed upload.
func noSuchUpload(id string) *awserr.Error {
	return awserr.New("NoSuchUpload", http.StatusNotFound,
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").
		With("UploadId", id)
}

// getUpload loads the upload named by the request's key and uploadId.
func getUpload(tx store.Tx, bucket, key, id string) (*model.Upload, error) {
	if !validUploadID(id) {
		return nil, noSuchUpload(id)
	}
	u, err := state.Get[model.Upload](tx, state.Uploads, uploadKey(bucket, key, id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchUpload(id)
	}
	return u, err
}

// uploadParts returns an upload's parts in part-number order.
func uploadParts(tx store.Tx, id string) ([]model.Part, error) {
	var parts []model.Part
	err := store.ScanJSON(tx, state.Parts, id+"/", "", func(_ string, p model.Part) (bool, error) {
		parts = append(parts, p)
		return true, nil
	})
	return parts, err
}

// deleteUpload removes an upload and its part records, returning the part
// blobs for the caller to remove after the transaction commits.
func deleteUpload(tx store.Tx, u *model.Upload) ([]string, error) {
	parts, err := uploadParts(tx, u.ID)
	if err != nil {
		return nil, err
	}
	blobs := make([]string, 0, len(parts))
	for _, p := range parts {
		if err := tx.Delete(state.Parts, partKey(u.ID, p.Number)); err != nil {
			return nil, err
		}
		blobs = append(blobs, p.BlobID)
	}
	if err := tx.Delete(state.Uploads, uploadKey(u.Bucket, u.Key, u.ID)); err != nil {
		return nil, err
	}
	return blobs, nil
}

// layout is the part structure of a completed multipart object.
type layout struct {
	Sizes     []int64             `json:"sizes"`
	Checksums []map[string]string `json:"checksums,omitempty"`
}

// getLayout returns the layout of a multipart object, nil for others.
func getLayout(tx store.Tx, o *model.Object) (*layout, error) {
	if o.PartsCount == 0 {
		return nil, nil
	}
	l, err := state.Get[layout](tx, layoutsTable, o.BlobID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return l, err
}

// deleteLayout removes the layout of a multipart object, if any.
func deleteLayout(tx store.Tx, o *model.Object) error {
	if o.PartsCount == 0 || o.BlobID == "" {
		return nil
	}
	if err := tx.Delete(layoutsTable, o.BlobID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// parsePartNumber reads a partNumber query parameter: an integer from 1 to
// 10,000.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
func parsePartNumber(v string) (int, *awserr.Error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 0, awserr.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive").
			With("ArgumentName", "partNumber").With("ArgumentValue", v)
	}
	return n, nil
}

// removeBlobs removes blobs whose records are gone.
func (q *request) removeBlobs(ids []string) {
	for _, id := range ids {
		if id != "" {
			_ = q.Blobs.Remove(id)
		}
	}
}
