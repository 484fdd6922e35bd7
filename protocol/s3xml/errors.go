package s3xml

import (
	"net/http"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Errors this package returns, in S3's words. Unless noted, codes and messages
// are those of https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.

// MalformedXML is returned for a body that is not the expected XML.
func MalformedXML() *awserr.Error { return awserr.MalformedXML() }

// MalformedACL is returned for an ACL body that is not well-formed or does not
// follow the AccessControlPolicy schema.
func MalformedACL() *awserr.Error {
	return awserr.New("MalformedACLError", http.StatusBadRequest,
		"The XML you provided was not well-formed or did not validate against our published schema")
}

// MissingRequestBody is returned when an operation that needs a body gets an
// empty one.
func MissingRequestBody() *awserr.Error {
	return awserr.New("MissingRequestBodyError", http.StatusBadRequest, "Request Body is empty")
}

// IncompleteBody is returned when the body ends before its Content-Length.
func IncompleteBody() *awserr.Error {
	return awserr.New("IncompleteBody", http.StatusBadRequest,
		"You did not provide the number of bytes specified by the Content-Length HTTP header")
}

// InvalidPartOrder is returned by CompleteMultipartUpload when the parts are
// not listed in ascending part-number order.
func InvalidPartOrder() *awserr.Error {
	return awserr.New("InvalidPartOrder", http.StatusBadRequest,
		"The list of parts was not in ascending order. The parts list must be specified in order by part number.")
}
