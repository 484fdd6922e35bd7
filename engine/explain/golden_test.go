package explain

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/engine/authz"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// scenarioTime is the time every golden record is logged at.
var scenarioTime = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// scenarios loads testdata/scenarios, sorted by name.
func scenarios(t testing.TB) ([]string, map[string]*corpusCase) {
	t.Helper()
	cases := loadCases(t, "testdata/scenarios")
	var names []string
	for f := range cases {
		names = append(names, f)
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no scenarios")
	}
	return names, cases
}

// scenarioRecord decides a scenario as the server does and logs it.
func scenarioRecord(t testing.TB, name string, c *corpusCase, traced bool) *Record {
	t.Helper()
	req, in, err := c.Build()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	d := authz.Decide(req, in, authz.Options{Trace: traced})
	r := NewRecord(req, in, &d)
	r.Seq = 7
	// S3 request IDs are 16 upper-case hex digits.
	sum := sha256.Sum256([]byte(name))
	r.RequestID = strings.ToUpper(hex.EncodeToString(sum[:8]))
	r.Time = scenarioTime
	return &r
}

func scenarioName(file string) string {
	return strings.TrimSuffix(filepath.Base(file), ".yaml")
}

// TestGolden explains each scenario and compares the text and JSON forms
// with testdata/golden/<scenario>.{txt,json}. Run with -update to rewrite.
func TestGolden(t *testing.T) {
	files, cases := scenarios(t)
	type variant struct {
		suffix  string
		traced  bool
		verbose bool
	}
	for _, file := range files {
		c := cases[file]
		name := scenarioName(file)
		variants := []variant{{"", true, false}}
		switch name {
		case "allowed":
			// The server logs allowed decisions without a trace.
			variants = append(variants, variant{"-untraced", false, false})
		case "explicit-deny-bucket-policy":
			variants = append(variants, variant{"-verbose", true, true})
		}
		for _, v := range variants {
			t.Run(name+v.suffix, func(t *testing.T) {
				r := scenarioRecord(t, name, c, v.traced)
				checkExpect(t, c, r)
				e := Explain(r)
				var txt, js bytes.Buffer
				if err := WriteText(&txt, e, TextOptions{Verbose: v.verbose}); err != nil {
					t.Fatal(err)
				}
				if err := WriteJSON(&js, e); err != nil {
					t.Fatal(err)
				}
				golden(t, name+v.suffix+".txt", txt.Bytes())
				if !v.verbose {
					golden(t, name+v.suffix+".json", js.Bytes())
				}
				checkSchema(t, js.Bytes())
			})
		}
	}
}

// checkExpect makes sure a scenario still decides the way it was written
// to, so a golden file never silently explains another cause.
func checkExpect(t *testing.T, c *corpusCase, r *Record) {
	t.Helper()
	want := c.Expect
	if got := map[bool]string{true: "allow", false: "deny"}[r.Allowed]; got != want.Decision {
		t.Fatalf("decision %s, want %s", got, want.Decision)
	}
	if want.Effect != "" && r.Effect != want.Effect {
		t.Fatalf("effect %s, want %s", r.Effect, want.Effect)
	}
	if want.Layer != "" && r.Layer != want.Layer {
		t.Fatalf("layer %s, want %s", r.Layer, want.Layer)
	}
	if ws := want.Statement; ws != nil {
		found := false
		for _, ref := range r.Statements {
			found = found || ((ws.Sid == "" || ref.Sid == ws.Sid) && (ws.Policy == "" || ref.Policy == ws.Policy))
		}
		if !found {
			t.Fatalf("deciding statements %+v lack %+v", r.Statements, *ws)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n want: " + w + "\n got:  " + g
		}
	}
	return ""
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
