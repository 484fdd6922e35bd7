package sigv4

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// S3's integrity checks: Content-MD5 and the flexible checksums
// x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256}, each the base64 of the
// big-endian digest
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).

// ChecksumAlgorithm names a checksum as S3 spells it in
// x-amz-sdk-checksum-algorithm and in responses.
type ChecksumAlgorithm string

// The algorithms S3 verifies.
const (
	CRC32     ChecksumAlgorithm = "CRC32"
	CRC32C    ChecksumAlgorithm = "CRC32C"
	CRC64NVME ChecksumAlgorithm = "CRC64NVME"
	SHA1      ChecksumAlgorithm = "SHA1"
	SHA256    ChecksumAlgorithm = "SHA256"
	// MD5 is Content-MD5, which is not one of the flexible checksums.
	MD5 ChecksumAlgorithm = "MD5"
)

// FlexibleChecksums lists the x-amz-checksum-* algorithms, in S3's order.
var FlexibleChecksums = []ChecksumAlgorithm{CRC32, CRC32C, CRC64NVME, SHA1, SHA256}

var crc32cTable = crc32.MakeTable(crc32.Castagnoli)

// Header returns the request header carrying the checksum:
// "x-amz-checksum-crc32", ..., or "Content-MD5".
func (a ChecksumAlgorithm) Header() string {
	if a == MD5 {
		return "Content-MD5"
	}
	return "x-amz-checksum-" + strings.ToLower(string(a))
}

// New returns a hash computing the checksum, or nil for an unknown
// algorithm.
func (a ChecksumAlgorithm) New() hash.Hash {
	switch a {
	case CRC32:
		return crc32.NewIEEE()
	case CRC32C:
		return crc32.New(crc32cTable)
	case CRC64NVME:
		return NewCRC64NVME()
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	case MD5:
		return md5.New()
	}
	return nil
}

// size is the digest length in bytes.
func (a ChecksumAlgorithm) size() int {
	switch a {
	case CRC32, CRC32C:
		return 4
	case CRC64NVME:
		return 8
	case SHA1:
		return sha1.Size
	case SHA256:
		return sha256.Size
	case MD5:
		return md5.Size
	}
	return 0
}

// ParseChecksumAlgorithm reads an algorithm name case-insensitively ("crc32",
// "CRC64NVME"), as x-amz-sdk-checksum-algorithm carries it. MD5 is not a
// flexible checksum and is not accepted.
func ParseChecksumAlgorithm(s string) (ChecksumAlgorithm, bool) {
	for _, a := range FlexibleChecksums {
		if strings.EqualFold(s, string(a)) {
			return a, true
		}
	}
	return "", false
}

// checksumFromHeader maps "x-amz-checksum-crc32" (any case) to CRC32.
func checksumFromHeader(name string) (ChecksumAlgorithm, bool) {
	const prefix = "x-amz-checksum-"
	if len(name) <= len(prefix) || !strings.EqualFold(name[:len(prefix)], prefix) {
		return "", false
	}
	return ParseChecksumAlgorithm(name[len(prefix):])
}

// validChecksumValue reports whether v is the base64 of a digest of a's size.
func validChecksumValue(a ChecksumAlgorithm, v string) bool {
	b, err := base64.StdEncoding.DecodeString(v)
	return err == nil && len(b) == a.size()
}

// errChecksumHeaderInvalid: an x-amz-checksum-* value that is not the base64
// of a digest of the right size (or Content-MD5's InvalidDigest).
func errChecksumHeaderInvalid(a ChecksumAlgorithm, trailing bool) *awserr.Error {
	if a == MD5 {
		return awserr.New("InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified is not valid.")
	}
	if trailing {
		return awserr.InvalidRequest("Value for " + a.Header() + " trailing header is invalid.")
	}
	return awserr.InvalidRequest("Value for " + a.Header() + " header is invalid.")
}

// errChecksumMismatch is S3's BadDigest; Content-MD5's carries both digests.
func errChecksumMismatch(a ChecksumAlgorithm, expected, calculated string) *awserr.Error {
	if a == MD5 {
		return awserr.New("BadDigest", http.StatusBadRequest, "The Content-MD5 you specified did not match what we received.").
			With("ExpectedDigest", expected).With("CalculatedDigest", calculated)
	}
	return awserr.New("BadDigest", http.StatusBadRequest, "The "+string(a)+" you specified did not match the calculated checksum.")
}

// Checksums computes a set of checksums over the bytes written to it and
// compares them with the values the client sent. The zero value is not
// usable; build one with NewChecksums or ChecksumsFromHeader.
type Checksums struct {
	algs   []ChecksumAlgorithm
	hashes []hash.Hash
	want   []string
}

// NewChecksums returns Checksums computing algs (duplicates ignored).
func NewChecksums(algs ...ChecksumAlgorithm) *Checksums {
	c := &Checksums{}
	for _, a := range algs {
		c.add(a)
	}
	return c
}

// add starts computing a; it returns a's index, or -1 for an unknown
// algorithm.
func (c *Checksums) add(a ChecksumAlgorithm) int {
	if i := slices.Index(c.algs, a); i >= 0 {
		return i
	}
	h := a.New()
	if h == nil {
		return -1
	}
	c.algs = append(c.algs, a)
	c.hashes = append(c.hashes, h)
	c.want = append(c.want, "")
	return len(c.algs) - 1
}

// ChecksumsFromHeader reads the integrity headers of a request: Content-MD5,
// at most one x-amz-checksum-* header, and x-amz-sdk-checksum-algorithm. It
// returns Checksums that compute every algorithm named there (including one
// announced in x-amz-trailer, whose value Body checks) plus extra, and that
// expect the header values. Malformed headers give S3's errors:
// InvalidDigest, or InvalidRequest naming the problem.
func ChecksumsFromHeader(h http.Header, extra ...ChecksumAlgorithm) (*Checksums, error) {
	c := NewChecksums(extra...)
	if vs := h.Values("Content-MD5"); len(vs) > 0 {
		if err := c.Expect(MD5, vs[0]); err != nil {
			return nil, err
		}
	}
	var found []ChecksumAlgorithm
	for k, vs := range h {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, "x-amz-checksum-") {
			continue
		}
		switch lk {
		// Headers that share the prefix but carry no checksum
		// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html,
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
		case "x-amz-checksum-algorithm", "x-amz-checksum-type", "x-amz-checksum-mode":
			continue
		}
		a, ok := checksumFromHeader(lk)
		if !ok {
			return nil, awserr.InvalidRequest("The algorithm type you specified in x-amz-checksum- header is invalid.")
		}
		found = append(found, a)
		if len(found) > 1 {
			return nil, awserr.InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		if err := c.Expect(a, vs[0]); err != nil {
			return nil, err
		}
	}
	trailer, err := trailerChecksum(h)
	if err != nil {
		return nil, err
	}
	if trailer != "" {
		c.add(trailer)
	}
	if v := h.Get("X-Amz-Sdk-Checksum-Algorithm"); v != "" {
		a, ok := ParseChecksumAlgorithm(v)
		if !ok {
			return nil, awserr.InvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
		if !slices.Contains(found, a) && trailer != a {
			return nil, awserr.InvalidRequest("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
	}
	return c, nil
}

// trailerChecksum reads x-amz-trailer: empty, or exactly one
// x-amz-checksum-* name.
func trailerChecksum(h http.Header) (ChecksumAlgorithm, error) {
	var names []string
	for _, v := range h.Values("X-Amz-Trailer") {
		for n := range strings.SplitSeq(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	switch len(names) {
	case 0:
		return "", nil
	case 1:
		if a, ok := checksumFromHeader(names[0]); ok {
			return a, nil
		}
		return "", errTrailerNotSupported()
	}
	for _, n := range names {
		if _, ok := checksumFromHeader(n); !ok {
			return "", errTrailerNotSupported()
		}
	}
	return "", awserr.InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
}

// Expect records the value the client sent for a (computing a from now on if
// it was not already), after checking its encoding.
func (c *Checksums) Expect(a ChecksumAlgorithm, value string) error {
	if !validChecksumValue(a, value) {
		return errChecksumHeaderInvalid(a, false)
	}
	i := c.add(a)
	if i < 0 {
		return errChecksumHeaderInvalid(a, false)
	}
	c.want[i] = value
	return nil
}

// Write adds p to every checksum; it never fails.
func (c *Checksums) Write(p []byte) (int, error) {
	for _, h := range c.hashes {
		h.Write(p)
	}
	return len(p), nil
}

// Algorithms returns the algorithms being computed.
func (c *Checksums) Algorithms() []ChecksumAlgorithm { return slices.Clone(c.algs) }

// Sum returns the base64 checksum of the bytes written so far, or "" when a
// is not being computed.
func (c *Checksums) Sum(a ChecksumAlgorithm) string {
	i := slices.Index(c.algs, a)
	if i < 0 {
		return ""
	}
	return base64.StdEncoding.EncodeToString(c.hashes[i].Sum(nil))
}

// Expected returns the value the client sent for a, or "".
func (c *Checksums) Expected(a ChecksumAlgorithm) string {
	if i := slices.Index(c.algs, a); i >= 0 {
		return c.want[i]
	}
	return ""
}

// Verify compares every expected value with the checksum of the bytes
// written, returning S3's BadDigest for the first mismatch.
func (c *Checksums) Verify() error {
	for i, a := range c.algs {
		if c.want[i] == "" {
			continue
		}
		got := base64.StdEncoding.EncodeToString(c.hashes[i].Sum(nil))
		if subtle.ConstantTimeCompare([]byte(got), []byte(c.want[i])) != 1 {
			return errChecksumMismatch(a, c.want[i], got)
		}
	}
	return nil
}

// Reader returns rc wrapped so that every byte read goes through c and, at
// EOF, Verify's error (if any) replaces io.EOF.
func (c *Checksums) Reader(rc io.ReadCloser) io.ReadCloser {
	return &checksumReader{rc: rc, c: c}
}

type checksumReader struct {
	rc  io.ReadCloser
	c   *Checksums
	err error
}

func (r *checksumReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.rc.Read(p)
	r.c.Write(p[:n])
	if errors.Is(err, io.EOF) {
		if verr := r.c.Verify(); verr != nil {
			err = verr
		}
	}
	if err != nil {
		r.err = err
	}
	return n, err
}

func (r *checksumReader) Close() error { return r.rc.Close() }
