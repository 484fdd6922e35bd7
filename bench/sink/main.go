// Command sink is the benchmark's ceiling: the cheapest HTTP server that an
// S3 client will accept. It answers CreateBucket and HeadBucket with 200,
// reads and discards PutObject bodies, and answers GetObject with fixed
// bytes of the length last PUT under that key. It checks no signature and
// stores nothing but lengths, so what the loadgen measures against it is
// the cost of the client, HTTP and the loopback network alone.
//
//	sink --addr 127.0.0.1:9999
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
	hs := &http.Server{Handler: newHandler(*maxSize), ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "sink listening on http://%s\n", ln.Addr())
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
