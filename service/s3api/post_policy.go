package s3api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// postPolicy is a decoded POST policy document: when it expires, the
// conditions every form field is checked against, and the allowed size of
// the file.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
type postPolicy struct {
	expiration time.Time
	conditions []postCondition
	// hasRange, minSize and maxSize are the content-length-range condition.
	hasRange         bool
	minSize, maxSize int64
}

// postCondition is one exact-match or starts-with condition. field is the
// form field's lower-cased name without its "$".
type postCondition struct {
	op    string // "eq" or "starts-with"
	field string
	value string
	// name is the field as the policy spells it, for error messages.
	name string
}

// maxPostConditions bounds the conditions of one policy; the policy itself
// is bounded by the size of the fields before the file.
const maxPostConditions = 1000

// invalidPolicy is S3's 400 InvalidPolicyDocument.
func invalidPolicy(msg string) *awserr.Error {
	return awserr.New("InvalidPolicyDocument", http.StatusBadRequest, "Invalid Policy: "+msg)
}

// parsePostPolicy decodes the base64 policy form field. The document must
// be a JSON object with an "expiration" (ISO 8601, UTC) and a "conditions"
// array whose elements are {"field": "value"} objects or
// ["eq"|"starts-with", "$field", "value"] or
// ["content-length-range", min, max] arrays.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html#sigv4-PolicyConditions
func parsePostPolicy(b64 string) (*postPolicy, *awserr.Error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return nil, invalidPolicy("Invalid Base64 Encoding.")
	}
	var doc map[string]json.RawMessage
	if err := strictJSON(raw, &doc); err != nil || doc == nil {
		return nil, invalidPolicy("Invalid JSON.")
	}
	p := &postPolicy{}
	var exp string
	if err := strictJSON(doc["expiration"], &exp); err != nil || exp == "" {
		return nil, invalidPolicy("Policy missing expiration.")
	}
	if p.expiration, err = parsePolicyTime(exp); err != nil {
		return nil, invalidPolicy("Invalid 'expiration' value: '" + exp + "'")
	}
	var conds []json.RawMessage
	if err := strictJSON(doc["conditions"], &conds); err != nil || conds == nil {
		return nil, invalidPolicy("Policy missing conditions.")
	}
	if len(conds) > maxPostConditions {
		return nil, invalidPolicy("Too many conditions.")
	}
	for _, c := range conds {
		if e := p.addCondition(c); e != nil {
			return nil, e
		}
	}
	return p, nil
}

// strictJSON decodes one JSON value with numbers kept exact.
func strictJSON(b []byte, v any) error {
	if len(b) == 0 {
		return errEmptyJSON
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

var errEmptyJSON = errors.New("empty JSON value")

// parsePolicyTime reads the expiration: ISO 8601 in UTC, with or without
// fractional seconds (boto3 writes milliseconds, the Go SDK none).
func parsePolicyTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

// addCondition decodes one element of the conditions array.
func (p *postPolicy) addCondition(c json.RawMessage) *awserr.Error {
	c = bytes.TrimSpace(c)
	if len(c) > 0 && c[0] == '{' {
		var m map[string]json.RawMessage
		if err := strictJSON(c, &m); err != nil || len(m) == 0 {
			return invalidPolicy("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
		}
		for k, v := range m {
			var s string
			if err := strictJSON(v, &s); err != nil {
				return invalidPolicy("Invalid Simple-Condition: value must be a string.")
			}
			p.conditions = append(p.conditions, postCondition{op: "eq", field: strings.ToLower(strings.TrimPrefix(k, "$")), value: s, name: strings.TrimPrefix(k, "$")})
		}
		return nil
	}
	var arr []json.RawMessage
	if err := strictJSON(c, &arr); err != nil || len(arr) != 3 {
		return invalidPolicy("Invalid Condition: conditions must be objects or arrays of three elements.")
	}
	var op string
	if err := strictJSON(arr[0], &op); err != nil {
		return invalidPolicy("Invalid Condition: the first element must be a string.")
	}
	switch op = strings.ToLower(op); op {
	case "content-length-range":
		lo, ok1 := policyInt(arr[1])
		hi, ok2 := policyInt(arr[2])
		if !ok1 || !ok2 || lo > hi {
			return invalidPolicy("Invalid content-length-range: bounds must be integers with min <= max.")
		}
		p.hasRange, p.minSize, p.maxSize = true, lo, hi
		return nil
	case "eq", "starts-with":
		var name, value string
		if err := strictJSON(arr[1], &name); err != nil || !strings.HasPrefix(name, "$") || len(name) < 2 {
			return invalidPolicy("Invalid Condition: the field must be a string starting with '$'.")
		}
		if err := strictJSON(arr[2], &value); err != nil {
			return invalidPolicy("Invalid Condition: the value must be a string.")
		}
		name = name[1:]
		p.conditions = append(p.conditions, postCondition{op: op, field: strings.ToLower(name), value: value, name: name})
		return nil
	}
	return invalidPolicy("Invalid Condition: unknown operation '" + op + "'.")
}

// policyInt reads a non-negative integer bound, as a JSON number or a
// string of digits.
func policyInt(b json.RawMessage) (int64, bool) {
	var n json.Number
	if err := strictJSON(b, &n); err != nil {
		var s string
		if err := strictJSON(b, &s); err != nil {
			return 0, false
		}
		n = json.Number(s)
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	return v, err == nil && v >= 0
}

// String renders the condition as AWS quotes it in a failure message.
func (c postCondition) String() string {
	b, _ := json.Marshal([]string{c.op, "$" + c.name, c.value})
	return strings.ReplaceAll(string(b), `","`, `", "`)
}

// holds reports whether value satisfies the condition. A starts-with on
// Content-Type applies to each of a comma-separated list of types.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html#sigv4-ConditionMatching
func (c postCondition) holds(value string) bool {
	if c.op == "eq" {
		return value == c.value
	}
	if c.field == "content-type" {
		for _, v := range strings.Split(value, ",") {
			if !strings.HasPrefix(strings.TrimSpace(v), c.value) {
				return false
			}
		}
		return true
	}
	return strings.HasPrefix(value, c.value)
}

// postExempt reports whether a form field need not appear in the policy:
// x-amz-signature, file, policy and any x-ignore-* field.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html#sigv4-PolicyConditions
func postExempt(field string) bool {
	switch field {
	case "x-amz-signature", "file", "policy":
		return true
	}
	return strings.HasPrefix(field, "x-ignore-")
}

// policyDenied is the 403 AccessDenied of a request the policy refuses.
func policyDenied(reason string) *awserr.Error {
	return awserr.New("AccessDenied", http.StatusForbidden, "Invalid according to Policy: "+reason)
}

// check applies the policy to the form: not expired at now, every
// condition met (the "bucket" field is the request's bucket), and every
// non-exempt field covered by a condition. fields are keyed by lower-cased
// name.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
func (p *postPolicy) check(fields map[string]string, bucket string, now time.Time) *awserr.Error {
	if !now.Before(p.expiration) {
		return policyDenied("Policy expired.")
	}
	covered := map[string]bool{}
	for _, c := range p.conditions {
		covered[c.field] = true
		v := fields[c.field]
		if c.field == "bucket" {
			v = bucket
		}
		if !c.holds(v) {
			return policyDenied("Policy Condition failed: " + c.String())
		}
	}
	var extra []string
	for name := range fields {
		if !postExempt(name) && !covered[name] {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		return policyDenied("Extra input fields: " + strings.Join(extra, ", "))
	}
	return nil
}
