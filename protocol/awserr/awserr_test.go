package awserr

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriters(t *testing.T) {
	e := SignatureDoesNotMatch().With("StringToSign", "a<b")
	tests := []struct {
		name       string
		write      func(w http.ResponseWriter)
		wantStatus int
		wantBody   []string
		wantHeader map[string]string
	}{
		{"s3", func(w http.ResponseWriter) {
			WriteS3(w, httptest.NewRequest("GET", "/b/k", nil), e, "REQ", "HOST", "/b/k")
		}, 403, []string{`<?xml version="1.0" encoding="UTF-8"?>`, "<Error><Code>SignatureDoesNotMatch</Code>", "<StringToSign>a&lt;b</StringToSign>", "<Resource>/b/k</Resource><RequestId>REQ</RequestId><HostId>HOST</HostId></Error>"},
			map[string]string{"x-amz-request-id": "REQ", "x-amz-id-2": "HOST", "Content-Type": "application/xml"}},
		{"s3 head has no body", func(w http.ResponseWriter) {
			WriteS3(w, httptest.NewRequest("HEAD", "/b/k", nil), New("NoSuchKey", 404, "x"), "REQ", "HOST", "")
		}, 404, nil, nil},
		{"query iam", func(w http.ResponseWriter) { WriteQuery(w, New("NoSuchEntity", 404, "gone"), "REQ") }, 404,
			[]string{`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>gone</Message></Error><RequestId>REQ</RequestId></ErrorResponse>`}, nil},
		{"query sts receiver", func(w http.ResponseWriter) { WriteQueryNS(w, InternalError(), "REQ", STSNamespace) }, 500,
			[]string{`xmlns="https://sts.amazonaws.com/doc/2011-06-15/"`, "<Type>Receiver</Type>"}, nil},
		{"ec2", func(w http.ResponseWriter) { WriteEC2(w, New("InvalidVpcID.NotFound", 400, "no vpc"), "REQ") }, 400,
			[]string{"<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>no vpc</Message></Error></Errors><RequestID>REQ</RequestID></Response>"}, nil},
		{"json", func(w http.ResponseWriter) { WriteJSON(w, New("NotFoundException", 400, "no key"), "REQ") }, 400,
			[]string{`{"__type":"NotFoundException","message":"no key"}`}, map[string]string{"x-amzn-ErrorType": "NotFoundException"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.write(rec)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d", rec.Code)
			}
			body := rec.Body.String()
			if tt.wantBody == nil && body != "" {
				t.Fatalf("body %q", body)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(body, w) {
					t.Errorf("body %s\nlacks %s", body, w)
				}
			}
			for k, v := range tt.wantHeader {
				if rec.Header().Get(k) != v {
					t.Errorf("header %s = %q", k, rec.Header().Get(k))
				}
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	wrapped := fmt.Errorf("ctx: %w", AccessDenied())
	if Code(wrapped) != "AccessDenied" || Code(errors.New("x")) != "" {
		t.Fatal("Code")
	}
	if As(errors.New("x")).Code != "InternalError" || As(wrapped).Status != 403 {
		t.Fatal("As")
	}
	if !errors.Is(wrapped, New("AccessDenied", 0, "")) || errors.Is(wrapped, New("NoSuchKey", 0, "")) {
		t.Fatal("Is")
	}
	if e := InvalidArgument("a").Withf("n=%d", 3); e.Message != "n=3" || e.Error() != "InvalidArgument: n=3" {
		t.Fatal(e)
	}
	for _, e := range []*Error{InvalidAccessKeyID(), RequestTimeTooSkewed(), InvalidToken(), MalformedXML(), InvalidRequest("x"), NotImplemented()} {
		if e.Code == "" || e.Status == 0 || e.Message == "" {
			t.Errorf("%+v", e)
		}
	}
}
