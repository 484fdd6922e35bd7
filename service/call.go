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
	// Every request builds this map, so its one-element values share one
	// backing array: two allocations instead of one per key.
	m := make(condition.Map, 20)
	vals := make([]string, 0, 16)
	set := func(k, v string) {
		vals = append(vals, v)
		m[k] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	r := c.HTTP
	set("aws:currenttime", c.Now.UTC().Format(time.RFC3339))
	set("aws:epochtime", strconv.FormatInt(c.Now.Unix(), 10))
	secure := r.TLS != nil
	set("aws:securetransport", strconv.FormatBool(secure))
	set("aws:requestedregion", c.Region)
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if c.Endpoint == nil {
			set("aws:sourceip", host)
		} else {
			// Through a VPC endpoint AWS sees the private address, not a
			// public one: aws:VpcSourceIp instead of aws:SourceIp.
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpcsourceip
			set("aws:vpcsourceip", host)
		}
	}
	if c.Endpoint != nil {
		set("aws:sourcevpce", c.EndpointID)
		if c.EndpointVPC != "" {
			set("aws:sourcevpc", c.EndpointVPC)
		}
	}
	if ua := r.Header.Get("User-Agent"); ua != "" {
		set("aws:useragent", ua)
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		set("aws:referer", ref)
	}
	set("aws:viaawsservice", "false")
	if c.Auth.Type != "" {
		set("s3:authtype", c.Auth.Type)
		set("s3:signatureversion", c.Auth.SignatureVersion)
		set("s3:signatureage", strconv.FormatInt(c.Auth.SignatureAge, 10))
	}
	if c.Auth.ContentSHA256 != "" {
		set("s3:x-amz-content-sha256", c.Auth.ContentSHA256)
	}
	if r.TLS != nil {
		set("s3:tlsversion", tlsVersion(r.TLS.Version))
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
