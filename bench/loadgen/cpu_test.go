package main

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestProcReaders(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	if _, err := processCPU(os.Getpid()); err != nil {
		t.Fatalf("processCPU(self): %v", err)
	}
	if _, err := machineBusy(); err != nil {
		t.Fatalf("machineBusy: %v", err)
	}
	if _, err := processCPU(1 << 30); err == nil {
		t.Fatal("processCPU of a missing process succeeded")
	}
	if s := sampleCPU(os.Getpid()); !s.ok || !s.serverPresent {
		t.Fatalf("sampleCPU(self) = %+v", s)
	}
}

func TestCPUBetween(t *testing.T) {
	a := cpuSample{ok: true, serverPresent: true, self: time.Second, server: 2 * time.Second, machineBusy: 10 * time.Second}
	b := cpuSample{ok: true, serverPresent: true, self: 2 * time.Second, server: 4 * time.Second, machineBusy: 14 * time.Second}
	tests := []struct {
		name   string
		a, b   cpuSample
		ops    int64
		wall   time.Duration
		want   cpuUse
		wantOK bool
	}{
		{name: "all measured", a: a, b: b, ops: 1000, wall: 2 * time.Second, wantOK: true,
			want: cpuUse{clientPerOp: time.Millisecond, serverPerOp: 2 * time.Millisecond, backgroundCores: 0.5}},
		{name: "no server", a: cpuSample{ok: true, self: a.self, machineBusy: a.machineBusy}, b: cpuSample{ok: true, self: b.self, machineBusy: b.machineBusy},
			ops: 1000, wall: 2 * time.Second, wantOK: true, want: cpuUse{clientPerOp: time.Millisecond, backgroundCores: 1.5}},
		{name: "tick rounding never goes negative", a: a, b: cpuSample{ok: true, serverPresent: true, self: 2 * time.Second, server: 4 * time.Second, machineBusy: 12 * time.Second},
			ops: 1, wall: time.Second, wantOK: true, want: cpuUse{clientPerOp: time.Second, serverPerOp: 2 * time.Second}},
		{name: "no ops", a: a, b: b, ops: 0, wall: time.Second},
		{name: "no proc", a: cpuSample{}, b: b, ops: 10, wall: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cpuBetween(tt.a, tt.b, tt.ops, tt.wall)
			if ok != tt.wantOK || got != tt.want {
				t.Fatalf("cpuBetween = %+v, %v; want %+v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestWaitQuiet(t *testing.T) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name      string
		ctx       context.Context
		maxCores  float64
		wantQuiet bool
	}{
		{name: "any load counts as quiet", ctx: context.Background(), maxCores: 1024, wantQuiet: true},
		{name: "canceled", ctx: canceled, maxCores: 1024, wantQuiet: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, quiet := waitQuiet(tt.ctx, 0, 0, tt.maxCores); quiet != tt.wantQuiet {
				t.Fatalf("quiet = %v, want %v", quiet, tt.wantQuiet)
			}
		})
	}
}
