package s3xml

import "encoding/xml"

// ListBucketResult is the ListObjects (version 1) response. Name, Prefix,
// Marker, MaxKeys and IsTruncated are always written, even when empty.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
type ListBucketResult struct {
	XMLName        xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name           string         `xml:"Name"`
	Prefix         string         `xml:"Prefix"`
	Marker         string         `xml:"Marker"`
	NextMarker     string         `xml:"NextMarker,omitempty"`
	MaxKeys        int            `xml:"MaxKeys"`
	Delimiter      string         `xml:"Delimiter,omitempty"`
	EncodingType   string         `xml:"EncodingType,omitempty"`
	IsTruncated    bool           `xml:"IsTruncated"`
	Contents       []Object       `xml:"Contents"`
	CommonPrefixes []CommonPrefix `xml:"CommonPrefixes"`
}

// ListBucketResultV2 is the ListObjectsV2 response; its root element is also
// ListBucketResult. Name, Prefix, KeyCount, MaxKeys and IsTruncated are always
// written. The order (tokens and StartAfter before KeyCount, EncodingType
// after Delimiter and before IsTruncated) is S3's output.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
type ListBucketResultV2 struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	KeyCount              int            `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	Contents              []Object       `xml:"Contents"`
	CommonPrefixes        []CommonPrefix `xml:"CommonPrefixes"`
}

// Object is one Contents entry of a listing. ChecksumAlgorithm is a flattened
// list. Owner is present in version 1 listings and in version 2 listings made
// with fetch-owner=true.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html
type Object struct {
	Key               string    `xml:"Key"`
	LastModified      Timestamp `xml:"LastModified"`
	ETag              string    `xml:"ETag"`
	ChecksumAlgorithm []string  `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string    `xml:"ChecksumType,omitempty"`
	Size              int64     `xml:"Size"`
	Owner             *Owner    `xml:"Owner,omitempty"`
	StorageClass      string    `xml:"StorageClass"`
}

// CommonPrefix is one CommonPrefixes entry of a listing.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CommonPrefix.html
type CommonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// EncodeURL applies encoding-type=url to the elements S3 encodes in a
// version 1 listing (Delimiter, Marker, Prefix, NextMarker, Key and the
// common prefixes) and sets EncodingType.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html#API_ListObjects_ResponseSyntax
func (l *ListBucketResult) EncodeURL() {
	l.EncodingType = "url"
	l.Delimiter = URLEncode(l.Delimiter)
	l.Marker = URLEncode(l.Marker)
	l.Prefix = URLEncode(l.Prefix)
	l.NextMarker = URLEncode(l.NextMarker)
	encodeKeys(l.Contents, l.CommonPrefixes)
}

// EncodeURL applies encoding-type=url to the elements S3 encodes in a
// version 2 listing (Delimiter, Prefix, Key, StartAfter and the common
// prefixes; continuation tokens are opaque and left alone) and sets
// EncodingType.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_ResponseSyntax
func (l *ListBucketResultV2) EncodeURL() {
	l.EncodingType = "url"
	l.Delimiter = URLEncode(l.Delimiter)
	l.Prefix = URLEncode(l.Prefix)
	l.StartAfter = URLEncode(l.StartAfter)
	encodeKeys(l.Contents, l.CommonPrefixes)
}

func encodeKeys(objs []Object, prefixes []CommonPrefix) {
	for i := range objs {
		objs[i].Key = URLEncode(objs[i].Key)
	}
	for i := range prefixes {
		prefixes[i].Prefix = URLEncode(prefixes[i].Prefix)
	}
}
