// Package deptest enforces the import rules of ARCHITECTURE.md: the decision
// engine is a pure library, the store knows nothing of the layers above it, and
// the wire formats know nothing of storage or services.
package deptest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/verdict-project/verdict"

type pkg struct {
	ImportPath string
	Deps       []string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps,Imports", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func TestImportRules(t *testing.T) {
	// Standard-library packages the engine may not use: they would give it
	// I/O, a network, a database, processes or the environment.
	bannedStd := map[string]bool{
		"net/http": true, "net": true, "database/sql": true, "os": true, "os/exec": true,
		"io/fs": true, "syscall": true, "time": false, "log": true, "runtime/debug": false,
		"net/netip": false, // addresses as values are fine
	}
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(p.ImportPath, module+"/")
		switch {
		case strings.HasPrefix(rel, "engine/"):
			for _, d := range p.Deps {
				if !isStd(d) && !strings.HasPrefix(d, module+"/engine/") {
					t.Errorf("%s depends on %s: the engine may import only the standard library and engine/...", rel, d)
				}
			}
			// Direct imports only: fmt itself imports os, which is fine.
			for _, d := range p.Imports {
				if bannedStd[d] {
					t.Errorf("%s imports %s: the engine is pure (no I/O, network, database, processes or environment)", rel, d)
				}
			}
		case strings.HasPrefix(rel, "store/"):
			for _, d := range p.Deps {
				for _, bad := range []string{"/engine", "/service", "/server"} {
					if strings.HasPrefix(d, module+bad+"/") || d == module+bad {
						t.Errorf("%s depends on %s: the store never imports engine, service or server", rel, d)
					}
				}
			}
		case strings.HasPrefix(rel, "protocol/"):
			for _, d := range p.Deps {
				for _, bad := range []string{"/store", "/service", "/server"} {
					if strings.HasPrefix(d, module+bad+"/") || d == module+bad {
						t.Errorf("%s depends on %s: protocol packages never import store or service", rel, d)
					}
				}
			}
		}
	}
}

// TestEngineReadsNoClock makes sure no engine package calls time.Now: the
// request time is an input (aws:CurrentTime), never read by the engine.
func TestEngineReadsNoClock(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", module+"/engine/...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range strings.Fields(string(out)) {
		grep := exec.Command("grep", "-rlE", `time\.(Now|Since|Until)\(|os\.Getenv|os\.LookupEnv`, "--include=*.go", "--exclude=*_test.go", dir)
		res, _ := grep.Output()
		if s := strings.TrimSpace(string(res)); s != "" {
			t.Errorf("engine code reads the clock or environment: %s", s)
		}
	}
}
