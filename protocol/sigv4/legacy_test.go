package sigv4

import (
	"cmp"
	"crypto/hmac"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file freezes the verification path as it was before signing keys were
// cached and the canonical request was built in one buffer. It serves two
// purposes: the benchmarks run it next to the current code in the same
// binary (BenchmarkVerify*/legacy), and the equivalence tests and
// FuzzCanonicalMatchesLegacy check that the current code builds byte-for-byte
// the same canonical requests and reaches the same verdicts. Do not
// "improve" it: it is the reference.

// legacyVerify is Verify before the optimizations.
func (s *Signature) legacyVerify(r *http.Request, secret string, now time.Time) error {
	if err := s.checkTime(now); err != nil {
		return err
	}
	if s3Style(s.Service) {
		if names := legacyUnsignedHeaders(r, s.SignedHeaders); len(names) > 0 {
			return errHeadersNotSigned(names)
		}
	}
	if s.PayloadHash == "" {
		sum, err := hashBody(r)
		if err != nil {
			return err
		}
		s.PayloadHash, s.bodyRead = sum, true
	}

	key := signingKey(secret, s.ScopeDate(), s.Region, s.Service)
	amzDate := s.Date.UTC().Format(TimeFormat)
	creqs := s.legacyCanonicalRequests(r)
	for _, creq := range creqs {
		sts := stringToSign(amzDate, s.Scope, creq)
		if hmac.Equal([]byte(hexHMAC(key, sts)), []byte(s.Signature)) {
			s.canonical = creq
			return nil
		}
	}
	return errSignatureMismatch(s.Service, s.AccessKeyID, stringToSign(amzDate, s.Scope, creqs[0]), s.Signature, creqs[0])
}

func (s *Signature) legacyCanonicalRequests(r *http.Request) []string {
	query := legacyCanonicalQuery(rawQuery(r), s.Presigned)
	headers := legacyCanonicalHeaders(r, s.SignedHeaders)
	signed := strings.Join(s.SignedHeaders, ";")
	uris := legacyCanonicalURIs(r, s.Service)
	out := make([]string, len(uris))
	for i, uri := range uris {
		out[i] = legacyCanonicalRequest(r.Method, uri, query, headers, signed, s.PayloadHash)
	}
	return out
}

func legacyUnsignedHeaders(r *http.Request, signed []string) []string {
	var missing []string
	if !slices.Contains(signed, "host") {
		missing = append(missing, "host")
	}
	for k := range r.Header {
		if len(k) < 6 || !strings.EqualFold(k[:6], "x-amz-") {
			continue
		}
		name := strings.ToLower(k)
		if !slices.Contains(signed, name) && !slices.Contains(missing, name) {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}

func legacyCanonicalRequest(method, uri, query, headers, signedHeaders, payload string) string {
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

func legacyCanonicalURIs(r *http.Request, service string) []string {
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

func legacyCanonicalQuery(rawQuery string, presigned bool) string {
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

func legacyCanonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		legacyWriteHeaderValue(&b, r, name)
		b.WriteByte('\n')
	}
	return b.String()
}

func legacyWriteHeaderValue(b *strings.Builder, r *http.Request, name string) {
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
		legacyWriteTrimmed(b, v)
	}
}

func legacyWriteTrimmed(b *strings.Builder, v string) {
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
