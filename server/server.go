// Package server is verdict's HTTP front door: one listener for every service.
// It assigns request IDs, authenticates SigV4 (header and presigned), resolves
// the caller, and routes to the service named by the credential scope (s3,
// iam, sts, kms, organizations, ec2, s3control). Unsigned requests are S3
// requests by the anonymous principal, but for STS's
// AssumeRoleWithWebIdentity, which callers make without credentials.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/s3controlapi"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Handler is a service adapter.
type Handler interface {
	ServeAWS(w http.ResponseWriter, c *service.Call)
}

// Server routes requests to the services.
type Server struct {
	env      *service.Env
	now      func() time.Time
	services map[string]Handler
	Logger   *slog.Logger
	// accounts remembers the root keys already seen, so each account is
	// recorded once.
	accounts sync.Map
}

// New returns a server over env. now is the clock (time.Now in production).
func New(env *service.Env, now func() time.Time) *Server {
	return &Server{env: env, now: now, services: map[string]Handler{}, Logger: slog.Default()}
}

// Register routes a SigV4 service name ("s3", "iam", ...) to h.
func (s *Server) Register(name string, h Handler) { s.services[name] = h }

// Protocol error writers per service: S3 REST-XML, Query, JSON.
func writeError(w http.ResponseWriter, r *http.Request, svc string, e *awserr.Error, reqID, hostID string) {
	switch svc {
	case "iam":
		awserr.WriteQuery(w, e, reqID)
	case "sts":
		awserr.WriteQueryNS(w, e, reqID, awserr.STSNamespace)
	case "ec2":
		awserr.WriteEC2(w, e, reqID)
	case "kms", "organizations":
		awserr.WriteJSON(w, e, reqID)
	default:
		awserr.WriteS3(w, r, e, reqID, hostID, "")
	}
}

// NewRequestID returns a 16-character upper-case hex ID, S3's format.
func NewRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

func newHostID() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID, hostID := NewRequestID(), newHostID()
	svc := "s3"
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Logger.Error("panic serving request", "request_id", reqID, "panic", v, "stack", string(debug.Stack()))
			writeError(w, r, svc, awserr.InternalError(), reqID, hostID)
		}
	}()
	now := s.now()
	if strings.HasPrefix(r.URL.Path, "/_verdict/") {
		s.serveAdmin(w, r, reqID, hostID, now)
		return
	}
	call := &service.Call{Env: s.env, RequestID: reqID, HostID: hostID, Now: now, HTTP: r}
	sig, err := sigv4.Parse(r)
	if err != nil {
		svc = guessService(r)
		writeError(w, r, svc, awserr.As(err), reqID, hostID)
		return
	}
	if sig == nil {
		call.Caller = inputs.Anonymous()
		// An unsigned body may still be aws-chunked (unsigned with a
		// trailer); decode it like a signed one.
		body, err := sigv4.AnonymousBody(r)
		if err != nil {
			writeError(w, r, svc, awserr.As(err), reqID, hostID)
			return
		}
		r.Body = body
		if isWebIdentityCall(r) {
			svc = "sts"
		}
	} else {
		svc = sig.Service
		call.Auth = service.Auth{Type: "REST-HEADER", SignatureVersion: "AWS4-HMAC-SHA256", ContentSHA256: r.Header.Get("X-Amz-Content-Sha256"),
			AccessKeyID: sig.AccessKeyID, Region: sig.Region, Service: sig.Service}
		if sig.Presigned {
			call.Auth.Type = "REST-QUERY-STRING"
			call.Auth.SignatureAge = now.Sub(sig.Date).Milliseconds()
		}
		caller, aerr := s.authenticate(sig, r, now)
		if aerr != nil {
			writeError(w, r, svc, aerr, reqID, hostID)
			return
		}
		call.Caller = caller
		// The body is verified as it is read: payload hash, aws-chunked
		// chunk signatures, trailing checksums.
		body, err := sig.Body(r, caller.Secret)
		if err != nil {
			writeError(w, r, svc, awserr.As(err), reqID, hostID)
			return
		}
		r.Body = body
	}
	if svc == "s3" && s3controlapi.IsControlRequest(r) {
		// S3 Control requests are signed for "s3" too; their path and
		// x-amz-account-id header tell them apart.
		svc = "s3control"
	}
	h, ok := s.services[svc]
	if !ok {
		writeError(w, r, svc, awserr.New("InvalidAction", http.StatusBadRequest, "The service "+svc+" is not served by verdict."), reqID, hostID)
		return
	}
	if !s.bindEndpoint(w, call, svc) {
		return
	}
	h.ServeAWS(w, call)
}

// maxPeek bounds how much of an unsigned form body isWebIdentityCall reads:
// more than a 20,000-character token with a 2,048-character session policy.
const maxPeek = 64 << 10

// isWebIdentityCall reports whether an unsigned request is STS's
// AssumeRoleWithWebIdentity, which needs no AWS credentials: Action in
// the query string, or in an application/x-www-form-urlencoded POST body to
// "/" (S3 has no such request). The body it reads is put back. Only this
// action is routed: AssumeRoleWithSAML is not served.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
func isWebIdentityCall(r *http.Request) bool {
	const action = "AssumeRoleWithWebIdentity"
	if r.URL.Query().Get("Action") == action {
		return true
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost || r.URL.Path != "/" || mt != "application/x-www-form-urlencoded" || r.Body == nil {
		return false
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, maxPeek))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil || len(head) == maxPeek {
		return false
	}
	v, err := url.ParseQuery(string(head))
	return err == nil && v.Get("Action") == action
}

// guessService picks the error format for a request whose signature could not
// be parsed: Query-protocol calls carry Action=, JSON calls X-Amz-Target.
func guessService(r *http.Request) string {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		return "kms"
	}
	if r.URL.Query().Get("Action") != "" {
		return "iam"
	}
	return "s3"
}

func (s *Server) authenticate(sig *sigv4.Signature, r *http.Request, now time.Time) (*inputs.Caller, *awserr.Error) {
	var caller *inputs.Caller
	err := s.env.Store.View(r.Context(), func(tx store.Tx) error {
		var err error
		caller, err = s.env.Compiler.ResolveKey(tx, sig.AccessKeyID, s.env.RootSecret, now)
		return err
	})
	if errors.Is(err, inputs.ErrUnknownKey) {
		if sig.Service == "s3" {
			return nil, awserr.InvalidAccessKeyID().With("AWSAccessKeyId", sig.AccessKeyID)
		}
		return nil, awserr.New("InvalidClientTokenId", http.StatusForbidden, "The security token included in the request is invalid.")
	}
	if err != nil {
		s.Logger.Error("resolving access key", "err", err)
		return nil, awserr.InternalError()
	}
	if err := sig.Verify(r, caller.Secret, now); err != nil {
		e := awserr.As(err)
		if sig.Service != "s3" && e.Code == "SignatureDoesNotMatch" {
			// Query and JSON services send the message without S3's
			// debugging fields.
			e = awserr.New("SignatureDoesNotMatch", http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
		}
		return nil, e
	}
	if arn.IsAccountID(sig.AccessKeyID) {
		// Accounts exist on first use; record this one so that its
		// canonical ID is known to ACL grants, off the request path.
		if _, seen := s.accounts.LoadOrStore(sig.AccessKeyID, true); !seen {
			go s.ensureAccount(sig.AccessKeyID, now)
		}
	}
	if strings.HasPrefix(sig.AccessKeyID, "AKIA") {
		// GetAccessKeyLastUsed: record the use off the request path (the
		// store skips the write when the last record is recent).
		go state.NoteKeyUse(context.Background(), s.env.Store, sig.AccessKeyID, sig.Service, sig.Region, now)
	}
	if caller.Token != "" || sig.SessionToken != "" {
		if sig.SessionToken != caller.Token {
			if sig.Service == "s3" {
				return nil, awserr.InvalidToken()
			}
			return nil, awserr.New("InvalidClientTokenId", http.StatusForbidden, "The security token included in the request is invalid.")
		}
		if caller.Expired {
			if sig.Service == "s3" {
				return nil, awserr.New("ExpiredToken", http.StatusBadRequest, "The provided token has expired.")
			}
			return nil, awserr.New("ExpiredToken", http.StatusForbidden, "The security token included in the request is expired")
		}
	}
	return caller, nil
}

// ensureAccount stores an account record the first time its root user signs
// a request.
func (s *Server) ensureAccount(id string, now time.Time) {
	ctx := context.Background()
	missing := false
	_ = s.env.Store.View(ctx, func(tx store.Tx) error {
		_, err := state.LookupAccount(tx, id)
		missing = errors.Is(err, store.ErrNotFound)
		return nil
	})
	if missing {
		_ = s.env.Store.Update(ctx, func(tx store.Tx) error {
			_, err := state.Account(tx, id, now)
			return err
		})
	}
}
