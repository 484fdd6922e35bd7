// Package s3xml holds the XML bodies S3 reads and writes, and the codec that
// turns them into Go values and back.
//
// Every type here is a plain Go value with encoding/xml tags; there is no
// business logic and no storage. Element names and namespaces follow the
// Amazon S3 API Reference (https://docs.aws.amazon.com/AmazonS3/latest/API/).
//
// Element order. The "Response Syntax" blocks of the API Reference list the
// members of nested data types alphabetically, which is not what S3 sends; the
// "Examples" sections of the same pages are captured S3 responses and show the
// real order (for example Key, LastModified, ETag, Size, StorageClass inside
// Contents). Where the two disagree, the types here follow the examples,
// because clients that compare bytes or stream-parse expect S3's real output.
//
// Decoding is lenient about unknown child elements (they are skipped, as the
// SDKs do for forward compatibility) and strict about everything else: the
// body must be well-formed, UTF-8, have the expected root element in either no
// namespace or the S3 namespace, and carry nothing but white space, comments or
// processing instructions after the root. Types with pure format rules expose
// a Validate method that Decode runs for the caller.
package s3xml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Namespace is the XML namespace of every S3 request and response body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAPI.html
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// xsiNamespace is the XML Schema instance namespace that qualifies the
// xsi:type attribute of an ACL Grantee.
const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// DefaultLimit is the body size Decode allows when it is given a limit of zero
// or less. It fits the largest body S3 accepts among these types, a Delete of
// 1,000 keys of 1,024 bytes each with its markup.
const DefaultLimit int64 = 2 << 20

// TimeFormat is how S3 writes timestamps in XML bodies: UTC with milliseconds,
// for example 2009-10-12T17:50:30.000Z (see the Examples of ListObjectsV2,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Timestamp is a time written in S3's XML timestamp format.
type Timestamp struct{ time.Time }

// NewTimestamp returns t as a Timestamp.
func NewTimestamp(t time.Time) Timestamp { return Timestamp{t} }

// MarshalText writes the time in TimeFormat, in UTC.
func (t Timestamp) MarshalText() ([]byte, error) {
	return []byte(t.UTC().Format(TimeFormat)), nil
}

// UnmarshalText reads an RFC 3339 time, with or without fractional seconds.
func (t *Timestamp) UnmarshalText(b []byte) error {
	v, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// Validator is implemented by request bodies that have format rules beyond
// the XML schema's shape. Decode calls Validate after a successful parse.
type Validator interface {
	Validate() error
}

// malformer is implemented by types whose malformed bodies S3 reports with a
// code other than MalformedXML (an ACL body gets MalformedACLError).
type malformer interface {
	malformed() *awserr.Error
}

// Decode reads one XML request body of at most limit bytes from r into v,
// which must be a pointer to one of this package's request types.
//
// Errors, all *awserr.Error:
//   - MissingRequestBodyError when the body is empty;
//   - MalformedXML (MalformedACLError for an AccessControlPolicy) when the body
//     is over the limit, not well-formed, has another root element, or has
//     anything but white space, comments or processing instructions after the
//     root;
//   - IncompleteBody when reading r fails (an *awserr.Error from r, such as a
//     signature failure from a verifying reader, is returned unchanged);
//   - whatever v's Validate method returns.
func Decode(r io.Reader, limit int64, v any) error {
	bad := MalformedXML()
	if m, ok := v.(malformer); ok {
		bad = m.malformed()
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	body, err := io.ReadAll(io.LimitReader(r, readLimit(limit)))
	if err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) {
			return ae
		}
		return IncompleteBody()
	}
	if int64(len(body)) > limit {
		return bad
	}
	if len(body) == 0 {
		return MissingRequestBody()
	}
	// A UTF-8 byte order mark is allowed before the XML declaration
	// (XML 1.0, section 4.3.3); encoding/xml would take it for text.
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	space, local, ok := rootName(v)
	if !ok {
		// A programming error: v is not one of this package's types.
		return awserr.InternalError()
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	root, ok := firstElement(d)
	if !ok || root.Name.Local != local || (root.Name.Space != "" && root.Name.Space != space) {
		return bad
	}
	// Accept a body without a namespace, as S3 does; the Go decoder insists on
	// the namespace written in the XMLName tag, so present it the one it wants.
	root.Name.Space = space
	if err := d.DecodeElement(v, &root); err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) {
			return ae
		}
		return bad
	}
	if !onlyMiscAfterRoot(d) {
		return bad
	}
	if val, ok := v.(Validator); ok {
		return val.Validate()
	}
	return nil
}

// firstElement skips the prolog (XML declaration, comments, white space) and
// returns the root start element. A DOCTYPE is refused: S3 bodies never carry
// one.
func firstElement(d *xml.Decoder) (xml.StartElement, bool) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, true
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return xml.StartElement{}, false
			}
		case xml.Comment, xml.ProcInst:
		default:
			return xml.StartElement{}, false
		}
	}
}

// onlyMiscAfterRoot reports whether the rest of the document is white space,
// comments and processing instructions.
func onlyMiscAfterRoot(d *xml.Decoder) bool {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return false
			}
		case xml.Comment, xml.ProcInst:
		default:
			return false
		}
	}
}

// rootName reads the namespace and local name from the XMLName tag of the
// struct v points to.
func rootName(v any) (space, local string, ok bool) {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return "", "", false
	}
	f, found := t.Elem().FieldByName("XMLName")
	if !found {
		return "", "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
	if i := strings.LastIndexByte(name, ' '); i >= 0 {
		return name[:i], name[i+1:], name[i+1:] != ""
	}
	return "", name, name != ""
}

// Marshal returns v as an XML document with the standard declaration,
// escaping double quotes as &quot; the way S3 does (its ETag elements read
// &quot;…&quot;; see the Examples of ListObjects,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	// encoding/xml writes &#34; for '"'. The sequence cannot come from data,
	// whose '&' is itself escaped, so the swap is exact.
	return bytes.ReplaceAll(buf.Bytes(), []byte("&#34;"), []byte("&quot;")), nil
}

// Encode writes v to w as an XML document (see Marshal).
func Encode(w io.Writer, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Write sends v as a complete XML response with the given status, setting
// Content-Type and Content-Length as S3 does.
func Write(w http.ResponseWriter, status int, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// encodeList writes items inside start, each as an element named item. It
// backs the wrapper lists (Buckets, AccessControlList, TagSet) that S3 writes
// even when they are empty.
func encodeList[T any](e *xml.Encoder, start xml.StartElement, item string, items []T) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for i := range items {
		if err := e.EncodeElement(&items[i], xml.StartElement{Name: xml.Name{Local: item}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// decodeList reads the children named item of the current element into out,
// skipping any other child.
func decodeList[T any](d *xml.Decoder, item string, out *[]T) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != item {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			var v T
			if err := d.DecodeElement(&v, &t); err != nil {
				return err
			}
			*out = append(*out, v)
		case xml.EndElement:
			return nil
		}
	}
}

// readLimit is how much to read to tell a body of limit bytes from a longer
// one, without overflowing.
func readLimit(limit int64) int64 {
	if limit == math.MaxInt64 {
		return limit
	}
	return limit + 1
}
