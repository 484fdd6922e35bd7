// Package keyspace computes the key range a prefix scan covers, so that
// every backend agrees on the meaning of Scan's prefix and after arguments.
package keyspace

import "strings"

// Start returns the smallest key a scan with prefix and after may visit, and
// false when no key can match (after lies beyond every key with prefix).
// Keys to visit are those >= start that still have prefix.
func Start(prefix, after string) (start string, ok bool) {
	if after == "" || after < prefix {
		return prefix, true
	}
	if !strings.HasPrefix(after, prefix) {
		// after > prefix without sharing it, so after is greater than every
		// key that begins with prefix.
		return "", false
	}
	// The least string strictly greater than after.
	return after + "\x00", true
}

// Match reports whether key is still inside a scan over prefix.
func Match(key, prefix string) bool {
	return strings.HasPrefix(key, prefix)
}
