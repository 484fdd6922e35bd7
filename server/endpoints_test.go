package server_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/store/memory"
)

func TestEndpointsPin(t *testing.T) {
	tests := []struct {
		name, addr string
		ok         bool
	}{
		{"loopback", "127.0.0.2:4567", true},
		{"localhost", "localhost:4567", true},
		{"public address", "10.0.0.1:4567", false},
		{"all interfaces", ":4567", false},
		{"no port", "127.0.0.2", false},
	}
	srv := server.New(&service.Env{Store: memory.New(), Compiler: inputs.NewCompiler()}, time.Now)
	m := srv.Endpoints()
	defer m.Close()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := m.Pin("vpce-1", tc.addr); (err == nil) != tc.ok {
				t.Fatalf("Pin(%q) = %v, want ok=%v", tc.addr, err, tc.ok)
			}
		})
	}
}

func TestEndpointsStartStop(t *testing.T) {
	srv := server.New(&service.Env{Store: memory.New(), Compiler: inputs.NewCompiler()}, time.Now)
	m := srv.Endpoints()
	defer m.Close()
	addr, err := m.Start("vpce-0123456789abcdef0", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(addr, "127.") {
		t.Fatalf("listener on %s, want loopback", addr)
	}
	if again, _ := m.Start("vpce-0123456789abcdef0", ""); again != addr {
		t.Fatalf("second Start moved the listener: %s != %s", again, addr)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if _, err := m.Start("vpce-other", "192.0.2.1:80"); err == nil {
		t.Fatal("a non-loopback listener was accepted")
	}
	m.Stop("vpce-0123456789abcdef0")
	if m.Addr("vpce-0123456789abcdef0") != "" {
		t.Fatal("address kept after Stop")
	}
}
