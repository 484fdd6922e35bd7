package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// TestDecisionPage signs in to the decision page with the login URL `verdict
// ui --print-url` prints, loads it in headless Chromium, and checks the DOM
// the page's script builds: the denied decision's row, the red chain stage of
// the layer that decided, and the fix. It also takes a screenshot; set
// VERDICT_UI_SCREENSHOT=FILE.png to keep it.
func TestDecisionPage(t *testing.T) {
	browser := needChromium(t)
	s := start(t)
	ctx := context.Background()
	const uiBucket = "ui-reports"
	a := s.s3(root(accountA))
	if _, err := a.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(uiBucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(uiBucket), Key: aws.String("q1.csv"), Body: strings.NewReader("q1,42\n")}); err != nil {
		t.Fatal(err)
	}
	// alice has no policy: the identity-based policies allow nothing.
	if _, err := s.iam(root(accountA)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	k, err := s.iam(root(accountA)).CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	alice := creds{id: *k.AccessKey.AccessKeyId, secret: *k.AccessKey.SecretAccessKey}
	_, err = s.s3(alice).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(uiBucket), Key: aws.String("q1.csv")})
	if apiCode(err) != "AccessDenied" {
		t.Fatalf("alice's read: err = %v, want AccessDenied", err)
	}
	var withID interface{ ServiceRequestID() string }
	if !errors.As(err, &withID) || withID.ServiceRequestID() == "" {
		t.Fatalf("no request ID in %v", err)
	}
	deniedID := withID.ServiceRequestID()

	login := loginURL(t, s, root(accountA), "")
	dom := runChromium(t, browser, "--dump-dom", login)
	checks := []struct {
		name string
		re   string
	}{
		{"the denied decision's row", `<tr class="decision denied[^"]*" data-request-id="` + deniedID + `"`},
		{"an allowed decision's row", `<tr class="decision allowed[^"]*" data-request-id="[0-9A-F]+"`},
		{"the denial is shown", `<h2 class="denied" data-request-id="` + deniedID + `">Denied: s3:GetObject`},
		{"red identity stage", `<li class="step step-denied" data-layer="identity" data-status="denied"[^>]*><span class="mark">✗</span><span class="title">identity-based policies</span>`},
		{"green or grey elsewhere", `<li class="step step-not-applicable" data-layer="scp"`},
		{"AWS message", `<span class="aws-message">User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject`},
		{"the fix", `<div class="fix" data-cause="identity-policy-missing">`},
		{"the fix's command", `aws iam put-user-policy --user-name alice`},
		{"the account", `<span id="account" class="account">account 111111111111</span>`},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !regexp.MustCompile(c.re).MatchString(dom) {
				t.Errorf("the page lacks %s (/%s/); DOM:\n%s", c.name, c.re, dom)
			}
		})
	}

	t.Run("a link to an allowed decision", func(t *testing.T) {
		// With an identity policy alice's read is allowed; the identity
		// stage that granted it is green.
		if _, err := s.iam(root(accountA)).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"),
			PolicyName: aws.String("Read"), PolicyDocument: aws.String(strings.ReplaceAll(readPolicy, "shared-reports", uiBucket))}); err != nil {
			t.Fatal(err)
		}
		out, err := s.s3(alice).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(uiBucket), Key: aws.String("q1.csv")})
		if err != nil {
			t.Fatal(err)
		}
		out.Body.Close()
		allowedID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		dom := runChromium(t, browser, "--dump-dom", loginURL(t, s, root(accountA), allowedID))
		for _, re := range []string{
			`<h2 class="allowed" data-request-id="` + allowedID + `">Allowed: s3:GetObject`,
			`<li class="step step-passed" data-layer="identity" data-status="passed"[^>]*><span class="mark">✓</span><span class="title">identity-based policies</span><span class="stmt mono">[^<]*ReadShared`,
			`<tr class="decision allowed selected" data-request-id="` + allowedID + `"`,
		} {
			if !regexp.MustCompile(re).MatchString(dom) {
				t.Errorf("the page lacks /%s/; DOM:\n%s", re, dom)
			}
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		shot := os.Getenv("VERDICT_UI_SCREENSHOT")
		if shot == "" {
			shot = filepath.Join(t.TempDir(), "decision-page.png")
		}
		runChromium(t, browser, "--screenshot="+shot, "--window-size=1400,900", login)
		b, err := os.ReadFile(shot)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || len(b) < 10<<10 {
			t.Fatalf("%s is not a plausible screenshot (%d bytes)", shot, len(b))
		}
		t.Logf("screenshot: %s (%d bytes)", shot, len(b))
	})

	t.Run("no session", func(t *testing.T) {
		dom := runChromium(t, browser, "--dump-dom", s.endpoint+"/_verdict/ui/")
		if !strings.Contains(dom, `id="signin"`) || strings.Contains(dom, deniedID) {
			t.Fatalf("without a session the page must refuse; DOM:\n%s", dom)
		}
	})
}

// needChromium returns Chromium's path, skipping the test when it is missing
// outside CI.
func needChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI but not installed (apt-get install chromium)", chromiumPath)
		}
		t.Skipf("%s not installed", chromiumPath)
	}
	return chromiumPath
}

// loginURL runs `verdict ui --print-url [REQUEST-ID]` with c's credentials.
func loginURL(t *testing.T, s *server, c creds, requestID string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := []string{"ui", "--print-url", "--endpoint", s.endpoint}
	if requestID != "" {
		args = append(args, requestID)
	}
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = cliEnv(c)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("verdict ui --print-url: %v\n%s", err, errOut.String())
	}
	u := strings.TrimSpace(out.String())
	if !strings.HasPrefix(u, s.endpoint+"/_verdict/ui/login?") || !strings.Contains(u, "X-Amz-Expires=300") {
		t.Fatalf("login URL %q", u)
	}
	return u
}

// runChromium runs headless Chromium once with a fresh profile and returns
// its standard output. Cookies set during the run (the login redirect's)
// last for that run only.
func runChromium(t *testing.T, browser string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000"}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	// Chromium forks helpers; on timeout stop the whole process group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}
