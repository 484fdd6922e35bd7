package awserr

import "net/http"

// Constructors for the errors more than one package returns. Messages are AWS's
// own, from https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
// unless noted.

// AccessDenied is S3's plain denial (403).
func AccessDenied() *Error { return New("AccessDenied", http.StatusForbidden, "Access Denied") }

// InternalError is the 500 that hides an unexpected failure.
func InternalError() *Error {
	return New("InternalError", http.StatusInternalServerError, "We encountered an internal error. Please try again.")
}

// InvalidAccessKeyID is returned for an access key the server does not know.
func InvalidAccessKeyID() *Error {
	return New("InvalidAccessKeyId", http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records.")
}

// SignatureDoesNotMatch is returned when the computed signature differs.
func SignatureDoesNotMatch() *Error {
	return New("SignatureDoesNotMatch", http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
}

// RequestTimeTooSkewed is returned when the request time is more than 15
// minutes from the server's clock.
func RequestTimeTooSkewed() *Error {
	return New("RequestTimeTooSkewed", http.StatusForbidden, "The difference between the request time and the current time is too large.")
}

// InvalidToken is returned for a malformed or unknown session token.
func InvalidToken() *Error {
	return New("InvalidToken", http.StatusBadRequest, "The provided token is malformed or otherwise invalid.")
}

// MalformedXML is returned for a request body that is not the expected XML.
func MalformedXML() *Error {
	return New("MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema")
}

// InvalidArgument is a 400 with a caller-specific message.
func InvalidArgument(msg string) *Error { return New("InvalidArgument", http.StatusBadRequest, msg) }

// InvalidRequest is a 400 with a caller-specific message.
func InvalidRequest(msg string) *Error { return New("InvalidRequest", http.StatusBadRequest, msg) }

// NotImplemented is returned for a feature verdict does not provide.
func NotImplemented() *Error {
	return New("NotImplemented", http.StatusNotImplemented, "A header you provided implies functionality that is not implemented")
}
