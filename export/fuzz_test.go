package export

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// fuzzFiles are the paths FuzzLoad writes its input to.
var fuzzFiles = func() []string {
	var fs []string
	for k := range base {
		if k != "caller-identity.json" {
			fs = append(fs, k)
		}
	}
	slices.Sort(fs)
	return fs
}()

// FuzzLoad writes arbitrary bytes as one export file next to a valid
// caller-identity.json: Load must return an export or an *Error, never
// panic.
func FuzzLoad(f *testing.F) {
	for i, k := range fuzzFiles {
		f.Add(uint8(i), []byte(base[k]))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		dir := t.TempDir()
		write := func(rel string, body []byte) {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("caller-identity.json", []byte(base["caller-identity.json"]))
		write(fuzzFiles[int(which)%len(fuzzFiles)], data)
		ex, err := Load(dir)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			return
		}
		if ex == nil || len(ex.Accounts) != 1 {
			t.Fatalf("export = %+v", ex)
		}
	})
}

// FuzzParseCloudTrail: any input gives a query or an error, never a panic.
func FuzzParseCloudTrail(f *testing.F) {
	f.Add([]byte(`{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"arn":"arn:aws:iam::123456789012:user/a"},"requestParameters":{"bucketName":"b","key":"k"}}`))
	f.Add([]byte(`{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","userIdentity":{"type":"Root","accountId":"123456789012"},"resources":[{"ARN":"x"}]}]}`))
	f.Add([]byte(`{"requestParameters":{"bucketName":7}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := ParseCloudTrail(data)
		if err == nil && (q.Action == "" || q.Resource == "" || q.Principal == "") {
			t.Fatalf("incomplete query without error: %+v", q)
		}
	})
}
