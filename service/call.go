// Package service holds what every AWS service adapter shares: the Call a
// handler receives (who is calling, when, how the request was signed, the
// store) and the one way a handler asks the engine for a decision, which also
// logs it under the request ID.
package service

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/engine/explain"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
)

// Env is what the services share for the server's lifetime.
type Env struct {
	Store      store.Store
	Blobs      blob.Store
	Compiler   *inputs.Compiler
	Log        *decisionlog.Log
	Region     string
	RootSecret string
	// MaxObjectSize bounds a single PUT body (S3 allows 5 GiB).
	MaxObjectSize int64
}

// Auth describes how the request was authenticated, for S3's condition keys.
type Auth struct {
	// Type is s3:authType: REST-HEADER, REST-QUERY-STRING or POST; "" for
	// anonymous requests.
	Type string
	// SignatureVersion is s3:signatureversion (AWS4-HMAC-SHA256).
	SignatureVersion string
	// SignatureAge is s3:signatureAge in milliseconds.
	SignatureAge int64
	// ContentSHA256 is the x-amz-content-sha256 header value.
	ContentSHA256 string
	AccessKeyID   string
	Region        string
	Service       string
}

// Call is one request as a service handler sees it.
type Call struct {
	*Env
	RequestID string
	HostID    string
	Now       time.Time
	Caller    *inputs.Caller
	Auth      Auth
	HTTP      *http.Request
	// Endpoint is set when the request arrived through a VPC endpoint's
	// listener; EndpointID names it.
	Endpoint   *authz.PolicyRef
	EndpointID string
	// EndpointVPC is the VPC of that endpoint.
	EndpointVPC string
}

// BaseContext returns the request's global condition keys.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (c *Call) BaseContext() condition.Map {
	m := condition.Map{}
	r := c.HTTP
	m["aws:currenttime"] = []string{c.Now.UTC().Format(time.RFC3339)}
	m["aws:epochtime"] = []string{strconv.FormatInt(c.Now.Unix(), 10)}
	secure := r.TLS != nil
	m["aws:securetransport"] = []string{strconv.FormatBool(secure)}
	m["aws:requestedregion"] = []string{c.Region}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if c.Endpoint == nil {
			m["aws:sourceip"] = []string{host}
		} else {
			// Through a VPC endpoint AWS sees the private address, not a
			// public one: aws:VpcSourceIp instead of aws:SourceIp.
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpcsourceip
			m["aws:vpcsourceip"] = []string{host}
		}
	}
	if c.Endpoint != nil {
		m["aws:sourcevpce"] = []string{c.EndpointID}
		if c.EndpointVPC != "" {
			m["aws:sourcevpc"] = []string{c.EndpointVPC}
		}
	}
	if ua := r.Header.Get("User-Agent"); ua != "" {
		m["aws:useragent"] = []string{ua}
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		m["aws:referer"] = []string{ref}
	}
	m["aws:viaawsservice"] = []string{"false"}
	if c.Auth.Type != "" {
		m["s3:authtype"] = []string{c.Auth.Type}
		m["s3:signatureversion"] = []string{c.Auth.SignatureVersion}
		m["s3:signatureage"] = []string{strconv.FormatInt(c.Auth.SignatureAge, 10)}
	}
	if c.Auth.ContentSHA256 != "" {
		m["s3:x-amz-content-sha256"] = []string{c.Auth.ContentSHA256}
	}
	if r.TLS != nil {
		m["s3:tlsversion"] = []string{tlsVersion(r.TLS.Version)}
	}
	return m
}

func tlsVersion(v uint16) string {
	switch v {
	case 0x0304:
		return "1.3"
	case 0x0303:
		return "1.2"
	case 0x0302:
		return "1.1"
	}
	return "1.0"
}

// Decide asks the engine and logs the decision under the request ID. A
// denial is decided a second time with the trace on, so the log can explain
// it; tracing never changes a decision (a property test guards that).
func (c *Call) Decide(req *authz.Request, in *authz.Inputs) authz.Decision {
	if c.Endpoint != nil && in.Endpoint == nil {
		in.Endpoint, in.EndpointID = c.Endpoint, c.EndpointID
	}
	d := authz.Decide(req, in, authz.Options{})
	logged := d
	if !d.Allowed {
		logged = authz.Decide(req, in, authz.Options{Trace: true})
	}
	if c.Log != nil {
		e := explain.NewRecord(req, in, &logged)
		e.RequestID, e.Time = c.RequestID, c.Now
		if c.Endpoint != nil {
			e.EndpointID = c.EndpointID
		}
		c.Log.Add(e)
	}
	return d
}

// IsLoopback reports whether a host is a loopback name or address.
func IsLoopback(host string) bool {
	h := strings.ToLower(host)
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "::1"
}
