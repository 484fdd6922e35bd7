package sigv4

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// The constructors below build the errors S3 returns while authenticating a
// request, in S3's own words. Codes and statuses are listed at
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html; the
// messages are the ones S3 puts in its error bodies.

// serverTimeFormat is how S3 writes ServerTime and Expires in error bodies
// (ISO 8601 extended, second precision, UTC).
const serverTimeFormat = "2006-01-02T15:04:05Z"

// errAuthHeaderMalformed is S3's 400 for an Authorization header it cannot
// read; every message starts with the same prefix.
func errAuthHeaderMalformed(detail string) *awserr.Error {
	return awserr.New("AuthorizationHeaderMalformed", http.StatusBadRequest,
		"The authorization header is malformed; "+detail)
}

// errAuthQuery is S3's 400 for presigned-URL query parameters it cannot read.
func errAuthQuery(msg string) *awserr.Error {
	return awserr.New("AuthorizationQueryParametersError", http.StatusBadRequest, msg)
}

// errMissingComponents: the header lacks Credential, SignedHeaders or Signature.
func errMissingComponents() *awserr.Error {
	return errAuthHeaderMalformed("the authorization header requires three components: Credential, SignedHeaders, and Signature.")
}

// errMalformedComponent quotes the comma-separated piece S3 could not read,
// exactly as sent (S3 keeps the leading space, as in `" Signature="`).
func errMalformedComponent(raw string) *awserr.Error {
	return errAuthHeaderMalformed(`the authorization component "` + raw + `" is malformed.`)
}

// credentialError builds a credential-scope error in the shape of the form
// the request used: the header form prefixes "The authorization header is
// malformed; ", the query form "Error parsing the X-Amz-Credential parameter; ".
func credentialError(presigned bool, detail string) *awserr.Error {
	if presigned {
		return errAuthQuery("Error parsing the X-Amz-Credential parameter; " + detail)
	}
	return errAuthHeaderMalformed(detail)
}

func errCredentialMalformed(presigned bool) *awserr.Error {
	return credentialError(presigned, `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
}

func errCredentialDateFormat(presigned bool, date string) *awserr.Error {
	return credentialError(presigned, `incorrect date format "`+date+`". This date in the credential must be in the format "yyyyMMdd".`)
}

func errCredentialTerminal(presigned bool, term string) *awserr.Error {
	return credentialError(presigned, `incorrect terminal "`+term+`". This endpoint uses "aws4_request".`)
}

// errCredentialDateMismatch: the scope's date is not the request's date. The
// query form carries no "Error parsing" prefix for this one.
func errCredentialDateMismatch(presigned bool, scopeDate, requestDate string) *awserr.Error {
	msg := `Invalid credential date "` + scopeDate + `". This date is not the same as X-Amz-Date: "` + requestDate + `".`
	if presigned {
		return errAuthQuery(msg)
	}
	return errAuthHeaderMalformed(msg)
}

// errMissingDate is S3's 403 when neither x-amz-date nor Date holds a date it
// can read.
func errMissingDate() *awserr.Error {
	return awserr.New("AccessDenied", http.StatusForbidden, "AWS authentication requires a valid Date or x-amz-date header")
}

// errUnsupportedMechanism is returned for Signature Version 2 and SigV4a, the
// message S3 gives in Regions that accept only AWS4-HMAC-SHA256.
func errUnsupportedMechanism() *awserr.Error {
	return awserr.InvalidRequest("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
}

// errUnsupportedAuthType: an Authorization header with an unknown scheme.
func errUnsupportedAuthType(auth string) *awserr.Error {
	return awserr.InvalidArgument("Unsupported Authorization Type").
		With("ArgumentName", "Authorization").With("ArgumentValue", auth)
}

// errOneMechanism: both an Authorization header and query authentication.
func errOneMechanism(auth string) *awserr.Error {
	return awserr.InvalidArgument("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified").
		With("ArgumentName", "Authorization").With("ArgumentValue", auth)
}

// errMissingContentSHA256: S3 requires x-amz-content-sha256 on every
// header-signed request
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
func errMissingContentSHA256() *awserr.Error {
	return awserr.InvalidRequest("Missing required header for this request: x-amz-content-sha256")
}

// errBadContentSHA256: x-amz-content-sha256 is neither a sentinel nor a hash.
func errBadContentSHA256(value string) *awserr.Error {
	return awserr.InvalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.").
		With("ArgumentName", "x-amz-content-sha256").With("ArgumentValue", value)
}

// errAnonymousStreaming: a signed chunk encoding needs a seed signature that an
// anonymous request does not have.
func errAnonymousStreaming() *awserr.Error {
	return awserr.InvalidRequest("Anonymous requests don't support this x-amz-content-sha256 value. Please use UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.")
}

func errQueryMissing() *awserr.Error {
	return errAuthQuery("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
}

func errQueryAlgorithm() *awserr.Error {
	return errAuthQuery(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`)
}

func errQueryDate() *awserr.Error {
	return errAuthQuery(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
}

func errExpiresNotNumber() *awserr.Error {
	return errAuthQuery("X-Amz-Expires should be a number")
}

func errExpiresNegative() *awserr.Error {
	return errAuthQuery("X-Amz-Expires must be non-negative")
}

func errExpiresTooLarge() *awserr.Error {
	return errAuthQuery("X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds")
}

// errExpired is S3's 403 for a presigned URL past X-Amz-Date + X-Amz-Expires,
// with the three elements S3 adds to the body.
func errExpired(expires time.Duration, at, now time.Time) *awserr.Error {
	return awserr.New("AccessDenied", http.StatusForbidden, "Request has expired").
		With("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10)).
		With("Expires", at.UTC().Format(serverTimeFormat)).
		With("ServerTime", now.UTC().Format(serverTimeFormat))
}

// errNotYetValid is S3's 403 for a presigned URL dated in the future. S3
// writes X-Amz-Date in this body as Unix milliseconds.
func errNotYetValid(date time.Time, expires time.Duration, now time.Time) *awserr.Error {
	return awserr.New("AccessDenied", http.StatusForbidden, "Request is not yet valid").
		With("X-Amz-Date", strconv.FormatInt(date.UnixMilli(), 10)).
		With("Expires", date.Add(expires).UTC().Format(serverTimeFormat)).
		With("ServerTime", now.UTC().Format(serverTimeFormat))
}

// errSkewed is RequestTimeTooSkewed with the elements S3 adds: the request
// time as the client sent it, the server's time and the allowed skew.
func errSkewed(requestTime string, now time.Time) *awserr.Error {
	return awserr.RequestTimeTooSkewed().
		With("RequestTime", requestTime).
		With("ServerTime", now.UTC().Format(serverTimeFormat)).
		With("MaxAllowedSkewMilliseconds", strconv.FormatInt(MaxClockSkew.Milliseconds(), 10))
}

// errSignatureExpired is how the Query and JSON services (IAM, STS, KMS, ...)
// report a stale header signature: SignatureDoesNotMatch with both times in
// the message rather than S3's RequestTimeTooSkewed.
func errSignatureExpired(date, now time.Time) *awserr.Error {
	e := awserr.SignatureDoesNotMatch()
	if date.Before(now) {
		return e.Withf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			date.UTC().Format(TimeFormat), now.Add(-MaxClockSkew).UTC().Format(TimeFormat), now.UTC().Format(TimeFormat))
	}
	return e.Withf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
		date.UTC().Format(TimeFormat), now.Add(MaxClockSkew).UTC().Format(TimeFormat), now.UTC().Format(TimeFormat))
}

// errHeadersNotSigned: S3 refuses x-amz-* headers (and Host) that the
// signature does not cover, naming them in HeadersNotSigned.
func errHeadersNotSigned(names []string) *awserr.Error {
	return awserr.New("AccessDenied", http.StatusForbidden, "There were headers present in the request which were not signed").
		With("HeadersNotSigned", strings.Join(names, ", "))
}

// errSignatureMismatch is SignatureDoesNotMatch with the diagnostic elements
// S3 returns, in S3's order. Services other than S3 use their own message.
func errSignatureMismatch(service, accessKeyID, stringToSign, provided, canonicalRequest string) *awserr.Error {
	e := awserr.SignatureDoesNotMatch()
	if !s3Style(service) {
		e = awserr.New(e.Code, e.Status, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return e.With("AWSAccessKeyId", accessKeyID).
		With("StringToSign", stringToSign).
		With("SignatureProvided", provided).
		With("StringToSignBytes", spacedHex(stringToSign)).
		With("CanonicalRequest", canonicalRequest).
		With("CanonicalRequestBytes", spacedHex(canonicalRequest))
}

// spacedHex renders s the way S3 renders StringToSignBytes: two lowercase hex
// digits per byte, separated by single spaces.
func spacedHex(s string) string {
	if s == "" {
		return ""
	}
	out := make([]byte, 0, len(s)*3-1)
	var pair [2]byte
	for i := 0; i < len(s); i++ {
		if i > 0 {
			out = append(out, ' ')
		}
		hex.Encode(pair[:], []byte{s[i]})
		out = append(out, pair[0], pair[1])
	}
	return string(out)
}

// errContentSHA256Mismatch: the body does not hash to x-amz-content-sha256.
func errContentSHA256Mismatch(client, computed string) *awserr.Error {
	return awserr.New("XAmzContentSHA256Mismatch", http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed.").
		With("ClientComputedContentSHA256", client).
		With("S3ComputedContentSHA256", computed)
}

// errIncompleteBody: the body ended before the length the request promised,
// or the aws-chunked framing broke off.
func errIncompleteBody() *awserr.Error {
	return awserr.New("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header")
}

// errMissingContentLength: a chunked upload without a readable
// x-amz-decoded-content-length.
func errMissingContentLength() *awserr.Error {
	return awserr.New("MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header.")
}

// errInvalidChunkSize: S3 requires every chunk but the last of a signed
// chunked upload to be at least 8 KiB
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html).
func errInvalidChunkSize(chunk int, size int64) *awserr.Error {
	return awserr.New("InvalidChunkSizeError", http.StatusBadRequest, "Only the last chunk is allowed to have a size less than 8192 bytes").
		With("Chunk", strconv.Itoa(chunk)).
		With("BadChunkSize", strconv.FormatInt(size, 10))
}

// errMalformedTrailer: the trailer section of an aws-chunked body is not
// "name:value" lines matching x-amz-trailer.
func errMalformedTrailer() *awserr.Error {
	return awserr.New("MalformedTrailerError", http.StatusBadRequest, "The request contained trailing data that was not well-formed or did not conform to our published schema.")
}

// errTrailerNotSupported: x-amz-trailer names something other than one
// x-amz-checksum-* header.
func errTrailerNotSupported() *awserr.Error {
	return awserr.InvalidRequest("The value specified in the x-amz-trailer header is not supported")
}

// errBodyTooLarge: a body this package had to hash in memory (services that
// sign the payload without x-amz-content-sha256) exceeded MaxHashedBody.
func errBodyTooLarge() *awserr.Error {
	return awserr.New("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "Request body is too large.")
}
