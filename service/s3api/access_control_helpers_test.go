package s3api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Helpers of the access-control tests (ACLs, Object Ownership, Block Public
// Access, Requester Pays, tagging, default encryption).

// acctC is a third account, for grants to an account that is neither the
// bucket's nor the caller's.
const acctC = "333333333333"

// aclBucket creates a bucket owned by account with ACLs enabled (the given
// Object Ownership) and without Block Public Access, through the API.
func (e *testEnv) aclBucket(account, name string, ownership types.ObjectOwnership) {
	e.t.Helper()
	ctx := context.Background()
	c := e.client(account)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name), ObjectOwnership: ownership}); err != nil {
		e.t.Fatalf("CreateBucket %s: %v", name, err)
	}
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String(name)}); err != nil {
		e.t.Fatalf("DeletePublicAccessBlock %s: %v", name, err)
	}
}

// putPolicy sets a bucket policy through the API, as the bucket's owner.
func (e *testEnv) putPolicy(account, bucket, doc string) {
	e.t.Helper()
	_, err := e.client(account).PutBucketPolicy(context.Background(), &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(doc)})
	if err != nil {
		e.t.Fatalf("PutBucketPolicy %s: %v", bucket, err)
	}
}

// denyPolicy returns a bucket policy with one Deny statement for everyone on
// the given actions and resources under a Condition block (JSON).
func denyPolicy(actions, resources []string, condition string) string {
	return fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": [%s], "Resource": [%s], "Condition": %s}]}`,
		quoteList(actions), quoteList(resources), condition)
}

// canonical returns the canonical user ID verdict gives an account.
func canonical(account string) string { return model.CanonicalID(account) }

// expectStatus fails the test unless r has the status and error code.
func expectStatus(t *testing.T, r rawResponse, status int, code string) {
	t.Helper()
	if r.status != status || errCode(r.body) != code {
		t.Fatalf("got %d %q, want %d %q: %s", r.status, errCode(r.body), status, code, r.body)
	}
}

// hdr builds a header from name/value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// anonymousGet reads an object without signing and returns the status.
func (e *testEnv) anonymousGet(bucket, key string) int {
	e.t.Helper()
	return e.do("", http.MethodGet, "/"+bucket+"/"+key, nil, nil).status
}

// setAccountEmail gives an account an e-mail address, as a world file does.
func (e *testEnv) setAccountEmail(account, email string) {
	e.t.Helper()
	err := e.env.Store.Update(context.Background(), func(tx store.Tx) error {
		a, err := state.Account(tx, account, time.Now())
		if err != nil {
			return err
		}
		a.Email = email
		return store.PutJSON(tx, state.Accounts, account, a)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}
