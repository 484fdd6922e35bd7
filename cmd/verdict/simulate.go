package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/verdict-project/verdict/engine/explain"
	"github.com/verdict-project/verdict/export"
)

// exitError carries a process exit code other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// multiFlag collects repeated --context key=value flags.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// exit ends the process; tests replace it.
var exit = os.Exit

// simulateCmd runs simulate; a missing or unreadable export, or a request it
// cannot build, ends the process with code 2 (1 is kept for other errors).
func simulateCmd(args []string, stdout, stderr io.Writer) error {
	err := simulate(args, stdout, stderr)
	var ee *exitError
	if errors.As(err, &ee) {
		fmt.Fprintln(stderr, "verdict:", ee.err)
		exit(ee.code)
	}
	return err
}

func simulate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "export directory (see export/README.md)")
	principal := fs.String("principal", "", "caller ARN (user, role, assumed-role session, account root) or \"anonymous\"")
	action := fs.String("action", "", "action, e.g. s3:GetObject")
	resource := fs.String("resource", "", "resource ARN, e.g. arn:aws:s3:::bucket/key")
	trail := fs.String("cloudtrail", "", "a CloudTrail event (JSON) to take principal, action, resource, source IP and endpoint from")
	sourceIP := fs.String("source-ip", "", "aws:SourceIp of the request")
	endpoint := fs.String("vpc-endpoint", "", "VPC endpoint (vpce-...) the request came through")
	payer := fs.Bool("request-payer", false, "the request carried x-amz-request-payer: requester")
	assume := fs.Bool("assume-missing-empty", false, "evaluate missing bucket files as \"not configured\" instead of stopping")
	asJSON := fs.Bool("json", false, "print the explanation as JSON (schema: engine/explain/doc.go)")
	verbose := fs.Bool("verbose", false, "print every stage, policy and statement evaluated")
	var ctxFlags multiFlag
	fs.Var(&ctxFlags, "context", "condition key=value (repeatable; repeat a key for several values)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verdict simulate --dir DIR (--principal ARN --action A --resource ARN | --cloudtrail EVENT.json) [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	q := export.Query{Principal: *principal, Action: *action, Resource: *resource, SourceIP: *sourceIP, EndpointID: *endpoint,
		RequestPayer: *payer, AssumeMissingEmpty: *assume}
	if *trail != "" {
		data, err := os.ReadFile(*trail)
		if err != nil {
			return err
		}
		tq, err := export.ParseCloudTrail(data)
		if err != nil {
			return fmt.Errorf("%s: %w", *trail, err)
		}
		// Flags given explicitly override the event.
		if q.Principal == "" {
			q.Principal = tq.Principal
		}
		if q.Action == "" {
			q.Action = tq.Action
		}
		if q.Resource == "" {
			q.Resource = tq.Resource
		}
		if q.SourceIP == "" {
			q.SourceIP = tq.SourceIP
		}
		if q.EndpointID == "" {
			q.EndpointID = tq.EndpointID
		}
	}
	if *dir == "" || q.Principal == "" || q.Action == "" || q.Resource == "" {
		fs.Usage()
		return &exitError{2, errors.New("give --dir and either --principal, --action and --resource, or --cloudtrail")}
	}
	q.Context = map[string][]string{}
	for _, kv := range ctxFlags {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return &exitError{2, fmt.Errorf("--context %q: want key=value", kv)}
		}
		k = strings.ToLower(k)
		q.Context[k] = append(q.Context[k], v)
	}
	ex, err := export.Load(*dir)
	if err != nil {
		return &exitError{2, err}
	}
	res, err := export.Simulate(context.Background(), ex, q)
	var me *export.MissingError
	if errors.As(err, &me) {
		return &exitError{2, fmt.Errorf("%w\nrerun with --assume-missing-empty to evaluate missing bucket files as not configured", err)}
	}
	if err != nil {
		return &exitError{2, err}
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "verdict simulate: warning:", w)
	}
	ex2 := explain.Explain(&res.Record)
	if *asJSON {
		return explain.WriteJSON(stdout, ex2)
	}
	return explain.WriteText(stdout, ex2, explain.TextOptions{Verbose: *verbose})
}
