// Command verdict serves a local copy of AWS's S3 access-control surface —
// S3, IAM, STS (and KMS, Organizations and VPC endpoints as they land) — for
// many accounts on one endpoint, and explains every decision.
//
//	verdict serve [--addr 127.0.0.1:4566] [--data DIR] [--world FILE] [--root-secret S] [--region R]
//	verdict web-identity-token --issuer URL --sub S --aud A [--claim k=v ...] [--ttl 1h] [--data DIR]
//	verdict version
//
// cmd/verdict is wiring only: it reads flags and environment, picks the
// backends, and starts the server.
package main

import (
	"context"
	"crypto"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/ec2api"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/service/kmsapi"
	"github.com/verdict-project/verdict/service/orgsapi"
	"github.com/verdict-project/verdict/service/s3api"
	"github.com/verdict-project/verdict/service/s3controlapi"
	"github.com/verdict-project/verdict/service/stsapi"
	"github.com/verdict-project/verdict/store/embedded"
	"github.com/verdict-project/verdict/webidentity"
	"github.com/verdict-project/verdict/world"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "verdict:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `verdict: a local copy of AWS's S3 access control, for many accounts, that explains every decision.

Usage:
  verdict serve [flags]     run the server (S3, IAM, STS on one endpoint)
  verdict explain ID        explain a decision (also --last, --denied, --follow, --json)
  verdict ui [ID]           sign in to the decision page (prints a 5-minute login URL)
  verdict simulate [flags]  decide a request offline from AWS CLI exports (--dir)
  verdict import DIR        load AWS CLI exports into a stopped server's --data
  verdict collect-commands  print the aws CLI commands that gather an export
  verdict web-identity-token --issuer URL --sub S --aud A
                            print a test token for sts:AssumeRoleWithWebIdentity
  verdict version           print the version

Run "verdict serve -h" for the server's flags.
`)
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errors.New("no command")
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "explain":
		return explainCmd(args[1:], stdout, stderr)
	case "ui":
		return uiCmd(args[1:], stdout, stderr)
	case "simulate":
		return simulateCmd(args[1:], stdout, stderr)
	case "import":
		return importCmd(args[1:], stdout, stderr)
	case "collect-commands":
		return collectCmd(args[1:], stdout, stderr)
	case "web-identity-token":
		return webIdentityCmd(args[1:], stdout, stderr, time.Now())
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "verdict", version)
		return nil
	case "help", "-h", "--help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

// env returns the environment variable's value, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envBool reports whether the environment variable is set to a true value
// (1, t, true, ...; see strconv.ParseBool).
func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

type serveConfig struct {
	addr, data, world, rootSecret, region string
	logCap                                int
	cpuProfile                            string
	sealSSES3                             bool
	// endpointListeners are --endpoint-listener vpce-ID=HOST:PORT pairs.
	endpointListeners listFlag
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func serveFlags(args []string, stderr io.Writer) (*serveConfig, error) {
	c := &serveConfig{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("VERDICT_ADDR", "127.0.0.1:4566"), "listen address, one port for every service (env VERDICT_ADDR)")
	fs.StringVar(&c.data, "data", env("VERDICT_DATA", "verdict-data"), "data directory (env VERDICT_DATA)")
	fs.StringVar(&c.world, "world", env("VERDICT_WORLD", ""), "world file (YAML) to load at start (env VERDICT_WORLD)")
	fs.StringVar(&c.rootSecret, "root-secret", env("VERDICT_ROOT_SECRET", "test"), "secret key of every account's root user, whose access key ID is the 12-digit account ID (env VERDICT_ROOT_SECRET)")
	fs.StringVar(&c.region, "region", env("VERDICT_REGION", env("AWS_DEFAULT_REGION", "us-east-1")), "region served (env VERDICT_REGION)")
	fs.Var(&c.endpointListeners, "endpoint-listener", "VPC endpoint listener, vpce-ID=127.0.0.2:4567 (repeatable; loopback only)")
	fs.IntVar(&c.logCap, "decision-log", 10000, "decisions kept in the decision log (persisted in the data directory)")
	fs.BoolVar(&c.sealSSES3, "seal-sse-s3", envBool("VERDICT_SEAL_SSE_S3"), "also encrypt SSE-S3 objects at rest in the data directory (SSE-KMS objects always are) (env VERDICT_SEAL_SSE_S3)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) to this file until the server stops")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c, nil
}

func serve(args []string, stdout, stderr io.Writer) error {
	cfg, err := serveFlags(args, stderr)
	if err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		stop, err := startCPUProfile(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if os.Getenv("GOGC") == "" {
		// The live heap is small (records, caches) and nearly all garbage
		// is per request, so the default GOGC=100 collects very often:
		// garbage collection was an eighth of the CPU of a small PUT or
		// GET (bench/PROFILE.md). Collecting at 4× the live heap costs a
		// few more megabytes. GOGC in the environment still wins.
		debug.SetGCPercent(400)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	start := time.Now()
	db, err := embedded.Open(cfg.data, embedded.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.world != "" {
		// The world file is applied at every start; applying an unchanged
		// file changes nothing.
		w, err := world.Load(cfg.world)
		if err != nil {
			return err
		}
		if err := w.Apply(context.Background(), db, time.Now()); err != nil {
			return err
		}
	}
	dlog, err := decisionlog.Open(context.Background(), db, cfg.logCap)
	if err != nil {
		return err
	}
	defer dlog.Close()
	// KMS key material, and the data keys of S3 objects encrypted at rest,
	// are wrapped by a master key kept in the data directory
	// (kms-master.key, created on first start).
	master, err := kmsapi.LoadMasterKey(cfg.data)
	if err != nil {
		return err
	}
	kms, err := kmsapi.New(master)
	if err != nil {
		return err
	}
	sealing := s3api.SealKMS
	if cfg.sealSSES3 {
		sealing = s3api.SealAll
	}
	env := &service.Env{Store: db, Blobs: s3api.ObjectBlobs(db.Blobs(), kms.Keyring(), sealing), Compiler: inputs.NewCompiler(), Log: dlog.Log,
		Region: cfg.region, RootSecret: cfg.rootSecret}
	s3api.UseKMS(env, kms)
	srv := server.New(env, time.Now)
	srv.Logger = logger
	srv.Register("s3", s3api.New())
	srv.Register("iam", iamapi.New())
	// AssumeRoleWithWebIdentity trusts tokens signed with the data
	// directory's web identity key (web-identity.key, created on first
	// start), for any issuer; see package webidentity.
	wkey, err := webidentity.LoadKey(cfg.data)
	if err != nil {
		return err
	}
	srv.Register("sts", &stsapi.Service{WebIdentityKeys: []crypto.PublicKey{wkey.Public()}})
	srv.Register("s3control", s3controlapi.New())
	srv.Register("kms", kms)
	srv.Register("organizations", orgsapi.New())
	srv.Register("ec2", ec2api.New(srv.Endpoints()))
	for _, pair := range cfg.endpointListeners {
		id, addr, ok := strings.Cut(pair, "=")
		if !ok {
			return fmt.Errorf("--endpoint-listener %q: want vpce-ID=HOST:PORT", pair)
		}
		if err := srv.Endpoints().Pin(id, addr); err != nil {
			return err
		}
	}
	// Every stored VPC endpoint gets its listener back.
	if err := srv.Endpoints().Restore(context.Background()); err != nil {
		return err
	}
	defer srv.Endpoints().Close()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(stdout, "verdict %s listening on http://%s (data %s, region %s) in %s\n", version, ln.Addr(), cfg.data, cfg.region, time.Since(start).Round(time.Millisecond))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// Blob files that an earlier process wrote but never recorded (it
	// crashed in between) are removed in the background; files written
	// from now on are not touched.
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		res, err := s3api.CollectOrphanBlobs(ctx, db, db.Blobs(), start)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Warn("collecting orphan blobs", "err", err)
		case res.Removed > 0:
			logger.Info("removed orphan blobs", "count", res.Removed, "bytes", res.RemovedBytes)
		}
	}()
	defer func() { <-collected }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdown)
}

// startCPUProfile profiles the process into path until the returned stop
// function runs (on shutdown), for bench/run.sh's BENCH_CPUPROFILE=1.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
