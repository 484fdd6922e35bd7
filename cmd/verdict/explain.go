package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/engine/explain"
)

// adminClient calls the server's SigV4-authenticated admin API with the
// standard AWS credential chain.
type adminClient struct {
	endpoint string
	creds    aws.CredentialsProvider
	region   string
	http     *http.Client
}

func newAdminClient(ctx context.Context, endpoint string) (*adminClient, error) {
	if endpoint == "" {
		endpoint = env("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	return &adminClient{endpoint: strings.TrimSuffix(endpoint, "/"), creds: cfg.Credentials, region: region, http: &http.Client{}}, nil
}

func (c *adminClient) get(ctx context.Context, path string, q url.Values) (*http.Response, error) {
	u := c.endpoint + "/_verdict/api/" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if c.creds == nil {
		return nil, errors.New("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a profile)")
	}
	cr, err := c.creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("AWS credentials: %w", err)
	}
	empty := sha256.Sum256(nil)
	if err := v4.NewSigner().SignHTTP(ctx, cr, req, hex.EncodeToString(empty[:]), "verdict", c.region, time.Now()); err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach verdict at %s: %w", c.endpoint, err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, fmt.Errorf("verdict answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return resp, nil
}

func explainCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "", "verdict endpoint (default $AWS_ENDPOINT_URL or http://127.0.0.1:4566)")
	asJSON := fs.Bool("json", false, "print the explanation as JSON (schema: engine/explain/doc.go)")
	last := fs.Bool("last", false, "explain the most recent decision")
	denied := fs.Bool("denied", false, "with --last or --follow: only denials")
	follow := fs.Bool("follow", false, "explain decisions as they happen")
	verbose := fs.Bool("verbose", false, "print every stage, policy and statement evaluated")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verdict explain [flags] REQUEST-ID | --last | --follow")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()
	c, err := newAdminClient(ctx, *endpoint)
	if err != nil {
		return err
	}
	render := func(e *decisionlog.Entry) error {
		ex := explain.Explain(e)
		if *asJSON {
			return explain.WriteJSON(stdout, ex)
		}
		if err := explain.WriteText(stdout, ex, explain.TextOptions{Verbose: *verbose}); err != nil {
			return err
		}
		_, err := fmt.Fprintln(stdout)
		return err
	}
	q := url.Values{}
	if *denied {
		q.Set("denied", "1")
	}
	switch {
	case *follow:
		resp, err := c.get(ctx, "follow", q)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			var e decisionlog.Entry
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				return err
			}
			if err := render(&e); err != nil {
				return err
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		return sc.Err()
	case *last:
		q.Set("limit", "1")
	case fs.NArg() == 1:
		q.Set("request-id", fs.Arg(0))
	default:
		fs.Usage()
		return errors.New("give a request ID, --last or --follow")
	}
	resp, err := c.get(ctx, "decisions", q)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Decisions []decisionlog.Entry `json:"decisions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return err
	}
	if len(out.Decisions) == 0 {
		if q.Get("request-id") != "" {
			return fmt.Errorf("no decision for request %s visible to these credentials (the log keeps the last decisions of your own account)", q.Get("request-id"))
		}
		return errors.New("no decisions yet")
	}
	for i := range out.Decisions {
		if err := render(&out.Decisions[i]); err != nil {
			return err
		}
	}
	return nil
}

// signalContext is cancelled by Ctrl-C or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
