package condition

import "net/netip"

// IpAddress and NotIpAddress test whether the request address lies in an
// IPv4 or IPv6 CIDR range. A policy address without a prefix length is a
// single address (/32 for IPv4 — the documented default — and /128 for
// IPv6). Host bits after the prefix are ignored ("203.0.113.7/24" is
// 203.0.113.0/24). Policy variables are not allowed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
//
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are the IPv4 address they
// carry, on both sides: a request from ::ffff:203.0.113.5 is in
// 203.0.113.0/24, and a policy range ::ffff:203.0.113.0/120 is
// 203.0.113.0/24. A zone (fe80::1%eth0) in a request address is ignored; a
// policy value with a zone is refused. Otherwise IPv4 and IPv6 never match
// each other.

func parsePrefix(s string) (netip.Prefix, bool) {
	var p netip.Prefix
	if len(s) > 0 && containsByte(s, '/') {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return netip.Prefix{}, false
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, false
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// parseRequestAddr reads a request address, unmapping IPv4-mapped IPv6 and
// dropping any zone.
func parseRequestAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone("").Unmap(), true
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
