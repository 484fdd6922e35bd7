package s3api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// maxPostPreData is how many bytes of form fields may precede the file
// field of a POST upload: 20 KB.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
const maxPostPreData = 20 << 10

// postPreSlack is how many more raw bytes (boundaries, part headers, the
// multipart reader's look-ahead) may be read before the file part starts.
const postPreSlack = 64 << 10

// postForm is the part of a POST upload form that precedes the file: the
// fields keyed by lower-cased name (names are case-insensitive), and the
// file part, positioned at its first byte. Whatever follows the file is
// never read: S3 ignores it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
type postForm struct {
	fields   map[string]string
	filename string
	file     io.Reader
}

func malformedPost() *awserr.Error {
	return awserr.New("MalformedPOSTRequest", http.StatusBadRequest, "The body of your POST request is not well-formed multipart/form-data.")
}

// postBoundary returns the multipart boundary of a POST upload's
// Content-Type; any other type is S3's 412 PreconditionFailed.
func postBoundary(contentType string) (string, *awserr.Error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return "", awserr.New("PreconditionFailed", http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold").
			With("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")
	}
	return params["boundary"], nil
}

// preLimit fails reads beyond n bytes until lifted, bounding what the
// multipart reader buffers for the fields before the file.
type preLimit struct {
	r      io.Reader
	n      int64
	lifted bool
}

var errPreData = errors.New("post fields too large")

func (l *preLimit) Read(p []byte) (int, error) {
	if l.lifted {
		return l.r.Read(p)
	}
	if l.n <= 0 {
		return 0, errPreData
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

func preDataTooLarge() *awserr.Error {
	return awserr.New("MaxPostPreDataLengthExceeded", http.StatusBadRequest, "Your POST request fields preceeding the upload file was too large.").
		With("MaxPostPreDataLength", "20480")
}

// readPostForm reads the fields of a multipart/form-data body up to and
// including the headers of the field named "file", which must come last
// among the fields that count. Field values together may not exceed
// maxPostPreData bytes; a repeated field, a missing file or a malformed
// body is a typed error.
func readPostForm(body io.Reader, boundary string) (*postForm, *awserr.Error) {
	lim := &preLimit{r: body, n: maxPostPreData + postPreSlack}
	mr := multipart.NewReader(lim, boundary)
	f := &postForm{fields: map[string]string{}}
	budget := int64(maxPostPreData)
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, errPreData) {
			return nil, preDataTooLarge()
		}
		if err == io.EOF {
			return nil, awserr.New("InvalidArgument", http.StatusBadRequest, "POST requires exactly one file upload per request.").
				With("ArgumentName", "file").With("ArgumentValue", "0")
		}
		if err != nil {
			return nil, malformedPost()
		}
		name, filename, ok := partNames(part)
		if !ok {
			return nil, malformedPost()
		}
		name = strings.ToLower(name)
		if name == "file" {
			lim.lifted = true
			f.filename, f.file = filename, part
			return f, nil
		}
		if _, dup := f.fields[name]; dup {
			return nil, awserr.New("InvalidArgument", http.StatusBadRequest, "POST form fields must not repeat.").
				With("ArgumentName", name)
		}
		v, err := io.ReadAll(io.LimitReader(part, budget+1))
		if errors.Is(err, errPreData) || int64(len(v)) > budget {
			return nil, preDataTooLarge()
		}
		if err != nil {
			return nil, malformedPost()
		}
		budget -= int64(len(v))
		f.fields[name] = string(v)
	}
}

// partNames reads the form-data name and filename of a part from its
// Content-Disposition, keeping the filename exactly as sent (the multipart
// package's FileName would strip directories).
func partNames(p *multipart.Part) (name, filename string, ok bool) {
	d, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil || d != "form-data" || params["name"] == "" {
		return "", "", false
	}
	return params["name"], params["filename"], true
}
