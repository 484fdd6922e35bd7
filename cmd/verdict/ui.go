package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"strconv"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// loginExpires is how long a login URL printed by `verdict ui` stays valid.
const loginExpires = 300 * time.Second

// emptySHA256 is the hex SHA-256 of an empty body: the payload a presigned
// GET to a non-S3 scope signs.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// uiCmd prints a short-lived presigned login URL for the decision page. A
// browser cannot sign SigV4, so the URL carries the signature in its query
// (SigV4 query authentication); the server checks it like any presigned
// request and answers with a session cookie.
func uiCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ui", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "", "verdict endpoint (default $AWS_ENDPOINT_URL or http://127.0.0.1:4566)")
	printURL := fs.Bool("print-url", false, "print only the login URL, without checking the credentials with the server")
	open := fs.Bool("open", false, "open the login URL in the default browser")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verdict ui [flags] [REQUEST-ID]")
		fmt.Fprintln(stderr, "Prints a login URL for the decision page, valid for 5 minutes; with REQUEST-ID the page opens on that decision.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errors.New("give at most one request ID")
	}
	ctx, cancel := signalContext()
	defer cancel()
	c, err := newAdminClient(ctx, *endpoint)
	if err != nil {
		return err
	}
	u, err := c.loginURL(ctx, fs.Arg(0), time.Now())
	if err != nil {
		return err
	}
	if *printURL {
		_, err := fmt.Fprintln(stdout, u)
		return err
	}
	who, err := c.whoami(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Decision page for account %s (signed in as %s).\nOpen within %d minutes:\n\n  %s\n\n", who.Account, who.ARN, int(loginExpires/time.Minute), u)
	if *open {
		return openBrowser(u)
	}
	return nil
}

// loginURL presigns GET /_verdict/ui/login with the client's credentials.
func (c *adminClient) loginURL(ctx context.Context, requestID string, now time.Time) (string, error) {
	if c.creds == nil {
		return "", errors.New("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a profile)")
	}
	cr, err := c.creds.Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("AWS credentials: %w", err)
	}
	q := url.Values{}
	q.Set("X-Amz-Expires", strconv.Itoa(int(loginExpires/time.Second)))
	if requestID != "" {
		q.Set("request-id", requestID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint+"/_verdict/ui/login?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	signed, _, err := v4.NewSigner().PresignHTTP(ctx, cr, req, emptySHA256, "verdict", c.region, now)
	if err != nil {
		return "", err
	}
	return signed, nil
}

// identity is the admin API's whoami answer.
type identity struct {
	ARN     string `json:"arn"`
	Account string `json:"account"`
}

func (c *adminClient) whoami(ctx context.Context) (*identity, error) {
	resp, err := c.get(ctx, "whoami", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var id identity
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&id); err != nil {
		return nil, fmt.Errorf("whoami: %w", err)
	}
	return &id, nil
}

// openBrowser hands u to the desktop's URL opener.
func openBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening a browser: %w (open the URL above yourself)", err)
	}
	return cmd.Process.Release()
}
