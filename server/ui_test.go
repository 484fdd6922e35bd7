package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/engine/explain"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/protocol/sigv4"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/store/memory"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
	acctC = "333333333333"
)

// TestSessionKey covers issuing and verifying session cookies: expiry,
// tampering with each part, another process's key, malformed values.
func TestSessionKey(t *testing.T) {
	k := NewSessionKey()
	now := time.Unix(1_800_000_000, 0)
	good := k.Issue(acctA, now.Add(UISessionTTL))
	acct, exp, mac := splitCookie(t, good)
	tests := []struct {
		name    string
		key     *SessionKey
		value   string
		at      time.Time
		want    string
		wantErr error
	}{
		{"valid", k, good, now, acctA, nil},
		{"valid one second before expiry", k, good, now.Add(UISessionTTL - time.Second), acctA, nil},
		{"expired at expiry", k, good, now.Add(UISessionTTL), "", ErrSessionExpired},
		{"expired later", k, good, now.Add(48 * time.Hour), "", ErrSessionExpired},
		{"empty", k, "", now, "", ErrNoSession},
		{"another process's key", NewSessionKey(), good, now, "", ErrBadSession},
		{"account changed", k, acctB + "." + exp + "." + mac, now, "", ErrBadSession},
		{"expiry extended", k, acct + "." + strconv.FormatInt(now.Add(1000*time.Hour).Unix(), 10) + "." + mac, now, "", ErrBadSession},
		{"mac flipped", k, acct + "." + exp + "." + flip(mac), now, "", ErrBadSession},
		{"mac truncated", k, acct + "." + exp + "." + mac[:20], now, "", ErrBadSession},
		{"mac missing", k, acct + "." + exp, now, "", ErrBadSession},
		{"mac not base64", k, acct + "." + exp + ".!!!!", now, "", ErrBadSession},
		{"expiry with sign", k, acct + ".+" + exp + "." + mac, now, "", ErrBadSession},
		{"expiry with leading zero", k, acct + ".0" + exp + "." + mac, now, "", ErrBadSession},
		{"expiry not a number", k, acct + ".soon." + mac, now, "", ErrBadSession},
		{"account not 12 digits", k, "1111." + exp + "." + mac, now, "", ErrBadSession},
		{"extra part", k, good + ".x", now, "", ErrBadSession},
		{"too long", k, good + strings.Repeat("A", 200), now, "", ErrBadSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.key.Verify(tt.value, tt.at)
			if err != tt.wantErr || got != tt.want {
				t.Fatalf("Verify(%q) = %q, %v; want %q, %v", tt.value, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func splitCookie(t *testing.T, v string) (account, exp, mac string) {
	t.Helper()
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		t.Fatalf("cookie %q: want ACCOUNT.EXPIRY.MAC", v)
	}
	return parts[0], parts[1], parts[2]
}

// flip changes the first character of a base64url string to another valid one.
func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

// FuzzSessionVerify: no cookie value panics Verify, and only Issue's output
// verifies.
func FuzzSessionVerify(f *testing.F) {
	k := &SessionKey{key: []byte("fuzz-key-0123456789abcdef0123456")}
	now := time.Unix(1_800_000_000, 0)
	f.Add(k.Issue(acctA, now.Add(time.Hour)))
	f.Add("")
	f.Add("111111111111.1800003600.")
	f.Add("..")
	f.Fuzz(func(t *testing.T, v string) {
		acct, err := k.Verify(v, now)
		if err != nil {
			if acct != "" {
				t.Fatalf("error %v with account %q", err, acct)
			}
			return
		}
		a, exp, _ := strings.Cut(v, ".")
		e, _, _ := strings.Cut(exp, ".")
		n, perr := strconv.ParseInt(e, 10, 64)
		if perr != nil || acct != a || k.Issue(a, time.Unix(n, 0)) != v {
			t.Fatalf("Verify accepted %q (account %q) that Issue did not make", v, acct)
		}
	})
}

// uiHarness is a server with a settable clock and a decision log.
type uiHarness struct {
	ts  *httptest.Server
	log *decisionlog.Log
	mu  sync.Mutex
	now time.Time
}

func newUIHarness(t *testing.T) *uiHarness {
	t.Helper()
	h := &uiHarness{log: decisionlog.New(100), now: time.Now()}
	env := &service.Env{Store: memory.New(), Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: h.log, Region: "us-east-1", RootSecret: "test"}
	srv := New(env, h.clock)
	h.ts = httptest.NewServer(srv)
	t.Cleanup(h.ts.Close)
	return h
}

func (h *uiHarness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *uiHarness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// presign returns a login URL signed by key/secret at the harness's clock.
func (h *uiHarness) presign(t *testing.T, key, secret string, expires time.Duration, extra url.Values) string {
	t.Helper()
	q := url.Values{}
	for k, v := range extra {
		q[k] = v
	}
	q.Set("X-Amz-Expires", strconv.Itoa(int(expires/time.Second)))
	r, err := http.NewRequest(http.MethodGet, h.ts.URL+"/_verdict/ui/login?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}, r, sigv4.EmptySHA256, "verdict", "us-east-1", h.clock())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (h *uiHarness) get(t *testing.T, rawURL string, cookie *http.Cookie) (*http.Response, string) {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	resp, err := noRedirect.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// login signs in as key's root user and returns the session cookie.
func (h *uiHarness) login(t *testing.T, key string) *http.Cookie {
	t.Helper()
	resp, body := h.get(t, h.presign(t, key, "test", 300*time.Second, nil), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == uiCookie {
			return c
		}
	}
	t.Fatal("login set no session cookie")
	return nil
}

// TestUILogin: a presigned login URL is verified like any presigned request
// and exchanged for an HttpOnly, SameSite=Strict cookie.
func TestUILogin(t *testing.T) {
	h := newUIHarness(t)
	t.Run("cookie attributes", func(t *testing.T) {
		resp, _ := h.get(t, h.presign(t, acctA, "test", 300*time.Second, nil), nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != UIPath {
			t.Fatalf("status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var c *http.Cookie
		for _, x := range resp.Cookies() {
			if x.Name == uiCookie {
				c = x
			}
		}
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != UIPath || c.MaxAge != int(UISessionTTL/time.Second) {
			t.Fatalf("cookie %+v", c)
		}
		if acct, err := processKey().Verify(c.Value, h.clock()); err != nil || acct != acctA {
			t.Fatalf("cookie verifies to %q, %v", acct, err)
		}
		if resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Error("the login response must keep its signed URL out of referrers")
		}
	})
	t.Run("request-id opens that decision", func(t *testing.T) {
		resp, _ := h.get(t, h.presign(t, acctA, "test", 300*time.Second, url.Values{"request-id": {"ABC123"}}), nil)
		if got := resp.Header.Get("Location"); got != UIPath+"#request-id=ABC123" {
			t.Fatalf("Location %q", got)
		}
	})
	tests := []struct {
		name   string
		url    func() string
		status int
		body   string
	}{
		{"unsigned", func() string { return h.ts.URL + "/_verdict/ui/login" }, 403, "presigned"},
		{"wrong secret", func() string { return h.presign(t, acctA, "nope", 300*time.Second, nil) }, 403, "SignatureDoesNotMatch"},
		{"unknown key", func() string { return h.presign(t, "AKIAUNKNOWNKEY000000", "x", 300*time.Second, nil) }, 403, "InvalidClientTokenId"},
		{"valid too long", func() string { return h.presign(t, acctA, "test", time.Hour, nil) }, 403, "at most"},
		{"tampered query", func() string { return h.presign(t, acctA, "test", 300*time.Second, nil) + "&request-id=X" }, 403, "SignatureDoesNotMatch"},
		{"expired", func() string {
			u := h.presign(t, acctA, "test", 300*time.Second, nil)
			h.advance(301 * time.Second)
			return u
		}, 403, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h.get(t, tt.url(), nil)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.body) {
				t.Fatalf("status %d body %s; want %d containing %q", resp.StatusCode, body, tt.status, tt.body)
			}
			if len(resp.Cookies()) != 0 {
				t.Fatal("a refused login must not set a cookie")
			}
		})
	}
	t.Run("header-signed request is not a login", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodGet, h.ts.URL+"/_verdict/ui/login", nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: acctA, SecretAccessKey: "test"}, r, sigv4.EmptySHA256, "verdict", "us-east-1", h.clock()); err != nil {
			t.Fatal(err)
		}
		resp, err := noRedirect.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}

// TestUISession: every path but login needs a valid, unexpired cookie.
func TestUISession(t *testing.T) {
	h := newUIHarness(t)
	c := h.login(t, acctA)
	forged := &http.Cookie{Name: uiCookie, Value: NewSessionKey().Issue(acctA, h.clock().Add(time.Hour))}
	tests := []struct {
		name        string
		path        string
		cookie      *http.Cookie
		status      int
		contentType string
		body        string
	}{
		{"page without cookie", "/_verdict/ui/", nil, 403, "text/html", "verdict ui"},
		{"api without cookie", "/_verdict/ui/api/decisions", nil, 403, "application/json", "no decision page session"},
		{"api with forged cookie", "/_verdict/ui/api/decisions", forged, 403, "application/json", "invalid"},
		{"script without cookie", "/_verdict/ui/app.js", nil, 403, "", ""},
		{"page", "/_verdict/ui/", c, 200, "text/html", `<script src="app.js"`},
		{"script", "/_verdict/ui/app.js", c, 200, "javascript", "textContent"},
		{"style", "/_verdict/ui/app.css", c, 200, "text/css", "step-denied"},
		{"missing file", "/_verdict/ui/nope.html", c, 404, "", ""},
		{"no directory walk", "/_verdict/ui/../ui.go", c, 404, "", ""},
		{"unknown api", "/_verdict/ui/api/nope", c, 404, "", ""},
		{"bare prefix redirects", "/_verdict/ui", nil, 302, "", ""},
		{"whoami", "/_verdict/ui/api/whoami", c, 200, "application/json", acctA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h.get(t, h.ts.URL+tt.path, tt.cookie)
			if resp.StatusCode != tt.status || !strings.Contains(resp.Header.Get("Content-Type"), tt.contentType) || !strings.Contains(body, tt.body) {
				t.Fatalf("status %d, type %q, body %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if resp.StatusCode == 200 && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Error("missing Content-Security-Policy")
			}
		})
	}
	t.Run("expired cookie", func(t *testing.T) {
		h.advance(UISessionTTL + time.Second)
		resp, body := h.get(t, h.ts.URL+"/_verdict/ui/api/decisions", c)
		if resp.StatusCode != 403 || !strings.Contains(body, "expired") {
			t.Fatalf("status %d body %s", resp.StatusCode, body)
		}
	})
}

// TestUILogout clears the cookie.
func TestUILogout(t *testing.T) {
	h := newUIHarness(t)
	c := h.login(t, acctA)
	r, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/_verdict/ui/logout", nil)
	r.AddCookie(c)
	resp, err := noRedirect.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || len(resp.Cookies()) != 1 || resp.Cookies()[0].MaxAge >= 0 {
		t.Fatalf("logout: %d %+v", resp.StatusCode, resp.Cookies())
	}
}

// TestUIAccountIsolation: a session sees the decisions its account asked for
// and those about its resources, never a third account's.
func TestUIAccountIsolation(t *testing.T) {
	h := newUIHarness(t)
	add := func(id, account, resourceAccount string, allowed bool) {
		h.log.Add(decisionlog.Entry{RequestID: id, Time: h.clock(), Principal: "arn:aws:iam::" + account + ":root", Account: account,
			Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: resourceAccount, Allowed: allowed,
			Effect: map[bool]string{true: "allow", false: "implicit-deny"}[allowed], Layer: "identity"})
	}
	add("A1", acctA, acctA, true)
	add("A2", acctA, acctA, false)
	add("BA", acctB, acctA, false) // B reads A's bucket
	add("B1", acctB, acctB, true)
	add("C1", acctC, acctC, false)
	cookies := map[string]*http.Cookie{acctA: h.login(t, acctA), acctB: h.login(t, acctB)}
	list := func(t *testing.T, acct, query string) []string {
		t.Helper()
		resp, body := h.get(t, h.ts.URL+"/_verdict/ui/api/decisions?"+query, cookies[acct])
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		var out struct {
			Account   string
			Decisions []explain.Explanation
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
		if out.Account != acct {
			t.Fatalf("account %q, want %q", out.Account, acct)
		}
		ids := []string{}
		for _, d := range out.Decisions {
			if d.Schema != explain.SchemaID || len(d.Chain) == 0 {
				t.Fatalf("not an Explanation: %+v", d)
			}
			ids = append(ids, d.RequestID)
		}
		return ids
	}
	tests := []struct {
		name    string
		account string
		query   string
		want    string
	}{
		{"A sees its own and decisions about its bucket, newest first", acctA, "", "BA,A2,A1"},
		{"B sees its own and its request to A", acctB, "", "B1,BA"},
		{"denials only", acctA, "denied=1", "BA,A2"},
		{"limit", acctA, "limit=1", "BA"},
		{"since", acctA, "since=2", "BA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(list(t, tt.account, tt.query), ","); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
	explainTests := []struct {
		name    string
		account string
		id      string
		status  int
	}{
		{"own denial", acctA, "A2", 200},
		{"about own bucket", acctA, "BA", 200},
		{"another account's", acctA, "B1", 404},
		{"a third account's", acctB, "C1", 404},
		{"malformed ID", acctA, "A2<script>", 400},
		{"no ID", acctA, "", 400},
	}
	for _, tt := range explainTests {
		t.Run("explain "+tt.name, func(t *testing.T) {
			resp, body := h.get(t, h.ts.URL+"/_verdict/ui/api/explain?request-id="+url.QueryEscape(tt.id), cookies[tt.account])
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d %s", resp.StatusCode, body)
			}
			if tt.status != 200 {
				return
			}
			var out struct{ Explanations []explain.Explanation }
			if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Explanations) != 1 || out.Explanations[0].RequestID != tt.id {
				t.Fatalf("%v %s", err, body)
			}
		})
	}
}
