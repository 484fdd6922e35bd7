package sigv4

import (
	"cmp"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The canonical request, from
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// and, for S3's differences,
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html:
//
//	HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//
// where CanonicalHeaders ends with its own newline.

// canonicalURIs returns the canonical URI candidates for r, best first (see
// canonicalURICandidates).
func canonicalURIs(r *http.Request, service string) []string {
	uris, n := canonicalURICandidates(r, service)
	return uris[:n:n]
}

// canonicalURICandidates returns the n (one or two) canonical URI candidates
// for r, best first.
//
// S3 signs the path as the client encoded it, without normalizing it and
// without encoding it again, so the first candidate is the path exactly as it
// arrived on the wire. Clients disagree on which reserved characters they
// leave unescaped on the wire while escaping them in the signature (the
// S3 documentation's own PUT example sends "test$file.text" and signs
// "test%24file.text"), so the second candidate is the path decoded and
// re-encoded with SigV4's URI encoding.
//
// Every other service normalizes the path (RFC 3986 dot segments, repeated
// slashes) and URI-encodes the already-encoded path a second time; the first
// candidate does both, the second only encodes, as SDKs that do not normalize
// do.
//
// A second candidate equal to the first is dropped.
func canonicalURICandidates(r *http.Request, service string) (uris [2]string, n int) {
	wire := wirePath(r)
	add := func(u string) {
		if n == 0 || uris[0] != u {
			uris[n] = u
			n++
		}
	}
	if s3Style(service) {
		add(wire)
		// A path already in canonical form decodes and re-encodes to itself:
		// skip the work.
		if reencodesToItself(wire, false) {
			return uris, n
		}
		if dec, err := url.PathUnescape(wire); err == nil {
			add(uriEncode(dec, false))
		}
		return uris, n
	}
	add(uriEncode(normalizePath(wire), false))
	add(uriEncode(wire, false))
	return uris, n
}

// reencodesToItself reports, without allocating, whether decoding s
// (url.PathUnescape or url.QueryUnescape) and encoding the result again with
// uriEncode(_, encodeSlash) gives s back. It is true when s holds only
// unreserved characters, "/" (unless encodeSlash), and %XX escapes with
// uppercase hex digits of bytes that uriEncode escapes. It may be false for
// strings that do re-encode to themselves; callers then take the long way.
func reencodesToItself(s string, encodeSlash bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case unreserved(c), c == '/' && !encodeSlash:
		case c == '%' && i+2 < len(s) && upperHex(s[i+1]) && upperHex(s[i+2]):
			d := unhexUpper(s[i+1])<<4 | unhexUpper(s[i+2])
			if unreserved(d) || d == '/' && !encodeSlash {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

func upperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func unhexUpper(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'A' + 10
}

// wirePath returns the request path as the client sent it. On a server the
// request line is in r.RequestURI, which Go keeps verbatim; r.URL.EscapedPath
// may re-encode a path Go finds irregular. Requests built in-process (tests,
// proxies) have no RequestURI and fall back to the URL.
func wirePath(r *http.Request) string {
	p := r.RequestURI
	if p == "" || p == "*" {
		switch {
		case r.URL == nil:
			p = ""
		case r.URL.Opaque != "":
			// "//host/path" or "/path" kept opaque by the caller.
			p = r.URL.Opaque
			if strings.HasPrefix(p, "//") {
				p = p[2:]
				if i := strings.IndexByte(p, '/'); i >= 0 {
					p = p[i:]
				} else {
					p = ""
				}
			}
		default:
			p = r.URL.EscapedPath()
		}
	} else {
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		// Absolute-form request target, as sent to proxies: scheme://host/path.
		if !strings.HasPrefix(p, "/") {
			if i := strings.Index(p, "://"); i >= 0 {
				p = p[i+3:]
				if j := strings.IndexByte(p, '/'); j >= 0 {
					p = p[j:]
				} else {
					p = ""
				}
			}
		}
	}
	if p == "" {
		return "/"
	}
	return p
}

// normalizePath removes empty and dot segments as RFC 3986 section 5.2.4
// does, keeping a trailing slash. The result always starts with "/".
func normalizePath(p string) string {
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for _, seg := range segs {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	res := "/" + strings.Join(out, "/")
	if last := segs[len(segs)-1]; len(out) > 0 && (last == "" || last == "." || last == "..") {
		res += "/"
	}
	return res
}

// appendCanonicalQuery appends the canonical query string: the query's
// parameters sorted by encoded name, then encoded value, each URI-encoded with
// SigV4's rules. A name without "=" gets an empty value ("acl" becomes
// "acl="). For a presigned URL X-Amz-Signature itself is left out.
//
// "+" in the raw query is a space, as url.ParseQuery reads it (and as the AWS
// SDKs canonicalize it); the canonical form writes "%20".
func appendCanonicalQuery(dst []byte, rawQuery string, presigned bool) []byte {
	if rawQuery == "" {
		return dst
	}
	type param struct{ name, value string }
	var stack [16]param
	params := stack[:0]
	for piece := range strings.SplitSeq(rawQuery, "&") {
		if piece == "" {
			continue
		}
		name, value, _ := strings.Cut(piece, "=")
		params = append(params, param{canonicalQueryComponent(name), canonicalQueryComponent(value)})
		// The encoded name is "X-Amz-Signature" exactly when the decoded
		// one is: the name has no character that encoding would change.
		if presigned && params[len(params)-1].name == "X-Amz-Signature" {
			params = params[:len(params)-1]
		}
	}
	slices.SortFunc(params, func(a, b param) int {
		if c := cmp.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.value, b.value)
	})
	for i, p := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.name...)
		dst = append(dst, '=')
		dst = append(dst, p.value...)
	}
	return dst
}

// canonicalQueryComponent decodes one raw query component and encodes it
// with SigV4's rules, allocating only when the result differs from v.
func canonicalQueryComponent(v string) string {
	if reencodesToItself(v, true) {
		return v
	}
	return uriEncode(queryUnescape(v), true)
}

// queryUnescape decodes one query component; a component that is not valid
// percent-encoding is kept as sent, which makes the signature fail rather
// than silently dropping the parameter.
func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// uriEncode applies SigV4's UriEncode: every byte except the unreserved
// characters A-Z a-z 0-9 - . _ ~ becomes %XX with uppercase hex; "/" is kept
// unless encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) && (encodeSlash || s[i] != '/') {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexUpper = "0123456789ABCDEF"
	out := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (!encodeSlash && c == '/') {
			out = append(out, c)
			continue
		}
		out = append(out, '%', hexUpper[c>>4], hexUpper[c&15])
	}
	return string(out)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// appendCanonicalHeaders appends "name:value\n" for every signed header, in
// the order the client listed them. Values are trimmed, runs of spaces become
// one space, and repeated headers are joined with commas in arrival order.
func appendCanonicalHeaders(dst []byte, r *http.Request, signed []string) []byte {
	for _, name := range signed {
		dst = append(dst, name...)
		dst = append(dst, ':')
		dst = appendHeaderValue(dst, r, name)
		dst = append(dst, '\n')
	}
	return dst
}

// appendHeaderValue appends the canonical value of one signed header. Go's
// server moves Host, Content-Length (for chunked bodies) and
// Transfer-Encoding out of r.Header; they are read back from the request.
func appendHeaderValue(dst []byte, r *http.Request, name string) []byte {
	var values []string
	switch name {
	case "host":
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		return appendTrimmed(dst, host)
	case "content-length":
		values = r.Header.Values("Content-Length")
		if len(values) == 0 && r.ContentLength >= 0 {
			return strconv.AppendInt(dst, r.ContentLength, 10)
		}
	case "transfer-encoding":
		values = r.Header.Values("Transfer-Encoding")
		if len(values) == 0 && len(r.TransferEncoding) > 0 {
			values = []string{strings.Join(r.TransferEncoding, ",")}
		}
	default:
		values = r.Header[canonicalHeaderKey(name)]
		if len(values) == 0 {
			// Keys set directly in the map, not canonicalized.
			for k, v := range r.Header {
				if strings.EqualFold(k, name) {
					values = v
					break
				}
			}
		}
	}
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendTrimmed(dst, v)
	}
	return dst
}

// commonHeaderKeys maps the lowercase names clients usually sign to their
// canonical MIME form, computed once by textproto itself, so that looking
// them up in r.Header does not allocate a canonical key per request.
var commonHeaderKeys = func() map[string]string {
	m := make(map[string]string)
	for _, name := range []string{
		"content-type", "content-md5", "content-encoding", "content-disposition", "content-language",
		"cache-control", "expires", "date", "range", "expect",
		"if-match", "if-none-match", "if-modified-since", "if-unmodified-since",
		"amz-sdk-invocation-id", "amz-sdk-request",
		"x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "x-amz-user-agent", "x-amz-target",
		"x-amz-decoded-content-length", "x-amz-trailer", "x-amz-sdk-checksum-algorithm",
		"x-amz-checksum-algorithm", "x-amz-checksum-crc32", "x-amz-checksum-crc32c",
		"x-amz-checksum-crc64nvme", "x-amz-checksum-sha1", "x-amz-checksum-sha256", "x-amz-checksum-mode",
		"x-amz-acl", "x-amz-storage-class", "x-amz-tagging", "x-amz-copy-source", "x-amz-metadata-directive",
		"x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
		"x-amz-request-payer", "x-amz-expected-bucket-owner", "x-amz-api-version",
		"x-amz-object-ownership", "x-amz-bucket-object-lock-enabled",
	} {
		m[name] = textproto.CanonicalMIMEHeaderKey(name)
	}
	return m
}()

// canonicalHeaderKey is textproto.CanonicalMIMEHeaderKey (the key
// http.Header.Values looks up), without allocating for common names.
func canonicalHeaderKey(name string) string {
	if k, ok := commonHeaderKeys[name]; ok {
		return k
	}
	return textproto.CanonicalMIMEHeaderKey(name)
}

// appendTrimmed appends v without leading and trailing whitespace and with
// each run of spaces collapsed to one space.
func appendTrimmed(dst []byte, v string) []byte {
	v = strings.TrimSpace(v)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		dst = append(dst, c)
	}
	return dst
}
