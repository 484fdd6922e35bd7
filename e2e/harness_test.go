// Package e2e drives the built verdict binary with real clients: the aws CLI,
// boto3 and aws-sdk-go-v2. Each test starts its own server on a free
// loopback port with a fresh data directory, and stops it when done.
//
// The aws CLI and boto3 tests skip when the tool is missing, except in CI
// (CI=true), where a missing tool is a failure: .ci/run installs them.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "verdict-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "verdict")
	build := exec.Command("go", "build", "-o", binary, "../cmd/verdict")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building verdict:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running verdict.
type server struct {
	t        testing.TB
	endpoint string
	addr     string
	data     string
	cmd      *exec.Cmd
	log      *bytes.Buffer
	args     []string
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs verdict serve with a fresh data directory.
func start(t testing.TB, extra ...string) *server {
	t.Helper()
	s := &server{t: t, addr: freeAddr(t), data: t.TempDir(), args: extra}
	s.endpoint = "http://" + s.addr
	s.run()
	t.Cleanup(s.stop)
	return s
}

func (s *server) run() {
	s.t.Helper()
	s.log = &bytes.Buffer{}
	args := append([]string{"serve", "--addr", s.addr, "--data", s.data}, s.args...)
	s.cmd = exec.Command(binary, args...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", s.addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("verdict did not start:\n%s", s.log)
}

func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// kill stops the server with SIGKILL, as a crash would.
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// creds are an access key pair.
type creds struct{ id, secret, token string }

func root(account string) creds { return creds{id: account, secret: "test"} }

func (s *server) cfg(c creds) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(c.id, c.secret, c.token),
		BaseEndpoint: aws.String(s.endpoint),
		HTTPClient:   &http.Client{Timeout: 60 * time.Second},
	}
}

func (s *server) s3(c creds) *s3.Client {
	return s3.NewFromConfig(s.cfg(c), func(o *s3.Options) { o.UsePathStyle = true })
}
func (s *server) iam(c creds) *iam.Client { return iam.NewFromConfig(s.cfg(c)) }
func (s *server) sts(c creds) *sts.Client { return sts.NewFromConfig(s.cfg(c)) }

// need returns the path of an external tool, skipping the test when it is
// missing outside CI.
func need(t testing.TB, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI but not installed", tool)
		}
		t.Skipf("%s not installed", tool)
	}
	return p
}

// awsCLI runs the aws CLI against the server with the given credentials.
func (s *server) awsCLI(t testing.TB, c creds, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cli := need(t, "aws")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, append([]string{"--endpoint-url", s.endpoint}, args...)...)
	cmd.Env = cliEnv(c)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

func cliEnv(c creds) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "AWS_ACCESS_KEY_ID=" + c.id,
		"AWS_SECRET_ACCESS_KEY=" + c.secret, "AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER="}
	if c.token != "" {
		env = append(env, "AWS_SESSION_TOKEN="+c.token)
	}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// mustCLI runs the aws CLI and fails the test on error.
func (s *server) mustCLI(t testing.TB, c creds, args ...string) string {
	t.Helper()
	out, errOut, err := s.awsCLI(t, c, args...)
	if err != nil {
		t.Fatalf("aws %s: %v\n%s%s\nserver log:\n%s", strings.Join(args, " "), err, out, errOut, s.log)
	}
	return out
}
