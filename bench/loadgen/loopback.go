package main

import (
	"fmt"
	"net"
	"net/url"
	"syscall"
)

// checkEndpoint accepts only http(s) URLs whose host is a loopback address
// or "localhost": the load generator never sends traffic off this machine.
func checkEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &FlagError{Flag: "endpoint", Value: raw, Reason: err.Error()}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &FlagError{Flag: "endpoint", Value: raw, Reason: "want an http:// or https:// URL"}
	}
	host := u.Hostname()
	if host == "localhost" {
		return u, nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, &FlagError{Flag: "endpoint", Value: raw, Reason: "only loopback addresses (127.0.0.0/8, ::1, localhost) may be targeted"}
	}
	return u, nil
}

// loopbackOnly is a net.Dialer Control function that refuses any
// connection whose resolved address is not loopback, so even a name that
// resolves elsewhere cannot be reached.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadgen: refusing to dial %s %s: not a loopback address", network, address)
	}
	return nil
}
