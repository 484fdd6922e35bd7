// Package s3controlapi is the S3 Control adapter: the account-level
// operations of the S3 Control API that bear on access control, today the
// account's Block Public Access settings (Put/Get/DeletePublicAccessBlock).
//
// S3 Control requests are signed for the "s3" service like S3's own, so they
// reach verdict as S3 requests; they are told apart by their path
// (/v20180820/...) and the x-amz-account-id header that names the account.
// The SDKs and the AWS CLI also put the account ID in front of the endpoint's
// host name (ACCOUNT.s3-control.REGION.amazonaws.com, or ACCOUNT.localhost
// against a local endpoint).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
package s3controlapi

import (
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/service"
)

// pathPrefix starts every S3 Control request path (the API version).
const pathPrefix = "/v20180820/"

// publicAccessBlockPath is the account Block Public Access resource.
const publicAccessBlockPath = pathPrefix + "configuration/publicAccessBlock"

// Service serves the S3 Control API. It implements the server's Handler
// interface (ServeAWS), so it can be registered directly or reached through
// the S3 adapter, which forwards the requests IsControlRequest recognizes.
type Service struct{}

// New returns the S3 Control service.
func New() *Service { return &Service{} }

// IsControlRequest reports whether r is an S3 Control request: its path
// starts with /v20180820/ and it names the account in x-amz-account-id. A
// path-style S3 request for an object in a bucket named v20180820 never
// carries that header.
func IsControlRequest(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, pathPrefix) && r.Header.Get("x-amz-account-id") != ""
}

// call is one S3 Control request being served.
type call struct {
	*service.Call
	w       http.ResponseWriter
	account string
}

// ServeAWS serves one S3 Control request.
func (s *Service) ServeAWS(w http.ResponseWriter, c *service.Call) {
	w.Header().Set("x-amz-request-id", c.RequestID)
	w.Header().Set("x-amz-id-2", c.HostID)
	q := &call{Call: c, w: w, account: strings.TrimSpace(c.HTTP.Header.Get("x-amz-account-id"))}
	if c.HTTP.URL.Path != publicAccessBlockPath {
		q.fail(awserr.NotImplemented())
		return
	}
	if q.account == "" {
		q.fail(awserr.InvalidRequest("Missing required header for this request: x-amz-account-id"))
		return
	}
	switch c.HTTP.Method {
	case http.MethodPut:
		q.putPublicAccessBlock()
	case http.MethodGet:
		q.getPublicAccessBlock()
	case http.MethodDelete:
		q.deletePublicAccessBlock()
	default:
		q.fail(awserr.New("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."))
	}
}

// authorize asks the engine whether the caller may perform action on the
// account named by the request. Account-level actions have no resource
// policy, so only principals of that account, with an identity policy that
// allows the action (or its root user), get through.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-permissions
func (q *call) authorize(action string) bool {
	ctx := q.BaseContext()
	// The resource-account keys name the account the request configures.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
	ctx["aws:resourceaccount"] = []string{q.account}
	ctx["s3:resourceaccount"] = []string{q.account}
	areq, in, err := q.Compiler.S3(q.Caller, &inputs.S3Request{Action: action, Resource: "*", Context: ctx})
	if err != nil {
		q.fail(awserr.InternalError())
		return false
	}
	areq.ResourceAccount = q.account
	d := q.Decide(areq, in)
	if !d.Allowed {
		q.fail(awserr.New("AccessDenied", http.StatusForbidden, d.Message(areq)))
		return false
	}
	return true
}
