package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/bench/result"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "full", golden: "full.golden.md", args: []string{"--machine", "testdata/machine.txt", "--commands", "testdata/commands.txt", "--notes", "testdata/notes.md"}},
		{name: "results only", golden: "bare.golden.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "RESULTS.md")
			args := append([]string{"--results", "testdata/results.jsonl", "--date", "2026-01-02 03:04 UTC", "--out", out}, tt.args...)
			if err := run(args, os.Stdout, os.Stderr); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("report differs from %s (run with -update to accept):\n%s", golden, got)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
	}{
		{name: "no results flag", args: nil},
		{name: "missing results file", args: []string{"--results", filepath.Join(dir, "none")}},
		{name: "bad results", args: []string{"--results", bad}},
		{name: "missing machine file", args: []string{"--results", "testdata/results.jsonl", "--machine", filepath.Join(dir, "none")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sb strings.Builder
			if err := run(tt.args, &sb, &sb); err == nil {
				t.Fatal("run succeeded")
			}
		})
	}
}

func TestGoalsJudged(t *testing.T) {
	mk := func(target string, op string, size int64, ops float64) result.Result {
		return result.Result{Target: target, Op: op, Size: size, Concurrency: 8, Ops: 1, Seconds: 1, OpsPerSec: ops}
	}
	tests := []struct {
		name string
		rs   []result.Result
		want string
	}{
		{name: "met exactly", rs: []result.Result{mk("verdict", "PUT", 4096, 200), mk("minio", "PUT", 4096, 100)}, want: "| verdict PUT 4 KiB ≥ 2× minio | PUT 4 KiB c=8 | 2.00× | yes |"},
		{name: "missed", rs: []result.Result{mk("verdict", "GET", 1<<20, 79), mk("sink", "GET", 1<<20, 100)}, want: "| verdict GET 1 MiB ≥ 0.8× sink | GET 1 MiB c=8 | 0.79× | **no** |"},
		{name: "other target absent", rs: []result.Result{mk("verdict", "PUT", 4096, 200)}, want: "| verdict PUT 4 KiB ≥ 10× moto | PUT 4 KiB c=8 | — | n/a |"},
		{name: "failed requests still judged, marked", rs: []result.Result{mk("verdict", "GET", 4096, 300), func() result.Result {
			r := mk("minio", "GET", 4096, 100)
			r.Errors = 2
			return r
		}()}, want: "| verdict GET 4 KiB ≥ 2× minio | GET 4 KiB c=8 | 3.00× ‡ | yes |"},
		{name: "no successful request", rs: []result.Result{mk("verdict", "GET", 4096, 300), func() result.Result {
			r := mk("minio", "GET", 4096, 0)
			r.Ops, r.Errors = 0, 5
			return r
		}()}, want: "| verdict GET 4 KiB ≥ 2× minio | GET 4 KiB c=8 | — | n/a |"},
		{name: "size not measured", rs: []result.Result{mk("verdict", "PUT", 4096, 200)}, want: "| verdict PUT 1 MiB ≥ 0.8× sink | — | — | n/a |"},
		{name: "floor misses too: out of reach", rs: []result.Result{mk("verdict", "PUT", 1<<20, 20), mk("sink", "PUT", 1<<20, 100), mk("floor", "PUT", 1<<20, 40)},
			want: "| verdict PUT 1 MiB ≥ 0.8× sink | PUT 1 MiB c=8 | 0.20× | **no** | 0.40× (out of reach) |"},
		{name: "floor meets it", rs: []result.Result{mk("verdict", "GET", 1<<20, 50), mk("sink", "GET", 1<<20, 100), mk("floor", "GET", 1<<20, 99)},
			want: "| verdict GET 1 MiB ≥ 0.8× sink | GET 1 MiB c=8 | 0.50× | **no** | 0.99× |"},
		{name: "goal without a floor gets a dash", rs: []result.Result{mk("verdict", "PUT", 4096, 200), mk("minio", "PUT", 4096, 100), mk("floor", "PUT", 4096, 900)},
			want: "| verdict PUT 4 KiB ≥ 2× minio | PUT 4 KiB c=8 | 2.00× | yes | — |"},
		{name: "floor without sink", rs: []result.Result{mk("verdict", "PUT", 1<<20, 20), mk("floor", "PUT", 1<<20, 40)},
			want: "| verdict PUT 1 MiB ≥ 0.8× sink | PUT 1 MiB c=8 | — | n/a | — |"},
		{name: "out of reach counted", rs: []result.Result{mk("verdict", "PUT", 1<<20, 20), mk("sink", "PUT", 1<<20, 100), mk("floor", "PUT", 1<<20, 40)},
			want: "0 met, 1 missed, 5 not measured. 1 of the missed is out of reach: the floor, which does only what S3 requires, misses it as well."},
		{name: "floor in the ratio table", rs: []result.Result{mk("verdict", "PUT", 1<<20, 20), mk("sink", "PUT", 1<<20, 100), mk("floor", "PUT", 1<<20, 40)},
			want: "| PUT 1 MiB c=8 | 0.20× | 0.50× |"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(Input{Results: tt.rs, Baseline: "verdict", Date: "d"})
			if !strings.Contains(got, tt.want+"\n") {
				t.Fatalf("report lacks %q:\n%s", tt.want, got)
			}
		})
	}
}
