package s3xml

import "encoding/xml"

// MaxDeleteObjects is the most keys one DeleteObjects request may name.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
const MaxDeleteObjects = 1000

// Delete is the DeleteObjects request body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Delete.html
type Delete struct {
	XMLName xml.Name           `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Delete"`
	Objects []ObjectIdentifier `xml:"Object"`
	Quiet   bool               `xml:"Quiet,omitempty"`
}

// ObjectIdentifier names one object to delete; ETag, LastModifiedTime and
// Size make the delete conditional.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ObjectIdentifier.html
type ObjectIdentifier struct {
	Key              string     `xml:"Key"`
	VersionID        string     `xml:"VersionId,omitempty"`
	ETag             string     `xml:"ETag,omitempty"`
	LastModifiedTime *Timestamp `xml:"LastModifiedTime,omitempty"`
	Size             *int64     `xml:"Size,omitempty"`
}

// Validate checks the key count: S3 answers MalformedXML both for an empty
// Delete and for one naming more than MaxDeleteObjects keys ("The request can
// contain a list of up to 1,000 keys", API_DeleteObjects.html).
func (d *Delete) Validate() error {
	if len(d.Objects) == 0 || len(d.Objects) > MaxDeleteObjects {
		return MalformedXML()
	}
	return nil
}

// DeleteResult is the DeleteObjects response. S3 omits Deleted entries in
// quiet mode.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html#API_DeleteObjects_ResponseSyntax
type DeleteResult struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []DeletedObject `xml:"Deleted"`
	Errors  []DeleteError   `xml:"Error"`
}

// DeletedObject reports one successful delete.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeletedObject.html
type DeletedObject struct {
	Key                   string `xml:"Key"`
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:"DeleteMarker,omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

// DeleteError reports one failed delete with its S3 error code.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Error.html
type DeleteError struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}
