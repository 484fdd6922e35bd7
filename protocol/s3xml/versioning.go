package s3xml

import "encoding/xml"

// ListVersionsResult is the ListObjectVersions response. Entries holds the
// Version and DeleteMarker elements in S3's order (by key, then newest
// first), each entry's XMLName saying which it is.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html#API_ListObjectVersions_ResponseSyntax
type ListVersionsResult struct {
	XMLName             xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
	Name                string         `xml:"Name"`
	Prefix              string         `xml:"Prefix"`
	KeyMarker           string         `xml:"KeyMarker"`
	VersionIDMarker     string         `xml:"VersionIdMarker"`
	NextKeyMarker       string         `xml:"NextKeyMarker,omitempty"`
	NextVersionIDMarker string         `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int            `xml:"MaxKeys"`
	Delimiter           string         `xml:"Delimiter,omitempty"`
	EncodingType        string         `xml:"EncodingType,omitempty"`
	IsTruncated         bool           `xml:"IsTruncated"`
	Entries             []VersionEntry `xml:",any"`
	CommonPrefixes      []CommonPrefix `xml:"CommonPrefixes"`
}

// VersionEntry is one Version or DeleteMarker element (XMLName.Local is
// "Version" or "DeleteMarker"); a delete marker has no ETag, Size,
// checksum or storage class.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ObjectVersion.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerEntry.html
type VersionEntry struct {
	XMLName           xml.Name
	Key               string    `xml:"Key"`
	VersionID         string    `xml:"VersionId"`
	IsLatest          bool      `xml:"IsLatest"`
	LastModified      Timestamp `xml:"LastModified"`
	ETag              string    `xml:"ETag,omitempty"`
	ChecksumAlgorithm []string  `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string    `xml:"ChecksumType,omitempty"`
	Size              *int64    `xml:"Size,omitempty"`
	StorageClass      string    `xml:"StorageClass,omitempty"`
	Owner             *Owner    `xml:"Owner,omitempty"`
}

// EncodeURL applies encoding-type=url to the elements S3 encodes in a
// version listing (Delimiter, KeyMarker, Prefix, NextKeyMarker, Key and
// the common prefixes) and sets EncodingType.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html#API_ListObjectVersions_ResponseSyntax
func (l *ListVersionsResult) EncodeURL() {
	l.EncodingType = "url"
	l.Delimiter = URLEncode(l.Delimiter)
	l.KeyMarker = URLEncode(l.KeyMarker)
	l.Prefix = URLEncode(l.Prefix)
	l.NextKeyMarker = URLEncode(l.NextKeyMarker)
	for i := range l.Entries {
		l.Entries[i].Key = URLEncode(l.Entries[i].Key)
	}
	for i := range l.CommonPrefixes {
		l.CommonPrefixes[i].Prefix = URLEncode(l.CommonPrefixes[i].Prefix)
	}
}

// s3NS is the namespace of S3's XML.
const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// VersionElement is the XMLName of a VersionEntry: DeleteMarker for a
// delete marker, else Version.
func VersionElement(deleteMarker bool) xml.Name {
	if deleteMarker {
		return xml.Name{Space: s3NS, Local: "DeleteMarker"}
	}
	return xml.Name{Space: s3NS, Local: "Version"}
}
