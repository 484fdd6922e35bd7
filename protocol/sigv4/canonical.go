package sigv4

import (
	"cmp"
	"net/http"
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

// canonicalRequest joins the six parts.
func canonicalRequest(method, uri, query, headers, signedHeaders, payload string) string {
	var b strings.Builder
	b.Grow(len(method) + len(uri) + len(query) + len(headers) + len(signedHeaders) + len(payload) + 5)
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	b.WriteString(headers)
	b.WriteByte('\n')
	b.WriteString(signedHeaders)
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}

// canonicalURIs returns the canonical URI candidates for r, best first.
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
func canonicalURIs(r *http.Request, service string) []string {
	wire := wirePath(r)
	var out []string
	add := func(u string) {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	if s3Style(service) {
		add(wire)
		if dec, err := url.PathUnescape(wire); err == nil {
			add(uriEncode(dec, false))
		}
		return out
	}
	add(uriEncode(normalizePath(wire), false))
	add(uriEncode(wire, false))
	return out
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

// canonicalQuery sorts the query's parameters by encoded name, then encoded
// value, each URI-encoded with SigV4's rules. A name without "=" gets an
// empty value ("acl" becomes "acl="). For a presigned URL X-Amz-Signature
// itself is left out.
//
// "+" in the raw query is a space, as url.ParseQuery reads it (and as the AWS
// SDKs canonicalize it); the canonical form writes "%20".
func canonicalQuery(rawQuery string, presigned bool) string {
	if rawQuery == "" {
		return ""
	}
	type param struct{ name, value string }
	params := make([]param, 0, strings.Count(rawQuery, "&")+1)
	for piece := range strings.SplitSeq(rawQuery, "&") {
		if piece == "" {
			continue
		}
		name, value, _ := strings.Cut(piece, "=")
		name, value = queryUnescape(name), queryUnescape(value)
		if presigned && name == "X-Amz-Signature" {
			continue
		}
		params = append(params, param{uriEncode(name, true), uriEncode(value, true)})
	}
	slices.SortFunc(params, func(a, b param) int {
		if c := cmp.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.value, b.value)
	})
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
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

// canonicalHeaders renders "name:value\n" for every signed header, in the
// order the client listed them. Values are trimmed, runs of spaces become one
// space, and repeated headers are joined with commas in arrival order.
func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		writeHeaderValue(&b, r, name)
		b.WriteByte('\n')
	}
	return b.String()
}

// writeHeaderValue writes the canonical value of one signed header. Go's
// server moves Host, Content-Length (for chunked bodies) and
// Transfer-Encoding out of r.Header; they are read back from the request.
func writeHeaderValue(b *strings.Builder, r *http.Request, name string) {
	var values []string
	switch name {
	case "host":
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		values = []string{host}
	case "content-length":
		values = r.Header.Values("Content-Length")
		if len(values) == 0 && r.ContentLength >= 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	case "transfer-encoding":
		values = r.Header.Values("Transfer-Encoding")
		if len(values) == 0 && len(r.TransferEncoding) > 0 {
			values = []string{strings.Join(r.TransferEncoding, ",")}
		}
	default:
		values = r.Header.Values(name)
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
			b.WriteByte(',')
		}
		writeTrimmed(b, v)
	}
}

// writeTrimmed writes v without leading and trailing whitespace and with each
// run of spaces collapsed to one space.
func writeTrimmed(b *strings.Builder, v string) {
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
		b.WriteByte(c)
	}
}
