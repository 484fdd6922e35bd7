package s3xml

import "encoding/xml"

// Checksums are the additional checksums S3 reports for objects and parts,
// each base64-encoded; only the ones computed are written.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
type Checksums struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
}

// CopyObjectResult is the CopyObject response. LastModified comes first, as
// in the operation's example response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
type CopyObjectResult struct {
	XMLName      xml.Name  `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	LastModified Timestamp `xml:"LastModified"`
	ETag         string    `xml:"ETag"`
	ChecksumType string    `xml:"ChecksumType,omitempty"`
	Checksums
}

// CopyPartResult is the UploadPartCopy response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
type CopyPartResult struct {
	XMLName      xml.Name  `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	LastModified Timestamp `xml:"LastModified"`
	ETag         string    `xml:"ETag"`
	Checksums
}

// InitiateMultipartUploadResult is the CreateMultipartUpload response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
type InitiateMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

// MaxPartNumber is the highest part number S3 accepts.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const MaxPartNumber = 10000

// CompleteMultipartUpload is the CompleteMultipartUpload request body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
type CompleteMultipartUpload struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUpload"`
	Parts   []CompletedPart `xml:"Part"`
}

// CompletedPart names one uploaded part by number and ETag.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompletedPart.html
type CompletedPart struct {
	ETag       string `xml:"ETag"`
	PartNumber int    `xml:"PartNumber"`
	Checksums
}

// Validate checks that the body lists at least one part (MalformedXML) and
// that part numbers strictly ascend (InvalidPartOrder: "Parts must be ordered
// by part number", API_CompleteMultipartUpload.html). Whether the parts exist
// is for the caller.
func (c *CompleteMultipartUpload) Validate() error {
	if len(c.Parts) == 0 {
		return MalformedXML()
	}
	for i := 1; i < len(c.Parts); i++ {
		if c.Parts[i].PartNumber <= c.Parts[i-1].PartNumber {
			return InvalidPartOrder()
		}
	}
	return nil
}

// CompleteMultipartUploadResult is the CompleteMultipartUpload response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html#API_CompleteMultipartUpload_ResponseSyntax
type CompleteMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
	Checksums
	ChecksumType string `xml:"ChecksumType,omitempty"`
}

// ListPartsResult is the ListParts response, in the order of the operation's
// example response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
type ListPartsResult struct {
	XMLName              xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string   `xml:"Bucket"`
	Key                  string   `xml:"Key"`
	UploadID             string   `xml:"UploadId"`
	Initiator            Owner    `xml:"Initiator"`
	Owner                Owner    `xml:"Owner"`
	StorageClass         string   `xml:"StorageClass"`
	PartNumberMarker     int      `xml:"PartNumberMarker"`
	NextPartNumberMarker int      `xml:"NextPartNumberMarker"`
	MaxParts             int      `xml:"MaxParts"`
	IsTruncated          bool     `xml:"IsTruncated"`
	Parts                []Part   `xml:"Part"`
	ChecksumAlgorithm    string   `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string   `xml:"ChecksumType,omitempty"`
}

// Part is one entry of ListPartsResult.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Part.html
type Part struct {
	PartNumber   int       `xml:"PartNumber"`
	LastModified Timestamp `xml:"LastModified"`
	ETag         string    `xml:"ETag"`
	Size         int64     `xml:"Size"`
	Checksums
}

// ListMultipartUploadsResult is the ListMultipartUploads response, in the
// order of the operation's example responses.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
type ListMultipartUploadsResult struct {
	XMLName            xml.Name          `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string            `xml:"Bucket"`
	KeyMarker          string            `xml:"KeyMarker"`
	UploadIDMarker     string            `xml:"UploadIdMarker"`
	NextKeyMarker      string            `xml:"NextKeyMarker"`
	NextUploadIDMarker string            `xml:"NextUploadIdMarker"`
	Delimiter          string            `xml:"Delimiter,omitempty"`
	Prefix             string            `xml:"Prefix,omitempty"`
	MaxUploads         int               `xml:"MaxUploads"`
	IsTruncated        bool              `xml:"IsTruncated"`
	Uploads            []MultipartUpload `xml:"Upload"`
	CommonPrefixes     []CommonPrefix    `xml:"CommonPrefixes"`
	EncodingType       string            `xml:"EncodingType,omitempty"`
}

// MultipartUpload is one Upload entry of ListMultipartUploadsResult.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_MultipartUpload.html
type MultipartUpload struct {
	Key               string    `xml:"Key"`
	UploadID          string    `xml:"UploadId"`
	Initiator         Owner     `xml:"Initiator"`
	Owner             Owner     `xml:"Owner"`
	StorageClass      string    `xml:"StorageClass"`
	Initiated         Timestamp `xml:"Initiated"`
	ChecksumAlgorithm string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string    `xml:"ChecksumType,omitempty"`
}

// EncodeURL applies encoding-type=url to the elements S3 encodes in this
// listing (Delimiter, KeyMarker, Prefix, NextKeyMarker, Key and the common
// prefixes) and sets EncodingType.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html#API_ListMultipartUploads_ResponseSyntax
func (l *ListMultipartUploadsResult) EncodeURL() {
	l.EncodingType = "url"
	l.Delimiter = URLEncode(l.Delimiter)
	l.KeyMarker = URLEncode(l.KeyMarker)
	l.Prefix = URLEncode(l.Prefix)
	l.NextKeyMarker = URLEncode(l.NextKeyMarker)
	for i := range l.Uploads {
		l.Uploads[i].Key = URLEncode(l.Uploads[i].Key)
	}
	for i := range l.CommonPrefixes {
		l.CommonPrefixes[i].Prefix = URLEncode(l.CommonPrefixes[i].Prefix)
	}
}
