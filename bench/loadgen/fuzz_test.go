package main

import (
	"errors"
	"testing"
)

// checkFlagErr fails the fuzz run on an error that is not a *FlagError.
func checkFlagErr(t *testing.T, err error) {
	t.Helper()
	var fe *FlagError
	if err != nil && !errors.As(err, &fe) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
}

// FuzzParseSizes checks that every accepted size is within bounds and that
// bad input only ever yields a *FlagError.
func FuzzParseSizes(f *testing.F) {
	for _, s := range []string{"4KiB,1MiB", "1", "1GiB", "2GiB", " 4 k , 8m", ",", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sizes, err := parseSizes(s)
		checkFlagErr(t, err)
		if len(sizes) > maxListItems {
			t.Fatalf("%d sizes accepted", len(sizes))
		}
		for _, n := range sizes {
			if n < 1 || n > maxObjectSize {
				t.Fatalf("size %d accepted from %q", n, s)
			}
		}
	})
}

// FuzzParseConcurrency checks the bounds on accepted concurrency levels.
func FuzzParseConcurrency(f *testing.F) {
	for _, s := range []string{"8,32", "1", "1024", "1025", "0", "+8", "8,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ns, err := parseConcurrency(s)
		checkFlagErr(t, err)
		for _, n := range ns {
			if n < 1 || n > maxConcurrency {
				t.Fatalf("concurrency %d accepted from %q", n, s)
			}
		}
	})
}

// FuzzParseOps checks that only PUT and GET come out.
func FuzzParseOps(f *testing.F) {
	for _, s := range []string{"put,get", "GET", "delete", "put,,get"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ops, err := parseOps(s)
		checkFlagErr(t, err)
		for _, op := range ops {
			if op != "PUT" && op != "GET" {
				t.Fatalf("op %q accepted from %q", op, s)
			}
		}
	})
}

// FuzzCheckEndpoint checks that no accepted endpoint dials off the machine:
// its host is localhost or a loopback IP, and loopbackOnly agrees.
func FuzzCheckEndpoint(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:9000", "http://localhost", "https://[::1]:1", "http://10.0.0.1", "http://127.0.0.1@evil.example", "http://[::ffff:127.0.0.1]:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := checkEndpoint(s)
		checkFlagErr(t, err)
		if err != nil {
			return
		}
		host := u.Hostname()
		if host == "localhost" {
			return
		}
		if err := loopbackOnly("tcp", "["+host+"]:80", nil); err != nil {
			t.Fatalf("accepted %q whose host %q is not loopback: %v", s, host, err)
		}
	})
}
