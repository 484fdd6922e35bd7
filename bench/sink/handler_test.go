package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	h := newHandler(1<<20, false)
	steps := []struct {
		name     string
		method   string
		path     string
		body     string
		header   map[string]string
		status   int
		respLen  int
		checksum bool
	}{
		{name: "create bucket", method: http.MethodPut, path: "/b", status: http.StatusOK},
		{name: "head bucket", method: http.MethodHead, path: "/b", status: http.StatusOK},
		{name: "missing key", method: http.MethodGet, path: "/b/k", status: http.StatusNotFound},
		{name: "put", method: http.MethodPut, path: "/b/k", body: strings.Repeat("x", 1000), status: http.StatusOK},
		{name: "get returns the length put", method: http.MethodGet, path: "/b/k", status: http.StatusOK, respLen: 1000},
		{name: "get with checksum mode", method: http.MethodGet, path: "/b/k", header: map[string]string{"X-Amz-Checksum-Mode": "ENABLED"}, status: http.StatusOK, respLen: 1000, checksum: true},
		{name: "head sends no body", method: http.MethodHead, path: "/b/k", status: http.StatusOK},
		{name: "too large", method: http.MethodPut, path: "/b/big", body: strings.Repeat("x", 1<<20+1), status: http.StatusBadRequest},
		{name: "no bucket", method: http.MethodGet, path: "/", status: http.StatusBadRequest},
		{name: "delete unsupported", method: http.MethodDelete, path: "/b/k", status: http.StatusMethodNotAllowed},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			req := httptest.NewRequest(s.method, s.path, strings.NewReader(s.body))
			for k, v := range s.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != s.status {
				t.Fatalf("status %d, want %d", rec.Code, s.status)
			}
			if s.status == http.StatusOK && rec.Body.Len() != s.respLen {
				t.Fatalf("body %d bytes, want %d", rec.Body.Len(), s.respLen)
			}
			if got := rec.Header().Get("X-Amz-Checksum-Crc32") != ""; got != s.checksum {
				t.Fatalf("checksum header present = %v, want %v", got, s.checksum)
			}
		})
	}
}

func TestBytesChecksum(t *testing.T) {
	h := newHandler(1<<20, false)
	h.mu.Lock()
	defer h.mu.Unlock()
	b1, s1 := h.bytes(10)
	b2, s2 := h.bytes(100)
	if len(b1) != 10 || len(b2) != 100 || !bytes.Equal(b1, b2[:10]) {
		t.Fatal("served bytes differ between lengths")
	}
	for _, c := range []struct {
		b   []byte
		got string
	}{{b1, s1}, {b2, s2}} {
		var want [4]byte
		binary.BigEndian.PutUint32(want[:], crc32.ChecksumIEEE(c.b))
		if c.got != base64.StdEncoding.EncodeToString(want[:]) {
			t.Fatalf("checksum of %d bytes is %q, want the base64 CRC-32 of them", len(c.b), c.got)
		}
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	tests := []struct{ name, addr string }{
		{name: "all interfaces", addr: "0.0.0.0:0"},
		{name: "private", addr: "10.0.0.1:0"},
		{name: "no port", addr: "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := run(context.Background(), []string{"--addr", tt.addr}, io.Discard, io.Discard); err == nil {
				t.Fatal("run accepted a non-loopback address")
			}
		})
	}
}

func TestRunStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--addr", "127.0.0.1:0"}, io.Discard, io.Discard) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sink did not stop")
	}
}
