package s3api

import (
	"bytes"

	"github.com/verdict-project/verdict/protocol/s3xml"
)

// maxConfigBody bounds the small bucket-configuration bodies (ownership
// controls, Block Public Access, request payment, tagging, encryption).
const maxConfigBody = 64 << 10

// readConfigBody reads a configuration body before the transaction; it is
// decoded with decodeConfig once the bucket is found and the request
// authorized, the order in which S3 reports problems (a malformed body sent
// to a missing bucket is NoSuchBucket).
func readConfigBody(q *request) ([]byte, bool) {
	body, e := readBody(q, maxConfigBody, s3xml.MalformedXML())
	if e != nil {
		q.fail(e)
		return nil, false
	}
	return body, true
}

// decodeConfig decodes a body read by readConfigBody into v, one of
// s3xml's request types, and runs its Validate method.
func decodeConfig(body []byte, v any) error {
	return s3xml.Decode(bytes.NewReader(body), maxConfigBody, v)
}
