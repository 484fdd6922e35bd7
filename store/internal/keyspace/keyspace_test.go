package keyspace

import "testing"

func TestStart(t *testing.T) {
	tests := []struct {
		name, prefix, after, start string
		ok                         bool
	}{
		{name: "no after", prefix: "a/", start: "a/", ok: true},
		{name: "empty prefix", after: "k", start: "k\x00", ok: true},
		{name: "after below prefix", prefix: "b/", after: "a", start: "b/", ok: true},
		{name: "after equals prefix", prefix: "b/", after: "b/", start: "b/\x00", ok: true},
		{name: "after inside prefix", prefix: "b/", after: "b/x", start: "b/x\x00", ok: true},
		{name: "after beyond prefix", prefix: "b/", after: "c", ok: false},
		{name: "after shares first byte only", prefix: "b/", after: "b0", ok: false},
		{name: "binary", prefix: "\x00", after: "\x00\xff", start: "\x00\xff\x00", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, ok := Start(tt.prefix, tt.after)
			if start != tt.start || ok != tt.ok {
				t.Errorf("Start(%q, %q) = %q, %v; want %q, %v", tt.prefix, tt.after, start, ok, tt.start, tt.ok)
			}
		})
	}
}
