// Package sigv4 verifies AWS Signature Version 4 on the server side: the
// Authorization header form, presigned URLs (query-string authentication),
// and the aws-chunked body encodings, signed and unsigned, with trailers. It
// also validates Content-MD5 and S3's flexible checksums.
//
// It is a pure protocol package: it never looks up credentials or touches
// storage. The server calls
//
//	sig, err := sigv4.Parse(r)              // nil, nil: anonymous
//	secret := lookup(sig.AccessKeyID)       // the caller's business
//	err = sig.CheckScope(region, "s3")      // optional: wrong Region or service
//	err = sig.Verify(r, secret, time.Now()) // time, signed headers, signature
//	body, err := sig.Body(r, secret)        // payload hash, chunk signatures, trailers
//
// and gets *awserr.Error values in S3's words for every failure, ready to be
// rendered.
//
// # Design
//
// Parse only reads; it rejects malformed authentication with the 400s S3
// returns (AuthorizationHeaderMalformed, AuthorizationQueryParametersError)
// and mechanisms this package does not verify (Signature Version 2, SigV4a).
// Verify rebuilds the canonical request from the request as received: the
// path exactly as it arrived on the wire (r.RequestURI), the raw query, the
// signed headers (Go moves Host, Content-Length and Transfer-Encoding out of
// r.Header; they are read back from the request). S3 signs the path as sent;
// other services normalize it and encode it twice, so the service in the
// credential scope selects the rules. Because clients differ in which
// reserved characters they leave unescaped on the wire, Verify also accepts
// the canonical re-encoding of the path; the error body always shows the
// primary candidate.
//
// Body wraps the request body in a reader that verifies while streaming: a
// SHA-256 at EOF, or an aws-chunked decoder that checks each chunk's
// signature as the chunk ends, then the trailer and the decoded length. Bytes
// are therefore handed out before their chunk is proven authentic; callers
// must treat the upload as valid only after io.EOF (write to a temporary
// file, rename on success). Lines are bounded (4 KiB), trailers are bounded
// (16), and chunk data is never buffered, so a hostile body cannot make the
// decoder allocate without limit.
//
// Checksums computes and compares Content-MD5 and
// x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256}; CRC-64/NVME is
// implemented here (slicing-by-8).
//
// Services other than S3 report a stale signature as SignatureDoesNotMatch
// "Signature expired: ..." rather than RequestTimeTooSkewed; callers rendering
// for KMS or Organizations may remap the code to their
// InvalidSignatureException.
//
// # Sources
//
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
package sigv4
