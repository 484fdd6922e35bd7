// Command sink is the benchmark's ceiling: the cheapest HTTP server that an
// S3 client will accept. It answers CreateBucket and HeadBucket with 200,
// reads and discards PutObject bodies, and answers GetObject with fixed
// bytes of the length last PUT under that key. It checks no signature and
// stores nothing but lengths, so what the loadgen measures against it is
// the cost of the client, HTTP and the loopback network alone.
//
// With --floor, PutObject does the least work S3's contract requires of
// any server, and nothing else: it hashes the body with SHA-256 and checks
// the signed x-amz-content-sha256, hashes it with MD5 for the ETag (and a
// Content-MD5 header), verifies the x-amz-checksum-* header the client
// sent, answers an S3 error when a check fails, and discards the body. GET
// is unchanged. What the loadgen measures against the floor is the ceiling
// of any S3-faithful server on the machine.
//
//	sink --addr 127.0.0.1:9999
//	sink --addr 127.0.0.1:9999 --floor
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "sink:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address; must be loopback")
	maxSize := fs.Int64("max-size", 1<<30, "largest object served, in bytes")
	floor := fs.Bool("floor", false, "on PUT, verify x-amz-content-sha256, Content-MD5 and x-amz-checksum-* and return the body's MD5 as ETag, as S3 must")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--addr %s: only loopback addresses may be used", *addr)
	}
	if *maxSize < 1 || *maxSize > 1<<30 {
		return fmt.Errorf("--max-size %d: want 1 to %d", *maxSize, 1<<30)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: newHandler(*maxSize, *floor), ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	mode := "sink"
	if *floor {
		mode = "sink (floor)"
	}
	fmt.Fprintf(stdout, "%s listening on http://%s\n", mode, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}
