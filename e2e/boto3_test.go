package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBoto3 runs the cross-account scenario with boto3 and its default
// checksum behaviour (CRC32 trailers over aws-chunked bodies).
func TestBoto3(t *testing.T) {
	py := need(t, "python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("boto3 is required in CI")
		}
		t.Skip("boto3 not installed")
	}
	s := start(t)
	cmd := exec.Command(py, "testdata/boto3_scenario.py")
	cmd.Env = append(cliEnv(creds{}), "VERDICT_ENDPOINT="+s.endpoint)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "boto3 scenario passed") {
		t.Fatalf("boto3 scenario: %v\n%s\nserver log:\n%s", err, out, s.log)
	}
}
