package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWebIdentity runs the GitHub Actions pattern with boto3: an OIDC token
// minted by `verdict web-identity-token`, exchanged without AWS credentials
// for a role in another account (testdata/boto3_web_identity.py).
func TestWebIdentity(t *testing.T) {
	py := need(t, "python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("boto3 is required in CI")
		}
		t.Skip("boto3 not installed")
	}
	s := start(t)
	cmd := exec.Command(py, "testdata/boto3_web_identity.py")
	cmd.Env = append(cliEnv(creds{}), "VERDICT_ENDPOINT="+s.endpoint, "VERDICT_BIN="+binary, "VERDICT_DATA="+s.data)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "web identity scenario passed") {
		t.Fatalf("web identity scenario: %v\n%s\nserver log:\n%s", err, out, s.log)
	}
}
