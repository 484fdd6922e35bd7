package explain

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/engine/authz"
)

// corpusDir is engine/authz's decision corpus.
const corpusDir = "../authz/testdata/cases"

// TestCorpusExplains explains every decision of the authz corpus, traced
// (as the server logs denials) and untraced (as it logs allows), and checks
// properties every explanation must have: no panic, output in the
// documented schema, one ✗ exactly for a denial and none for an allow, at
// least one fix for every denial, and the same output twice.
func TestCorpusExplains(t *testing.T) {
	cases := loadCases(t, corpusDir)
	if len(cases) < 100 {
		t.Fatalf("only %d corpus cases found in %s", len(cases), corpusDir)
	}
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		c := cases[name]
		t.Run(strings.TrimSuffix(strings.TrimPrefix(name, corpusDir+"/"), ".yaml"), func(t *testing.T) {
			req, in, err := c.Build()
			if err != nil {
				t.Fatal(err)
			}
			for _, traced := range []bool{true, false} {
				d := authz.Decide(req, in, authz.Options{Trace: traced})
				r := NewRecord(req, in, &d)
				e := Explain(&r)
				checkExplanation(t, &r, e, traced)
			}
		})
	}
}

func checkExplanation(t *testing.T, r *Record, e *Explanation, traced bool) {
	t.Helper()
	var js, js2, txt bytes.Buffer
	if err := WriteJSON(&js, e); err != nil {
		t.Fatal(err)
	}
	checkSchema(t, js.Bytes())
	if err := WriteJSON(&js2, Explain(r)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js.Bytes(), js2.Bytes()) {
		t.Fatal("Explain is not deterministic")
	}
	for _, verbose := range []bool{false, true} {
		txt.Reset()
		if err := WriteText(&txt, e, TextOptions{Verbose: verbose}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(txt.String(), map[bool]string{true: "ALLOWED", false: "DENIED"}[r.Allowed]) {
			t.Fatalf("text starts %q", firstLine(txt.String()))
		}
	}
	denied := 0
	for _, s := range e.Chain {
		if s.Status == StatusDenied {
			denied++
		}
	}
	switch {
	case r.Allowed && denied != 0:
		t.Errorf("allowed request with %d denied steps", denied)
	case !r.Allowed && denied != 1:
		t.Errorf("denied request (layer %s) with %d denied steps", r.Layer, denied)
	case !r.Allowed && len(e.Fixes) == 0:
		t.Errorf("denied request (layer %s, %s) without a fix", r.Layer, r.Effect)
	case r.Allowed && len(e.Fixes) != 0:
		t.Errorf("allowed request with fixes")
	}
	if !r.Allowed && traced && r.Effect == string(authz.ExplicitDeny) && r.Layer != string(authz.LayerPublicAccess) {
		if len(e.Deciding) != 1 || e.Deciding[0].Decisive == "" {
			t.Errorf("explicit deny without a decisive element: %+v", e.Deciding)
		}
	}
	for _, fx := range e.Fixes {
		if fx.Summary == "" || fx.Cause == "" {
			t.Errorf("fix without summary or cause: %+v", fx)
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
