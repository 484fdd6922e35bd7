package s3api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// byteRange is an inclusive range of byte offsets, resolved against an
// object's size.
type byteRange struct{ first, last int64 }

// length is the number of bytes the range covers.
func (r byteRange) length() int64 { return r.last - r.first + 1 }

// contentRange is the Content-Range value of a 206 response.
func (r byteRange) contentRange(size int64) string {
	return "bytes " + strconv.FormatInt(r.first, 10) + "-" + strconv.FormatInt(r.last, 10) + "/" + strconv.FormatInt(size, 10)
}

// rangeOutcome says what a Range header asks of a GET.
type rangeOutcome int

const (
	// rangeIgnored: no header, or one S3 does not honour (malformed, several
	// ranges, first > last); the whole object is sent with 200.
	rangeIgnored rangeOutcome = iota
	// rangeSatisfiable: send the range with 206.
	rangeSatisfiable
	// rangeUnsatisfiable: 416 InvalidRange.
	rangeUnsatisfiable
)

// parseRange reads a GetObject Range header against an object of size
// bytes. S3 supports one range per request; what it cannot read it ignores
// and serves the whole object, and a range starting at or past the end (any
// range of an empty object) is 416 InvalidRange. A range ending past the
// end is clamped, as RFC 9110 section 14.1.2 says.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
// https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2
func parseRange(h string, size int64) (byteRange, rangeOutcome) {
	h = strings.TrimSpace(h)
	const unit = "bytes="
	if len(h) <= len(unit) || !strings.EqualFold(h[:len(unit)], unit) {
		return byteRange{}, rangeIgnored
	}
	spec := strings.TrimSpace(h[len(unit):])
	if strings.Contains(spec, ",") {
		// "Amazon S3 doesn't support retrieving multiple ranges of data
		// per GET request" (API_GetObject.html): the header is ignored.
		return byteRange{}, rangeIgnored
	}
	a, b, ok := strings.Cut(spec, "-")
	if !ok {
		return byteRange{}, rangeIgnored
	}
	if a == "" {
		// Suffix range: the last n bytes.
		n, ok := parseOffset(b)
		if !ok {
			return byteRange{}, rangeIgnored
		}
		if n == 0 || size == 0 {
			return byteRange{}, rangeUnsatisfiable
		}
		if n > size {
			n = size
		}
		return byteRange{size - n, size - 1}, rangeSatisfiable
	}
	first, ok := parseOffset(a)
	if !ok {
		return byteRange{}, rangeIgnored
	}
	last := int64(-1)
	if b != "" {
		if last, ok = parseOffset(b); !ok || last < first {
			return byteRange{}, rangeIgnored
		}
	}
	if first >= size {
		return byteRange{}, rangeUnsatisfiable
	}
	if last < 0 || last >= size {
		last = size - 1
	}
	return byteRange{first, last}, rangeSatisfiable
}

// parseOffset reads a non-negative decimal that fits an int64.
func parseOffset(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// invalidRange is S3's 416 for a range that starts past the object.
func invalidRange(requested string, size int64) *awserr.Error {
	return awserr.New("InvalidRange", http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable").
		With("RangeRequested", requested).With("ActualObjectSize", strconv.FormatInt(size, 10))
}

// parseCopyRange reads UploadPartCopy's x-amz-copy-source-range, which
// unlike Range must be exactly bytes=first-last within the source object.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html#API_UploadPartCopy_RequestSyntax
func parseCopyRange(h string, size int64) (byteRange, *awserr.Error) {
	bad := awserr.InvalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy").
		With("ArgumentName", "x-amz-copy-source-range").With("ArgumentValue", h)
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return byteRange{}, bad
	}
	a, b, ok := strings.Cut(spec, "-")
	if !ok {
		return byteRange{}, bad
	}
	first, ok1 := parseOffset(a)
	last, ok2 := parseOffset(b)
	if !ok1 || !ok2 {
		return byteRange{}, bad
	}
	if first > last || last >= size {
		return byteRange{}, awserr.InvalidArgument("Range specified is not valid for source object of size: " + strconv.FormatInt(size, 10))
	}
	return byteRange{first, last}, nil
}
