package s3api

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/sigv4"
)

// Checksum types S3 reports in x-amz-checksum-type and ChecksumType.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
const (
	checksumFullObject = "FULL_OBJECT"
	checksumComposite  = "COMPOSITE"
)

// bodyChecksums reads the integrity headers of an upload (Content-MD5, one
// x-amz-checksum-*, x-amz-sdk-checksum-algorithm, or a checksum announced in
// x-amz-trailer) and returns the sums to compute over the body: MD5 (for the
// ETag) and one flexible checksum, the client's or want's. When neither
// names one, S3 computes CRC64NVME, its default since 2025 ("Amazon S3
// automatically calculates a CRC64NVME checksum for objects uploaded without
// one"), which GetObject returns with x-amz-checksum-mode: ENABLED.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
func bodyChecksums(h http.Header, want sigv4.ChecksumAlgorithm) (*sigv4.Checksums, sigv4.ChecksumAlgorithm, error) {
	sums, err := sigv4.ChecksumsFromHeader(h, sigv4.MD5)
	if err != nil {
		return nil, "", err
	}
	alg := flexible(sums)
	switch {
	case alg != "" && want != "" && alg != want:
		return nil, "", awserr.InvalidRequest("Checksum Type mismatch occurred, expected checksum Type: " +
			strings.ToLower(string(want)) + ", actual checksum Type: " + strings.ToLower(string(alg)))
	case alg != "":
		return sums, alg, nil
	}
	if want == "" {
		want = sigv4.CRC64NVME
	}
	sums, err = sigv4.ChecksumsFromHeader(h, sigv4.MD5, want)
	return sums, want, err
}

// flexible returns the x-amz-checksum-* algorithm sums computes, if any.
func flexible(sums *sigv4.Checksums) sigv4.ChecksumAlgorithm {
	for _, a := range sums.Algorithms() {
		if a != sigv4.MD5 {
			return a
		}
	}
	return ""
}

// md5Hex returns the hex MD5 of the bytes written to sums, the ETag of a
// single-part object.
func md5Hex(sums *sigv4.Checksums) string {
	b, _ := base64.StdEncoding.DecodeString(sums.Sum(sigv4.MD5))
	return hex.EncodeToString(b)
}

// setChecksumHeaders writes x-amz-checksum-<algorithm> for each stored
// checksum and x-amz-checksum-type.
func setChecksumHeaders(h http.Header, sums map[string]string, typ string) {
	if len(sums) == 0 {
		return
	}
	algs := make([]string, 0, len(sums))
	for a := range sums {
		algs = append(algs, a)
	}
	slices.Sort(algs)
	for _, a := range algs {
		h.Set("x-amz-checksum-"+strings.ToLower(a), sums[a])
	}
	if typ != "" {
		h.Set("x-amz-checksum-type", typ)
	}
}

// parseChecksumAlgorithm reads x-amz-checksum-algorithm (CopyObject,
// CreateMultipartUpload), S3's InvalidRequest for an unknown name.
func parseChecksumAlgorithm(v string) (sigv4.ChecksumAlgorithm, *awserr.Error) {
	if v == "" {
		return "", nil
	}
	a, ok := sigv4.ParseChecksumAlgorithm(v)
	if !ok {
		return "", awserr.InvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
	}
	return a, nil
}

// isCRC reports whether a is one of the CRCs, the only algorithms S3 can
// compute over a whole multipart object (FULL_OBJECT).
func isCRC(a sigv4.ChecksumAlgorithm) bool {
	return a == sigv4.CRC32 || a == sigv4.CRC32C || a == sigv4.CRC64NVME
}
