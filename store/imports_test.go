package store_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules enforces the layering in the architecture: nothing under
// store/ depends on the policy engine, the services or the server.
func TestImportRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-test", "./...").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	const module = "github.com/verdict-project/verdict/"
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"engine", "service", "server"} {
			if dep == module+banned || strings.HasPrefix(dep, module+banned+"/") {
				t.Errorf("store depends on %s", dep)
			}
		}
	}
}
