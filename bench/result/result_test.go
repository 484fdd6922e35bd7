package result

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func valid() Result {
	return Result{Target: "verdict", Op: OpPut, Size: 4096, Concurrency: 8, Ops: 10, Seconds: 1, OpsPerSec: 10, MiBPerSec: 0.04, P50Ms: 1, P99Ms: 2}
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	a, b := valid(), valid()
	b.Op, b.Target, b.FirstError, b.Errors = OpGet, "minio", "boom", 1
	for _, r := range []Result{a, b} {
		if err := Write(&buf, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("round trip: got %+v", got)
	}
}

func TestRead(t *testing.T) {
	ok := `{"target":"sink","op":"GET","size":1048576,"concurrency":32,"ops":5,"errors":0,"seconds":1,"ops_per_sec":5,"mib_per_sec":5,"p50_ms":1,"p99_ms":1}`
	tests := []struct {
		name    string
		in      string
		n       int
		errLine int
	}{
		{name: "empty", in: "", n: 0},
		{name: "one", in: ok + "\n", n: 1},
		{name: "blank lines skipped", in: "\n" + ok + "\n\n" + ok, n: 2},
		{name: "not json", in: "nope", errLine: 1},
		{name: "unknown field", in: `{"target":"x","bogus":1}`, errLine: 1},
		{name: "trailing data", in: ok + " {}", errLine: 1},
		{name: "bad op", in: strings.Replace(ok, `"GET"`, `"POST"`, 1), errLine: 1},
		{name: "zero size", in: strings.Replace(ok, `1048576`, `0`, 1), errLine: 1},
		{name: "zero concurrency", in: strings.Replace(ok, `"concurrency":32`, `"concurrency":0`, 1), errLine: 1},
		{name: "negative ops", in: strings.Replace(ok, `"ops":5`, `"ops":-5`, 1), errLine: 1},
		{name: "negative latency", in: strings.Replace(ok, `"p99_ms":1`, `"p99_ms":-1`, 1), errLine: 1},
		{name: "no target", in: strings.Replace(ok, `"sink"`, `""`, 1), errLine: 1},
		{name: "error on third line", in: ok + "\n\nx", errLine: 3},
		{name: "line too long", in: ok + "\n" + strings.Repeat(" ", MaxLine+1) + "x", errLine: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tt.in))
			if tt.errLine == 0 {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if len(got) != tt.n {
					t.Fatalf("got %d results, want %d", len(got), tt.n)
				}
				return
			}
			var le *LineError
			if !errors.As(err, &le) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Read: got %v, want a *LineError wrapping ErrInvalid", err)
			}
			if le.Line != tt.errLine {
				t.Fatalf("error on line %d, want %d (%v)", le.Line, tt.errLine, err)
			}
		})
	}
}

func TestSizeLabel(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		want string
	}{
		{name: "bytes", n: 100, want: "100 B"},
		{name: "KiB", n: 4096, want: "4 KiB"},
		{name: "MiB", n: 1 << 20, want: "1 MiB"},
		{name: "GiB", n: 2 << 30, want: "2 GiB"},
		{name: "not whole KiB", n: 1500, want: "1500 B"},
		{name: "KiB not whole MiB", n: 1536 << 10, want: "1536 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SizeLabel(tt.n); got != tt.want {
				t.Fatalf("SizeLabel(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}
