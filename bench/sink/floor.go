package main

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"strings"
)

// The floor is the sink with, on PutObject, exactly the work that S3's
// contract demands of any server that accepts the request, and nothing
// else: the body is read and hashed, the hashes the client signed or sent
// are checked, the ETag is the body's MD5, and the body is thrown away. It
// measures how close any S3-faithful server could come to the sink on this
// machine. GET stays the sink's.

// s3Error is an S3 error response: an HTTP status and the Code and Message
// of the XML body, as listed on
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.
type s3Error struct {
	Status  int
	Code    string
	Message string
}

func (e *s3Error) Error() string { return e.Code + ": " + e.Message }

// write sends e as S3 would.
func (e *s3Error) write(w http.ResponseWriter) {
	var msg bytes.Buffer
	_ = xml.EscapeText(&msg, []byte(e.Message))
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	_, _ = fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, e.Code, msg.Bytes())
}

// checksumAlgorithm is one of the x-amz-checksum-* headers S3 accepts on
// PutObject.
type checksumAlgorithm struct {
	header string // canonical header name
	name   string // as S3 spells it in messages
	size   int    // digest length in bytes
	hash   func() hash.Hash
}

// crc64NVME is the CRC-64/NVME table (reflected polynomial of
// 0xad93d23594c93659); Go's crc64 adds the all-ones initial value and final
// XOR that the algorithm specifies.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// checksumAlgorithms are the additional checksums a PutObject request may
// carry, one at a time; S3 verifies the one sent against the body it
// received. Why: https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
var checksumAlgorithms = []checksumAlgorithm{
	{header: "X-Amz-Checksum-Crc32", name: "CRC32", size: 4, hash: func() hash.Hash { return crc32.NewIEEE() }},
	{header: "X-Amz-Checksum-Crc32c", name: "CRC32C", size: 4, hash: func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }},
	{header: "X-Amz-Checksum-Crc64nvme", name: "CRC64NVME", size: 8, hash: func() hash.Hash { return crc64.New(crc64NVME) }},
	{header: "X-Amz-Checksum-Sha1", name: "SHA1", size: sha1.Size, hash: sha1.New},
	{header: "X-Amz-Checksum-Sha256", name: "SHA256", size: sha256.Size, hash: sha256.New},
}

// verifier hashes a PutObject body with every algorithm the request
// obliges the server to, and checks the results when the body has ended.
// Each hash is computed once even when two checks need the same one.
type verifier struct {
	hashes []hash.Hash // distinct hashes, each written once per byte

	md5        hash.Hash
	contentMD5 []byte // the Content-MD5 header, decoded; nil when absent

	sha256     hash.Hash // nil when the payload is not signed
	wantSHA256 []byte

	sum     hash.Hash // the x-amz-checksum-* algorithm's; nil when none was sent
	sumAlg  *checksumAlgorithm
	wantSum []byte
}

// newVerifier reads the request headers that oblige S3 to check the body.
// It fails, as S3 would, on a malformed header, and on an aws-chunked body,
// which the floor does not decode: aws-sdk-go-v2 sends those only over
// TLS (see TestSDKRequestShape), and the benchmark runs over plain HTTP.
func newVerifier(h http.Header) (*verifier, error) {
	v := &verifier{md5: md5.New()}
	v.hashes = append(v.hashes, v.md5)

	// SigV4 signs the payload's SHA-256 in x-amz-content-sha256 and S3
	// rejects a body that does not match it; UNSIGNED-PAYLOAD skips the
	// check. Why: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
	switch cs := h.Get("X-Amz-Content-Sha256"); {
	case cs == "" || cs == "UNSIGNED-PAYLOAD":
	case strings.HasPrefix(cs, "STREAMING-"):
		return nil, &s3Error{Status: http.StatusNotImplemented, Code: "NotImplemented",
			Message: "the floor does not decode aws-chunked bodies (" + cs + ")"}
	default:
		want, err := hex.DecodeString(cs)
		if err != nil || len(want) != sha256.Size {
			return nil, &s3Error{Status: http.StatusBadRequest, Code: "InvalidArgument",
				Message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-..., or a hex SHA-256 value"}
		}
		v.sha256, v.wantSHA256 = sha256.New(), want
		v.hashes = append(v.hashes, v.sha256)
	}
	if h.Get("X-Amz-Trailer") != "" {
		return nil, &s3Error{Status: http.StatusNotImplemented, Code: "NotImplemented",
			Message: "the floor does not decode trailing checksums"}
	}

	// Content-MD5, when sent, must be the body's MD5, which S3 computes
	// anyway for the ETag. Why: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
	if cm, ok := h["Content-Md5"]; ok {
		d, err := base64.StdEncoding.DecodeString(strings.Join(cm, ""))
		if err != nil || len(d) != md5.Size || len(cm) != 1 {
			return nil, &s3Error{Status: http.StatusBadRequest, Code: "InvalidDigest",
				Message: "The Content-MD5 you specified was invalid."}
		}
		v.contentMD5 = d
	}

	// At most one x-amz-checksum-* header, verified against the body.
	// Why: https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
	for i := range checksumAlgorithms {
		a := &checksumAlgorithms[i]
		vals, ok := h[a.header]
		if !ok {
			continue
		}
		if v.sumAlg != nil {
			return nil, &s3Error{Status: http.StatusBadRequest, Code: "InvalidRequest",
				Message: "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."}
		}
		d, err := base64.StdEncoding.DecodeString(strings.Join(vals, ""))
		if err != nil || len(d) != a.size || len(vals) != 1 {
			return nil, &s3Error{Status: http.StatusBadRequest, Code: "InvalidRequest",
				Message: "Value for " + strings.ToLower(a.header) + " header is invalid."}
		}
		v.sumAlg, v.wantSum = a, d
		if a.name == "SHA256" && v.sha256 != nil {
			v.sum = v.sha256 // the same digest: compute it once
		} else {
			v.sum = a.hash()
			v.hashes = append(v.hashes, v.sum)
		}
	}
	return v, nil
}

// Write implements io.Writer: it feeds p to every hash.
func (v *verifier) Write(p []byte) (int, error) {
	for _, h := range v.hashes {
		_, _ = h.Write(p) // hash.Hash.Write never fails
	}
	return len(p), nil
}

// check compares every digest with what the request claimed, in the order
// S3 reports them (the signature first), and returns the ETag: the hex MD5
// of the body, which is what S3 gives an object stored by a single
// PutObject without SSE-KMS or SSE-C. Why:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html
func (v *verifier) check() (string, error) {
	if v.sha256 != nil && !bytes.Equal(v.sha256.Sum(nil), v.wantSHA256) {
		return "", &s3Error{Status: http.StatusBadRequest, Code: "XAmzContentSHA256Mismatch",
			Message: "The provided 'x-amz-content-sha256' header does not match what was computed."}
	}
	sum := v.md5.Sum(nil)
	if v.contentMD5 != nil && !bytes.Equal(sum, v.contentMD5) {
		return "", &s3Error{Status: http.StatusBadRequest, Code: "BadDigest",
			Message: "The Content-MD5 you specified did not match what we received."}
	}
	if v.sum != nil && !bytes.Equal(v.sum.Sum(nil), v.wantSum) {
		return "", &s3Error{Status: http.StatusBadRequest, Code: "BadDigest",
			Message: "The " + v.sumAlg.name + " you specified did not match the calculated checksum."}
	}
	return `"` + hex.EncodeToString(sum) + `"`, nil
}

// putFloor answers PutObject in floor mode: it reads at most h.maxSize
// bytes of the body through a verifier, answers an S3 error when a check
// fails, and otherwise remembers the length (for GET) and returns the ETag
// with the checksum header S3 echoes.
func (h *handler) putFloor(w http.ResponseWriter, r *http.Request, name string) {
	v, err := newVerifier(r.Header)
	if err != nil {
		writeErr(w, err)
		return
	}
	n, err := io.Copy(v, io.LimitReader(r.Body, h.maxSize+1))
	switch {
	case err != nil:
		// net/http reports a body shorter than its Content-Length as an
		// unexpected EOF.
		writeErr(w, &s3Error{Status: http.StatusBadRequest, Code: "IncompleteBody",
			Message: "You did not provide the number of bytes specified by the Content-Length HTTP header."})
		return
	case n > h.maxSize:
		writeErr(w, &s3Error{Status: http.StatusBadRequest, Code: "EntityTooLarge",
			Message: "Your proposed upload exceeds the maximum allowed object size."})
		return
	}
	etag, err := v.check()
	if err != nil {
		writeErr(w, err)
		return
	}
	h.mu.Lock()
	h.sizes[name] = n
	h.mu.Unlock()
	hd := w.Header()
	hd.Set("ETag", etag)
	if v.sumAlg != nil {
		hd.Set(v.sumAlg.header, base64.StdEncoding.EncodeToString(v.wantSum))
	}
	w.WriteHeader(http.StatusOK)
}

// writeErr sends err as an S3 error; anything but an *s3Error is a 500.
func writeErr(w http.ResponseWriter, err error) {
	var se *s3Error
	if !errors.As(err, &se) {
		se = &s3Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: err.Error()}
	}
	se.write(w)
}
