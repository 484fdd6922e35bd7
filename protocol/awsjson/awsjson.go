// Package awsjson is the AWS JSON 1.1 protocol used by KMS and Organizations:
// every request is a POST whose X-Amz-Target header names the operation
// ("TrentService.Encrypt") and whose body is a JSON object; every response is
// a JSON object with Content-Type application/x-amz-json-1.1.
//
// Go's encoding/json already writes []byte as base64, which is how the
// protocol carries blobs (KMS Plaintext, CiphertextBlob); timestamps use
// Timestamp, epoch seconds as a JSON number.
//
// Member names are case-sensitive on the wire, unlike encoding/json's
// matching: a member spelled "keyId" is not KeyId, and is ignored like any
// other unknown member. Decode enforces this.
// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// ContentType is the media type of JSON 1.1 requests and responses.
const ContentType = "application/x-amz-json-1.1"

// DefaultLimit is the body size Decode allows when given a limit of zero or
// less.
const DefaultLimit int64 = 1 << 20

// Target is the parsed X-Amz-Target header.
type Target struct {
	// Service is the service's model name, for example TrentService (KMS) or
	// AWSOrganizationsV20161128.
	Service string
	// Operation is the operation name, for example Encrypt.
	Operation string
}

// String returns the header form, Service.Operation.
func (t Target) String() string { return t.Service + "." + t.Operation }

// ParseTarget reads the X-Amz-Target header of r. A missing header or one
// without both parts is UnknownOperationException.
func ParseTarget(r *http.Request) (Target, error) {
	svc, op, ok := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	if !ok || svc == "" || op == "" {
		return Target{}, UnknownOperation()
	}
	return Target{Service: svc, Operation: op}, nil
}

// Decode reads a JSON request body of at most limit bytes from r into v, a
// pointer to the operation's input struct.
//
// An empty body is taken as {}. Anything that is not a single JSON object,
// is over the limit, or has a member whose value does not fit the field is
// SerializationException; an *awserr.Error from r (a signature check) is
// returned unchanged. Constraint checks (lengths, required members) are the
// caller's, reported with ValidationException.
func Decode(r io.Reader, limit int64, v any) error {
	if limit <= 0 {
		limit = DefaultLimit
	}
	body, err := io.ReadAll(io.LimitReader(r, readLimit(limit)))
	if err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) {
			return ae
		}
		return SerializationException("")
	}
	if int64(len(body)) > limit {
		return SerializationException("Request body is larger than " + strconv.FormatInt(limit, 10) + " bytes")
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if body[0] != '{' {
		return SerializationException("")
	}
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return awserr.InternalError()
	}
	body, err = exactMembers(body, t.Elem())
	if err != nil {
		return SerializationException("")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return serializationError(err)
	}
	return nil
}

// serializationError words a decoding failure the way the JSON protocol's
// services do; syntax errors carry no message.
func serializationError(err error) *awserr.Error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return SerializationException("")
	}
	kind, _, _ := strings.Cut(te.Value, " ")
	switch kind {
	case "array":
		return SerializationException("Start of list found where not expected")
	case "object":
		return SerializationException("Start of structure or map found where not expected.")
	}
	return SerializationException(strings.ToUpper(kind) + "_VALUE can not be converted to " + modelType(te.Type))
}

// modelType names a Go type as the service model would, with its article.
func modelType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a String"
	case reflect.Bool:
		return "a Boolean"
	case reflect.Int, reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return "an Integer"
	case reflect.Int64, reflect.Uint64, reflect.Uint:
		return "a Long"
	case reflect.Float32, reflect.Float64:
		return "a Double"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a Blob"
		}
		return "a List"
	case reflect.Map:
		return "a Map"
	}
	return "a Structure"
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// exactMembers removes from data, at every depth, the object members that do
// not name a field of t exactly (encoding/json would otherwise match them
// case-insensitively). Values that do not have the JSON kind t needs are
// left for json.Unmarshal to reject.
func exactMembers(data []byte, t reflect.Type) ([]byte, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return data, nil
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return data, nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if data[0] != '{' {
			return data, nil
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, err
		}
		fields := jsonFields(t)
		for k, raw := range m {
			ft, ok := fields[k]
			if !ok {
				delete(m, k)
				continue
			}
			if m[k], ok = exactOrSame(raw, ft); !ok {
				return nil, errors.New("awsjson: bad member")
			}
		}
		return json.Marshal(m)
	case reflect.Map:
		if data[0] != '{' {
			return data, nil
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, err
		}
		for k, raw := range m {
			var ok bool
			if m[k], ok = exactOrSame(raw, t.Elem()); !ok {
				return nil, errors.New("awsjson: bad member")
			}
		}
		return json.Marshal(m)
	case reflect.Slice, reflect.Array:
		if data[0] != '[' || t.Elem().Kind() == reflect.Uint8 {
			return data, nil
		}
		var a []json.RawMessage
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, err
		}
		for i, raw := range a {
			var ok bool
			if a[i], ok = exactOrSame(raw, t.Elem()); !ok {
				return nil, errors.New("awsjson: bad member")
			}
		}
		return json.Marshal(a)
	}
	return data, nil
}

func exactOrSame(raw json.RawMessage, t reflect.Type) (json.RawMessage, bool) {
	out, err := exactMembers(raw, t)
	return out, err == nil
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields maps the JSON member names of struct type t, including those
// promoted from embedded structs, to their field types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct && et != t {
				for n, ft := range jsonFields(et) {
					if _, taken := fields[n]; !taken {
						fields[n] = ft
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	fieldCache.Store(t, fields)
	return fields
}

// Marshal returns v as a JSON response body. HTML characters are not
// escaped, as AWS does not escape them; a nil v is {}.
func Marshal(v any) ([]byte, error) {
	if v == nil {
		return []byte("{}"), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// WriteResponse sends v as a 200 response with the protocol's Content-Type
// and the x-amzn-RequestId header.
func WriteResponse(w http.ResponseWriter, v any, requestID string) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("x-amzn-RequestId", requestID)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	return err
}

// readLimit is how much to read to tell a body of limit bytes from a longer
// one, without overflowing.
func readLimit(limit int64) int64 {
	if limit == math.MaxInt64 {
		return limit
	}
	return limit + 1
}
