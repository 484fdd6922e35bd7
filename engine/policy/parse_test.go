package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/engine/condition"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		wantCode ErrorCode
		check    func(t *testing.T, p *Policy)
	}{
		{
			name: "statement object",
			doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			check: func(t *testing.T, p *Policy) {
				if len(p.Statements) != 1 || p.Statements[0].Effect != Allow || !p.Variables() {
					t.Fatalf("%+v", p)
				}
			},
		},
		{
			name: "statement array with sid and positions",
			doc:  "{\"Version\":\"2008-10-17\",\n\"Statement\":[\n {\"Sid\":\"A\",\"Effect\":\"Deny\",\"NotAction\":[\"s3:*\"],\"NotResource\":\"arn:aws:s3:::b\"}]}",
			check: func(t *testing.T, p *Policy) {
				s := p.Statements[0]
				if s.Sid != "A" || s.Effect != Deny || !s.NotAction || !s.NotResource || s.Line != 3 || s.Col != 2 || p.Variables() {
					t.Fatalf("%+v", s)
				}
			},
		},
		{
			name: "principal forms",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*","111122223333","arn:aws:iam::444455556666:root","arn:aws:iam::111122223333:user/a"],
				"Service":"s3.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"Action":"s3:*","Resource":"*"}]}`,
			check: func(t *testing.T, p *Policy) {
				pr := p.Statements[0].Principal
				if !pr.All || len(pr.Accounts) != 2 || pr.Accounts[1] != "444455556666" || len(pr.Others) != 1 ||
					pr.Service[0] != "s3.amazonaws.com" || pr.Federated[0] == "" || pr.CanonicalUser[0] != "abc" {
					t.Fatalf("%+v", pr)
				}
			},
		},
		{
			name: "principal star string",
			doc:  `{"Statement":[{"Effect":"Allow","NotPrincipal":"*","Action":"s3:*","Resource":"*"}]}`,
			check: func(t *testing.T, p *Policy) {
				s := p.Statements[0]
				_ = s
				if !s.NotPrincipal || !s.Principal.All {
					t.Fatal(s)
				}
			},
		},
		{
			name: "condition values of every JSON scalar",
			doc:  `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10},"StringEquals":{"aws:username":["a","b"]}}}]}`,
			check: func(t *testing.T, p *Policy) {
				if n := len(p.Statements[0].Conditions); n != 3 || p.Statements[0].Condition == nil {
					t.Fatalf("conditions: %d", n)
				}
			},
		},
		{name: "not json", doc: `Version: 1`, wantCode: ErrSyntax},
		{name: "trailing data", doc: `{"Statement":[]} x`, wantCode: ErrSyntax},
		{name: "array top", doc: `[]`, wantCode: ErrSyntax},
		{name: "duplicate key", doc: `{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"*"}]}`, wantCode: ErrSyntax},
		{name: "missing statement", doc: `{"Version":"2012-10-17"}`, wantCode: ErrMissingElement},
		{name: "missing effect", doc: `{"Statement":[{"Action":"*","Resource":"*"}]}`, wantCode: ErrMissingElement},
		{name: "missing action", doc: `{"Statement":[{"Effect":"Allow","Resource":"*"}]}`, wantCode: ErrMissingElement},
		{name: "bad effect", doc: `{"Statement":[{"Effect":"allow","Action":"*"}]}`, wantCode: ErrInvalidElement},
		{name: "effect not string", doc: `{"Statement":[{"Effect":1,"Action":"*"}]}`, wantCode: ErrInvalidElement},
		{name: "unknown element", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Foo":1}]}`, wantCode: ErrUnknownElement},
		{name: "unknown top element", doc: `{"Statement":[],"Foo":1}`, wantCode: ErrUnknownElement},
		{name: "action and notaction", doc: `{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*"}]}`, wantCode: ErrConflict},
		{name: "resource and notresource", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}]}`, wantCode: ErrConflict},
		{name: "principal and notprincipal", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Principal":"*","NotPrincipal":"*"}]}`, wantCode: ErrConflict},
		{name: "action number", doc: `{"Statement":[{"Effect":"Allow","Action":[1]}]}`, wantCode: ErrInvalidElement},
		{name: "action object", doc: `{"Statement":[{"Effect":"Allow","Action":{}}]}`, wantCode: ErrInvalidElement},
		{name: "principal bare string", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Principal":"111122223333"}]}`, wantCode: ErrInvalidElement},
		{name: "principal empty", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Principal":{}}]}`, wantCode: ErrInvalidElement},
		{name: "principal bad type", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"IAM":"x"}}]}`, wantCode: ErrInvalidElement},
		{name: "principal number", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Principal":5}]}`, wantCode: ErrInvalidElement},
		{name: "statement number", doc: `{"Statement":5}`, wantCode: ErrInvalidElement},
		{name: "statement item number", doc: `{"Statement":[5]}`, wantCode: ErrInvalidElement},
		{name: "version number", doc: `{"Version":1,"Statement":[]}`, wantCode: ErrInvalidElement},
		{name: "id number", doc: `{"Id":1,"Statement":[]}`, wantCode: ErrInvalidElement},
		{name: "sid number", doc: `{"Statement":[{"Sid":1,"Effect":"Allow","Action":"*"}]}`, wantCode: ErrInvalidElement},
		{name: "condition not object", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Condition":[]}]}`, wantCode: ErrInvalidElement},
		{name: "condition operator not object", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":"x"}}]}`, wantCode: ErrInvalidElement},
		{name: "condition value object", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":{}}}}]}`, wantCode: ErrInvalidElement},
		{name: "condition list item object", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":[{}]}}}]}`, wantCode: ErrInvalidElement},
		{name: "condition unknown operator", doc: `{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEqualz":{"k":"v"}}}]}`, wantCode: ErrInvalidCondition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.doc))
			if tt.wantCode != 0 {
				pe, ok := AsError(err)
				if !ok || pe.Code != tt.wantCode {
					t.Fatalf("err = %v (%+v), want code %d", err, pe, tt.wantCode)
				}
				if pe.Error() == "" {
					t.Fatal("empty message")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p)
		})
	}
}

func TestJSONReader(t *testing.T) {
	good := []string{`{"a":"\u00e9\n\t\"\\\/\b\f\r","b":-1.5e+3,"c":[true,false,null],"d":"\ud83d\ude00","e":"é"}`, `{ }`, `[ ]`, `0`, `{"a":[]}`}
	for _, s := range good {
		if _, err := parseJSON([]byte(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	bad := []string{``, `{`, `{"a"`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{"a" 1}`, `"abc`, `"\x"`, `"\u12"`, `01x`, `-`, `1.`, `1e`, `tru`, `nul`, `"a` + "\x01" + `"`, `"` + "\xff" + `"`, `{1:2}`, `{"a":1 "b":2}`, `@`, strings.Repeat("[", 100) + strings.Repeat("]", 100)}
	for _, s := range bad {
		if _, err := parseJSON([]byte(s)); err == nil {
			t.Errorf("%q: want an error", s)
		}
	}
	if n, _ := parseJSON([]byte(`"\ud83dx"`)); n != nil && n.text == "" {
		t.Error("lone surrogate")
	}
}

func TestMatchActionResource(t *testing.T) {
	p, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["S3:Get*","ec2:*"],"Resource":["arn:aws:s3:::b/${aws:username}/*","arn:aws:s3:::c"]},
		{"Effect":"Allow","NotAction":"s3:DeleteBucket","NotResource":"arn:aws:s3:::secret*"},
		{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Allow","Action":"iam:GetUser"},
		{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := condition.Map{"aws:username": {"alice"}}
	s0, s1, s2, s3 := &p.Statements[0], &p.Statements[1], &p.Statements[2], &p.Statements[3]
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"action case-insensitive", s0.MatchAction("s3:getobject"), true},
		{"action other service", s0.MatchAction("iam:getuser"), false},
		{"variable resolved", s0.MatchResource("arn:aws:s3:::b/alice/x", ctx, true), true},
		{"variable other user", s0.MatchResource("arn:aws:s3:::b/bob/x", ctx, true), false},
		{"variable unresolved matches nothing", s0.MatchResource("arn:aws:s3:::b/${aws:username}/x", condition.Map{}, true), false},
		{"second resource", s0.MatchResource("arn:aws:s3:::c", ctx, true), true},
		{"notaction excludes", s1.MatchAction("s3:deletebucket"), false},
		{"notaction includes", s1.MatchAction("s3:getobject"), true},
		{"notresource excludes", s1.MatchResource("arn:aws:s3:::secret-b", ctx, true), false},
		{"notresource includes", s1.MatchResource("arn:aws:s3:::open", ctx, true), true},
		{"star resource", s2.MatchResource("anything", ctx, true), true},
		{"no resource element", s3.MatchResource("arn:aws:iam::1:role/r", ctx, true), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %v want %v", tt.got, tt.want)
			}
		})
	}
	// The index: every statement that matches is a candidate, none twice.
	for _, action := range []string{"s3:getobject", "ec2:runinstances", "iam:getuser", "s3:deletebucket", "kms:decrypt"} {
		seen := map[int32]bool{}
		ex, sv, an := p.Candidates(action)
		for _, l := range [][]int32{ex, sv, an} {
			for _, i := range l {
				if seen[i] {
					t.Errorf("%s: statement %d listed twice", action, i)
				}
				seen[i] = true
			}
		}
		for i := range p.Statements {
			if p.Statements[i].MatchAction(action) && !seen[int32(i)] {
				t.Errorf("%s: matching statement %d not a candidate", action, i)
			}
		}
	}
	if Allow.String() != "Allow" || Deny.String() != "Deny" || Effect(0).String() != "?" {
		t.Error("Effect.String")
	}
	var pe *Error
	_, err = Parse([]byte(`{`))
	if !errors.As(err, &pe) || pe.Unwrap() == nil {
		t.Error("syntax error should wrap the JSON error")
	}
}

// FuzzParse: the parser never panics, and whatever it accepts can be
// evaluated.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:username":"a"}}}]}`))
	f.Add([]byte(`{"Statement":{"Effect":"Deny","NotAction":"*","NotResource":["*"]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := Parse(doc)
		if err != nil {
			if _, ok := AsError(err); !ok {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		ctx := condition.Map{"aws:username": {"a"}}
		for i := range p.Statements {
			s := &p.Statements[i]
			s.MatchAction("s3:getobject")
			s.MatchResource("arn:aws:s3:::b/k", ctx, p.Variables())
			if s.Condition != nil {
				s.Condition.Eval(ctx)
			}
		}
		p.Candidates("s3:getobject")
	})
}
