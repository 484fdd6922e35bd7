// Package s3api is the S3 REST adapter: it routes a request to its operation,
// decodes it, asks the engine (through service.Call.Decide) with the inputs AWS
// would consult, and writes S3's XML. One file per operation.
//
// Routing follows the S3 API reference: path-style (/bucket/key) and
// virtual-hosted-style (bucket.localhost:port/key) addressing, with the
// operation chosen by method and sub-resource query parameters.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
package s3api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Service serves S3.
type Service struct {
	// BaseHosts are the host names (without port) that carry no bucket,
	// e.g. "localhost", "s3.localhost", "127.0.0.1". A host of the form
	// BUCKET.BASE selects virtual-hosted-style addressing.
	BaseHosts []string
}

// New returns the S3 service.
func New() *Service {
	return &Service{BaseHosts: []string{"localhost", "s3.localhost", "localhost.localstack.cloud", "s3.amazonaws.com", "s3.us-east-1.amazonaws.com"}}
}

// request is one S3 request being served.
type request struct {
	*service.Call
	w      http.ResponseWriter
	r      *http.Request
	bucket string
	key    string
	query  url.Values
	ctx    context.Context
}

// ServeAWS implements server.Handler.
func (s *Service) ServeAWS(w http.ResponseWriter, c *service.Call) {
	r := c.HTTP
	req := &request{Call: c, w: w, r: r, query: r.URL.Query(), ctx: r.Context()}
	req.bucket, req.key = s.split(r)
	w.Header().Set("x-amz-request-id", c.RequestID)
	w.Header().Set("x-amz-id-2", c.HostID)
	w.Header().Set("Server", "verdict")
	op := route(req)
	if op == nil {
		req.fail(awserr.New("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."))
		return
	}
	if op.needsBucket && req.bucket == "" {
		req.fail(awserr.New("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."))
		return
	}
	op.handler(req)
}

// split finds the bucket and key in the host or path.
func (s *Service) split(r *http.Request) (bucket, key string) {
	host := r.Host
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
		host = h
	}
	host = strings.ToLower(host)
	for _, base := range s.BaseHosts {
		if strings.HasSuffix(host, "."+base) {
			bucket = strings.TrimSuffix(host, "."+base)
			key = strings.TrimPrefix(rawPath(r), "/")
			return bucket, unescape(key)
		}
	}
	p := strings.TrimPrefix(rawPath(r), "/")
	b, k, _ := strings.Cut(p, "/")
	return unescape(b), unescape(k)
}

func rawPath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	return r.URL.EscapedPath()
}

func unescape(s string) string {
	u, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// fail writes an S3 error.
func (q *request) fail(e *awserr.Error) {
	resource := "/" + q.bucket
	if q.key != "" {
		resource += "/" + q.key
	}
	awserr.WriteS3(q.w, q.r, e, q.RequestID, q.HostID, resource)
}

// failErr writes err, mapping store and unknown errors.
func (q *request) failErr(err error) {
	var e *awserr.Error
	if errors.As(err, &e) {
		q.fail(e)
		return
	}
	q.fail(awserr.InternalError())
}

// bucketARN and objectARN name S3 resources.
func bucketARN(b string) string    { return "arn:aws:s3:::" + b }
func objectARN(b, k string) string { return "arn:aws:s3:::" + b + "/" + k }
func noSuchBucket(b string) *awserr.Error {
	return awserr.New("NoSuchBucket", http.StatusNotFound, "The specified bucket does not exist").With("BucketName", b)
}
func noSuchKey(k string) *awserr.Error {
	return awserr.New("NoSuchKey", http.StatusNotFound, "The specified key does not exist.").With("Key", k)
}

// authCheck is one authorization question of an operation.
type authCheck struct {
	action   string
	resource string
	bucket   *model.Bucket
	object   *model.Object
	// ctx adds operation-specific condition keys.
	ctx condition.Map
}

// authorize asks the engine; on denial it writes AccessDenied (with AWS's
// message) and returns false.
func (q *request) authorize(tx store.Tx, ch authCheck) (authz.Decision, bool) {
	d, areq, err := q.decide(tx, ch)
	if err != nil {
		q.failErr(err)
		return d, false
	}
	if !d.Allowed {
		q.fail(awserr.New("AccessDenied", http.StatusForbidden, d.Message(areq)))
		return d, false
	}
	q.charged(ch.bucket)
	return d, true
}

// decide asks the engine and logs the decision, writing nothing.
func (q *request) decide(tx store.Tx, ch authCheck) (authz.Decision, *authz.Request, error) {
	ctx := q.BaseContext()
	for k, v := range ch.ctx {
		ctx[k] = v
	}
	var pab *acl.PublicAccessBlock
	if ch.bucket != nil {
		var err error
		if pab, err = state.AccountPublicAccess(tx, ch.bucket.Owner); err != nil {
			return authz.Decision{}, nil, err
		}
	}
	areq, in, err := q.Compiler.S3(q.Caller, &inputs.S3Request{
		Action: ch.action, Resource: ch.resource, Bucket: ch.bucket, Object: ch.object,
		AccountPAB: pab, RequestPayer: q.requestPayer(), Context: ctx,
	})
	if err != nil {
		return authz.Decision{}, nil, err
	}
	return q.Decide(areq, in), areq, nil
}

// charged sets x-amz-request-charged on requests another account pays for.
func (q *request) charged(b *model.Bucket) {
	if b != nil && b.RequesterPay && q.Caller.Principal.Account != b.Owner {
		// Charged requests say so.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
		q.w.Header().Set("x-amz-request-charged", "requester")
	}
}

// requestPayer reports whether the requester acknowledged Requester Pays,
// by header or, for presigned URLs, query parameter.
func (q *request) requestPayer() bool {
	v := q.r.Header.Get("x-amz-request-payer")
	if v == "" {
		v = q.query.Get("x-amz-request-payer")
	}
	return strings.EqualFold(v, "requester")
}

// view and update run store transactions bound to the request.
func (q *request) view(fn func(store.Tx) error) error   { return q.Store.View(q.ctx, fn) }
func (q *request) update(fn func(store.Tx) error) error { return q.Store.Update(q.ctx, fn) }

// getBucket loads a bucket or returns NoSuchBucket.
func getBucket(tx store.Tx, name string) (*model.Bucket, error) {
	b, err := state.Bucket(tx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchBucket(name)
	}
	return b, err
}

// abort is a sentinel returned from a transaction after the handler already
// wrote the response (e.g. a denial).
var errWritten = errors.New("response written")

// done reports whether err needs writing, writing it if so.
func (q *request) done(err error) bool {
	if err == nil {
		return false
	}
	if !errors.Is(err, errWritten) {
		q.failErr(err)
	}
	return true
}
