package s3controlapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Namespace is the XML namespace of S3 Control bodies.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
const Namespace = "http://awss3control.amazonaws.com/doc/2018-08-20/"

// maxBody bounds a request body; a PublicAccessBlockConfiguration is a few
// hundred bytes.
const maxBody = 16 << 10

// PublicAccessBlockConfiguration is the PutPublicAccessBlock body and the
// GetPublicAccessBlock response of the S3 Control API. An element left out
// of a request is false.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PublicAccessBlockConfiguration.html
type PublicAccessBlockConfiguration struct {
	XMLName               xml.Name `xml:"http://awss3control.amazonaws.com/doc/2018-08-20/ PublicAccessBlockConfiguration"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
}

// pabBody is the element content of a PublicAccessBlockConfiguration as
// read: booleans as text, so that only "true" and "false" are accepted.
type pabBody struct {
	BlockPublicAcls       *string `xml:"BlockPublicAcls"`
	IgnorePublicAcls      *string `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     *string `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets *string `xml:"RestrictPublicBuckets"`
}

// malformedXML is S3 Control's answer to a body that is not the expected XML.
func malformedXML() *awserr.Error { return awserr.MalformedXML() }

// DecodePublicAccessBlock reads a PutPublicAccessBlock body: one
// PublicAccessBlockConfiguration element, in the S3 Control namespace or
// none, whose settings are "true" or "false", followed by nothing but white
// space, comments or processing instructions. Every error is an
// *awserr.Error: MalformedXML, or the body reader's own (a signature
// mismatch).
func DecodePublicAccessBlock(r io.Reader) (*PublicAccessBlockConfiguration, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		var e *awserr.Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, awserr.New("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header")
	}
	if len(body) > maxBody {
		return nil, malformedXML()
	}
	return parsePublicAccessBlock(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
}

func parsePublicAccessBlock(body []byte) (*PublicAccessBlockConfiguration, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var root *xml.StartElement
	for root == nil {
		tok, err := d.Token()
		if err != nil {
			return nil, malformedXML()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			root = &t
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return nil, malformedXML()
			}
		case xml.Comment, xml.ProcInst:
		default:
			return nil, malformedXML()
		}
	}
	if root.Name.Local != "PublicAccessBlockConfiguration" || (root.Name.Space != "" && root.Name.Space != Namespace) {
		return nil, malformedXML()
	}
	var b pabBody
	if err := d.DecodeElement(&b, root); err != nil {
		return nil, malformedXML()
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, malformedXML()
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return nil, malformedXML()
			}
		case xml.Comment, xml.ProcInst:
		default:
			return nil, malformedXML()
		}
	}
	var c PublicAccessBlockConfiguration
	for _, f := range []struct {
		in  *string
		out *bool
	}{
		{b.BlockPublicAcls, &c.BlockPublicAcls}, {b.IgnorePublicAcls, &c.IgnorePublicAcls},
		{b.BlockPublicPolicy, &c.BlockPublicPolicy}, {b.RestrictPublicBuckets, &c.RestrictPublicBuckets},
	} {
		if f.in == nil {
			continue
		}
		switch v := strings.TrimSpace(*f.in); v {
		case "true", "false":
			*f.out, _ = strconv.ParseBool(v)
		default:
			return nil, malformedXML()
		}
	}
	return &c, nil
}

// xmlMarshal renders c as a document.
func xmlMarshal(c *PublicAccessBlockConfiguration) ([]byte, error) {
	b, err := xml.Marshal(c)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}
