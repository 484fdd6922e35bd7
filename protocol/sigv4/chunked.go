package sigv4

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// The aws-chunked content encoding
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html):
//
//	hex(size)[;chunk-signature=sig]\r\n <size bytes> \r\n    one per chunk
//	0[;chunk-signature=sig]\r\n                              the final chunk
//	name:value\r\n ...                                      trailers, if any
//	[x-amz-trailer-signature:sig\r\n]
//	\r\n
//
// Chunk n's signature signs
//
//	AWS4-HMAC-SHA256-PAYLOAD \n time \n scope \n signature(n-1) \n hash("") \n hash(chunk n)
//
// with signature(0) the request's own (seed) signature; the trailer's signs
//
//	AWS4-HMAC-SHA256-TRAILER \n time \n scope \n signature(final chunk) \n hash(trailers)
//
// where trailers are "name:value\n" each.

const (
	// minChunkSize: "Chunk size must be at least 8 KB", except for the last
	// chunk (sigv4-streaming.html). Enforced for signed chunks.
	minChunkSize = 8 << 10
	// maxChunkLine bounds a chunk header line ("10000;chunk-signature=<64
	// hex>" is 87 bytes) and maxTrailerLine a trailer line, so that a hostile
	// body cannot make the decoder buffer without limit.
	maxChunkLine   = 4 << 10
	maxTrailerLine = 4 << 10
	// maxTrailers bounds the trailer section.
	maxTrailers = 16
	// chunkBufferSize is the read buffer; it is also the hard bound on a line.
	chunkBufferSize = 8 << 10
)

// chunkSigner holds the chain of chunk signatures.
type chunkSigner struct {
	key            []byte
	amzDate, scope string
	prev           string // the previous signature in the chain
	// service, accessKeyID and canonical fill SignatureDoesNotMatch.
	service     string
	accessKeyID string
	canonical   string
}

func (cs *chunkSigner) chunkStringToSign(dataHash string) string {
	return "AWS4-HMAC-SHA256-PAYLOAD\n" + cs.amzDate + "\n" + cs.scope + "\n" + cs.prev + "\n" + EmptySHA256 + "\n" + dataHash
}

func (cs *chunkSigner) trailerStringToSign(trailerHash string) string {
	return "AWS4-HMAC-SHA256-TRAILER\n" + cs.amzDate + "\n" + cs.scope + "\n" + cs.prev + "\n" + trailerHash
}

// check verifies sig over sts in constant time and advances the chain.
func (cs *chunkSigner) check(sts, sig string) error {
	if !hmac.Equal([]byte(hexHMAC(cs.key, sts)), []byte(sig)) {
		return errSignatureMismatch(cs.service, cs.accessKeyID, sts, sig, cs.canonical)
	}
	cs.prev = sig
	return nil
}

// missing is the error for a chunk or trailer that carries no signature.
func (cs *chunkSigner) missing() error {
	return errSignatureMismatch(cs.service, cs.accessKeyID, "", "", cs.canonical)
}

// chunkedReader decodes an aws-chunked body.
type chunkedReader struct {
	body   io.ReadCloser
	br     *bufio.Reader
	signer *chunkSigner // nil for unsigned chunks
	// trailer is set for the *-TRAILER encodings.
	trailer bool
	// want is x-amz-decoded-content-length, or -1 when absent.
	want int64
	// checksum is the algorithm named in x-amz-trailer, sum its running hash.
	checksum ChecksumAlgorithm
	sum      hash.Hash

	left     int64     // bytes of the current chunk not yet returned
	inData   bool      // a chunk's data is being read (or its CRLF is due)
	sig      string    // signature announced for the current chunk
	dataHash hash.Hash // SHA-256 of the current chunk, signed encodings only
	chunks   int       // chunk headers read
	lastSize int64     // size of the previous data chunk
	n        int64     // decoded bytes returned
	err      error     // sticky: io.EOF or the first failure
}

// newChunkedReader checks the headers an aws-chunked body depends on and
// returns its decoder.
func newChunkedReader(h http.Header, body io.ReadCloser, signer *chunkSigner, trailer bool) (io.ReadCloser, error) {
	c := &chunkedReader{body: body, signer: signer, trailer: trailer, want: -1}
	if v := h.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, errMissingContentLength()
		}
		c.want = n
	} else if signer != nil {
		// Why required for signed chunks: "For all requests, you must include
		// the x-amz-decoded-content-length header" (sigv4-streaming.html).
		// Unsigned-trailer uploads of unknown length (aws-sdk-go-v2 with an
		// unseekable body) omit it; whether the operation accepts a body of
		// unknown length is the S3 layer's decision.
		return nil, errMissingContentLength()
	}
	if trailer {
		a, err := trailerChecksum(h)
		if err != nil {
			return nil, err
		}
		if a != "" {
			c.checksum, c.sum = a, a.New()
		}
	}
	if signer != nil {
		c.dataHash = sha256.New()
	}
	c.br = bufio.NewReaderSize(body, chunkBufferSize)
	return c, nil
}

// Read returns decoded bytes; see Body for when they are authentic.
func (c *chunkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for c.left == 0 {
		if c.inData {
			if err := c.endChunk(); err != nil {
				return 0, c.fail(err)
			}
		}
		done, err := c.nextChunk()
		if err != nil {
			return 0, c.fail(err)
		}
		if done {
			c.err = io.EOF
			return 0, io.EOF
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	if n > 0 {
		c.left -= int64(n)
		c.n += int64(n)
		if c.dataHash != nil {
			c.dataHash.Write(p[:n])
		}
		if c.sum != nil {
			c.sum.Write(p[:n])
		}
		return n, nil
	}
	if err != nil {
		return 0, c.fail(readErr(err))
	}
	return 0, nil
}

// Close closes the underlying body.
func (c *chunkedReader) Close() error { return c.body.Close() }

func (c *chunkedReader) fail(err error) error {
	c.err = err
	return err
}

// readErr maps the end of the body in the middle of the encoding to
// IncompleteBody; other transport errors pass through.
func readErr(err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return errIncompleteBody()
	}
	return err
}

// endChunk consumes the CRLF after a chunk's data and checks its signature.
func (c *chunkedReader) endChunk() error {
	c.inData = false
	var crlf [2]byte
	if _, err := io.ReadFull(c.br, crlf[:]); err != nil {
		return readErr(err)
	}
	if crlf != [2]byte{'\r', '\n'} {
		return errIncompleteBody()
	}
	if c.signer != nil {
		return c.signer.check(c.signer.chunkStringToSign(hex.EncodeToString(c.dataHash.Sum(nil))), c.sig)
	}
	return nil
}

// nextChunk reads a chunk header; done reports that the body ended well.
func (c *chunkedReader) nextChunk() (done bool, err error) {
	line, err := c.readLine(maxChunkLine, errIncompleteBody)
	if err != nil {
		return false, err
	}
	sizeField, ext, _ := strings.Cut(line, ";")
	size, ok := parseChunkSize(sizeField)
	if !ok {
		return false, errIncompleteBody()
	}
	var sig string
	if c.signer != nil {
		v, ok := strings.CutPrefix(ext, "chunk-signature=")
		if !ok {
			return false, c.signer.missing()
		}
		sig = v
	}
	c.chunks++
	if c.signer != nil && size > 0 && c.chunks > 1 && c.lastSize < minChunkSize {
		return false, errInvalidChunkSize(c.chunks-1, c.lastSize)
	}
	if c.want >= 0 && size > c.want-c.n {
		return false, errIncompleteBody()
	}
	if size > 0 {
		c.left, c.inData, c.sig, c.lastSize = size, true, sig, size
		if c.dataHash != nil {
			c.dataHash.Reset()
		}
		return false, nil
	}
	if c.signer != nil {
		if err := c.signer.check(c.signer.chunkStringToSign(EmptySHA256), sig); err != nil {
			return false, err
		}
	}
	return true, c.finish()
}

// finish reads what follows the final chunk and checks the totals.
func (c *chunkedReader) finish() error {
	if c.trailer {
		if err := c.readTrailers(); err != nil {
			return err
		}
	} else {
		line, err := c.readLine(maxChunkLine, errIncompleteBody)
		if err != nil {
			return err
		}
		if line != "" {
			return errIncompleteBody()
		}
	}
	if c.want >= 0 && c.n != c.want {
		return errIncompleteBody()
	}
	// Nothing may follow the encoding. Reading one byte more does not block:
	// the HTTP body ends at Content-Length or at the last HTTP chunk.
	if _, err := c.br.ReadByte(); err != io.EOF {
		if err == nil {
			return errIncompleteBody()
		}
		return readErr(err)
	}
	return nil
}

// readTrailers reads the trailer section, verifies its signature (signed
// encoding) and the checksum x-amz-trailer announced.
func (c *chunkedReader) readTrailers() error {
	type field struct{ name, value string }
	var fields []field
	var sig string
	haveSig := false
	for {
		line, err := c.readLine(maxTrailerLine, errMalformedTrailer)
		if err != nil {
			return err
		}
		if line == "" {
			break
		}
		if len(fields) >= maxTrailers || haveSig {
			// Too many trailers, or one after the signature that ends them.
			return errMalformedTrailer()
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if !ok || name == "" {
			return errMalformedTrailer()
		}
		if name == "x-amz-trailer-signature" && c.signer != nil {
			sig, haveSig = value, true
			continue
		}
		for _, f := range fields {
			if f.name == name {
				return errMalformedTrailer()
			}
		}
		fields = append(fields, field{name, value})
	}
	if c.signer != nil {
		if !haveSig {
			return c.signer.missing()
		}
		var b strings.Builder
		for _, f := range fields {
			b.WriteString(f.name)
			b.WriteByte(':')
			b.WriteString(f.value)
			b.WriteByte('\n')
		}
		sum := sha256.Sum256([]byte(b.String()))
		if err := c.signer.check(c.signer.trailerStringToSign(hex.EncodeToString(sum[:])), sig); err != nil {
			return err
		}
	}
	// Only the checksum x-amz-trailer announced may appear, and it must.
	var got string
	for _, f := range fields {
		if a, ok := checksumFromHeader(f.name); !ok || a != c.checksum {
			return errMalformedTrailer()
		}
		got = f.value
	}
	if c.checksum == "" {
		return nil
	}
	if len(fields) == 0 {
		return errMalformedTrailer()
	}
	if !validChecksumValue(c.checksum, got) {
		return errChecksumHeaderInvalid(c.checksum, true)
	}
	if calc := base64.StdEncoding.EncodeToString(c.sum.Sum(nil)); calc != got {
		return errChecksumMismatch(c.checksum, got, calc)
	}
	return nil
}

// readLine returns one CRLF-terminated line without its CRLF; a longer line
// than limit, or one ending in a bare LF, is refused with malformed().
func (c *chunkedReader) readLine(limit int, malformed func() *awserr.Error) (string, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", malformed()
		}
		return "", readErr(err)
	}
	if len(line) > limit || len(line) < 2 || line[len(line)-2] != '\r' {
		return "", malformed()
	}
	return string(line[:len(line)-2]), nil
}

// parseChunkSize reads 1 to 16 hex digits that fit an int64.
func parseChunkSize(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 16 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		var d byte
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(d)
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}
