package authz_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/internal/corpus"
)

// The decision corpus: one behaviour per file under testdata/cases/<area>/,
// loaded by internal/corpus. The format is documented in
// testdata/cases/README.md.

var corpusFilter = flag.String("case", "", "run only corpus cases whose path contains this string")

func loadCorpus(t testing.TB) []corpus.File {
	t.Helper()
	files, err := corpus.Load("testdata/cases")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no corpus cases")
	}
	return files
}

func TestCorpus(t *testing.T) {
	for _, f := range loadCorpus(t) {
		if *corpusFilter != "" && !strings.Contains(f.Path, *corpusFilter) {
			continue
		}
		c := f.Case
		t.Run(strings.TrimSuffix(strings.TrimPrefix(f.Path, "testdata/cases/"), ".yaml"), func(t *testing.T) {
			if c.Source == "" {
				t.Errorf("case has no source: every case cites the AWS page or example it encodes")
			}
			req, in, err := c.Build()
			if err != nil {
				t.Fatal(err)
			}
			d := authz.Decide(req, in, authz.Options{})
			checkExpect(t, c, req, &d)
			// Tracing must never change the decision.
			dt := authz.Decide(req, in, authz.Options{Trace: true})
			if !sameDecision(&d, &dt) {
				t.Errorf("trace changed the decision: %+v vs %+v", dt, d)
			}
		})
	}
}

func sameDecision(a, b *authz.Decision) bool {
	if a.Allowed != b.Allowed || a.Effect != b.Effect || a.Layer != b.Layer || a.Enhanced != b.Enhanced || len(a.Statements) != len(b.Statements) {
		return false
	}
	for i := range a.Statements {
		if a.Statements[i] != b.Statements[i] {
			return false
		}
	}
	return true
}

func checkExpect(t *testing.T, c *corpus.Case, req *authz.Request, d *authz.Decision) {
	t.Helper()
	want := c.Expect
	got := "deny"
	if d.Allowed {
		got = "allow"
	}
	if want.Decision != got {
		t.Errorf("decision = %s (effect %s, layer %s), want %s", got, d.Effect, d.Layer, want.Decision)
	}
	if want.Effect != "" && string(d.Effect) != want.Effect {
		t.Errorf("effect = %s, want %s", d.Effect, want.Effect)
	}
	if want.Layer != "" && string(d.Layer) != want.Layer {
		t.Errorf("layer = %s, want %s", d.Layer, want.Layer)
	}
	if ws := want.Statement; ws != nil {
		found := false
		for _, r := range d.Statements {
			if (ws.Policy == "" || r.Policy == ws.Policy) && (ws.Sid == "" || r.Sid == ws.Sid) && (ws.Index == nil || r.Index == *ws.Index) {
				found = true
			}
		}
		if !found {
			t.Errorf("deciding statements %+v do not include %+v", d.Statements, *ws)
		}
	}
	if want.Message != "" {
		if m := d.Message(req); m != want.Message {
			t.Errorf("message:\n got  %s\n want %s", m, want.Message)
		}
	}
}
