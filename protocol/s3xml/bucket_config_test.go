package s3xml

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// TestDecodeBucketConfigs runs Decode and Validate over bodies of the five
// stored bucket configurations: good ones decode, bad ones fail with S3's
// code.
func TestDecodeBucketConfigs(t *testing.T) {
	cors := func() any { return new(CORSConfiguration) }
	lc := func() any { return new(LifecycleConfiguration) }
	web := func() any { return new(WebsiteConfiguration) }
	logging := func() any { return new(BucketLoggingStatus) }
	acc := func() any { return new(AccelerateConfiguration) }
	rule := func(s string) string {
		return `<LifecycleConfiguration><Rule>` + s + `</Rule></LifecycleConfiguration>`
	}
	exp := `<Expiration><Days>1</Days></Expiration>`
	tests := []struct {
		name string
		mk   func() any
		body string
		code string // "" for success
	}{
		{"cors ok", cors, `<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`, ""},
		{"cors namespaced", cors, `<CORSConfiguration xmlns="` + Namespace + `"><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`, ""},
		{"cors unknown element skipped", cors, `<CORSConfiguration><CORSRule><X/><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`, ""},
		{"cors bad max age", cors, `<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>x</MaxAgeSeconds></CORSRule></CORSConfiguration>`, "MalformedXML"},
		{"cors header two wildcards", cors, `<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><AllowedHeader>x-*-*</AllowedHeader></CORSRule></CORSConfiguration>`, "InvalidRequest"},
		{"cors lower-case method", cors, `<CORSConfiguration><CORSRule><AllowedMethod>get</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`, "InvalidRequest"},
		{"lifecycle legacy prefix", lc, rule(`<Prefix>a/</Prefix><Status>Enabled</Status>` + exp), ""},
		{"lifecycle empty filter", lc, rule(`<Filter></Filter><Status>Enabled</Status>` + exp), ""},
		{"lifecycle size filter", lc, rule(`<Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></Filter><Status>Enabled</Status>` + exp), ""},
		{"lifecycle and of one", lc, rule(`<Filter><And><Prefix>a</Prefix></And></Filter><Status>Enabled</Status>` + exp), "MalformedXML"},
		{"lifecycle delete marker", lc, rule(`<Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`), ""},
		{"lifecycle empty expiration", lc, rule(`<Filter/><Status>Enabled</Status><Expiration/>`), "MalformedXML"},
		{"lifecycle glacier day 0", lc, rule(`<Filter/><Status>Enabled</Status><Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition>`), ""},
		{"lifecycle transition days and date", lc, rule(`<Filter/><Status>Enabled</Status><Transition><Days>40</Days><Date>2030-01-01T00:00:00Z</Date><StorageClass>GLACIER</StorageClass></Transition>`), "MalformedXML"},
		{"lifecycle transition midnight", lc, rule(`<Filter/><Status>Enabled</Status><Transition><Date>2030-01-01T00:00:01Z</Date><StorageClass>GLACIER</StorageClass></Transition>`), "InvalidArgument"},
		{"lifecycle onezone too soon", lc, rule(`<Filter/><Status>Enabled</Status><Transition><Days>29</Days><StorageClass>ONEZONE_IA</StorageClass></Transition>`), "InvalidArgument"},
		{"lifecycle noncurrent zero", lc, rule(`<Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>`), "InvalidArgument"},
		{"lifecycle noncurrent missing days", lc, rule(`<Filter/><Status>Enabled</Status><NoncurrentVersionExpiration/>`), "MalformedXML"},
		{"lifecycle noncurrent transition", lc, rule(`<Filter/><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>5</NoncurrentDays><StorageClass>DEEP_ARCHIVE</StorageClass></NoncurrentVersionTransition>`), ""},
		{"lifecycle date garbage", lc, rule(`<Filter/><Status>Enabled</Status><Expiration><Date>soon</Date></Expiration>`), "MalformedXML"},
		{"lifecycle 1001 rules", lc, `<LifecycleConfiguration>` + strings.Repeat(`<Rule><Filter/><Status>Enabled</Status>`+exp+`</Rule>`, 1001) + `</LifecycleConfiguration>`, "MalformedXML"},
		{"website redirect all", web, `<WebsiteConfiguration><RedirectAllRequestsTo><HostName>example.com</HostName><Protocol>https</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>`, ""},
		{"website redirect no host", web, `<WebsiteConfiguration><RedirectAllRequestsTo><Protocol>https</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>`, "MalformedXML"},
		{"website empty suffix", web, `<WebsiteConfiguration><IndexDocument><Suffix></Suffix></IndexDocument></WebsiteConfiguration>`, "InvalidArgument"},
		{"website error doc no key", web, `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><ErrorDocument/></WebsiteConfiguration>`, "MalformedXML"},
		{"website rule no redirect", web, `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>a</KeyPrefixEquals></Condition></RoutingRule></RoutingRules></WebsiteConfiguration>`, "MalformedXML"},
		{"website empty condition", web, `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition/><Redirect><HostName>h</HostName></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`, "InvalidRequest"},
		{"website redirect bad protocol", web, `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><Protocol>gopher</Protocol></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`, "InvalidRequest"},
		{"logging off", logging, `<BucketLoggingStatus/>`, ""},
		{"logging grants", logging, `<BucketLoggingStatus><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetGrants><Grant>` +
			`<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>` +
			`<Permission>READ</Permission></Grant></TargetGrants></LoggingEnabled></BucketLoggingStatus>`, ""},
		{"logging grant write acp", logging, `<BucketLoggingStatus><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetGrants><Grant>` +
			`<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>u</URI></Grantee>` +
			`<Permission>WRITE_ACP</Permission></Grant></TargetGrants></LoggingEnabled></BucketLoggingStatus>`, "MalformedXML"},
		{"logging both key formats", logging, `<BucketLoggingStatus><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix>` +
			`<TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix/></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>`, "MalformedXML"},
		{"logging simple prefix", logging, `<BucketLoggingStatus><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix>` +
			`<TargetObjectKeyFormat><SimplePrefix/></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>`, ""},
		{"logging bad date source", logging, `<BucketLoggingStatus><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix>` +
			`<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>Now</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>`, "MalformedXML"},
		{"accelerate suspended", acc, `<AccelerateConfiguration><Status>Suspended</Status></AccelerateConfiguration>`, ""},
		{"accelerate lower case", acc, `<AccelerateConfiguration><Status>enabled</Status></AccelerateConfiguration>`, "MalformedXML"},
		{"accelerate trailing element", acc, `<AccelerateConfiguration><Status>Enabled</Status></AccelerateConfiguration><X/>`, "MalformedXML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Decode(strings.NewReader(tt.body), MaxLifecycleBody, tt.mk())
			var ae *awserr.Error
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("Decode: %v", err)
			case tt.code != "" && (!errors.As(err, &ae) || ae.Code != tt.code):
				t.Fatalf("Decode error %v, want %s", err, tt.code)
			}
		})
	}
}

// TestStoredConfigRoundTrip: a decoded configuration marshals to a body
// that decodes to the same value, which is what GET returns after PUT.
func TestStoredConfigRoundTrip(t *testing.T) {
	for _, s := range configSeeds {
		t.Run(s.name, func(t *testing.T) {
			v := s.mk()
			if err := Decode(bytes.NewReader([]byte(s.body)), MaxLifecycleBody, v); err != nil {
				t.Fatal(err)
			}
			roundTrip(t, v, s.mk)
		})
	}
}
