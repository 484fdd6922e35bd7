// Package result is the record the benchmark harness passes between its
// programs: loadgen writes one Result per measured cell as a JSON line, and
// report reads them back to build RESULTS.md.
package result

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Op names the measured S3 operation.
const (
	OpPut = "PUT"
	OpGet = "GET"
)

// Result is one cell of the matrix: one target, operation, object size and
// concurrency.
type Result struct {
	// Target names the server measured ("verdict", "minio", "moto", "sink").
	Target string `json:"target"`
	// Op is OpPut or OpGet.
	Op string `json:"op"`
	// Size is the object size in bytes.
	Size int64 `json:"size"`
	// Concurrency is the number of requests kept in flight.
	Concurrency int `json:"concurrency"`
	// Ops counts requests that succeeded.
	Ops int64 `json:"ops"`
	// Errors counts requests that failed (no retries are made).
	Errors int64 `json:"errors"`
	// FirstError is the first failure's message, if any.
	FirstError string `json:"first_error,omitempty"`
	// Seconds is the cell's wall-clock time.
	Seconds float64 `json:"seconds"`
	// OpsPerSec is Ops / Seconds.
	OpsPerSec float64 `json:"ops_per_sec"`
	// MiBPerSec is the payload throughput of the successful requests.
	MiBPerSec float64 `json:"mib_per_sec"`
	// P50Ms and P99Ms are latency percentiles of the successful requests,
	// in milliseconds.
	P50Ms float64 `json:"p50_ms"`
	P99Ms float64 `json:"p99_ms"`
	// ClientCPUUs and ServerCPUUs are the CPU time (user + system) the load
	// generator and the server spent per successful request, in
	// microseconds; zero when not measured.
	ClientCPUUs float64 `json:"client_cpu_us,omitempty"`
	ServerCPUUs float64 `json:"server_cpu_us,omitempty"`
	// BackgroundCores is how many CPUs' worth of work other programs did
	// during the cell: the machine's busy time less the client's and the
	// server's, over the wall time. Anything well above zero means the
	// numbers were measured on a busy machine.
	BackgroundCores float64 `json:"background_cores,omitempty"`
}

// MaxLine is the longest JSON line Read accepts.
const MaxLine = 64 << 10

// ErrInvalid is wrapped by every error about a record's content.
var ErrInvalid = errors.New("invalid result")

// LineError says which line of the input could not be used.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

// Validate reports whether r is usable: a named target, a known operation,
// positive size and concurrency, and finite non-negative measurements.
func (r *Result) Validate() error {
	switch {
	case r.Target == "" || len(r.Target) > 64:
		return fmt.Errorf("%w: target %q", ErrInvalid, r.Target)
	case r.Op != OpPut && r.Op != OpGet:
		return fmt.Errorf("%w: op %q", ErrInvalid, r.Op)
	case r.Size <= 0:
		return fmt.Errorf("%w: size %d", ErrInvalid, r.Size)
	case r.Concurrency <= 0:
		return fmt.Errorf("%w: concurrency %d", ErrInvalid, r.Concurrency)
	case r.Ops < 0 || r.Errors < 0:
		return fmt.Errorf("%w: negative count", ErrInvalid)
	}
	for _, f := range []float64{r.Seconds, r.OpsPerSec, r.MiBPerSec, r.P50Ms, r.P99Ms, r.ClientCPUUs, r.ServerCPUUs, r.BackgroundCores} {
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return fmt.Errorf("%w: measurement %v", ErrInvalid, f)
		}
	}
	return nil
}

// Write appends r to w as one JSON line.
func Write(w io.Writer, r Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Read parses JSON lines of Results. Blank lines are skipped; unknown fields,
// lines over MaxLine and records that fail Validate are errors (*LineError).
func Read(rd io.Reader) ([]Result, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 4096), MaxLine)
	var out []Result
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var r Result
		if err := dec.Decode(&r); err != nil {
			return nil, &LineError{Line: n, Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
		}
		if dec.More() {
			return nil, &LineError{Line: n, Err: fmt.Errorf("%w: trailing data", ErrInvalid)}
		}
		if err := r.Validate(); err != nil {
			return nil, &LineError{Line: n, Err: err}
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, &LineError{Line: n + 1, Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
	}
	return out, nil
}

// SizeLabel writes a byte count the way the reports do: "4 KiB", "1 MiB",
// or plain bytes when it is not a whole number of KiB.
func SizeLabel(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
