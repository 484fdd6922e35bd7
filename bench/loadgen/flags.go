package main

import (
	"fmt"
	"strconv"
	"strings"
)

// FlagError is a flag value loadgen cannot use.
type FlagError struct {
	Flag, Value, Reason string
}

func (e *FlagError) Error() string {
	return fmt.Sprintf("--%s %q: %s", e.Flag, e.Value, e.Reason)
}

// Bounds on what one run may ask for, so a typo cannot allocate without
// limit or run for hours.
const (
	maxObjectSize  = 1 << 30
	maxConcurrency = 1024
	maxListItems   = 16
)

// sizeUnits are the accepted size suffixes, longest first so "KiB" is
// matched before "B"; all are binary.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30},
	{"b", 1},
}

// parseSize reads one object size: a positive integer with an optional
// binary unit (B, K/KB/KiB, M/MB/MiB, G/GB/GiB, any case), at most 1 GiB.
func parseSize(s string) (int64, error) {
	bad := func(reason string) (int64, error) {
		return 0, &FlagError{Flag: "sizes", Value: s, Reason: reason}
	}
	num, mult := strings.TrimSpace(s), int64(1)
	lower := strings.ToLower(num)
	for _, u := range sizeUnits {
		if strings.HasSuffix(lower, u.suffix) {
			num, mult = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.mult
			break
		}
	}
	if num == "" || strings.TrimLeft(num, "0123456789") != "" {
		return bad("want a whole number with an optional unit such as 4KiB or 1MiB")
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > maxObjectSize/mult {
		return bad("want a size from 1 B to 1 GiB")
	}
	return n * mult, nil
}

// splitList splits a comma-separated flag value, refusing empty items and
// more than maxListItems of them.
func splitList(flag, s string) ([]string, error) {
	parts := strings.Split(s, ",")
	if len(parts) > maxListItems {
		return nil, &FlagError{Flag: flag, Value: s, Reason: fmt.Sprintf("at most %d items", maxListItems)}
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return nil, &FlagError{Flag: flag, Value: s, Reason: "empty item"}
		}
	}
	return parts, nil
}

// parseSizes reads a comma-separated list of sizes ("4KiB,1MiB").
func parseSizes(s string) ([]int64, error) {
	parts, err := splitList("sizes", s)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(parts))
	for i, p := range parts {
		if out[i], err = parseSize(p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseConcurrency reads a comma-separated list of concurrency levels
// ("8,32"), each from 1 to maxConcurrency.
func parseConcurrency(s string) ([]int, error) {
	parts, err := splitList("concurrency", s)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxConcurrency {
			return nil, &FlagError{Flag: "concurrency", Value: s, Reason: fmt.Sprintf("want whole numbers from 1 to %d", maxConcurrency)}
		}
		out[i] = n
	}
	return out, nil
}

// parseOps reads a comma-separated list of operations ("put,get").
func parseOps(s string) ([]string, error) {
	parts, err := splitList("ops", s)
	if err != nil {
		return nil, err
	}
	for i, p := range parts {
		switch strings.ToUpper(p) {
		case "PUT", "GET":
			parts[i] = strings.ToUpper(p)
		default:
			return nil, &FlagError{Flag: "ops", Value: s, Reason: "want put and/or get"}
		}
	}
	return parts, nil
}
