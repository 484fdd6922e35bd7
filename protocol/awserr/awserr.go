// Package awserr is the AWS error model shared by every protocol: a stable code,
// a message in AWS's words, an HTTP status and, for S3, the extra elements S3 puts
// in its error bodies (for example CanonicalRequest on SignatureDoesNotMatch).
//
// Rendering follows each protocol's documented shape:
//   - S3 REST-XML: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
//   - Query (IAM, STS, EC2 uses its own Response/Errors wrapper):
//     https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
//   - JSON 1.1 (KMS, Organizations): the __type field and x-amzn-ErrorType header.
package awserr

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Field is an extra element of an S3 error body, kept in order.
type Field struct {
	Name  string
	Value string
}

// Error is an AWS error. The zero value is not useful; build one with New or a
// constructor below.
type Error struct {
	Code    string
	Message string
	Status  int
	// Sender marks client faults for the Query protocol's <Type> element;
	// statuses below 500 are client faults.
	Fields []Field
}

// New returns an error with the given code, HTTP status and message.
func New(code string, status int, message string) *Error {
	return &Error{Code: code, Status: status, Message: message}
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, awserr.New("NoSuchKey", 0, "")) works.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) {
		return t.Code == e.Code
	}
	return false
}

// With returns a copy of e with one more body field.
func (e *Error) With(name, value string) *Error {
	c := *e
	c.Fields = append(append([]Field(nil), e.Fields...), Field{name, value})
	return &c
}

// Withf returns a copy of e whose message is formatted.
func (e *Error) Withf(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// As returns err as an *Error; any other error becomes InternalError (500),
// because AWS never exposes internal error text.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return InternalError()
}

// Code returns the AWS error code of err, or "" when err is not an *Error.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// WriteS3 writes e as S3's XML error body. HEAD responses carry no body, as S3
// documents for HEAD requests.
func WriteS3(w http.ResponseWriter, r *http.Request, e *Error, requestID, hostID, resource string) {
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("x-amz-request-id", requestID)
	h.Set("x-amz-id-2", hostID)
	if r != nil && r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	w.WriteHeader(e.Status)
	_, _ = w.Write(S3Body(e, requestID, hostID, resource))
}

// S3Body renders e as S3's XML error document.
func S3Body(e *Error, requestID, hostID, resource string) []byte {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString("<Error>")
	elem(&b, "Code", e.Code)
	elem(&b, "Message", e.Message)
	for _, f := range e.Fields {
		elem(&b, f.Name, f.Value)
	}
	if resource != "" {
		elem(&b, "Resource", resource)
	}
	elem(&b, "RequestId", requestID)
	elem(&b, "HostId", hostID)
	b.WriteString("</Error>")
	return []byte(b.String())
}

// IAMNamespace and STSNamespace are the xmlns of IAM's and STS's Query
// responses, errors included.
const (
	IAMNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// WriteQuery writes e in the Query protocol's ErrorResponse shape with IAM's
// namespace.
func WriteQuery(w http.ResponseWriter, e *Error, requestID string) {
	WriteQueryNS(w, e, requestID, IAMNamespace)
}

// WriteQueryNS writes e in the Query protocol's ErrorResponse shape with the
// service's namespace (IAMNamespace, STSNamespace).
func WriteQueryNS(w http.ResponseWriter, e *Error, requestID, xmlns string) {
	typ := "Sender"
	if e.Status >= 500 {
		typ = "Receiver"
	}
	var b strings.Builder
	b.WriteString(`<ErrorResponse xmlns="` + xmlns + `"><Error>`)
	elem(&b, "Type", typ)
	elem(&b, "Code", e.Code)
	elem(&b, "Message", e.Message)
	b.WriteString("</Error>")
	elem(&b, "RequestId", requestID)
	b.WriteString("</ErrorResponse>")
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(e.Status)
	_, _ = w.Write([]byte(b.String()))
}

// WriteEC2 writes e in EC2's Query error shape (Response/Errors/Error).
func WriteEC2(w http.ResponseWriter, e *Error, requestID string) {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString("<Response><Errors><Error>")
	elem(&b, "Code", e.Code)
	elem(&b, "Message", e.Message)
	b.WriteString("</Error></Errors>")
	elem(&b, "RequestID", requestID)
	b.WriteString("</Response>")
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(e.Status)
	_, _ = w.Write([]byte(b.String()))
}

// WriteJSON writes e in the JSON 1.1 protocol's shape (KMS, Organizations).
func WriteJSON(w http.ResponseWriter, e *Error, requestID string) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.Code, e.Message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", requestID)
	w.Header().Set("x-amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

func elem(b *strings.Builder, name, value string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	escapeText(b, value)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

// escapeText writes value as XML character data, escaping only what XML
// requires in text (&, <, >) so that messages such as "the first byte must
// be '{'" read as S3 writes them; invalid characters become U+FFFD.
func escapeText(b *strings.Builder, value string) {
	for _, r := range value {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF)):
			b.WriteRune(r)
		default:
			b.WriteRune('\uFFFD')
		}
	}
}
