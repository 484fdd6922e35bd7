package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestIsWebIdentityCall: only unsigned AssumeRoleWithWebIdentity calls are
// routed to STS, and the body read to tell is given back whole.
func TestIsWebIdentityCall(t *testing.T) {
	form := "application/x-www-form-urlencoded; charset=utf-8"
	big := "Action=AssumeRoleWithWebIdentity&Pad=" + strings.Repeat("a", maxPeek)
	tests := []struct {
		name, method, target, ctype, body string
		want                              bool
	}{
		{"form POST", http.MethodPost, "/", form, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15", true},
		{"query string", http.MethodGet, "/?Action=AssumeRoleWithWebIdentity&Version=2011-06-15", "", "", true},
		{"SAML is not served", http.MethodPost, "/", form, "Action=AssumeRoleWithSAML", false},
		{"other STS action", http.MethodPost, "/", form, "Action=GetCallerIdentity", false},
		{"not a form", http.MethodPost, "/", "multipart/form-data; boundary=x", "Action=AssumeRoleWithWebIdentity", false},
		{"bucket path", http.MethodPost, "/bucket", form, "Action=AssumeRoleWithWebIdentity", false},
		{"S3 GET", http.MethodGet, "/bucket/key", "", "", false},
		{"body too long to peek", http.MethodPost, "/", form, big, false},
		{"bad form", http.MethodPost, "/", form, "Action=%zz", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			if got := isWebIdentityCall(r); got != tc.want {
				t.Fatalf("isWebIdentityCall = %v, want %v", got, tc.want)
			}
			b, err := io.ReadAll(r.Body)
			if err != nil || string(b) != tc.body {
				t.Fatalf("body after the peek: %d bytes, %v", len(b), err)
			}
		})
	}
}
