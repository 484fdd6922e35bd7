package s3api

import "testing"

func TestParseCopySource(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		want    copySource
		errCode string
		errMsg  string
	}{
		{"plain", "src/key.txt", copySource{bucket: "src", key: "key.txt"}, "", ""},
		{"leading slash", "/src/dir/key", copySource{bucket: "src", key: "dir/key"}, "", ""},
		{"encoded key", "src/a%20b%2Bc%3Fd", copySource{bucket: "src", key: "a b+c?d"}, "", ""},
		{"unicode", "src/%E2%82%AC.txt", copySource{bucket: "src", key: "€.txt"}, "", ""},
		{"dot segments kept", "src/../x", copySource{bucket: "src", key: "../x"}, "", ""},
		{"version", "src/k?versionId=null", copySource{bucket: "src", key: "k", versionID: "null", hasVersion: true}, "", ""},
		{"other query ignored", "src/k?foo=bar", copySource{bucket: "src", key: "k"}, "", ""},
		{"empty", "", copySource{}, "InvalidArgument", "Invalid copy source bucket name"},
		{"bucket only", "src", copySource{}, "InvalidArgument", "Invalid copy source object key"},
		{"bucket slash", "src/", copySource{}, "InvalidArgument", "Invalid copy source object key"},
		{"no bucket", "/", copySource{}, "InvalidArgument", "Invalid copy source bucket name"},
		{"bad bucket", "s*c/k", copySource{}, "InvalidArgument", "Invalid copy source bucket name"},
		{"bad escape", "src/%zz", copySource{}, "InvalidArgument", "Invalid copy source object key"},
		{"empty version", "src/k?versionId=", copySource{}, "InvalidArgument", "Invalid version id specified"},
		{"not utf-8", "src/%FF", copySource{}, "InvalidURI", "Couldn't parse the specified URI."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, e := parseCopySource(tt.header)
			code, msg := "", ""
			if e != nil {
				code, msg = e.Code, e.Message
			}
			if code != tt.errCode || msg != tt.errMsg {
				t.Fatalf("error = %s %q, want %s %q", code, msg, tt.errCode, tt.errMsg)
			}
			if e == nil && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
