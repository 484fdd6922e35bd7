package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestChainBoto3 drives KMS (SSE-KMS across accounts, aws/s3, a disabled
// key), STS (cross-account AssumeRole with ExternalId and a session policy),
// Organizations (an RCP deny for outside accounts) and the Identity Center
// scenario from a world file, with boto3.
func TestChainBoto3(t *testing.T) {
	py := need(t, "python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("boto3 is required in CI")
		}
		t.Skip("boto3 not installed")
	}
	s := start(t, "--world", "testdata/identity-center-world.yaml")
	cmd := exec.Command(py, "testdata/boto3_chain.py")
	cmd.Env = append(cliEnv(creds{}), "VERDICT_ENDPOINT="+s.endpoint)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "chain scenario passed") {
		t.Fatalf("boto3 chain scenario: %v\n%s\nserver log:\n%s", err, out, s.log)
	}
	t.Logf("%d checks passed", strings.Count(string(out), "ok   "))
}
