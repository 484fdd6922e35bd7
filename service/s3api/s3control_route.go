package s3api

import (
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/service/s3controlapi"
)

// S3 Control requests are signed for the "s3" service, so the server hands
// them to this adapter, where their path (/v20180820/...) makes them look
// like object requests: PUT, GET and DELETE of the key
// "configuration/publicAccessBlock" in a bucket named v20180820 (or, with
// the account ID the SDKs put in front of the host name, of
// "v20180820/configuration/publicAccessBlock" in a bucket named after the
// account). This file forwards them to the S3 Control adapter.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html

// control serves the forwarded requests.
var control = s3controlapi.New()

// init wraps the object handlers the S3 Control paths reach. It must run
// after their own registration: the go command initializes a package's
// files in file-name order, and this file's name sorts after object_*.go
// (TestS3ControlRouting fails if that ever changes).
func init() {
	for _, name := range []string{"PutObject", "GetObject", "DeleteObject"} {
		next := handlers[name]
		register(name, func(q *request) {
			switch {
			case s3controlapi.IsControlRequest(q.r):
				control.ServeAWS(q.w, q.Call)
			case next != nil:
				next(q)
			default:
				q.fail(awserr.NotImplemented())
			}
		})
	}
}
