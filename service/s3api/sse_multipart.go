package s3api

import (
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// SSE-KMS multipart uploads need kms:GenerateDataKey to start the upload and
// for every part, and kms:Decrypt to complete it (S3 reads the encrypted
// parts).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions

// sseUpload decides the encryption of a just-created upload and records it
// in the upload's template; when KMS refuses, the upload is removed again
// and the refusal returned.
func (q *request) sseUpload(u *model.Upload) error {
	var b *model.Bucket
	if err := q.view(func(tx store.Tx) error {
		var err error
		b, err = getBucket(tx, u.Bucket)
		return err
	}); err != nil {
		return err
	}
	sse, serr := q.sseWrite(b, u.Key)
	err := q.update(func(tx store.Tx) error {
		key := uploadKey(u.Bucket, u.Key, u.ID)
		if serr != nil {
			_ = tx.Delete(state.Uploads, key)
			return nil
		}
		u.Template.SSE = sse
		return store.PutJSON(tx, state.Uploads, key, u)
	})
	if serr != nil {
		return serr
	}
	return err
}

// ssePart checks kms:GenerateDataKey for a part of an SSE-KMS upload,
// under the upload's encryption context: an upload started with an S3
// Bucket Key has its parts, and the completed object, use it too, so KMS
// sees the bucket ARN for all of them.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
func (q *request) ssePart(u *model.Upload) error {
	s := u.Template.SSE
	if s == nil || s.KMSKeyARN == "" {
		return nil
	}
	k := q.kms()
	if k == nil {
		return nil
	}
	ec := recordedContext(u.Bucket, u.Key, s)
	if _, _, _, err := k.GenerateDataKeyFor(q.Call, s.KMSKeyARN, 32, ec, q.viaS3()); err != nil {
		return s3KMSError(err, "kms:GenerateDataKey", q.Caller.Principal.ARN)
	}
	// Parts are encrypted under the upload's data key, so that completing
	// the upload can read them.
	dek, err := k.UnwrapDataKey(q.Call, s.WrappedKey, ec)
	if err != nil {
		return s3KMSError(err, "kms:Decrypt", q.Caller.Principal.ARN)
	}
	q.setDEK(writeDEK, dek)
	return nil
}

// sseComplete checks kms:Decrypt for completing an SSE-KMS upload, under
// the upload's encryption context (the object inherits the upload's
// record, S3 Bucket Key included).
func (q *request) sseComplete(u *model.Upload) error {
	if err := q.sseRead(&model.Object{Bucket: u.Bucket, Key: u.Key, SSE: u.Template.SSE}); err != nil {
		return err
	}
	// The object is written under the upload's data key too.
	if dek := q.dek(readDEK); dek != nil {
		q.setDEK(writeDEK, dek)
	}
	return nil
}
