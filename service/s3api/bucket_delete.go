package s3api

import (
	"net/http"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("DeleteBucket", deleteBucket) }

// deleteBucket implements DeleteBucket (s3:DeleteBucket): 204, or 409
// BucketNotEmpty while the bucket holds an object. Multipart uploads in
// progress do not keep a bucket alive (noncurrent versions and delete
// markers do): the API reference requires only that
// objects (and versions and delete markers) be deleted, and S3 deletes a
// bucket with incomplete uploads, discarding them; verdict discards their
// parts too.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
func deleteBucket(q *request) {
	var blobs []string
	err := q.update(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: "s3:DeleteBucket", resource: bucketARN(b.Name), bucket: b}); !ok {
			return errWritten
		}
		empty := true
		// Versions and delete markers keep a bucket too.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
		for _, table := range []string{state.Objects, state.Versions} {
			if err := tx.Scan(table, b.Name+"/", "", func(string, []byte) (bool, error) {
				empty = false
				return false, nil
			}); err != nil {
				return err
			}
		}
		if !empty {
			return awserr.New("BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty").With("BucketName", b.Name)
		}
		var uploads []model.Upload
		if err := store.ScanJSON(tx, state.Uploads, b.Name+"/", "", func(_ string, u model.Upload) (bool, error) {
			uploads = append(uploads, u)
			return true, nil
		}); err != nil {
			return err
		}
		for i := range uploads {
			ids, err := deleteUpload(tx, &uploads[i])
			if err != nil {
				return err
			}
			blobs = append(blobs, ids...)
		}
		return tx.Delete(state.Buckets, b.Name)
	})
	if q.done(err) {
		return
	}
	q.removeBlobs(blobs)
	q.w.WriteHeader(http.StatusNoContent)
}
