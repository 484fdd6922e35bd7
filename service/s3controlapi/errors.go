package s3controlapi

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// ErrorBody renders e as S3 Control's error document. Unlike S3's, it wraps
// the Error element in an ErrorResponse, with the request IDs after it; the
// SDKs read S3 Control errors in that shape only
// (s3shared.ErrorResponseDeserializerOptions.IsWrappedWithErrorTag).
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
func ErrorBody(e *awserr.Error, requestID, hostID string) []byte {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString("<ErrorResponse><Error>")
	elem(&b, "Code", e.Code)
	elem(&b, "Message", e.Message)
	for _, f := range e.Fields {
		elem(&b, f.Name, f.Value)
	}
	b.WriteString("</Error>")
	elem(&b, "RequestId", requestID)
	elem(&b, "HostId", hostID)
	b.WriteString("</ErrorResponse>")
	return []byte(b.String())
}

func elem(b *strings.Builder, name, value string) {
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(value))
	b.WriteString("</" + name + ">")
}

// fail writes e as the response.
func (q *call) fail(e *awserr.Error) {
	h := q.w.Header()
	h.Set("Content-Type", "application/xml")
	q.w.WriteHeader(e.Status)
	if q.HTTP.Method == http.MethodHead {
		return
	}
	_, _ = q.w.Write(ErrorBody(e, q.RequestID, q.HostID))
}

// failErr writes err, hiding anything but an *awserr.Error behind
// InternalError.
func (q *call) failErr(err error) { q.fail(awserr.As(err)) }
