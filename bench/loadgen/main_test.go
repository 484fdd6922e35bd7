package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-project/verdict/bench/result"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
		err  bool
	}{
		{name: "bytes", in: "100", want: 100},
		{name: "B", in: "100B", want: 100},
		{name: "KiB", in: "4KiB", want: 4096},
		{name: "k lower", in: "4k", want: 4096},
		{name: "KB is binary", in: "4KB", want: 4096},
		{name: "MiB", in: "1MiB", want: 1 << 20},
		{name: "space before unit", in: "1 MiB", want: 1 << 20},
		{name: "GiB limit", in: "1GiB", want: 1 << 30},
		{name: "over limit", in: "2GiB", err: true},
		{name: "bytes over limit", in: "1073741825", err: true},
		{name: "zero", in: "0", err: true},
		{name: "negative", in: "-4KiB", err: true},
		{name: "empty", in: "", err: true},
		{name: "unit only", in: "KiB", err: true},
		{name: "unknown unit", in: "4TiB", err: true},
		{name: "fraction", in: "1.5MiB", err: true},
		{name: "huge number", in: "99999999999999999999999", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSize(tt.in)
			if tt.err {
				var fe *FlagError
				if !errors.As(err, &fe) {
					t.Fatalf("parseSize(%q) = %d, %v; want a *FlagError", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseLists(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (any, error)
		in    string
		want  string
		err   bool
	}{
		{name: "sizes", parse: wrap(parseSizes), in: "4KiB, 1MiB", want: "[4096 1048576]"},
		{name: "sizes empty item", parse: wrap(parseSizes), in: "4KiB,,1MiB", err: true},
		{name: "sizes too many", parse: wrap(parseSizes), in: strings.Repeat("1,", maxListItems) + "1", err: true},
		{name: "concurrency", parse: wrap(parseConcurrency), in: "8,32", want: "[8 32]"},
		{name: "concurrency zero", parse: wrap(parseConcurrency), in: "0", err: true},
		{name: "concurrency too high", parse: wrap(parseConcurrency), in: "1025", err: true},
		{name: "concurrency not a number", parse: wrap(parseConcurrency), in: "eight", err: true},
		{name: "ops", parse: wrap(parseOps), in: "put,GET", want: "[PUT GET]"},
		{name: "ops unknown", parse: wrap(parseOps), in: "put,delete", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if tt.err {
				var fe *FlagError
				if !errors.As(err, &fe) {
					t.Fatalf("got %v, %v; want a *FlagError", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := fmt.Sprint(got); s != tt.want {
				t.Fatalf("got %s, want %s", s, tt.want)
			}
		})
	}
}

func wrap[T any](f func(string) (T, error)) func(string) (any, error) {
	return func(s string) (any, error) { return f(s) }
}

func TestCheckEndpoint(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{name: "ipv4 loopback", in: "http://127.0.0.1:9000", ok: true},
		{name: "other 127 address", in: "http://127.1.2.3:9000", ok: true},
		{name: "localhost", in: "http://localhost:4566", ok: true},
		{name: "ipv6 loopback", in: "https://[::1]:9000", ok: true},
		{name: "private address", in: "http://10.0.0.1:9000"},
		{name: "public address", in: "http://8.8.8.8"},
		{name: "host name", in: "http://s3.amazonaws.com"},
		{name: "unspecified", in: "http://0.0.0.0:9000"},
		{name: "no scheme", in: "127.0.0.1:9000"},
		{name: "ftp", in: "ftp://127.0.0.1"},
		{name: "bad url", in: "http://[::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkEndpoint(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("checkEndpoint(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
			var fe *FlagError
			if err != nil && !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FlagError", err)
			}
		})
	}
}

func TestLoopbackOnly(t *testing.T) {
	tests := []struct {
		name, addr string
		ok         bool
	}{
		{name: "loopback", addr: "127.0.0.1:80", ok: true},
		{name: "ipv6 loopback", addr: "[::1]:80", ok: true},
		{name: "private", addr: "192.168.1.1:80"},
		{name: "no port", addr: "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := loopbackOnly("tcp", tt.addr, nil); tt.ok != (err == nil) {
				t.Fatalf("loopbackOnly(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{name: "empty", in: nil, p: 50, want: 0},
		{name: "one", in: []time.Duration{7}, p: 99, want: 7},
		{name: "median of ten", in: ten, p: 50, want: 5},
		{name: "p99 of ten", in: ten, p: 99, want: 10},
		{name: "p0 is the minimum", in: ten, p: 0, want: 1},
		{name: "p100 is the maximum", in: ten, p: 100, want: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.in, tt.p); got != tt.want {
				t.Fatalf("percentile(%v, %v) = %v, want %v", tt.in, tt.p, got, tt.want)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{name: "defaults", args: []string{"--endpoint", "http://127.0.0.1:1"}, ok: true},
		{name: "no endpoint", args: nil},
		{name: "remote endpoint", args: []string{"--endpoint", "http://10.1.1.1:9000"}},
		{name: "duration too long", args: []string{"--endpoint", "http://127.0.0.1:1", "--duration", "1h"}},
		{name: "no requests", args: []string{"--endpoint", "http://127.0.0.1:1", "--max-requests", "0"}},
		{name: "too many objects", args: []string{"--endpoint", "http://127.0.0.1:1", "--objects", "5000"}},
		{name: "timeout too short", args: []string{"--endpoint", "http://127.0.0.1:1", "--timeout", "1ms"}},
		{name: "bad checksums", args: []string{"--endpoint", "http://127.0.0.1:1", "--checksums", "always"}},
		{name: "too many retries", args: []string{"--endpoint", "http://127.0.0.1:1", "--busy-retries", "6"}},
		{name: "negative quiet wait", args: []string{"--endpoint", "http://127.0.0.1:1", "--quiet-wait", "-1s"}},
		{name: "quiet cores not a number", args: []string{"--endpoint", "http://127.0.0.1:1", "--quiet-cores", "NaN"}},
		{name: "negative server pid", args: []string{"--endpoint", "http://127.0.0.1:1", "--server-pid", "-1"}},
		{name: "all waiting options", args: []string{"--endpoint", "http://127.0.0.1:1", "--busy-retries", "2", "--quiet-wait", "5s", "--quiet-cores", "0.5", "--server-pid", "1"}, ok: true},
		{name: "stray argument", args: []string{"--endpoint", "http://127.0.0.1:1", "extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseFlags(tt.args, io.Discard)
			if tt.ok != (err == nil) {
				t.Fatalf("parseFlags(%q) = %v, want ok=%v", tt.args, err, tt.ok)
			}
			if tt.ok && len(c.cells()) != 8 {
				t.Fatalf("default matrix has %d cells, want 8", len(c.cells()))
			}
		})
	}
}

// fakeS3 is the smallest S3 the load generator accepts: buckets are
// implied, objects kept in memory. failPuts makes every object PUT fail.
type fakeS3 struct {
	mu       sync.Mutex
	objects  map[string][]byte
	failPuts bool
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if bucket == "" || !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case key == "" && r.Method == http.MethodPut:
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodPut:
		b, err := io.ReadAll(r.Body)
		if err != nil || f.failPuts {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		f.objects[r.URL.Path] = b
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodGet:
		b, ok := f.objects[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write(b)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		failPuts  bool
		extra     []string
		wantCells int
		wantErr   bool
	}{
		{name: "full matrix", wantCells: 4},
		{name: "put only", extra: []string{"--ops", "put"}, wantCells: 2},
		{name: "waiting for quiet", extra: []string{"--ops", "get", "--sizes", "1KiB", "--quiet-wait", "1s", "--quiet-cores", "1024", "--busy-retries", "1"}, wantCells: 1},
		{name: "broken target fails the probe", failPuts: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&fakeS3{objects: map[string][]byte{}, failPuts: tt.failPuts})
			defer srv.Close()
			out := filepath.Join(t.TempDir(), "r.jsonl")
			args := append([]string{"--endpoint", srv.URL, "--target", "fake", "--sizes", "1KiB,64KiB", "--concurrency", "2",
				"--duration", "100ms", "--max-requests", "50", "--objects", "4", "--json", out}, tt.extra...)
			var stdout bytes.Buffer
			err := run(context.Background(), args, &stdout, io.Discard)
			if tt.wantErr {
				if err == nil {
					t.Fatal("run succeeded against a broken target")
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v\n%s", err, stdout.String())
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rs, err := result.Read(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != tt.wantCells {
				t.Fatalf("got %d cells, want %d", len(rs), tt.wantCells)
			}
			for _, r := range rs {
				if r.Target != "fake" || r.Errors != 0 || r.Ops == 0 || r.Ops > 50 || r.P99Ms < r.P50Ms {
					t.Errorf("unexpected cell %+v", r)
				}
			}
		})
	}
}

// TestMeasureCountsErrors checks that failures are counted, not timed, and
// that the cell stops at its request budget.
func TestMeasureCountsErrors(t *testing.T) {
	fake := &fakeS3{objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg, err := parseFlags([]string{"--endpoint", srv.URL, "--sizes", "1KiB", "--concurrency", "2", "--max-requests", "20", "--duration", "5s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b := newBench(cfg)
	if err := b.prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	fake.failPuts = true
	fake.mu.Unlock()
	r := b.measure(context.Background(), cell{op: result.OpPut, size: 1024, concurrency: 2})
	if r.Ops != 0 || r.Errors != 20 || r.FirstError == "" {
		t.Fatalf("got %d ok, %d errors (%q); want 0 ok, 20 errors", r.Ops, r.Errors, r.FirstError)
	}
}
