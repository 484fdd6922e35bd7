package condition

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// badEntries are entries Compile must refuse, with the code it must give.
var badEntries = []struct {
	name  string
	entry Entry
	vars  bool
	code  Code
	value string
}{
	{"lower-case operator", Entry{Operator: "stringEquals", Key: "aws:username", Values: vs("x")}, true, ErrUnknownOperator, ""},
	{"misspelt operator", Entry{Operator: "StringEqual", Key: "aws:username", Values: vs("x")}, true, ErrUnknownOperator, ""},
	{"lower-case IfExists", Entry{Operator: "StringEqualsifexists", Key: "aws:username", Values: vs("x")}, true, ErrUnknownOperator, ""},
	{"lower-case base with IfExists", Entry{Operator: "stringequalsIfExists", Key: "aws:username", Values: vs("x")}, true, ErrUnknownOperator, ""},
	{"IfExists alone", Entry{Operator: "IfExists", Key: "k", Values: vs("x")}, true, ErrUnknownOperator, ""},
	{"empty operator", Entry{Operator: "", Key: "k", Values: vs("x")}, true, ErrUnknownOperator, ""},
	{"two qualifiers", Entry{Operator: "ForAllValues:ForAnyValue:StringLike", Key: "k", Values: vs("x")}, true, ErrUnknownOperator, ""},
	{"unknown qualifier", Entry{Operator: "ForSomeValues:StringLike", Key: "k", Values: vs("x")}, true, ErrUnknownQualifier, ""},
	{"plural qualifier", Entry{Operator: "ForAnyValues:StringLike", Key: "aws:TagKeys", Values: vs("x")}, true, ErrUnknownQualifier, ""},
	{"lower-case qualifier", Entry{Operator: "forallvalues:StringLike", Key: "aws:TagKeys", Values: vs("x")}, true, ErrUnknownQualifier, ""},
	{"Null IfExists", Entry{Operator: "NullIfExists", Key: "aws:TokenIssueTime", Values: vs("true")}, true, ErrNullModifier, ""},
	{"Null qualifier", Entry{Operator: "ForAnyValue:Null", Key: "aws:TagKeys", Values: vs("true")}, true, ErrNullModifier, ""},
	{"empty key", Entry{Operator: "StringEquals", Key: "", Values: vs("x")}, true, ErrEmptyKey, ""},
	{"bad number", Entry{Operator: "NumericLessThan", Key: "s3:max-keys", Values: vs("10", "ten")}, true, ErrInvalidValue, "ten"},
	{"number variable", Entry{Operator: "NumericLessThan", Key: "s3:max-keys", Values: vs("${aws:x}")}, true, ErrInvalidValue, "${aws:x}"},
	{"bad date", Entry{Operator: "DateGreaterThan", Key: "aws:CurrentTime", Values: vs("2020-13-01T00:00:00Z")}, true, ErrInvalidValue, "2020-13-01T00:00:00Z"},
	{"date wildcard", Entry{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: vs("2020-*")}, true, ErrInvalidValue, "2020-*"},
	{"date variable", Entry{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: vs("${aws:TokenIssueTime}")}, true, ErrInvalidValue, "${aws:TokenIssueTime}"},
	{"bad ip", Entry{Operator: "IpAddress", Key: "aws:SourceIp", Values: vs("203.0.113.0/33")}, true, ErrInvalidValue, "203.0.113.0/33"},
	{"ip with zone", Entry{Operator: "NotIpAddress", Key: "aws:SourceIp", Values: vs("fe80::1%eth0")}, true, ErrInvalidValue, "fe80::1%eth0"},
	{"ip hostname", Entry{Operator: "IpAddress", Key: "aws:SourceIp", Values: vs("example.com")}, true, ErrInvalidValue, "example.com"},
	{"bad base64", Entry{Operator: "BinaryEquals", Key: "k", Values: vs("not base64!")}, true, ErrInvalidValue, "not base64!"},
	{"bad bool", Entry{Operator: "Bool", Key: "aws:SecureTransport", Values: vs("yes")}, true, ErrInvalidValue, "yes"},
	{"bool variable under 2008", Entry{Operator: "Bool", Key: "aws:SecureTransport", Values: vs("${aws:x}")}, false, ErrInvalidValue, "${aws:x}"},
	{"bad null", Entry{Operator: "Null", Key: "aws:TokenIssueTime", Values: vs("maybe")}, true, ErrInvalidValue, "maybe"},
}

func TestCompileErrors(t *testing.T) {
	var golden strings.Builder
	for _, tt := range badEntries {
		t.Run(tt.name, func(t *testing.T) {
			tt.entry.Pos = 42
			b, err := Compile([]Entry{{Operator: "StringEquals", Key: "ok", Values: vs("x")}, tt.entry}, tt.vars)
			if b != nil {
				t.Fatalf("Compile returned a block with error %v", err)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not *Error", err, err)
			}
			if ce.Code != tt.code || ce.Operator != tt.entry.Operator || ce.Key != tt.entry.Key || ce.Value != tt.value || ce.Pos != 42 {
				t.Fatalf("error = %+v; want code %s, value %q", ce, tt.code, tt.value)
			}
			fmt.Fprintf(&golden, "%s\n\t%s\n", tt.name, err)
		})
	}
	path := filepath.Join("testdata", "errors.golden")
	if *update {
		if err := os.WriteFile(path, []byte(golden.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if golden.String() != string(want) {
		t.Fatalf("error messages differ from %s (run go test -update and review the diff):\n%s", path, golden.String())
	}
}

func TestCompileAcceptsEveryOperator(t *testing.T) {
	sample := map[family]string{
		famString: "x", famARN: "arn:aws:s3:::b", famNumeric: "1", famDate: "2020-01-01",
		famBool: "true", famBinary: "QQ==", famIP: "10.0.0.0/8", famNull: "true",
	}
	for name, op := range operators {
		forms := []string{name}
		if op.fam != famNull {
			forms = append(forms, name+"IfExists", "ForAllValues:"+name, "ForAnyValue:"+name+"IfExists")
		}
		for _, form := range forms {
			t.Run(form, func(t *testing.T) {
				b, err := Compile([]Entry{{Operator: form, Key: "K", Values: vs(sample[op.fam])}}, true)
				if err != nil {
					t.Fatal(err)
				}
				_, res := b.Trace(Map{})
				if res[0].Operator != name || res[0].Negated != op.neg || res[0].IfExists != strings.HasSuffix(form, "IfExists") {
					t.Fatalf("Result = %+v", res[0])
				}
				if q := res[0].Qualifier; q != "" && !strings.HasPrefix(form, q+":") {
					t.Fatalf("Qualifier = %q", q)
				}
			})
		}
	}
}

func TestCompileEmptyAndNil(t *testing.T) {
	b, err := Compile(nil, true)
	if err != nil || b.Len() != 0 || !b.Eval(Map{}) || b.Keys() != nil {
		t.Fatalf("Compile(nil) = %v, %v", b, err)
	}
	var nilBlock *Block
	if !nilBlock.Eval(nil) || nilBlock.Len() != 0 || nilBlock.Keys() != nil || nilBlock.VariableKeys() != nil {
		t.Fatal("nil block must match and be empty")
	}
	if ok, res := nilBlock.Trace(nil); !ok || res != nil {
		t.Fatal("nil block Trace")
	}
}

func TestFamilyNames(t *testing.T) {
	for f := famString; f <= famNull; f++ {
		if f.String() == "" {
			t.Fatalf("family %d has no name", f)
		}
	}
}
