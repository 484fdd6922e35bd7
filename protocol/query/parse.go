// Package query is the AWS Query protocol used by IAM, STS and EC2: request
// parameters as a form (GET query string or POST body), and XML responses
// wrapped in {Action}Response.
//
// Lists and structures are flattened into numbered parameter names. IAM and
// STS put a ".member" step before the index (Tags.member.1.Key,
// PolicyArns.member.1.arn); EC2 does not (Filter.1.Name, VpcEndpointId.1).
// Values.List and Values.Structs take the prefix up to the index, so callers
// write the step their service uses.
// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonParameters.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
package query

import (
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// DefaultLimit is the form size Parse allows when given a limit of zero or
// less: enough for the largest IAM request (a 131,072-character policy
// document, percent-encoded) with room to spare.
const DefaultLimit int64 = 1 << 20

// Values holds the parameters of one request, keyed by name; a name given
// twice keeps both values in order. Build one in tests as a literal.
type Values map[string][]string

// Parse reads the parameters of a Query-protocol request: the URL query
// string for any method and, for POST, a form-encoded body of at most limit
// bytes. Body parameters come before query-string parameters of the same
// name. A POST body with a Content-Type other than
// application/x-www-form-urlencoded is not read, as it is not a Query form.
//
// Errors (*awserr.Error): MalformedQueryString for bad percent-encoding or
// separators; InvalidQueryParameter for a form over the limit; the error of
// the body reader when it is an *awserr.Error, else MalformedQueryString.
func Parse(r *http.Request, limit int64) (Values, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	v := Values{}
	if r.Method == http.MethodPost && r.Body != nil && isForm(r.Header.Get("Content-Type")) {
		body, err := io.ReadAll(io.LimitReader(r.Body, readLimit(limit)))
		if err != nil {
			if ae, ok := err.(*awserr.Error); ok {
				return nil, ae
			}
			return nil, MalformedQueryString()
		}
		if int64(len(body)) > limit {
			return nil, InvalidQueryParameter()
		}
		if err := v.add(string(body)); err != nil {
			return nil, err
		}
	}
	if int64(len(r.URL.RawQuery)) > limit {
		return nil, InvalidQueryParameter()
	}
	if err := v.add(r.URL.RawQuery); err != nil {
		return nil, err
	}
	return v, nil
}

func isForm(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func (v Values) add(form string) error {
	parsed, err := url.ParseQuery(form)
	if err != nil {
		return MalformedQueryString()
	}
	for k, vals := range parsed {
		v[k] = append(v[k], vals...)
	}
	return nil
}

// Get returns the first value of name, or "".
func (v Values) Get(name string) string {
	if vals := v[name]; len(vals) > 0 {
		return vals[0]
	}
	return ""
}

// Has reports whether name was given, even with an empty value.
func (v Values) Has(name string) bool {
	_, ok := v[name]
	return ok
}

// Action returns the Action parameter.
func (v Values) Action() string { return v.Get("Action") }

// Version returns the Version parameter (2010-05-08 for IAM, 2011-06-15 for
// STS, 2016-11-15 for EC2).
func (v Values) Version() string { return v.Get("Version") }

// List returns the values of prefix.1, prefix.2, … in index order. Indexes
// must be positive decimal numbers without leading zeros; other names are
// ignored, and so are gaps (members 1 and 3 give a list of two). For IAM pass
// "ClientIDList.member"; for EC2 pass "VpcEndpointId".
func (v Values) List(prefix string) []string {
	type item struct {
		n int
		s string
	}
	var items []item
	for k, vals := range v {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		if n, ok := index(rest); ok {
			items = append(items, item{n, vals[0]})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return a.n - b.n })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.s
	}
	return out
}

// Structs returns the members of a list of structures, in index order: for
// prefix "Tags.member", the parameters Tags.member.1.Key and
// Tags.member.1.Value become Values{"Key": …, "Value": …} in the first
// element. Nested lists stay flattened inside each element (EC2's
// Filter.1.Value.1 is List("Value") of the first of Structs("Filter")).
// Index rules are those of List.
func (v Values) Structs(prefix string) []Values {
	groups := map[int]Values{}
	for k, vals := range v {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		num, field, ok := strings.Cut(rest, ".")
		if !ok || field == "" {
			continue
		}
		n, ok := index(num)
		if !ok {
			continue
		}
		g := groups[n]
		if g == nil {
			g = Values{}
			groups[n] = g
		}
		g[field] = vals
	}
	keys := make([]int, 0, len(groups))
	for n := range groups {
		keys = append(keys, n)
	}
	slices.Sort(keys)
	out := make([]Values, len(keys))
	for i, n := range keys {
		out[i] = groups[n]
	}
	return out
}

// Map returns a Query map: the structures under prefix, each giving one entry
// from its keyName and valueName members (for example
// Map("Attributes.entry", "key", "value")). A later entry with the same key
// replaces an earlier one.
func (v Values) Map(prefix, keyName, valueName string) map[string]string {
	structs := v.Structs(prefix)
	if len(structs) == 0 {
		return nil
	}
	m := make(map[string]string, len(structs))
	for _, s := range structs {
		m[s.Get(keyName)] = s.Get(valueName)
	}
	return m
}

// index parses a list index: 1 to 999999999, no sign, no leading zero.
func index(s string) (int, bool) {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// readLimit is how much to read to tell a body of limit bytes from a longer
// one, without overflowing.
func readLimit(limit int64) int64 {
	if limit == math.MaxInt64 {
		return limit
	}
	return limit + 1
}
