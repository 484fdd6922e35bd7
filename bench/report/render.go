package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/verdict-project/verdict/bench/result"
)

// Input is everything one report is made of.
type Input struct {
	Results                  []result.Result
	Baseline                 string
	Date                     string
	Machine, Commands, Notes string
}

// Goal is a target the project set: the baseline's ops/s on the cells of
// one operation and size must be at least Min times Other's.
type Goal struct {
	Op    string
	Size  int64
	Other string
	Min   float64
	// Reach, when set, names a target that does only the work S3's
	// contract requires of any server: its own ratio to Other in the same
	// cell is reported beside the goal, and a goal it misses too is out
	// of reach for any S3-faithful server on the machine.
	Reach string
}

// Goals are the project's performance targets: small objects well ahead of
// MinIO and moto, large objects close to the HTTP ceiling (the sink), with
// the floor (bench/sink --floor) showing how close that ceiling can be
// approached at all.
var Goals = []Goal{
	{Op: result.OpPut, Size: 4 << 10, Other: "minio", Min: 2},
	{Op: result.OpPut, Size: 4 << 10, Other: "moto", Min: 10},
	{Op: result.OpGet, Size: 4 << 10, Other: "minio", Min: 2},
	{Op: result.OpGet, Size: 4 << 10, Other: "moto", Min: 10},
	{Op: result.OpPut, Size: 1 << 20, Other: "sink", Min: 0.8, Reach: "floor"},
	{Op: result.OpGet, Size: 1 << 20, Other: "sink", Min: 0.8, Reach: "floor"},
}

// reachColumn is the heading of the Targets table's extra column, naming
// the goals' Reach and Other targets ("floor/sink"), or "" when no goal's
// Reach target was measured, in which case the column is left out.
func (t *table) reachColumn() string {
	var pairs []string
	for _, g := range Goals {
		if g.Reach == "" || !slices.Contains(t.targets, g.Reach) {
			continue
		}
		if p := g.Reach + "/" + g.Other; !slices.Contains(pairs, p) {
			pairs = append(pairs, p)
		}
	}
	return strings.Join(pairs, ", ")
}

// key identifies a cell across targets.
type key struct {
	op          string
	size        int64
	concurrency int
}

func keyOf(r result.Result) key { return key{r.Op, r.Size, r.Concurrency} }

// table indexes results by cell and target, remembering first-seen order.
type table struct {
	cells   []key
	targets []string
	at      map[key]map[string]result.Result
}

func index(rs []result.Result) *table {
	t := &table{at: map[key]map[string]result.Result{}}
	for _, r := range rs {
		k := keyOf(r)
		if t.at[k] == nil {
			t.at[k] = map[string]result.Result{}
			t.cells = append(t.cells, k)
		}
		if !slices.Contains(t.targets, r.Target) {
			t.targets = append(t.targets, r.Target)
		}
		t.at[k][r.Target] = r // a later run of the same cell wins
	}
	opRank := func(op string) int {
		if op == result.OpPut {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(t.cells, func(a, b key) int {
		if a.op != b.op {
			return opRank(a.op) - opRank(b.op)
		}
		if a.size != b.size {
			return int(min(max(a.size-b.size, -1), 1))
		}
		return a.concurrency - b.concurrency
	})
	return t
}

// ratio is base's ops/s over other's for one cell; ok is false when either
// is missing or had no successful request. A side with some failed requests
// still counts, marked by mark.
func (t *table) ratio(k key, base, other string) (float64, bool) {
	b, ok1 := t.at[k][base]
	o, ok2 := t.at[k][other]
	if !ok1 || !ok2 || b.Ops == 0 || o.Ops == 0 {
		return 0, false
	}
	return b.OpsPerSec / o.OpsPerSec, true
}

// noisyCores is the background load above which the report warns that the
// machine was busy.
const noisyCores = 0.5

// maxBackground is the most background load any cell saw.
func (t *table) maxBackground() float64 {
	m := 0.0
	for _, rs := range t.at {
		for _, r := range rs {
			m = max(m, r.BackgroundCores)
		}
	}
	return m
}

// anyServerCPU reports whether any cell has the server's CPU time.
func (t *table) anyServerCPU() bool {
	for _, m := range t.at {
		for _, r := range m {
			if r.ServerCPUUs > 0 {
				return true
			}
		}
	}
	return false
}

// cpuRatio is num's server CPU per request over den's for one cell.
func (t *table) cpuRatio(k key, num, den string) (float64, bool) {
	a, ok1 := t.at[k][num]
	b, ok2 := t.at[k][den]
	if !ok1 || !ok2 || a.ServerCPUUs == 0 || b.ServerCPUUs == 0 {
		return 0, false
	}
	return a.ServerCPUUs / b.ServerCPUUs, true
}

// background is a cell's background load, or a dash when CPU was not
// measured at all (a zero load is a measurement).
func background(r result.Result) string {
	if r.ClientCPUUs == 0 {
		return "—"
	}
	return num(r.BackgroundCores)
}

// noisy reports whether either side of a ratio was measured on a busy
// machine.
func (t *table) noisy(k key, a, b string) bool {
	return t.at[k][a].BackgroundCores > noisyCores || t.at[k][b].BackgroundCores > noisyCores
}

// failed reports whether either side of a ratio had failed requests.
func (t *table) failed(k key, a, b string) bool {
	return t.at[k][a].Errors > 0 || t.at[k][b].Errors > 0
}

// mark is the footnote signs for a ratio: † for a side measured on a busy
// machine, ‡ for a side with failed requests.
func (t *table) mark(k key, a, b string) string {
	m := ""
	if t.noisy(k, a, b) {
		m += "†"
	}
	if t.failed(k, a, b) {
		m += "‡"
	}
	if m != "" {
		m = " " + m
	}
	return m
}

// anyErrors reports whether any cell had failed requests.
func (t *table) anyErrors() bool {
	for _, rs := range t.at {
		for _, r := range rs {
			if r.Errors > 0 {
				return true
			}
		}
	}
	return false
}

// orDash is num(f), or a dash for an unmeasured zero.
func orDash(f float64) string {
	if f == 0 {
		return "—"
	}
	return num(f)
}

func num(f float64) string {
	switch {
	case f >= 100:
		return fmt.Sprintf("%.0f", f)
	case f >= 10:
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.2f", f)
}

func cellName(k key) string {
	return fmt.Sprintf("%s %s c=%d", k.op, result.SizeLabel(k.size), k.concurrency)
}

// Render writes the report as Markdown.
func Render(in Input) string {
	t := index(in.Results)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# Benchmark results\n\n")
	p("Run on %s. Each cell keeps *c* requests in flight for a fixed time with aws-sdk-go-v2's S3 client ", in.Date)
	p("(SigV4, path-style, no retries) on the same machine as the server; ops/s counts successful requests only. ")
	p("Regenerate with `bench/run.sh`; do not edit by hand.\n\n")

	p("## Results\n\n")
	p("| cell | target | ops/s | MiB/s | p50 ms | p99 ms | server CPU µs/op | client CPU µs/op | background cores | errors |\n")
	p("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, k := range t.cells {
		for _, target := range t.targets {
			r, ok := t.at[k][target]
			if !ok {
				continue
			}
			errs := fmt.Sprint(r.Errors)
			if r.Errors > 0 {
				errs = fmt.Sprintf("**%d** (%s)", r.Errors, mdEscape(firstLine(r.FirstError, 80)))
			}
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", cellName(k), target, num(r.OpsPerSec), num(r.MiBPerSec), num(r.P50Ms), num(r.P99Ms),
				orDash(r.ServerCPUUs), orDash(r.ClientCPUUs), background(r), errs)
		}
	}

	if bg := t.maxBackground(); bg > noisyCores {
		p("\n**Busy machine:** other programs used up to %s cores during some cells (column *background cores*): ", num(bg))
		p("those cells understate the target measured then, and the ratios that involve them are marked †.\n")
	}

	others := slices.DeleteFunc(slices.Clone(t.targets), func(s string) bool { return s == in.Baseline })
	if slices.Contains(t.targets, in.Baseline) && len(others) > 0 {
		p("\n## Ratios: %s ÷ target (ops/s)\n\n", in.Baseline)
		p("| cell |")
		for _, o := range others {
			p(" %s/%s |", in.Baseline, o)
		}
		p("\n| --- |%s\n", strings.Repeat(" ---: |", len(others)))
		for _, k := range t.cells {
			p("| %s |", cellName(k))
			for _, o := range others {
				if r, ok := t.ratio(k, in.Baseline, o); ok {
					p(" %s×%s |", num(r), t.mark(k, in.Baseline, o))
				} else {
					p(" — |")
				}
			}
			p("\n")
		}
	}

	if slices.Contains(t.targets, in.Baseline) && len(others) > 0 && t.anyServerCPU() {
		p("\n## Server CPU per request: target ÷ %s\n\n", in.Baseline)
		p("The client shares the machine with the server, so on small objects ops/s can be capped by the client; ")
		p("the server's own CPU time per request is the measure that the client does not cap. ")
		p("Above 1 means %s spends less CPU per request than that target.\n\n", in.Baseline)
		p("| cell |")
		for _, o := range others {
			p(" %s/%s |", o, in.Baseline)
		}
		p("\n| --- |%s\n", strings.Repeat(" ---: |", len(others)))
		for _, k := range t.cells {
			p("| %s |", cellName(k))
			for _, o := range others {
				if r, ok := t.cpuRatio(k, o, in.Baseline); ok {
					p(" %s×%s |", num(r), t.mark(k, in.Baseline, o))
				} else {
					p(" — |")
				}
			}
			p("\n")
		}
	}

	p("\n## Targets\n\n")
	reach := t.reachColumn()
	if reach != "" {
		p("*%s* is the first target's ops/s over the second's in the same cell. The floor (`bench/sink --floor`, see Notes) ", reach)
		p("does only the work S3's contract requires of any server, so a goal that it misses as well is marked *out of reach*: ")
		p("no S3-faithful server could meet it on this machine, up to measurement noise.\n\n")
		p("| goal | cell | measured | met | %s |\n| --- | --- | ---: | :---: | ---: |\n", reach)
	} else {
		p("| goal | cell | measured | met |\n| --- | --- | ---: | :---: |\n")
	}
	met, missed, unmeasured, outOfReach := 0, 0, 0, 0
	for _, g := range Goals {
		goal := fmt.Sprintf("%s %s %s ≥ %g× %s", in.Baseline, g.Op, result.SizeLabel(g.Size), g.Min, g.Other)
		found := false
		for _, k := range t.cells {
			if k.op != g.Op || k.size != g.Size {
				continue
			}
			found = true
			// ceiling is the Reach target's ratio to Other, when reported.
			ceiling, unreachable := "", false
			if reach != "" {
				ceiling = " — |"
				if g.Reach != "" {
					if f, ok := t.ratio(k, g.Reach, g.Other); ok {
						unreachable = f < g.Min
						ceiling = fmt.Sprintf(" %s×%s", num(f), t.mark(k, g.Reach, g.Other))
						if unreachable {
							ceiling += " (out of reach)"
						}
						ceiling += " |"
					}
				}
			}
			r, ok := t.ratio(k, in.Baseline, g.Other)
			switch {
			case !ok:
				unmeasured++
				p("| %s | %s | — | n/a |%s\n", goal, cellName(k), ceiling)
			case r >= g.Min:
				met++
				p("| %s | %s | %s×%s | yes |%s\n", goal, cellName(k), num(r), t.mark(k, in.Baseline, g.Other), ceiling)
			default:
				missed++
				if unreachable {
					outOfReach++
				}
				p("| %s | %s | %s×%s | **no** |%s\n", goal, cellName(k), num(r), t.mark(k, in.Baseline, g.Other), ceiling)
			}
		}
		if !found {
			unmeasured++
			if reach != "" {
				p("| %s | — | — | n/a | — |\n", goal)
			} else {
				p("| %s | — | — | n/a |\n", goal)
			}
		}
	}
	p("\n%d met, %d missed, %d not measured.", met, missed, unmeasured)
	if outOfReach > 0 {
		p(" %d of the missed %s out of reach: the floor, which does only what S3 requires, misses %s as well.", outOfReach, plural(outOfReach, "is", "are"), plural(outOfReach, "it", "them"))
	}
	if t.maxBackground() > noisyCores {
		p(" † marks a ratio with a side measured while other programs used more than %s cores: treat it with suspicion.", num(noisyCores))
	}
	if t.anyErrors() {
		p(" ‡ marks a ratio with a side that had failed requests (see *errors*); its ops/s counts only the successful ones.")
	}
	p("\n")

	section := func(title, body string, code bool) {
		body = strings.TrimRight(body, "\n")
		if body == "" {
			return
		}
		p("\n## %s\n\n", title)
		if code {
			p("```\n%s\n```\n", body)
		} else {
			p("%s\n", body)
		}
	}
	section("Machine", in.Machine, true)
	section("Commands", in.Commands, true)
	section("Notes", in.Notes, false)
	return b.String()
}

// plural is one when n is 1 and many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// firstLine is s's first line, cut to n runes.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// mdEscape keeps text from breaking a Markdown table row.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\r", " ", "`", "'").Replace(s)
}
