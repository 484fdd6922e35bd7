package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// MaxHashedBody bounds the body Verify reads into memory to hash it, which it
// does only for services that sign the payload without x-amz-content-sha256
// (IAM, STS, KMS, Organizations: small Query and JSON documents).
const MaxHashedBody = 16 << 20

// Verify checks the signature with secret at time now.
//
// Time: a header-signed request more than MaxClockSkew from now fails with
// RequestTimeTooSkewed (S3) or SignatureDoesNotMatch "Signature expired"
// (other services); a presigned URL fails with AccessDenied "Request has
// expired" after X-Amz-Date + X-Amz-Expires, and "Request is not yet valid"
// when dated more than MaxClockSkew ahead.
//
// For S3, Host and every x-amz-* header present must be signed (AccessDenied
// naming them in HeadersNotSigned).
//
// A wrong signature fails with SignatureDoesNotMatch carrying S3's diagnostic
// elements (AWSAccessKeyId, StringToSign, SignatureProvided,
// StringToSignBytes, CanonicalRequest, CanonicalRequestBytes). Signatures are
// compared in constant time.
//
// When the service hashes the body itself (PayloadHash empty after Parse),
// Verify reads up to MaxHashedBody bytes of r.Body, hashes them and puts an
// equivalent body back on r.
func (s *Signature) Verify(r *http.Request, secret string, now time.Time) error {
	if err := s.checkTime(now); err != nil {
		return err
	}
	if s3Style(s.Service) {
		if names := unsignedHeaders(r, s.SignedHeaders); len(names) > 0 {
			return errHeadersNotSigned(names)
		}
	}
	if s.PayloadHash == "" {
		sum, err := hashBody(r)
		if err != nil {
			return err
		}
		s.PayloadHash, s.bodyRead = sum, true
	}

	dk, id, cached := signingKeys.get(secret, s.ScopeDate(), s.Region, s.Service)
	mac := dk.mac()
	defer dk.release(mac)

	// The string to sign is "AWS4-HMAC-SHA256\n<time>\n<scope>\n" followed
	// by the hex SHA-256 of the canonical request (see stringToSign); build
	// the prefix once and the canonical requests in one buffer, so that the
	// only allocation on success is the matching canonical request kept in
	// s.canonical.
	sts := append(mac.sts[:0], Algorithm+"\n"...)
	sts = s.Date.UTC().AppendFormat(sts, TimeFormat)
	sts = append(sts, '\n')
	sts = append(sts, s.Scope...)
	sts = append(sts, '\n')
	stsPrefix := len(sts)
	defer func() { mac.sts = sts }()

	var suffixStack [1024]byte
	var firstCreq, firstSTS string
	uris, n := canonicalURICandidates(r, s.Service)
	suffix := s.appendCanonicalSuffix(suffixStack[:0], r)
	var creqStack [1024]byte
	for i, uri := range uris[:n] {
		creq := appendCanonicalRequest(creqStack[:0], r.Method, uri, suffix)
		sum := sha256.Sum256(creq)
		sts = hex.AppendEncode(sts[:stsPrefix], sum[:])
		mac.Reset()
		mac.Write(sts)
		var macHex [2 * sha256.Size]byte
		hex.Encode(macHex[:], mac.Sum(mac.sum[:0]))
		if equalConstantTime(macHex[:], s.Signature) {
			s.canonical = string(creq)
			if !cached {
				signingKeys.add(id, dk)
			}
			return nil
		}
		if i == 0 {
			firstCreq, firstSTS = string(creq), string(sts)
		}
	}
	return errSignatureMismatch(s.Service, s.AccessKeyID, firstSTS, s.Signature, firstCreq)
}

// equalConstantTime reports whether mac equals sig, in time that depends only
// on their lengths, as hmac.Equal([]byte(string(mac)), []byte(sig)) would but
// without converting.
func equalConstantTime(mac []byte, sig string) bool {
	if len(mac) != len(sig) {
		return false
	}
	var v byte
	for i := range mac {
		v |= mac[i] ^ sig[i]
	}
	return subtle.ConstantTimeByteEq(v, 0) == 1
}

// appendCanonicalSuffix appends what follows the canonical URI in every
// canonical request of r: "\n" query "\n" headers "\n" signed headers "\n"
// payload hash.
func (s *Signature) appendCanonicalSuffix(dst []byte, r *http.Request) []byte {
	dst = append(dst, '\n')
	dst = appendCanonicalQuery(dst, rawQuery(r), s.Presigned)
	dst = append(dst, '\n')
	dst = appendCanonicalHeaders(dst, r, s.SignedHeaders)
	dst = append(dst, '\n')
	for i, name := range s.SignedHeaders {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, name...)
	}
	dst = append(dst, '\n')
	return append(dst, s.PayloadHash...)
}

// appendCanonicalRequest appends method "\n" uri and the suffix from
// appendCanonicalSuffix.
func appendCanonicalRequest(dst []byte, method, uri string, suffix []byte) []byte {
	dst = append(dst, method...)
	dst = append(dst, '\n')
	dst = append(dst, uri...)
	return append(dst, suffix...)
}

// canonicalRequests returns the canonical request candidates for r, one per
// canonical URI candidate (see canonicalURICandidates), best first. Verify
// builds the same bytes without the intermediate strings.
func (s *Signature) canonicalRequests(r *http.Request) []string {
	suffix := s.appendCanonicalSuffix(nil, r)
	uris, n := canonicalURICandidates(r, s.Service)
	out := make([]string, n)
	for i, uri := range uris[:n] {
		out[i] = string(appendCanonicalRequest(nil, r.Method, uri, suffix))
	}
	return out
}

// checkTime applies the time rules of the two forms.
func (s *Signature) checkTime(now time.Time) error {
	if s.Presigned {
		// Why 15 minutes of tolerance into the future: presigned URLs get the
		// same clock skew allowance as header-signed requests; S3 answers
		// "Request is not yet valid" beyond it.
		if s.Date.Sub(now) > MaxClockSkew {
			return errNotYetValid(s.Date, s.Expires, now)
		}
		if at := s.Date.Add(s.Expires); now.After(at) {
			return errExpired(s.Expires, at, now)
		}
		return nil
	}
	if d := now.Sub(s.Date); d > MaxClockSkew || d < -MaxClockSkew {
		if s3Style(s.Service) {
			return errSkewed(s.requestTime, now)
		}
		return errSignatureExpired(s.Date, now)
	}
	return nil
}

// unsignedHeaders lists, sorted, the headers S3 requires to be signed that
// are present but not in signed: Host and every x-amz-* header
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
func unsignedHeaders(r *http.Request, signed []string) []string {
	var missing []string
	if !slices.Contains(signed, "host") {
		missing = append(missing, "host")
	}
	for k := range r.Header {
		if len(k) < 6 || !strings.EqualFold(k[:6], "x-amz-") {
			continue
		}
		// The usual case, a signed header, is settled without lowercasing
		// (and allocating) the name.
		if slices.ContainsFunc(signed, func(n string) bool { return equalLowerASCII(k, n) }) {
			continue
		}
		name := strings.ToLower(k)
		if !slices.Contains(signed, name) && !slices.Contains(missing, name) {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}

// equalLowerASCII reports whether the ASCII string k, lowercased, equals n;
// false when k is not ASCII (the caller then lowercases it with
// strings.ToLower, whose Unicode rules this does not reproduce).
func equalLowerASCII(k, n string) bool {
	if len(k) != len(n) {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c >= 0x80 {
			return false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != n[i] {
			return false
		}
	}
	return true
}

// rawQuery returns the query as it arrived (Go's server copies it verbatim
// from the request line).
func rawQuery(r *http.Request) string {
	if r.URL == nil {
		return ""
	}
	return r.URL.RawQuery
}

// hashBody reads r.Body (at most MaxHashedBody bytes), returns its hex
// SHA-256 and replaces r.Body with the bytes read.
func hashBody(r *http.Request) (string, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return EmptySHA256, nil
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, MaxHashedBody+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return "", errIncompleteBody()
		}
		return "", err
	}
	if len(buf) > MaxHashedBody {
		return "", errBodyTooLarge()
	}
	r.Body = replayBody{Reader: bytes.NewReader(buf), closer: r.Body}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:]), nil
}

// replayBody serves bytes already read and closes the original body.
type replayBody struct {
	*bytes.Reader
	closer io.Closer
}

func (b replayBody) Close() error { return b.closer.Close() }

// signingKey derives the SigV4 signing key:
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, scopeTerminal)
}

// stringToSign is "AWS4-HMAC-SHA256\n<time>\n<scope>\n<hex sha256 of the
// canonical request>".
func stringToSign(amzDate, scope, creq string) string {
	sum := sha256.Sum256([]byte(creq))
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func hexHMAC(key []byte, data string) string {
	return hex.EncodeToString(hmacSHA256(key, data))
}
