package policy

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected results of testdata/validate/*/*.golden")

// Each directory of testdata/validate holds the cases of one kind of policy
// (with the options its name implies): NAME.json is the document and
// NAME.golden the expected result. A golden file is a header of key=value
// option lines, a line "---", then the result: "OK" (with public=true|false
// for bucket policies), or "CODE STATUS stmt=N" and the message on the next
// line. Run `go test -run TestValidateGolden -update` to rewrite results.
var caseDirs = map[string]struct {
	kind Kind
	opt  Options
}{
	"identity":       {Identity, Options{Holder: Managed}},
	"identity-user":  {Identity, Options{Holder: InlineUser, HolderName: "alice"}},
	"identity-role":  {Identity, Options{Holder: InlineRole, HolderName: "app"}},
	"identity-group": {Identity, Options{Holder: InlineGroup, HolderName: "devs"}},
	"trust":          {Trust, Options{}},
	"session":        {Session, Options{}},
	"bucket":         {Bucket, Options{Bucket: "amzn-s3-demo-bucket", Account: "111122223333"}},
	"key":            {Key, Options{Account: "111122223333"}},
	"scp":            {SCP, Options{}},
	"rcp":            {RCP, Options{}},
	"endpoint":       {Endpoint, Options{}},
}

func TestValidateGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata/validate")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		setup, ok := caseDirs[d.Name()]
		if !ok {
			t.Errorf("testdata/validate/%s: unknown case directory", d.Name())
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join("testdata/validate", d.Name(), "*.json"))
			if len(files) == 0 {
				t.Fatal("no cases")
			}
			for _, f := range files {
				name := strings.TrimSuffix(filepath.Base(f), ".json")
				t.Run(name, func(t *testing.T) {
					runGolden(t, f, setup.kind, setup.opt)
				})
			}
		})
	}
}

func runGolden(t *testing.T, jsonFile string, kind Kind, opt Options) {
	t.Helper()
	doc, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	goldenFile := strings.TrimSuffix(jsonFile, ".json") + ".golden"
	golden, err := os.ReadFile(goldenFile)
	if err != nil && !*update {
		t.Fatal(err)
	}
	header, want, _ := strings.Cut(string(golden), "---\n")
	if err := applyHeader(&opt, header); err != nil {
		t.Fatalf("%s: %v", goldenFile, err)
	}
	got := describe(kind)(Validate(doc, kind, opt))
	if *update {
		if err := os.WriteFile(goldenFile, []byte(header+"---\n"+got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("Validate(%s, %s):\n got: %s\nwant: %s", jsonFile, kind, got, want)
	}
}

// applyHeader reads option lines: bucket=, account=, holder_name=,
// inline_used=, trust_limit=, aws_managed=true, missing=PRINCIPAL (may
// repeat: PrincipalExists answers false for it).
func applyHeader(opt *Options, header string) error {
	var missing []string
	for _, line := range strings.Split(header, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("bad header line %q", line)
		}
		var err error
		switch k {
		case "bucket":
			opt.Bucket = v
		case "account":
			opt.Account = v
		case "partition":
			opt.Partition = v
		case "holder_name":
			opt.HolderName = v
		case "inline_used":
			opt.InlineUsed, err = strconv.Atoi(v)
		case "trust_limit":
			opt.TrustLimit, err = strconv.Atoi(v)
		case "aws_managed":
			opt.AWSManaged = v == "true"
		case "missing":
			missing = append(missing, v)
		default:
			return fmt.Errorf("unknown header key %q", k)
		}
		if err != nil {
			return err
		}
	}
	if missing != nil {
		opt.PrincipalExists = func(p string) bool {
			for _, m := range missing {
				if m == p {
					return false
				}
			}
			return true
		}
	}
	return nil
}

// describe returns the function that renders a Validate result of kind in
// the golden format.
func describe(kind Kind) func(*Policy, error) string {
	return func(p *Policy, err error) string { return describeResult(kind, p, err) }
}

func describeResult(kind Kind, p *Policy, err error) string {
	if err != nil {
		ve, ok := AsValidationError(err)
		if !ok {
			return "not a *ValidationError: " + err.Error() + "\n"
		}
		s := fmt.Sprintf("%s %d stmt=%d", ve.Code, ve.Status, ve.Statement)
		if ve.Reason != "" {
			s += " reason=" + ve.Reason
		}
		return s + "\n" + ve.Message + "\n"
	}
	if kind == Bucket {
		return fmt.Sprintf("OK public=%v\n", IsPublic(p))
	}
	return "OK\n"
}

// TestValidateErrorDetails checks the error plumbing: positions, Unwrap,
// Error text and kind names.
func TestValidateErrorDetails(t *testing.T) {
	doc := []byte("{\n \"Statement\": [\n  {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\",\n   \"Resource\": \"arn:aws:s3:::other/*\", \"Principal\": \"*\"}]}")
	_, err := Validate(doc, Bucket, Options{Bucket: "amzn-s3-demo-bucket"})
	ve, ok := AsValidationError(err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if ve.Statement != 0 || ve.Line != 4 || ve.Col != 16 {
		t.Errorf("position = stmt %d line %d col %d, want 0 4 16", ve.Statement, ve.Line, ve.Col)
	}
	if ve.Error() != "MalformedPolicy: Policy has invalid resource" {
		t.Errorf("Error() = %q", ve.Error())
	}
	_, err = Validate([]byte(`{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`), Bucket, Options{Bucket: "b"})
	var pe *Error
	if !errors.As(err, &pe) || pe.Element != "Effect" {
		t.Errorf("Validate does not unwrap to the parse error: %v", err)
	}
	if _, err := Validate([]byte(`{}`), Kind(99), Options{}); err == nil {
		t.Error("unknown kind accepted")
	}
	for k := Identity; k <= Endpoint; k++ {
		if k.String() == "?" {
			t.Errorf("Kind(%d) has no name", k)
		}
	}
	if Kind(0).String() != "?" || Kind(42).String() != "?" {
		t.Error("bad kind has a name")
	}
	if _, ok := AsValidationError(errors.New("x")); ok {
		t.Error("AsValidationError accepts a plain error")
	}
}

func BenchmarkValidateBucket(b *testing.B) {
	doc, err := os.ReadFile("testdata/validate/bucket/aws-user-folders.json")
	if err != nil {
		b.Fatal(err)
	}
	opt := Options{Bucket: "DOC-EXAMPLE-BUCKET"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Validate(doc, Bucket, opt); err != nil {
			b.Fatal(err)
		}
	}
}
