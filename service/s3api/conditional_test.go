package s3api

import (
	"net/http"
	"testing"
	"time"

	"github.com/verdict-project/verdict/model"
)

func TestPreconditions(t *testing.T) {
	lm := time.Date(2024, 5, 1, 12, 0, 0, 500e6, time.UTC)
	obj := &model.Object{ETag: `"abc"`, LastModified: lm}
	before := lm.Add(-time.Hour).Format(http.TimeFormat)
	after := lm.Add(time.Hour).Format(http.TimeFormat)
	same := lm.Format(http.TimeFormat)
	tests := []struct {
		name      string
		headers   map[string]string
		copy      bool
		wantCode  string
		condition string
	}{
		{"none", nil, false, "", ""},
		{"if-match hit", map[string]string{"If-Match": `"abc"`}, false, "", ""},
		{"if-match unquoted", map[string]string{"If-Match": `abc`}, false, "", ""},
		{"if-match list", map[string]string{"If-Match": `"x", "abc"`}, false, "", ""},
		{"if-match star", map[string]string{"If-Match": `*`}, false, "", ""},
		{"if-match miss", map[string]string{"If-Match": `"x"`}, false, "PreconditionFailed", "If-Match"},
		{"if-unmodified-since later", map[string]string{"If-Unmodified-Since": after}, false, "", ""},
		{"if-unmodified-since same second", map[string]string{"If-Unmodified-Since": same}, false, "", ""},
		{"if-unmodified-since earlier", map[string]string{"If-Unmodified-Since": before}, false, "PreconditionFailed", "If-Unmodified-Since"},
		{"if-match wins over if-unmodified-since", map[string]string{"If-Match": `"abc"`, "If-Unmodified-Since": before}, false, "", ""},
		{"if-none-match hit", map[string]string{"If-None-Match": `"abc"`}, false, "NotModified", ""},
		{"if-none-match miss", map[string]string{"If-None-Match": `"x"`}, false, "", ""},
		{"if-modified-since earlier", map[string]string{"If-Modified-Since": before}, false, "", ""},
		{"if-modified-since same", map[string]string{"If-Modified-Since": same}, false, "NotModified", ""},
		{"if-none-match false beats if-modified-since true", map[string]string{"If-None-Match": `"abc"`, "If-Modified-Since": before}, false, "NotModified", ""},
		{"if-none-match true beats if-modified-since false", map[string]string{"If-None-Match": `"x"`, "If-Modified-Since": after}, false, "", ""},
		{"bad date ignored", map[string]string{"If-Unmodified-Since": "yesterday"}, false, "", ""},
		{"412 before 304", map[string]string{"If-Match": `"x"`, "If-None-Match": `"abc"`}, false, "PreconditionFailed", "If-Match"},
		{"copy if-none-match is 412", map[string]string{"x-amz-copy-source-If-None-Match": `"abc"`}, true, "PreconditionFailed", "x-amz-copy-source-If-None-Match"},
		{"copy if-modified-since is 412", map[string]string{"x-amz-copy-source-If-Modified-Since": after}, true, "PreconditionFailed", "x-amz-copy-source-If-Modified-Since"},
		{"copy if-match", map[string]string{"x-amz-copy-source-If-Match": `"abc"`, "x-amz-copy-source-If-Unmodified-Since": before}, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			prefix := ""
			if tt.copy {
				prefix = "x-amz-copy-source-"
			}
			p := readPreconditions(h, prefix)
			e := p.check(obj, tt.copy)
			code, cond := "", ""
			if e != nil {
				code = e.Code
				for _, f := range e.Fields {
					if f.Name == "Condition" {
						cond = f.Value
					}
				}
			}
			if code != tt.wantCode || cond != tt.condition {
				t.Errorf("check = %s (%s), want %s (%s)", code, cond, tt.wantCode, tt.condition)
			}
		})
	}
}

func TestWriteConditions(t *testing.T) {
	obj := &model.Object{ETag: `"abc"`}
	tests := []struct {
		name            string
		ifMatch, ifNone string
		current, start  *model.Object
		atCommit        bool
		want            string
	}{
		{"none absent", "", "", nil, nil, false, ""},
		{"if-none-match absent", "", "*", nil, nil, false, ""},
		{"if-none-match present", "", "*", obj, nil, false, "PreconditionFailed"},
		{"if-none-match created meanwhile", "", "*", obj, nil, true, "PreconditionFailed"},
		{"if-match matches", `"abc"`, "", obj, obj, false, ""},
		{"if-match differs", `"x"`, "", obj, obj, false, "PreconditionFailed"},
		{"if-match absent", `"abc"`, "", nil, nil, false, "NoSuchKey"},
		{"if-match deleted meanwhile", `"abc"`, "", nil, obj, true, "ConditionalRequestConflict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.ifMatch != "" {
				h.Set("If-Match", tt.ifMatch)
			}
			if tt.ifNone != "" {
				h.Set("If-None-Match", tt.ifNone)
			}
			c, e := readWriteConditions(h)
			if e != nil {
				t.Fatal(e)
			}
			got := ""
			if e := c.check(tt.current, tt.start, tt.atCommit); e != nil {
				got = e.Code
			}
			if got != tt.want {
				t.Errorf("check = %q, want %q", got, tt.want)
			}
		})
	}
	h := http.Header{}
	h.Set("If-None-Match", `"abc"`)
	if _, e := readWriteConditions(h); e == nil || e.Code != "NotImplemented" {
		t.Errorf("If-None-Match with an ETag: %v, want NotImplemented", e)
	}
}
