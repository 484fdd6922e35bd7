package s3api

import (
	"github.com/verdict-project/verdict/model"
	"net/http"

	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() {
	register("PutBucketRequestPayment", putBucketRequestPayment)
	register("GetBucketRequestPayment", getBucketRequestPayment)
}

// Payer values of a RequestPaymentConfiguration.
const (
	payerRequester   = "Requester"
	payerBucketOwner = "BucketOwner"
)

// putBucketRequestPayment implements PutBucketRequestPayment. With Payer
// Requester, the engine's Requester Pays gate refuses anonymous requests
// and requests from other accounts that do not acknowledge the charge
// (x-amz-request-payer: requester, or the query parameter of the same name
// on a presigned URL); authorize marks the others x-amz-request-charged.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketRequestPayment.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
func putBucketRequestPayment(q *request) {
	body, ok := readConfigBody(q)
	if !ok {
		return
	}
	err := q.onBucket(true, "s3:PutBucketRequestPayment", func(tx store.Tx, b *model.Bucket) error {
		var cfg s3xml.RequestPaymentConfiguration
		if err := decodeConfig(body, &cfg); err != nil {
			return err
		}
		b.RequesterPay = cfg.Payer == payerRequester
		return state.PutBucket(tx, b)
	})
	if q.done(err) {
		return
	}
	q.w.WriteHeader(http.StatusOK)
}

// getBucketRequestPayment implements GetBucketRequestPayment.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketRequestPayment.html
func getBucketRequestPayment(q *request) {
	payer := payerBucketOwner
	err := q.onBucket(false, "s3:GetBucketRequestPayment", func(tx store.Tx, b *model.Bucket) error {
		if b.RequesterPay {
			payer = payerRequester
		}
		return nil
	})
	if q.done(err) {
		return
	}
	_ = s3xml.Write(q.w, http.StatusOK, &s3xml.RequestPaymentConfiguration{Payer: payer})
}
