package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/explain"
	"github.com/verdict-project/verdict/protocol/sigv4"
)

// The decision page lives under /_verdict/ui/ on the same listener as the
// admin API. A browser cannot sign SigV4, so the page signs in once with a
// presigned URL and then rides a cookie:
//
//	GET  /_verdict/ui/login?X-Amz-...        presigned (verdict ui prints it); sets the cookie, redirects to the page
//	GET  /_verdict/ui/                       the page (HTML, CSS and JS embedded in the binary)
//	GET  /_verdict/ui/api/decisions?limit=N&denied=1&since=SEQ
//	                                         {"account", "decisions": [Explanation]}, newest first
//	GET  /_verdict/ui/api/explain?request-id=ID
//	                                         {"account", "explanations": [Explanation]}
//	POST /_verdict/ui/logout                 clears the cookie
//
// The login URL is verified exactly like any presigned request (sigv4.Parse,
// then authenticate: key lookup, signature, expiry, session token). The
// cookie then carries only the caller's account and an expiry, under an
// HMAC-SHA256 keyed by a random secret made when the process starts, so
// restarting the server signs everyone out. Visibility is the admin API's: a
// session sees the decisions its account's principals asked for and those
// about its account's resources. Without a valid cookie every path but login
// answers 403.

// UIPath is the decision page's path prefix.
const UIPath = "/_verdict/ui/"

const (
	// uiCookie names the session cookie.
	uiCookie = "verdict_ui"
	// UISessionTTL is how long a decision-page session lasts.
	UISessionTTL = 12 * time.Hour
	// MaxLoginExpires bounds X-Amz-Expires on a login URL: the URL is a
	// bearer credential until it expires, so it must be short-lived.
	// `verdict ui` signs for 300 seconds.
	MaxLoginExpires = 15 * time.Minute
	// uiMaxLimit bounds the decisions one API call explains.
	uiMaxLimit = 500
	// maxRequestIDLen bounds a request ID taken from a query.
	maxRequestIDLen = 128
)

//go:embed ui
var uiFiles embed.FS

// uiStatic holds the page's files, rooted at the ui directory.
var uiStatic = func() fs.FS {
	sub, err := fs.Sub(uiFiles, "ui")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}()

// Errors of a session cookie.
var (
	// ErrNoSession: the request carries no session cookie.
	ErrNoSession = errors.New("no decision page session: run `verdict ui` to sign in")
	// ErrBadSession: the cookie is malformed or its MAC does not match.
	ErrBadSession = errors.New("invalid decision page session: run `verdict ui` to sign in again")
	// ErrSessionExpired: the cookie's expiry has passed.
	ErrSessionExpired = errors.New("decision page session expired: run `verdict ui` to sign in again")
)

// SessionKey signs and verifies decision-page session cookies.
type SessionKey struct{ key []byte }

// NewSessionKey returns a key of 32 random bytes.
func NewSessionKey() *SessionKey {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24+)
	return &SessionKey{key: k}
}

// processKey is the per-process session key every Server shares.
var processKey = sync.OnceValue(NewSessionKey)

func (k *SessionKey) mac(account string, exp int64) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte("verdict-ui-session-v1\x00" + account + "\x00" + strconv.FormatInt(exp, 10)))
	return m.Sum(nil)
}

// Issue returns the cookie value of a session for account that expires at
// exp: "ACCOUNT.EXPIRY-UNIX.MAC" with the MAC in unpadded base64url.
func (k *SessionKey) Issue(account string, exp time.Time) string {
	e := exp.Unix()
	return account + "." + strconv.FormatInt(e, 10) + "." + base64.RawURLEncoding.EncodeToString(k.mac(account, e))
}

// Verify checks a cookie value at now and returns its account.
func (k *SessionKey) Verify(value string, now time.Time) (string, error) {
	if value == "" {
		return "", ErrNoSession
	}
	if len(value) > 128 {
		return "", ErrBadSession
	}
	account, rest, ok1 := strings.Cut(value, ".")
	expText, macText, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || !arn.IsAccountID(account) {
		return "", ErrBadSession
	}
	exp, err := strconv.ParseInt(expText, 10, 64)
	if err != nil || strconv.FormatInt(exp, 10) != expText {
		return "", ErrBadSession
	}
	got, err := base64.RawURLEncoding.DecodeString(macText)
	if err != nil || !hmac.Equal(got, k.mac(account, exp)) {
		return "", ErrBadSession
	}
	if now.Unix() >= exp {
		return "", ErrSessionExpired
	}
	return account, nil
}

// isUIPath reports whether path belongs to the decision page.
func isUIPath(path string) bool {
	return path == strings.TrimSuffix(UIPath, "/") || strings.HasPrefix(path, UIPath)
}

// serveUI serves the decision page when r is one of its paths, and reports
// whether it did.
func (s *Server) serveUI(w http.ResponseWriter, r *http.Request, reqID string, now time.Time) bool {
	if !isUIPath(r.URL.Path) {
		return false
	}
	h := w.Header()
	h.Set("x-amz-request-id", reqID)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// The login URL carries a signature: never send it on as a referrer.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-store")
	s.uiRoute(w, r, now)
	return true
}

func (s *Server) uiRoute(w http.ResponseWriter, r *http.Request, now time.Time) {
	path := strings.TrimPrefix(r.URL.Path, UIPath)
	if r.URL.Path == strings.TrimSuffix(UIPath, "/") {
		http.Redirect(w, r, UIPath, http.StatusFound)
		return
	}
	if path == "login" {
		s.uiLogin(w, r, now)
		return
	}
	c, _ := r.Cookie(uiCookie)
	value := ""
	if c != nil {
		value = c.Value
	}
	account, err := processKey().Verify(value, now)
	if err != nil {
		uiDenied(w, r, path, err)
		return
	}
	switch {
	case path == "logout":
		if r.Method != http.MethodPost {
			uiError(w, http.StatusMethodNotAllowed, "logout takes POST")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: uiCookie, Value: "", Path: UIPath, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(path, "api/"):
		if r.Method != http.MethodGet {
			uiError(w, http.StatusMethodNotAllowed, "the decision page API takes GET")
			return
		}
		s.uiAPI(w, r, strings.TrimPrefix(path, "api/"), account)
	default:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			uiError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		name := path
		if name == "" {
			name = "index.html"
		}
		if strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
			uiError(w, http.StatusNotFound, "not found")
			return
		}
		if _, err := fs.Stat(uiStatic, name); err != nil {
			uiError(w, http.StatusNotFound, "not found")
			return
		}
		http.ServeFileFS(w, r, uiStatic, name)
	}
}

// uiLogin verifies a presigned login URL and starts a session.
func (s *Server) uiLogin(w http.ResponseWriter, r *http.Request, now time.Time) {
	if r.Method != http.MethodGet {
		uiError(w, http.StatusMethodNotAllowed, "login takes GET")
		return
	}
	sig, err := sigv4.Parse(r)
	if err != nil {
		uiError(w, http.StatusForbidden, "login URL: "+err.Error())
		return
	}
	if sig == nil || !sig.Presigned {
		uiError(w, http.StatusForbidden, "the login URL must be presigned with SigV4 query authentication: run `verdict ui`")
		return
	}
	if sig.Expires > MaxLoginExpires {
		uiError(w, http.StatusForbidden, "the login URL may be valid for at most "+MaxLoginExpires.String()+" (X-Amz-Expires)")
		return
	}
	caller, aerr := s.authenticate(sig, r, now)
	if aerr != nil {
		uiError(w, aerr.Status, aerr.Error())
		return
	}
	if caller.Principal.Type == authz.Anonymous || !arn.IsAccountID(caller.Principal.Account) {
		uiError(w, http.StatusForbidden, "the decision page needs the credentials of a principal of an account")
		return
	}
	exp := now.Add(UISessionTTL)
	http.SetCookie(w, &http.Cookie{
		Name: uiCookie, Value: processKey().Issue(caller.Principal.Account, exp), Path: UIPath,
		Expires: exp, MaxAge: int(UISessionTTL / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil,
	})
	target := UIPath
	if id := r.URL.Query().Get("request-id"); validRequestID(id) {
		target += "#request-id=" + url.QueryEscape(id)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// validRequestID accepts the request IDs verdict issues and anything of the
// same alphabet, so it can be put in a URL fragment as is.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// uiAPI answers the page's JSON calls for account.
func (s *Server) uiAPI(w http.ResponseWriter, r *http.Request, name, account string) {
	visible := func(e *decisionlog.Entry) bool { return e.Account == account || e.ResourceAccount == account }
	q := r.URL.Query()
	switch name {
	case "decisions":
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit <= 0 || limit > uiMaxLimit {
			limit = 100
		}
		since, _ := strconv.ParseUint(q.Get("since"), 10, 64)
		denied := q.Get("denied") == "1" || q.Get("denied") == "true"
		entries := s.env.Log.Query(limit, func(e *decisionlog.Entry) bool {
			return visible(e) && e.Seq > since && (!denied || !e.Allowed)
		})
		out := make([]*explain.Explanation, 0, len(entries))
		for i := len(entries) - 1; i >= 0; i-- { // newest first
			out = append(out, explain.Explain(&entries[i]))
		}
		writeJSON(w, map[string]any{"account": account, "decisions": out})
	case "explain":
		id := q.Get("request-id")
		if !validRequestID(id) {
			uiError(w, http.StatusBadRequest, "give request-id: the request ID of a decision")
			return
		}
		out := []*explain.Explanation{}
		for _, e := range s.env.Log.Find(id) {
			if visible(&e) {
				out = append(out, explain.Explain(&e))
			}
		}
		if len(out) == 0 {
			uiError(w, http.StatusNotFound, "no decision for request "+id+" visible to account "+account)
			return
		}
		writeJSON(w, map[string]any{"account": account, "explanations": out})
	case "whoami":
		writeJSON(w, map[string]string{"account": account})
	default:
		uiError(w, http.StatusNotFound, "no such decision page API endpoint")
	}
}

// uiDenied answers a request without a valid session: JSON for the API, a
// short page saying how to sign in otherwise.
func uiDenied(w http.ResponseWriter, r *http.Request, path string, err error) {
	if strings.HasPrefix(path, "api/") || r.Method != http.MethodGet {
		uiError(w, http.StatusForbidden, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	msg := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "`", "").Replace(err.Error())
	_, _ = w.Write([]byte("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>verdict: sign in</title></head><body>" +
		"<h1>verdict decision page</h1><p id=\"signin\">" + msg + "</p>" +
		"<p>Run <code>verdict ui</code> with the AWS credentials of your account and open the URL it prints within five minutes.</p></body></html>\n"))
}

// uiError writes {"error": msg} with status.
func uiError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
