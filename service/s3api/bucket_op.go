package s3api

import (
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// onBucket is the shape of every bucket sub-resource operation: in one
// transaction (read-write when write is set), load the bucket — honouring
// x-amz-expected-bucket-owner — ask the engine for action on it, and run fn.
// A denial is written by authorize and reported as errWritten.
func (q *request) onBucket(write bool, action string, fn func(tx store.Tx, b *model.Bucket) error) error {
	run := q.view
	if write {
		run = q.update
	}
	return run(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: action, resource: bucketARN(q.bucket), bucket: b}); !ok {
			return errWritten
		}
		return fn(tx, b)
	})
}
