package s3xml

import (
	"encoding/xml"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Grantee types, the values of a Grantee's xsi:type attribute.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Grantee.html
const (
	GranteeCanonicalUser = "CanonicalUser"
	GranteeGroup         = "Group"
	GranteeEmail         = "AmazonCustomerByEmail"
)

// Permissions a Grant may give.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
const (
	PermFullControl = "FULL_CONTROL"
	PermWrite       = "WRITE"
	PermWriteACP    = "WRITE_ACP"
	PermRead        = "READ"
	PermReadACP     = "READ_ACP"
)

// AccessControlPolicy is the PutBucketAcl / PutObjectAcl body and the
// GetBucketAcl / GetObjectAcl response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html
type AccessControlPolicy struct {
	XMLName           xml.Name          `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccessControlPolicy"`
	Owner             Owner             `xml:"Owner"`
	AccessControlList AccessControlList `xml:"AccessControlList"`
}

// AccessControlList is the list of grants; S3 writes the element even when it
// holds no grant.
type AccessControlList []Grant

// MarshalXML writes the wrapper and one Grant element per grant.
func (l AccessControlList) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeList(e, start, "Grant", l)
}

// UnmarshalXML reads the Grant children of the wrapper.
func (l *AccessControlList) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	return decodeList(d, "Grant", (*[]Grant)(l))
}

// Grant gives one permission to one grantee.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Grant.html
type Grant struct {
	Grantee    *Grantee `xml:"Grantee"`
	Permission string   `xml:"Permission"`
}

// Grantee is the subject of a Grant. Type is the xsi:type attribute; which of
// ID, EmailAddress and URI is set depends on it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Grantee.html
type Grantee struct {
	Type         string
	ID           string
	DisplayName  string
	EmailAddress string
	URI          string
}

// granteeBody is the element content of a Grantee, in S3's order.
type granteeBody struct {
	ID           string `xml:"ID,omitempty"`
	DisplayName  string `xml:"DisplayName,omitempty"`
	EmailAddress string `xml:"EmailAddress,omitempty"`
	URI          string `xml:"URI,omitempty"`
}

// MarshalXML writes the Grantee with the namespace declaration and xsi:type
// attribute on the element itself, byte for byte as S3 does:
// <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">.
// encoding/xml cannot produce a prefixed attribute, so both are written as
// plain names. Clients depend on the prefix being declared on this element:
// the AWS SDKs resolve xsi:type against declarations of the same element.
func (g Grantee) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = []xml.Attr{
		{Name: xml.Name{Local: "xmlns:xsi"}, Value: xsiNamespace},
		{Name: xml.Name{Local: "xsi:type"}, Value: g.Type},
	}
	return e.EncodeElement(granteeBody{g.ID, g.DisplayName, g.EmailAddress, g.URI}, start)
}

// UnmarshalXML reads a Grantee. The type attribute is matched by namespace,
// so any prefix bound to the XML Schema instance namespace works; an
// undeclared "xsi" prefix is accepted too, as clients often leave it out.
func (g *Grantee) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var b granteeBody
	if err := d.DecodeElement(&b, &start); err != nil {
		return err
	}
	*g = Grantee{ID: b.ID, DisplayName: b.DisplayName, EmailAddress: b.EmailAddress, URI: b.URI}
	for _, a := range start.Attr {
		if a.Name.Local == "type" && (a.Name.Space == xsiNamespace || a.Name.Space == "xsi") {
			g.Type = a.Value
		}
	}
	return nil
}

// malformed makes Decode report ACL bodies as MalformedACLError.
func (*AccessControlPolicy) malformed() *awserr.Error { return MalformedACL() }

// Validate checks every grant: a known grantee type carrying the identifier
// that type needs (ID, URI or EmailAddress) and a known permission. S3 reports
// any of these as MalformedACLError.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
func (p *AccessControlPolicy) Validate() error {
	for _, g := range p.AccessControlList {
		if g.Grantee == nil || !oneOf(g.Permission, PermFullControl, PermWrite, PermWriteACP, PermRead, PermReadACP) {
			return MalformedACL()
		}
		var id string
		switch g.Grantee.Type {
		case GranteeCanonicalUser:
			id = g.Grantee.ID
		case GranteeGroup:
			id = g.Grantee.URI
		case GranteeEmail:
			id = g.Grantee.EmailAddress
		}
		if id == "" {
			return MalformedACL()
		}
	}
	return nil
}
