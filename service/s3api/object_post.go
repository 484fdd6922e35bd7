package s3api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/store"
)

func init() { register("PostObject", postObject) }

// postResponse is the body of a POST upload answered with
// success_action_status 201.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

// postFieldHeaders maps the form fields that stand for PutObject request
// headers to those headers. x-amz-* fields (metadata, encryption, storage
// class, grants, checksums) keep their name; see postHeaders.
var postFieldHeaders = map[string]string{
	"acl": "x-amz-acl", "content-type": "Content-Type", "cache-control": "Cache-Control",
	"content-disposition": "Content-Disposition", "content-encoding": "Content-Encoding", "expires": "Expires",
	"content-md5": "Content-MD5",
}

// postAuthFields are the form fields of the signature itself, which are no
// object headers.
var postAuthFields = map[string]bool{
	"x-amz-algorithm": true, "x-amz-credential": true, "x-amz-date": true, "x-amz-signature": true, "x-amz-security-token": true,
}

// postObject implements POST Object, the browser-based upload: a
// multipart/form-data body whose fields stand for PutObject's headers and
// whose base64 policy, signed with the SigV4 signing key of the credential
// field, bounds what the form may contain. Once the signature and the
// policy hold, the upload is an s3:PutObject by the credential's principal,
// authorized and stored as PutObject does.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
func postObject(q *request) {
	boundary, e := postBoundary(q.r.Header.Get("Content-Type"))
	if e != nil {
		q.fail(e)
		return
	}
	form, e := readPostForm(q.r.Body, boundary)
	if e != nil {
		q.fail(e)
		return
	}
	key, ok := form.fields["key"]
	if !ok {
		q.fail(awserr.New("InvalidArgument", http.StatusBadRequest, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.").
			With("ArgumentName", "key").With("ArgumentValue", ""))
		return
	}
	// ${filename} in the key stands for the name of the uploaded file.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
	key = strings.ReplaceAll(key, "${filename}", form.filename)
	var policy *postPolicy
	if b64, signed := form.fields["policy"]; signed {
		if policy, e = q.postAuthenticate(form.fields, b64); e != nil {
			q.fail(e)
			return
		}
		checked := make(map[string]string, len(form.fields))
		for k, v := range form.fields {
			checked[k] = v
		}
		// Conditions on $key see the key with ${filename} substituted.
		checked["key"] = key
		if e := policy.check(checked, q.bucket, q.Now); e != nil {
			q.fail(e)
			return
		}
	}
	q.key = key
	if e := checkKey(q.key); e != nil {
		q.fail(e)
		return
	}
	h, err := postHeaders(form.fields, q.r.Header)
	if q.done(err) {
		return
	}
	r := q.r.Clone(q.ctx)
	r.Header = h
	q.r = r
	q.storePost(form, policy)
}

// postAuthenticate verifies the policy's signature and makes the
// credential's principal the caller: S3 computes the HMAC-SHA256 of the
// base64 policy with the signing key of the credential's scope and
// compares it with x-amz-signature.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
func (q *request) postAuthenticate(fields map[string]string, b64 string) (*postPolicy, *awserr.Error) {
	if alg := fields["x-amz-algorithm"]; alg != sigv4.Algorithm {
		return nil, awserr.New("InvalidArgument", http.StatusBadRequest, "Only the AWS4-HMAC-SHA256 algorithm is supported for POST uploads.").
			With("ArgumentName", "x-amz-algorithm").With("ArgumentValue", alg)
	}
	cred := fields["x-amz-credential"]
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[0] == "" || parts[3] != "s3" || parts[4] != "aws4_request" {
		return nil, awserr.New("InvalidArgument", http.StatusBadRequest, "Invalid argument: x-amz-credential must be <key>/<date>/<region>/s3/aws4_request.").
			With("ArgumentName", "x-amz-credential").With("ArgumentValue", cred)
	}
	keyID, date, region := parts[0], parts[1], parts[2]
	if _, err := time.Parse("20060102", date); err != nil {
		return nil, awserr.New("InvalidArgument", http.StatusBadRequest, "Invalid argument: bad date in x-amz-credential.").
			With("ArgumentName", "x-amz-credential").With("ArgumentValue", cred)
	}
	if _, err := time.Parse("20060102T150405Z", fields["x-amz-date"]); err != nil {
		return nil, awserr.New("InvalidArgument", http.StatusBadRequest, "Invalid argument: x-amz-date must be YYYYMMDD'T'HHMMSS'Z'.").
			With("ArgumentName", "x-amz-date").With("ArgumentValue", fields["x-amz-date"])
	}
	var caller *inputs.Caller
	err := q.view(func(tx store.Tx) error {
		var err error
		caller, err = q.Compiler.ResolveKey(tx, keyID, q.RootSecret, q.Now)
		return err
	})
	if errors.Is(err, inputs.ErrUnknownKey) {
		return nil, awserr.InvalidAccessKeyID().With("AWSAccessKeyId", keyID)
	}
	if err != nil {
		return nil, awserr.InternalError()
	}
	mac := hmac.New(sha256.New, sigv4.SigningKey(caller.Secret, date, region, "s3"))
	mac.Write([]byte(b64))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(fields["x-amz-signature"]))) {
		return nil, awserr.SignatureDoesNotMatch().With("AWSAccessKeyId", keyID).With("StringToSign", b64)
	}
	// Temporary credentials must come with their session token, as in
	// server.authenticate for signed headers.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
	if caller.Token != "" || fields["x-amz-security-token"] != "" {
		if fields["x-amz-security-token"] != caller.Token {
			return nil, awserr.InvalidToken()
		}
		if caller.Expired {
			return nil, awserr.New("ExpiredToken", http.StatusBadRequest, "The provided token has expired.")
		}
	}
	policy, e := parsePostPolicy(b64)
	if e != nil {
		return nil, e
	}
	q.Caller = caller
	// s3:authType is POST for browser uploads.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html
	q.Auth = service.Auth{Type: "POST", SignatureVersion: sigv4.Algorithm, AccessKeyID: keyID, Region: region, Service: "s3"}
	if t, err := time.Parse("20060102T150405Z", fields["x-amz-date"]); err == nil {
		q.Auth.SignatureAge = q.Now.Sub(t).Milliseconds()
	}
	return policy, nil
}

// postHeaders builds the PutObject headers a form stands for: acl,
// Content-Type and the other content fields, x-amz-* fields but the
// signature's, and tagging (an XML Tagging document) as x-amz-tagging.
// x-amz-request-payer and x-amz-expected-bucket-owner may also come as
// request headers.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
func postHeaders(fields map[string]string, orig http.Header) (http.Header, error) {
	h := http.Header{}
	for _, k := range []string{"x-amz-request-payer", "x-amz-expected-bucket-owner"} {
		if v := orig.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	for name, v := range fields {
		switch {
		case postFieldHeaders[name] != "":
			h.Set(postFieldHeaders[name], v)
		case strings.HasPrefix(name, "x-amz-") && !postAuthFields[name]:
			h.Set(name, v)
		case name == "tagging":
			tags, err := decodeTagging([]byte(v))
			if err != nil {
				return nil, err
			}
			enc := url.Values{}
			for _, t := range tags {
				enc.Add(t.Key, t.Value)
			}
			h.Set("x-amz-tagging", enc.Encode())
		}
	}
	return h, nil
}

// storePost authorizes and stores the file as PutObject does, then
// answers as success_action_redirect or success_action_status ask.
func (q *request) storePost(form *postForm, policy *postPolicy) {
	ctx := writeContext(q)
	tags, err := requestTags(q.r.Header.Get("x-amz-tagging"), ctx)
	if q.done(err) {
		return
	}
	var plan *writePlan
	err = q.view(func(tx store.Tx) error {
		var err error
		plan, err = q.planWrite(tx, ctx, tags)
		return err
	})
	if q.done(err) {
		return
	}
	obj, e := q.newObject(plan)
	if e != nil {
		q.fail(e)
		return
	}
	if obj.SSE, err = q.sseWrite(plan.bucket, q.key); q.done(err) {
		return
	}
	sums, alg, err := bodyChecksums(q.r.Header, "")
	if q.done(err) {
		return
	}
	limit := q.putLimit()
	if policy != nil && policy.hasRange && policy.maxSize < limit {
		limit = policy.maxSize
	}
	data, n, e := q.writeObjectData(form.file, sums, limit, -1)
	if e != nil {
		q.fail(e)
		return
	}
	if policy != nil && policy.hasRange && n < policy.minSize {
		// content-length-range bounds the file from below too.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html#sigv4-PolicyConditions
		q.discard(data)
		q.fail(awserr.New("EntityTooSmall", http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed size").
			With("ProposedSize", strconv.FormatInt(n, 10)).With("MinSizeAllowed", strconv.FormatInt(policy.minSize, 10)))
		return
	}
	if !q.storeNewObject(obj, plan, writeConditions{}, data, n, sums, alg) {
		return
	}
	setNewVersionID(q.w.Header(), obj)
	sseHeaders(q.w.Header(), obj.SSE)
	q.postReply(form.fields, obj.ETag)
}

// postReply answers a stored upload: a 303 to success_action_redirect
// (with bucket, key and etag appended) when it is a valid URL, else
// success_action_status 200, 201 (with a PostResponse body) or, by default,
// 204.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
func (q *request) postReply(fields map[string]string, etag string) {
	h := q.w.Header()
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	location := scheme + "://" + q.r.Host + "/" + url.PathEscape(q.bucket) + "/" + escapeKey(q.key)
	h.Set("ETag", etag)
	h.Set("Location", location)
	redirect := fields["success_action_redirect"]
	if redirect == "" {
		redirect = fields["redirect"]
	}
	if u, err := url.Parse(redirect); redirect != "" && err == nil && u.Scheme != "" && u.Host != "" {
		v := u.Query()
		v.Set("bucket", q.bucket)
		v.Set("key", q.key)
		v.Set("etag", etag)
		u.RawQuery = v.Encode()
		h.Set("Location", u.String())
		q.w.WriteHeader(http.StatusSeeOther)
		return
	}
	switch fields["success_action_status"] {
	case "200":
		q.w.WriteHeader(http.StatusOK)
	case "201":
		_ = s3xml.Write(q.w, http.StatusCreated, &postResponse{Location: location, Bucket: q.bucket, Key: q.key, ETag: etag})
	default:
		q.w.WriteHeader(http.StatusNoContent)
	}
}

// escapeKey escapes each segment of a key for a URL path.
func escapeKey(k string) string {
	segs := strings.Split(k, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
