package sigv4

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the signing algorithm this package verifies.
const Algorithm = "AWS4-HMAC-SHA256"

// Values of x-amz-content-sha256 (or of the canonical request's payload line)
// that stand in for a hash of the body, from
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html.
const (
	// UnsignedPayload: the body is not covered by the signature. Presigned
	// URLs sign this value.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// StreamingSignedPayload: aws-chunked body, every chunk signed.
	StreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	// StreamingSignedPayloadTrailer: aws-chunked body, every chunk and the
	// trailer signed.
	StreamingSignedPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	// StreamingUnsignedPayloadTrailer: aws-chunked body, unsigned, with a
	// trailing checksum.
	StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"

	streamingECDSAPayload        = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
	streamingECDSAPayloadTrailer = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"
)

// EmptySHA256 is the hex SHA-256 of an empty body.
const EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Limits AWS documents for SigV4.
const (
	// MaxClockSkew is how far a header-signed request's time may be from the
	// server's clock
	// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html).
	MaxClockSkew = 15 * time.Minute
	// MaxPresignedExpires is the largest X-Amz-Expires, one week
	// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
	MaxPresignedExpires = 7 * 24 * time.Hour
)

// Time formats of SigV4: the request time (X-Amz-Date) and the scope date.
const (
	TimeFormat = "20060102T150405Z"
	DateFormat = "20060102"
)

const (
	algorithmECDSA = "AWS4-ECDSA-P256-SHA256"
	scopeTerminal  = "aws4_request"
)

// Signature is the signing information of one request, as Parse found it.
type Signature struct {
	// AccessKeyID is the first element of the credential scope.
	AccessKeyID string
	// Date is the request time: X-Amz-Date (header or query) or, for the
	// header form without it, the Date header.
	Date time.Time
	// Region and Service are the credential scope's.
	Region, Service string
	// Scope is the credential scope, "yyyymmdd/region/service/aws4_request".
	Scope string
	// SignedHeaders are the lowercase names the signature covers, in the
	// order the client listed them.
	SignedHeaders []string
	// Signature is the hex signature the client sent.
	Signature string
	// PayloadHash is the canonical request's last line: x-amz-content-sha256
	// (a hex SHA-256 or a sentinel such as UnsignedPayload) for the header
	// form, UnsignedPayload for an S3 presigned URL. It is empty when the
	// service hashes the body itself (IAM, STS, KMS, ...), until Verify has
	// read and hashed the body.
	PayloadHash string
	// SessionToken is X-Amz-Security-Token (header, or query when presigned).
	SessionToken string
	// Presigned is true for query-string authentication.
	Presigned bool
	// Expires is X-Amz-Expires for a presigned URL.
	Expires time.Duration

	// requestTime is the date as the client wrote it (RequestTime in
	// RequestTimeTooSkewed).
	requestTime string
	// canonical is the canonical request that matched, kept for the error
	// bodies of chunk signatures.
	canonical string
	// bodyRead is set when Verify consumed and replaced the body to hash it.
	bodyRead bool
}

// Parse extracts the signing information from r without verifying it.
// It returns (nil, nil) for an unsigned (anonymous) request, and an
// *awserr.Error in S3's words when the Authorization header or the presigned
// query parameters are malformed, or when the request carries a mechanism
// this package does not verify (Signature Version 2, SigV4a).
//
// Parse does not read the body.
func Parse(r *http.Request) (*Signature, error) {
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	q := r.URL.Query()
	presigned := q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature")
	// Signature Version 2 query authentication
	// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html).
	v2Query := q.Has("AWSAccessKeyId") && q.Has("Signature")
	switch {
	case auth != "" && (presigned || v2Query):
		return nil, errOneMechanism(auth)
	case auth != "":
		return parseHeader(r, auth)
	case presigned:
		return parseQuery(r, q)
	case v2Query:
		return nil, errUnsupportedMechanism()
	}
	// Why an empty Authorization header is anonymous: S3 treats a request
	// without credentials as anonymous and authorizes it as such
	// (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html).
	return nil, nil
}

// parseHeader reads the Authorization header form:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=fe5f...
//
// with or without spaces after the commas
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html).
func parseHeader(r *http.Request, auth string) (*Signature, error) {
	alg, rest, _ := strings.Cut(auth, " ")
	switch alg {
	case Algorithm:
	case "AWS", algorithmECDSA:
		return nil, errUnsupportedMechanism()
	default:
		return nil, errUnsupportedAuthType(auth)
	}

	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	if strings.TrimSpace(rest) != "" {
		for raw := range strings.SplitSeq(rest, ",") {
			name, value, ok := strings.Cut(strings.TrimSpace(raw), "=")
			if !ok || value == "" {
				return nil, errMalformedComponent(raw)
			}
			var seen *bool
			switch name {
			case "Credential":
				cred, seen = value, &haveCred
			case "SignedHeaders":
				signed, seen = value, &haveSigned
			case "Signature":
				sig, seen = value, &haveSig
			default:
				return nil, errMalformedComponent(raw)
			}
			if *seen {
				return nil, errMalformedComponent(raw)
			}
			*seen = true
		}
	}
	if !haveCred || !haveSigned || !haveSig {
		return nil, errMissingComponents()
	}

	s := &Signature{Signature: sig}
	scopeDate, err := s.setCredential(cred, false)
	if err != nil {
		return nil, err
	}
	if s.SignedHeaders = splitSignedHeaders(signed); s.SignedHeaders == nil {
		return nil, errMalformedComponent("SignedHeaders=" + signed)
	}

	// x-amz-date wins over Date; either must be a date S3 can read
	// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
	if v := r.Header.Get("X-Amz-Date"); v != "" {
		t, err := time.Parse(TimeFormat, v)
		if err != nil {
			return nil, errMissingDate()
		}
		s.Date, s.requestTime = t, v
	} else if v := r.Header.Get("Date"); v != "" {
		t, err := http.ParseTime(v)
		if err != nil {
			return nil, errMissingDate()
		}
		s.Date, s.requestTime = t.UTC(), v
	} else {
		return nil, errMissingDate()
	}
	if day := s.Date.Format(DateFormat); day != scopeDate {
		return nil, errCredentialDateMismatch(false, scopeDate, day)
	}

	s.SessionToken = r.Header.Get("X-Amz-Security-Token")
	s.PayloadHash = strings.TrimSpace(r.Header.Get("X-Amz-Content-Sha256"))
	switch {
	case s.PayloadHash != "":
		if !validPayloadHash(s.PayloadHash) {
			return nil, errBadContentSHA256(s.PayloadHash)
		}
	case s3Style(s.Service):
		return nil, errMissingContentSHA256()
	}
	return s, nil
}

// parseQuery reads query-string authentication
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
func parseQuery(r *http.Request, q url.Values) (*Signature, error) {
	alg := q.Get("X-Amz-Algorithm")
	cred := q.Get("X-Amz-Credential")
	sig := q.Get("X-Amz-Signature")
	date := q.Get("X-Amz-Date")
	signed := q.Get("X-Amz-SignedHeaders")
	expires := q.Get("X-Amz-Expires")
	if alg == "" || cred == "" || sig == "" || date == "" || signed == "" || expires == "" {
		return nil, errQueryMissing()
	}
	switch alg {
	case Algorithm:
	case algorithmECDSA:
		return nil, errUnsupportedMechanism()
	default:
		return nil, errQueryAlgorithm()
	}

	s := &Signature{Signature: sig, Presigned: true}
	scopeDate, err := s.setCredential(cred, true)
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(TimeFormat, date)
	if err != nil {
		return nil, errQueryDate()
	}
	s.Date, s.requestTime = t, date
	if day := t.Format(DateFormat); day != scopeDate {
		return nil, errCredentialDateMismatch(true, scopeDate, day)
	}

	n, err := strconv.ParseInt(expires, 10, 64)
	switch {
	case err != nil:
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && !strings.HasPrefix(expires, "-") {
			return nil, errExpiresTooLarge()
		}
		return nil, errExpiresNotNumber()
	case n < 0:
		return nil, errExpiresNegative()
	case n > int64(MaxPresignedExpires/time.Second):
		return nil, errExpiresTooLarge()
	}
	s.Expires = time.Duration(n) * time.Second

	// An empty name in X-Amz-SignedHeaders cannot be signed by anyone; keep
	// the names as sent so that verification fails with the canonical
	// request S3 would show.
	s.SignedHeaders = strings.Split(strings.ToLower(signed), ";")
	s.SessionToken = q.Get("X-Amz-Security-Token")
	if s.SessionToken == "" {
		s.SessionToken = r.Header.Get("X-Amz-Security-Token")
	}
	// Why UNSIGNED-PAYLOAD: a presigned URL cannot know the body, so S3 signs
	// the sentinel unless the URL itself carries X-Amz-Content-Sha256
	// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
	// Other services hash the body.
	if v := q.Get("X-Amz-Content-Sha256"); v != "" {
		if !validPayloadHash(v) {
			return nil, errBadContentSHA256(v)
		}
		s.PayloadHash = v
	} else if s3Style(s.Service) {
		s.PayloadHash = UnsignedPayload
	}
	return s, nil
}

// setCredential reads "AKID/yyyymmdd/region/service/aws4_request" and
// returns the scope date.
func (s *Signature) setCredential(v string, presigned bool) (string, error) {
	parts := strings.Split(v, "/")
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" || parts[3] == "" {
		return "", errCredentialMalformed(presigned)
	}
	if !validScopeDate(parts[1]) {
		return "", errCredentialDateFormat(presigned, parts[1])
	}
	if parts[4] != scopeTerminal {
		return "", errCredentialTerminal(presigned, parts[4])
	}
	s.AccessKeyID, s.Region, s.Service = parts[0], parts[2], parts[3]
	s.Scope = v[len(parts[0])+1:]
	return parts[1], nil
}

// CheckScope returns S3's error when the credential scope names another
// Region or service than the endpoint that received the request; an empty
// argument is not checked. The server calls it once it knows which endpoint
// was addressed.
func (s *Signature) CheckScope(region, service string) error {
	if service != "" && s.Service != service {
		return credentialError(s.Presigned, `incorrect service "`+s.Service+`". This endpoint belongs to "`+service+`".`)
	}
	if region != "" && s.Region != region {
		// S3 names the right Region in a Region element so that clients can
		// retry there
		// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
		return credentialError(s.Presigned, "the region '"+s.Region+"' is wrong; expecting '"+region+"'").
			With("Region", region)
	}
	return nil
}

// ScopeDate returns the credential scope's date, "yyyymmdd".
func (s *Signature) ScopeDate() string {
	d, _, _ := strings.Cut(s.Scope, "/")
	return d
}

// validScopeDate reports whether d is a real yyyymmdd date.
func validScopeDate(d string) bool {
	if len(d) != 8 {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	_, err := time.Parse(DateFormat, d)
	return err == nil
}

// splitSignedHeaders splits "host;range;x-amz-date" into lowercase names; nil
// when a name is empty.
func splitSignedHeaders(v string) []string {
	names := strings.Split(strings.ToLower(v), ";")
	for _, n := range names {
		if n == "" {
			return nil
		}
	}
	return names
}

// validPayloadHash reports whether v may appear in x-amz-content-sha256.
func validPayloadHash(v string) bool {
	switch v {
	case UnsignedPayload, StreamingSignedPayload, StreamingSignedPayloadTrailer,
		StreamingUnsignedPayloadTrailer, streamingECDSAPayload, streamingECDSAPayloadTrailer:
		return true
	}
	return isHexSHA256(v)
}

func isHexSHA256(v string) bool {
	if len(v) != 64 {
		return false
	}
	_, err := hex.DecodeString(v)
	return err == nil
}

// s3Style reports whether service signs S3's way: the path as sent (no
// normalization, no second encoding) and x-amz-content-sha256 required.
// Every other service normalizes the path and encodes it twice
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
func s3Style(service string) bool {
	switch service {
	case "s3", "s3-object-lambda", "s3-outposts", "s3express":
		return true
	}
	return false
}
