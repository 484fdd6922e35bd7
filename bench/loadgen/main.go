// Command loadgen measures S3 PutObject and GetObject against any S3
// endpoint on this machine: for every object size, concurrency level and
// operation it keeps that many requests in flight for a bounded time (and a
// bounded request count), then reports ops/s, MiB/s and p50/p99 latency.
//
// It uses aws-sdk-go-v2's S3 client as an application would: SigV4 signing,
// path-style addressing, the SDK's default checksums, and no retries (a
// failed request is counted, not hidden). It refuses any endpoint that is not
// a loopback address, and every run stops by itself.
//
//	loadgen --endpoint http://127.0.0.1:4566 --target verdict \
//	    --sizes 4KiB,1MiB --concurrency 8,32 --duration 10s --json results.jsonl
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/verdict-project/verdict/bench/result"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
		}
		os.Exit(2)
	}
}

// config is one run's settings, checked.
type config struct {
	endpoint, target, region, accessKey, secretKey, bucket string
	sizes                                                  []int64
	concurrency                                            []int
	ops                                                    []string
	duration, timeout, quietWait                           time.Duration
	quietCores                                             float64
	maxRequests                                            int64
	objects, serverPID, busyRetries                        int
	checksums                                              string
	jsonOut                                                string
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	var sizes, conc, ops string
	var maxReq int64
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.endpoint, "endpoint", "", "S3 endpoint URL; must be a loopback address (required)")
	fs.StringVar(&c.target, "target", "", "name of the server measured, for the report (default: the endpoint's host:port)")
	fs.StringVar(&c.region, "region", "us-east-1", "region to sign for")
	fs.StringVar(&c.accessKey, "access-key", env("AWS_ACCESS_KEY_ID", "111111111111"), "access key ID (env AWS_ACCESS_KEY_ID; default: verdict's root user of account 111111111111)")
	fs.StringVar(&c.secretKey, "secret-key", env("AWS_SECRET_ACCESS_KEY", "test"), "secret access key (env AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.bucket, "bucket", "loadgen-bench", "bucket to use; created if it does not exist")
	fs.StringVar(&sizes, "sizes", "4KiB,1MiB", "comma-separated object sizes")
	fs.StringVar(&conc, "concurrency", "8,32", "comma-separated numbers of requests in flight")
	fs.StringVar(&ops, "ops", "put,get", "comma-separated operations: put, get")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "time spent on each cell (100ms to 10m)")
	fs.Int64Var(&maxReq, "max-requests", 1_000_000, "most requests issued in one cell (1 to 10,000,000)")
	fs.IntVar(&c.objects, "objects", 64, "objects per size that GET cycles over (1 to 1024)")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "limit on one request (1s to 5m)")
	fs.StringVar(&c.checksums, "checksums", "when_supported", "SDK request checksums and response validation: when_supported (the SDK's default) or when_required")
	fs.StringVar(&c.jsonOut, "json", "", "append one JSON line per cell to this file")
	fs.DurationVar(&c.quietWait, "quiet-wait", 0, "before each cell, wait up to this long for other programs to go quiet (Linux; 0: do not wait)")
	fs.IntVar(&c.busyRetries, "busy-retries", 0, "measure a cell again, up to this many times, when other programs used more than --quiet-cores during it; the quietest attempt is kept (0 to 5)")
	fs.Float64Var(&c.quietCores, "quiet-cores", 0.5, "the most CPU, in cores, other programs may use for the machine to count as quiet")
	fs.IntVar(&c.serverPID, "server-pid", 0, "process ID of the server, to report its CPU time per request (Linux)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.endpoint == "" {
		return nil, &FlagError{Flag: "endpoint", Reason: "required"}
	}
	u, err := checkEndpoint(c.endpoint)
	if err != nil {
		return nil, err
	}
	if c.target == "" {
		c.target = u.Host
	}
	if c.sizes, err = parseSizes(sizes); err != nil {
		return nil, err
	}
	if c.concurrency, err = parseConcurrency(conc); err != nil {
		return nil, err
	}
	if c.ops, err = parseOps(ops); err != nil {
		return nil, err
	}
	c.maxRequests = maxReq
	switch {
	case c.duration < 100*time.Millisecond || c.duration > 10*time.Minute:
		return nil, &FlagError{Flag: "duration", Value: c.duration.String(), Reason: "want 100ms to 10m"}
	case maxReq < 1 || maxReq > 10_000_000:
		return nil, &FlagError{Flag: "max-requests", Value: fmt.Sprint(maxReq), Reason: "want 1 to 10,000,000"}
	case c.objects < 1 || c.objects > 1024:
		return nil, &FlagError{Flag: "objects", Value: fmt.Sprint(c.objects), Reason: "want 1 to 1024"}
	case c.timeout < time.Second || c.timeout > 5*time.Minute:
		return nil, &FlagError{Flag: "timeout", Value: c.timeout.String(), Reason: "want 1s to 5m"}
	case c.checksums != "when_supported" && c.checksums != "when_required":
		return nil, &FlagError{Flag: "checksums", Value: c.checksums, Reason: "want when_supported or when_required"}
	case c.quietWait < 0 || c.quietWait > 10*time.Minute:
		return nil, &FlagError{Flag: "quiet-wait", Value: c.quietWait.String(), Reason: "want 0 to 10m"}
	case !(c.quietCores >= 0 && c.quietCores <= 1024):
		return nil, &FlagError{Flag: "quiet-cores", Value: fmt.Sprint(c.quietCores), Reason: "want 0 to 1024"}
	case c.busyRetries < 0 || c.busyRetries > 5:
		return nil, &FlagError{Flag: "busy-retries", Value: fmt.Sprint(c.busyRetries), Reason: "want 0 to 5"}
	case c.serverPID < 0:
		return nil, &FlagError{Flag: "server-pid", Value: fmt.Sprint(c.serverPID), Reason: "want a process ID"}
	case c.bucket == "":
		return nil, &FlagError{Flag: "bucket", Reason: "required"}
	}
	return c, nil
}

// cells lists the matrix in run order: every PUT cell first (so a target's
// write path is measured on a fresh store), then every GET cell.
func (c *config) cells() []cell {
	var out []cell
	for _, op := range []string{result.OpPut, result.OpGet} {
		want := false
		for _, o := range c.ops {
			want = want || o == op
		}
		if !want {
			continue
		}
		for _, size := range c.sizes {
			for _, n := range c.concurrency {
				out = append(out, cell{op: op, size: size, concurrency: n})
			}
		}
	}
	return out
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	cells := cfg.cells()
	// The whole run is bounded: every attempt at a cell by its wait for
	// quiet, its duration and one request's timeout, plus a minute for
	// setup and seeding.
	limit := time.Duration(len(cells)*(1+cfg.busyRetries))*(cfg.duration+cfg.timeout+cfg.quietWait+time.Second) + time.Minute
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	var jsonOut io.Writer
	if cfg.jsonOut != "" {
		f, err := os.OpenFile(cfg.jsonOut, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		jsonOut = f
	}
	b := newBench(cfg)
	if err := b.prepare(ctx); err != nil {
		return fmt.Errorf("%s: %w", cfg.target, err)
	}
	fmt.Fprintf(stdout, "%s: %s, %d cells of %s (at most %d requests each), checksums %s\n",
		cfg.target, cfg.endpoint, len(cells), cfg.duration, cfg.maxRequests, cfg.checksums)
	seeded := map[int64]bool{}
	for _, c := range cells {
		if c.op == result.OpGet && !seeded[c.size] {
			if err := b.seed(ctx, c.size); err != nil {
				return fmt.Errorf("%s: seeding %s objects: %w", cfg.target, result.SizeLabel(c.size), err)
			}
			seeded[c.size] = true
		}
		r := b.measureQuietly(ctx, c, stdout)
		fmt.Fprintln(stdout, line(r))
		if jsonOut != nil {
			if err := result.Write(jsonOut, r); err != nil {
				return err
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// measureQuietly measures a cell when the machine is quiet, or as quiet as
// it gets: it waits up to --quiet-wait for other programs to settle, and
// measures again (up to --busy-retries times) when they did not stay
// settled, keeping the attempt that saw the least background load.
func (b *bench) measureQuietly(ctx context.Context, c cell, stdout io.Writer) result.Result {
	cfg := b.cfg
	var best result.Result
	for attempt := 0; attempt <= cfg.busyRetries; attempt++ {
		if cfg.quietWait > 0 {
			if bg, quiet := waitQuiet(ctx, cfg.serverPID, cfg.quietWait, cfg.quietCores); !quiet && ctx.Err() == nil {
				fmt.Fprintf(stdout, "  (machine still busy after %s: %.2f cores used by other programs; measuring anyway)\n", cfg.quietWait, bg)
			}
		}
		r := b.measure(ctx, c)
		if attempt == 0 || r.BackgroundCores < best.BackgroundCores {
			best = r
		}
		if r.BackgroundCores <= cfg.quietCores || ctx.Err() != nil || attempt == cfg.busyRetries {
			break
		}
		fmt.Fprintf(stdout, "  (%s: other programs used %.2f cores during the cell; measuring again)\n", strings.TrimSpace(line(r)), r.BackgroundCores)
	}
	return best
}

// line is a cell's result as one line of text.
func line(r result.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %-4s %-7s c=%-3d %9.1f ops/s %8.1f MiB/s  p50 %7.2f ms  p99 %7.2f ms  (%d ok in %.1fs)",
		r.Op, result.SizeLabel(r.Size), r.Concurrency, r.OpsPerSec, r.MiBPerSec, r.P50Ms, r.P99Ms, r.Ops, r.Seconds)
	if r.ClientCPUUs > 0 {
		fmt.Fprintf(&b, "  cpu/op client %.0f µs", r.ClientCPUUs)
		if r.ServerCPUUs > 0 {
			fmt.Fprintf(&b, " server %.0f µs", r.ServerCPUUs)
		}
		fmt.Fprintf(&b, " background %.2f cores", r.BackgroundCores)
	}
	if r.Errors > 0 {
		fmt.Fprintf(&b, "  %d ERRORS, first: %s", r.Errors, r.FirstError)
	}
	return b.String()
}

// checksumModes maps the --checksums flag to the SDK's settings.
func checksumModes(s string) (aws.RequestChecksumCalculation, aws.ResponseChecksumValidation) {
	if s == "when_required" {
		return aws.RequestChecksumCalculationWhenRequired, aws.ResponseChecksumValidationWhenRequired
	}
	return aws.RequestChecksumCalculationWhenSupported, aws.ResponseChecksumValidationWhenSupported
}
