package query

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Namespaces of the Query services' response documents.
const (
	IAMNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
	EC2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"
)

// Timestamp is a time as IAM and STS write it: UTC, whole seconds, for
// example 2012-05-08T23:34:01Z.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html#API_GetUser_Examples
type Timestamp struct{ time.Time }

// MarshalText writes the time in IAM's format.
func (t Timestamp) MarshalText() ([]byte, error) {
	return []byte(t.UTC().Format("2006-01-02T15:04:05Z")), nil
}

// EC2Timestamp is a time as EC2 writes it: UTC with milliseconds, for example
// 2017-09-05T20:03:24.000Z.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html#API_DescribeVpcEndpoints_Examples
type EC2Timestamp struct{ time.Time }

// MarshalText writes the time in EC2's format.
func (t EC2Timestamp) MarshalText() ([]byte, error) {
	return []byte(t.UTC().Format("2006-01-02T15:04:05.000Z")), nil
}

// MarshalResponse renders an IAM or STS response document:
//
//	<{action}Response xmlns="{xmlns}">
//	  <{action}Result>…result's fields…</{action}Result>
//	  <ResponseMetadata>
//	    <RequestId>{requestID}</RequestId>
//	  </ResponseMetadata>
//	</{action}Response>
//
// indented by two spaces and without an XML declaration, as IAM and STS send
// it. A nil result leaves out the Result element, as for IAM actions that
// return nothing (DeleteUser). result's own XMLName, if any, is overridden.
//
// Lists are the caller's tags, `xml:"Users>member"`. Note that encoding/xml
// writes the parent element of such a path even for an empty list marked
// omitempty; make the field a pointer to the slice, nil when absent, for AWS's
// behaviour of leaving optional lists out.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html#API_GetUser_Examples
func MarshalResponse(action, xmlns string, result any, requestID string) ([]byte, error) {
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	e.Indent("", "  ")
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: xmlns}}}
	if err := e.EncodeToken(root); err != nil {
		return nil, err
	}
	if result != nil {
		if err := e.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return nil, err
		}
	}
	meta := struct {
		RequestID string `xml:"RequestId"`
	}{requestID}
	if err := e.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return nil, err
	}
	if err := e.EncodeToken(root.End()); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return quot(buf.Bytes()), nil
}

// quot writes double quotes in text as &quot;, as AWS's XML writers do,
// instead of encoding/xml's &#34;. The sequence &#34; cannot come from data,
// whose '&' is itself escaped, so the swap is exact.
func quot(b []byte) []byte { return bytes.ReplaceAll(b, []byte("&#34;"), []byte("&quot;")) }

// WriteResponse sends an IAM or STS success response (see MarshalResponse)
// with status 200, Content-Type text/xml and the x-amzn-RequestId header.
func WriteResponse(w http.ResponseWriter, action, xmlns string, result any, requestID string) error {
	b, err := MarshalResponse(action, xmlns, result, requestID)
	if err != nil {
		return err
	}
	send(w, b, "text/xml", requestID)
	return nil
}

// MarshalEC2Response renders an EC2 response document: an XML declaration,
// then <{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
// holding <requestId> first and then result's fields directly (EC2 has no
// Result wrapper), indented by four spaces. result must encode as an element
// whose attributes, if any, are dropped; nil gives a response with only the
// request ID.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html#API_DescribeVpcEndpoints_Examples
func MarshalEC2Response(action string, result any, requestID string) ([]byte, error) {
	var inner []byte
	if result != nil {
		var err error
		if inner, err = xml.Marshal(wrapped{result}); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	e := xml.NewEncoder(&buf)
	e.Indent("", "    ")
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: EC2Namespace}}}
	if err := e.EncodeToken(root); err != nil {
		return nil, err
	}
	if err := e.EncodeElement(requestID, xml.StartElement{Name: xml.Name{Local: "requestId"}}); err != nil {
		return nil, err
	}
	if err := copyChildren(e, inner); err != nil {
		return nil, err
	}
	if err := e.EncodeToken(root.End()); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return quot(buf.Bytes()), nil
}

// WriteEC2Response sends an EC2 success response (see MarshalEC2Response)
// with status 200 and Content-Type text/xml;charset=UTF-8.
func WriteEC2Response(w http.ResponseWriter, action string, result any, requestID string) error {
	b, err := MarshalEC2Response(action, result, requestID)
	if err != nil {
		return err
	}
	send(w, b, "text/xml;charset=UTF-8", requestID)
	return nil
}

func send(w http.ResponseWriter, b []byte, contentType, requestID string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("x-amzn-RequestId", requestID)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// wrapped marshals its value under a fixed element name, so that its
// children can be lifted into another element.
type wrapped struct{ v any }

// MarshalXML encodes the value as an element named r.
func (w wrapped) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	return e.EncodeElement(w.v, xml.StartElement{Name: xml.Name{Local: "r"}})
}

// copyChildren re-encodes the content of the single element in doc into e.
func copyChildren(e *xml.Encoder, doc []byte) error {
	if len(doc) == 0 {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				continue
			}
			t.Attr = dropNamespaceAttrs(t.Attr)
			tok = t
		case xml.EndElement:
			depth--
			if depth == 0 {
				continue
			}
		}
		if err := e.EncodeToken(xml.CopyToken(tok)); err != nil {
			return err
		}
	}
}

// dropNamespaceAttrs removes xmlns declarations, which the encoder would
// otherwise write twice (once from the name, once from the attribute).
func dropNamespaceAttrs(attrs []xml.Attr) []xml.Attr {
	out := attrs[:0:0]
	for _, a := range attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		out = append(out, a)
	}
	return out
}
