package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// Every number here comes from Linux's /proc; where it is missing the CPU
// columns are simply left out (zero).

// userHZ is the unit of /proc's CPU times. Linux fixes it at 100 for user
// space whatever the kernel's own tick rate (see proc(5), USER_HZ).
const userHZ = 100

// errNoProc is returned when /proc does not have what is asked.
var errNoProc = errors.New("no /proc data")

// cpuSample is the CPU time used so far by the loadgen itself, the server
// process and the whole machine.
type cpuSample struct {
	ok            bool
	self, server  time.Duration
	machineBusy   time.Duration
	serverPresent bool
}

// sampleCPU reads the three CPU counters; serverPID 0 means unknown.
func sampleCPU(serverPID int) cpuSample {
	var s cpuSample
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return s
	}
	s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	busy, err := machineBusy()
	if err != nil {
		return s
	}
	s.machineBusy, s.ok = busy, true
	if serverPID > 0 {
		if d, err := processCPU(serverPID); err == nil {
			s.server, s.serverPresent = d, true
		}
	}
	return s
}

func ticks(n uint64) time.Duration { return time.Duration(n) * time.Second / userHZ }

// machineBusy is the non-idle CPU time of all CPUs since boot: the first
// line of /proc/stat less its idle and iowait columns.
func machineBusy() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, errNoProc
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) < 6 || string(f[0]) != "cpu" {
		return 0, fmt.Errorf("%w: /proc/stat", errNoProc)
	}
	var busy uint64
	// user nice system idle iowait irq softirq steal [guest guest_nice,
	// which user already includes].
	for i := 1; i < len(f) && i <= 8; i++ {
		v, err := strconv.ParseUint(string(f[i]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: /proc/stat", errNoProc)
		}
		if i != 4 && i != 5 {
			busy += v
		}
	}
	return ticks(busy), nil
}

// processCPU is a process's user plus system time, from /proc/PID/stat
// (fields 14 and 15, counted after the parenthesised command name, which
// may itself hold spaces).
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, errNoProc
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("%w: /proc/%d/stat", errNoProc, pid)
	}
	f := bytes.Fields(b[i+1:])
	// f[0] is field 3 (state); utime is field 14, stime field 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("%w: /proc/%d/stat", errNoProc, pid)
	}
	u, err1 := strconv.ParseUint(string(f[11]), 10, 64)
	s, err2 := strconv.ParseUint(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%w: /proc/%d/stat", errNoProc, pid)
	}
	return ticks(u + s), nil
}

// cpuUse is what one cell cost in CPU: per successful request for the
// client and the server, and the rest of the machine's busy time in cores
// (other programs competing with the benchmark).
type cpuUse struct {
	clientPerOp, serverPerOp time.Duration
	backgroundCores          float64
}

func cpuBetween(a, b cpuSample, ops int64, wall time.Duration) (cpuUse, bool) {
	if !a.ok || !b.ok || ops == 0 || wall <= 0 {
		return cpuUse{}, false
	}
	var u cpuUse
	client := b.self - a.self
	server := b.server - a.server
	if !a.serverPresent || !b.serverPresent {
		server = 0
	}
	u.clientPerOp = client / time.Duration(ops)
	u.serverPerOp = server / time.Duration(ops)
	bg := (b.machineBusy - a.machineBusy) - client - server
	u.backgroundCores = max(0, bg.Seconds()/wall.Seconds())
	return u, true
}

// waitQuiet waits, up to maxWait, until other programs use at most
// maxCores of CPU (measured over one-second windows, excluding the loadgen
// and the server). It returns the last background load seen and whether it
// was quiet; without /proc it returns at once.
func waitQuiet(ctx context.Context, serverPID int, maxWait time.Duration, maxCores float64) (float64, bool) {
	start := time.Now()
	for {
		a := sampleCPU(serverPID)
		t0 := time.Now()
		select {
		case <-ctx.Done():
			return 0, false
		case <-time.After(time.Second):
		}
		b := sampleCPU(serverPID)
		if !a.ok || !b.ok {
			return 0, true
		}
		u, _ := cpuBetween(a, b, 1, time.Since(t0))
		if u.backgroundCores <= maxCores {
			return u.backgroundCores, true
		}
		if time.Since(start) >= maxWait {
			return u.backgroundCores, false
		}
	}
}
