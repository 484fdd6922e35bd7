package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAccessControlBoto3 drives S3's access-control surface with boto3:
// bucket policies, ACLs, Object Ownership, Block Public Access (bucket and
// account), Requester Pays, tagging, condition keys and 403 vs 404,
// asserting AWS's status, code and message for each.
func TestAccessControlBoto3(t *testing.T) {
	py := need(t, "python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("boto3 is required in CI")
		}
		t.Skip("boto3 not installed")
	}
	s := start(t)
	cmd := exec.Command(py, "testdata/boto3_access_control.py")
	cmd.Env = append(cliEnv(creds{}), "VERDICT_ENDPOINT="+s.endpoint)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "access control scenario passed") {
		t.Fatalf("boto3 access-control scenario: %v\n%s\nserver log:\n%s", err, out, s.log)
	}
	t.Logf("%d checks passed", strings.Count(string(out), "ok   "))
}
