package s3controlapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// The account's Block Public Access settings apply to every bucket the
// account owns, OR'ed with each bucket's own; the S3 adapter and the engine
// read them with state.AccountPublicAccess.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

// putPublicAccessBlock implements PutPublicAccessBlock (S3 Control).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
func (q *call) putPublicAccessBlock() {
	if !q.authorize("s3:PutAccountPublicAccessBlock") {
		return
	}
	cfg, err := DecodePublicAccessBlock(q.HTTP.Body)
	if err != nil {
		q.failErr(err)
		return
	}
	p := acl.PublicAccessBlock{BlockPublicAcls: cfg.BlockPublicAcls, IgnorePublicAcls: cfg.IgnorePublicAcls,
		BlockPublicPolicy: cfg.BlockPublicPolicy, RestrictPublicBuckets: cfg.RestrictPublicBuckets}
	err = q.Store.Update(q.HTTP.Context(), func(tx store.Tx) error {
		if _, err := state.Account(tx, q.account, q.Now); err != nil {
			return err
		}
		return store.PutJSON(tx, state.AccountPAB, q.account, &p)
	})
	if err != nil {
		q.failErr(err)
		return
	}
	q.w.WriteHeader(http.StatusOK)
}

// getPublicAccessBlock implements GetPublicAccessBlock (S3 Control).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html
func (q *call) getPublicAccessBlock() {
	if !q.authorize("s3:GetAccountPublicAccessBlock") {
		return
	}
	var p *acl.PublicAccessBlock
	err := q.Store.View(q.HTTP.Context(), func(tx store.Tx) error {
		var err error
		p, err = state.AccountPublicAccess(tx, q.account)
		return err
	})
	if err != nil {
		q.failErr(err)
		return
	}
	if p == nil {
		q.fail(awserr.New("NoSuchPublicAccessBlockConfiguration", http.StatusNotFound, "The public access block configuration was not found").
			With("AccountId", q.account))
		return
	}
	body, err := xmlMarshal(&PublicAccessBlockConfiguration{BlockPublicAcls: p.BlockPublicAcls, IgnorePublicAcls: p.IgnorePublicAcls,
		BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets})
	if err != nil {
		q.failErr(err)
		return
	}
	h := q.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	q.w.WriteHeader(http.StatusOK)
	_, _ = q.w.Write(body)
}

// deletePublicAccessBlock implements DeletePublicAccessBlock (S3 Control),
// which needs s3:PutAccountPublicAccessBlock; deleting twice is not an
// error.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_DeletePublicAccessBlock.html
func (q *call) deletePublicAccessBlock() {
	if !q.authorize("s3:PutAccountPublicAccessBlock") {
		return
	}
	err := q.Store.Update(q.HTTP.Context(), func(tx store.Tx) error {
		if err := tx.Delete(state.AccountPAB, q.account); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		q.failErr(err)
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}
