package condition

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min, s, ns int) instant {
		tm := time.Date(y, m, d, h, min, s, ns, time.UTC)
		return instant{tm.Unix(), int32(tm.Nanosecond())}
	}
	tests := []struct {
		name string
		in   string
		want instant
		ok   bool
	}{
		// W3C forms: https://www.w3.org/TR/NOTE-datetime
		{"year month", "2020-02", utc(2020, 2, 1, 0, 0, 0, 0), true},
		{"date only", "2020-01-01", utc(2020, 1, 1, 0, 0, 0, 0), true},
		{"minutes Z", "2020-01-01T10:30Z", utc(2020, 1, 1, 10, 30, 0, 0), true},
		{"seconds Z", "2020-01-01T00:00:01Z", utc(2020, 1, 1, 0, 0, 1, 0), true},
		{"fraction", "2019-07-16T12:00:00.5Z", utc(2019, 7, 16, 12, 0, 0, 5e8), true},
		{"long fraction truncated", "2019-07-16T12:00:00.1234567891234Z", utc(2019, 7, 16, 12, 0, 0, 123456789), true},
		{"plus offset", "2020-01-01T01:00:00+01:00", utc(2020, 1, 1, 0, 0, 0, 0), true},
		{"minus offset", "2019-12-31T19:00:00-05:00", utc(2020, 1, 1, 0, 0, 0, 0), true},
		{"compact offset", "2020-01-01T05:30+0530", utc(2020, 1, 1, 0, 0, 0, 0), true},
		{"lower-case t and z", "2020-01-01t00:00:00z", utc(2020, 1, 1, 0, 0, 0, 0), true},
		{"no zone is UTC", "2020-01-01T00:00:00", utc(2020, 1, 1, 0, 0, 0, 0), true},
		{"leap day", "2024-02-29", utc(2024, 2, 29, 0, 0, 0, 0), true},
		{"year 2000 leap", "2000-02-29", utc(2000, 2, 29, 0, 0, 0, 0), true},
		{"epoch seconds", "1700000000", instant{1700000000, 0}, true},
		{"epoch zero", "0", instant{0, 0}, true},
		{"epoch fraction", "1.25", instant{1, 25e7}, true},
		{"negative epoch", "-1.5", instant{-2, 5e8}, true},
		{"negative epoch whole", "-10", instant{-10, 0}, true},
		{"bare year is epoch", "2024", instant{2024, 0}, true},
		{"not leap", "2023-02-29", instant{}, false},
		{"1900 not leap", "1900-02-29", instant{}, false},
		{"bad month", "2020-13-01", instant{}, false},
		{"month zero", "2020-00-01", instant{}, false},
		{"day 31 of april", "2020-04-31", instant{}, false},
		{"hour 24", "2020-01-01T24:00:00Z", instant{}, false},
		{"minute 60", "2020-01-01T00:60:00Z", instant{}, false},
		{"second 60", "2020-01-01T00:00:60Z", instant{}, false},
		{"no minutes", "2020-01-01T10Z", instant{}, false},
		{"empty fraction", "2020-01-01T00:00:00.Z", instant{}, false},
		{"bad zone", "2020-01-01T00:00:00X", instant{}, false},
		{"zone hour 24", "2020-01-01T00:00:00+24:00", instant{}, false},
		{"zone minute 60", "2020-01-01T00:00:00+01:60", instant{}, false},
		{"zone short", "2020-01-01T00:00:00+1", instant{}, false},
		{"trailing", "2020-01-01T00:00:00Zx", instant{}, false},
		{"date trailing", "2020-01-01x", instant{}, false},
		{"space separator", "2020-01-01 00:00:00Z", instant{}, false},
		{"two-digit year", "20-01-01", instant{}, false},
		{"year month junk", "2020-1", instant{}, false},
		{"no month", "2020-", instant{}, false},
		{"month junk", "2020-01x", instant{}, false},
		{"empty", "", instant{}, false},
		{"minus only", "-", instant{}, false},
		{"epoch junk", "12a", instant{}, false},
		{"epoch empty fraction", "12.", instant{}, false},
		{"epoch too long", "1234567890123456", instant{}, false},
		{"variable", "${aws:CurrentTime}", instant{}, false},
		{"wildcard", "2020-*", instant{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseDate(tt.in)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Fatalf("parseDate(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDateOperators(t *testing.T) {
	runCases(t, []opCase{
		// Operators page, Date: credentials issued after 2020-01-01T00:00:01Z.
		{"ops page: issued later", "DateGreaterThan", "aws:TokenIssueTime", vs("2020-01-01T00:00:01Z"), false, one("aws:tokenissuetime", "2020-06-01T00:00:00Z"), true},
		{"ops page: issued earlier", "DateGreaterThan", "aws:TokenIssueTime", vs("2020-01-01T00:00:01Z"), false, one("aws:tokenissuetime", "2019-12-31T23:59:59Z"), false},
		{"ops page: long-term keys have no token time", "DateGreaterThan", "aws:TokenIssueTime", vs("2020-01-01T00:00:01Z"), false, Map{}, false},
		// Multi-value page: between 12:00 and 15:00 on 2019-07-16.
		{"multi page: after noon", "DateGreaterThan", "aws:CurrentTime", vs("2019-07-16T12:00:00Z"), false, one("aws:currenttime", "2019-07-16T13:00:00Z"), true},
		{"multi page: before three", "DateLessThan", "aws:CurrentTime", vs("2019-07-16T15:00:00Z"), false, one("aws:currenttime", "2019-07-16T13:00:00Z"), true},
		{"multi page: too late", "DateLessThan", "aws:CurrentTime", vs("2019-07-16T15:00:00Z"), false, one("aws:currenttime", "2019-07-16T15:00:00Z"), false},
		{"epoch request vs ISO policy", "DateGreaterThanEquals", "aws:EpochTime", vs("2020-01-01T00:00:00Z"), false, one("aws:epochtime", "1577836800"), true},
		{"epoch policy vs ISO request", "DateLessThanEquals", "aws:CurrentTime", vs("1577836800"), false, one("aws:currenttime", "2020-01-01T00:00:00Z"), true},
		{"equals across offsets", "DateEquals", "aws:CurrentTime", vs("2020-01-01T01:00:00+01:00"), false, one("aws:currenttime", "2020-01-01T00:00:00Z"), true},
		{"equals fraction differs", "DateEquals", "aws:CurrentTime", vs("2020-01-01T00:00:00Z"), false, one("aws:currenttime", "2020-01-01T00:00:00.001Z"), false},
		{"not equals", "DateNotEquals", "aws:CurrentTime", vs("2020-01-01"), false, one("aws:currenttime", "2020-01-02T00:00:00Z"), true},
		{"not equals same", "DateNotEquals", "aws:CurrentTime", vs("2020-01-01"), false, one("aws:currenttime", "2020-01-01T00:00:00Z"), false},
		{"not equals absent", "DateNotEquals", "aws:CurrentTime", vs("2020-01-01"), false, Map{}, true},
		{"greater equals bound", "DateGreaterThanEquals", "k", vs("2020-01-01"), false, one("k", "2020-01-01"), true},
		{"less equals later", "DateLessThanEquals", "k", vs("2020-01-01"), false, one("k", "2020-01-01T00:00:00.5Z"), false},
		{"request not a date", "DateLessThan", "k", vs("2020-01-01"), false, one("k", "yesterday"), false},
		{"sub-second ordering", "DateLessThan", "k", vs("2020-01-01T00:00:00.5Z"), false, one("k", "2020-01-01T00:00:00.25Z"), true},
	})
}
