package s3api

import (
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		size    int64
		want    byteRange
		outcome rangeOutcome
	}{
		{"first bytes", "bytes=0-4", 10, byteRange{0, 4}, rangeSatisfiable},
		{"middle", "bytes=3-5", 10, byteRange{3, 5}, rangeSatisfiable},
		{"open end", "bytes=4-", 10, byteRange{4, 9}, rangeSatisfiable},
		{"end clamped", "bytes=8-100", 10, byteRange{8, 9}, rangeSatisfiable},
		{"suffix", "bytes=-3", 10, byteRange{7, 9}, rangeSatisfiable},
		{"suffix longer than object", "bytes=-30", 10, byteRange{0, 9}, rangeSatisfiable},
		{"unit case-insensitive", "Bytes=1-1", 10, byteRange{1, 1}, rangeSatisfiable},
		{"start at size", "bytes=10-", 10, byteRange{}, rangeUnsatisfiable},
		{"start past size", "bytes=20-30", 10, byteRange{}, rangeUnsatisfiable},
		{"empty object", "bytes=0-", 0, byteRange{}, rangeUnsatisfiable},
		{"empty object suffix", "bytes=-1", 0, byteRange{}, rangeUnsatisfiable},
		{"zero suffix", "bytes=-0", 10, byteRange{}, rangeUnsatisfiable},
		{"first after last ignored", "bytes=5-3", 10, byteRange{}, rangeIgnored},
		{"several ranges ignored", "bytes=0-1,3-4", 10, byteRange{}, rangeIgnored},
		{"garbage ignored", "bytes=abc", 10, byteRange{}, rangeIgnored},
		{"other unit ignored", "items=0-1", 10, byteRange{}, rangeIgnored},
		{"no dash ignored", "bytes=5", 10, byteRange{}, rangeIgnored},
		{"negative ignored", "bytes=-", 10, byteRange{}, rangeIgnored},
		{"overflow ignored", "bytes=99999999999999999999-", 10, byteRange{}, rangeIgnored},
		{"sign ignored", "bytes=+1-2", 10, byteRange{}, rangeIgnored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, outcome := parseRange(tt.header, tt.size)
			if outcome != tt.outcome || got != tt.want {
				t.Errorf("parseRange(%q, %d) = %v, %v; want %v, %v", tt.header, tt.size, got, outcome, tt.want, tt.outcome)
			}
		})
	}
}

func TestParseCopyRange(t *testing.T) {
	tests := []struct {
		name   string
		header string
		size   int64
		want   byteRange
		msg    string
	}{
		{"whole", "bytes=0-9", 10, byteRange{0, 9}, ""},
		{"one byte", "bytes=3-3", 10, byteRange{3, 3}, ""},
		{"past end", "bytes=0-10", 10, byteRange{}, "Range specified is not valid for source object of size: 10"},
		{"reversed", "bytes=5-4", 10, byteRange{}, "Range specified is not valid for source object of size: 10"},
		{"open", "bytes=0-", 10, byteRange{}, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"},
		{"suffix", "bytes=-5", 10, byteRange{}, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"},
		{"no unit", "0-5", 10, byteRange{}, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"},
		{"several", "bytes=0-1,2-3", 10, byteRange{}, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, e := parseCopyRange(tt.header, tt.size)
			msg := ""
			if e != nil {
				msg = e.Message
				if e.Code != "InvalidArgument" {
					t.Errorf("code %s, want InvalidArgument", e.Code)
				}
			}
			if got != tt.want || msg != tt.msg {
				t.Errorf("parseCopyRange(%q) = %v, %q; want %v, %q", tt.header, got, msg, tt.want, tt.msg)
			}
		})
	}
}

func TestInvalidRangeError(t *testing.T) {
	e := invalidRange("bytes=20-", 10)
	if e.Status != 416 || e.Code != "InvalidRange" || len(e.Fields) != 2 ||
		e.Fields[0] != (awserr.Field{Name: "RangeRequested", Value: "bytes=20-"}) || e.Fields[1] != (awserr.Field{Name: "ActualObjectSize", Value: "10"}) {
		t.Errorf("invalidRange = %+v", e)
	}
}
