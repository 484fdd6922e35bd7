package s3api

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// requireRoute fails a test whose operation route.go does not dispatch
// (before these configurations were stored, PUT ?website went to
// CreateBucket).
func requireRoute(t *testing.T, method, sub, op string) {
	t.Helper()
	q := &request{r: httptest.NewRequest(method, "/b?"+sub, nil), bucket: "b", query: url.Values{sub: {""}}}
	if got := operationName(q); got != op {
		t.Fatalf("route.go sends %s /b?%s to %s, not %s", method, sub, got, op)
	}
}

// Bodies of the tests, as the SDKs and Terraform send them.
const (
	corsBody = `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><ID>web</ID>` +
		`<AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>` +
		`<AllowedOrigin>https://*.example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>` +
		`<MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule><CORSRule><AllowedMethod>HEAD</AllowedMethod>` +
		`<AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`
	lifecycleBody = `<LifecycleConfiguration><Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>` +
		`<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>` +
		`<Expiration><Days>365</Days></Expiration></Rule>` +
		`<Rule><ID>tmp</ID><Filter><And><Prefix>tmp/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>` +
		`<Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>` +
		`<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>` +
		`</LifecycleConfiguration>`
	websiteBody = `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument>` +
		`<ErrorDocument><Key>error.html</Key></ErrorDocument><RoutingRules><RoutingRule>` +
		`<Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition>` +
		`<Redirect><ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules>` +
		`</WebsiteConfiguration>`
	loggingBody = `<BucketLoggingStatus><LoggingEnabled><TargetBucket>cfg-logs</TargetBucket>` +
		`<TargetPrefix>access/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`
	accelerateBody = `<AccelerateConfiguration><Status>Enabled</Status></AccelerateConfiguration>`
)

// configCase is one stored configuration and how to reach it.
type configCase struct {
	name     string
	sub      string // sub-resource
	put, get string // operations
	del      string // DELETE operation, "" if none
	body     string
	unset    int    // GET status when unset
	unsetErr string // GET error code when unset
	golden   string // golden file of GET once set
	// off is the body that turns the configuration off where S3 has no
	// DELETE for it, and the element that must then be gone.
	off, offGone string
}

var configCases = []configCase{
	{name: "cors", sub: "cors", put: "PutBucketCors", get: "GetBucketCors", del: "DeleteBucketCors", body: corsBody,
		unset: 404, unsetErr: "NoSuchCORSConfiguration", golden: "get_bucket_cors"},
	{name: "lifecycle", sub: "lifecycle", put: "PutBucketLifecycleConfiguration", get: "GetBucketLifecycleConfiguration",
		del: "DeleteBucketLifecycle", body: lifecycleBody, unset: 404, unsetErr: "NoSuchLifecycleConfiguration",
		golden: "get_bucket_lifecycle"},
	{name: "website", sub: "website", put: "PutBucketWebsite", get: "GetBucketWebsite", del: "DeleteBucketWebsite",
		body: websiteBody, unset: 404, unsetErr: "NoSuchWebsiteConfiguration", golden: "get_bucket_website"},
	{name: "logging", sub: "logging", put: "PutBucketLogging", get: "GetBucketLogging", body: loggingBody, unset: 200,
		golden: "get_bucket_logging", off: `<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`,
		offGone: "LoggingEnabled"},
	{name: "accelerate", sub: "accelerate", put: "PutBucketAccelerateConfiguration", get: "GetBucketAccelerateConfiguration",
		body: accelerateBody, unset: 200, golden: "get_bucket_accelerate",
		off: `<AccelerateConfiguration><Status>Suspended</Status></AccelerateConfiguration>`},
}

// TestBucketConfigLifecycle: each configuration reads as unset, then as
// set (golden wire form), then as deleted or turned off; deleting twice
// is not an error; DeleteBucket drops it with the bucket.
func TestBucketConfigLifecycle(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "cfg-logs")
	for _, tt := range configCases {
		t.Run(tt.name, func(t *testing.T) {
			requireRoute(t, http.MethodPut, tt.sub, tt.put)
			b := "cfg-" + tt.name
			e.createBucket(acctA, b)
			path := "/" + b + "?" + tt.sub
			expectStatus(t, e.do(acctA, http.MethodGet, path, nil, nil), tt.unset, tt.unsetErr)
			expectStatus(t, e.do(acctA, http.MethodPut, path, nil, []byte(tt.body)), 200, "")
			r := e.do(acctA, http.MethodGet, path, nil, nil)
			expectStatus(t, r, 200, "")
			if ct := r.header.Get("Content-Type"); ct != "application/xml" {
				t.Errorf("Content-Type %q", ct)
			}
			golden(t, tt.golden, r.body)
			if tt.del != "" {
				requireRoute(t, http.MethodDelete, tt.sub, tt.del)
				expectStatus(t, e.do(acctA, http.MethodDelete, path, nil, nil), 204, "")
				expectStatus(t, e.do(acctA, http.MethodDelete, path, nil, nil), 204, "")
				expectStatus(t, e.do(acctA, http.MethodGet, path, nil, nil), tt.unset, tt.unsetErr)
			} else {
				expectStatus(t, e.do(acctA, http.MethodPut, path, nil, []byte(tt.off)), 200, "")
				r := e.do(acctA, http.MethodGet, path, nil, nil)
				expectStatus(t, r, 200, "")
				if tt.offGone != "" && strings.Contains(r.body, tt.offGone) {
					t.Errorf("turned off, still has %s: %s", tt.offGone, r.body)
				}
				golden(t, tt.golden+"_off", r.body)
			}
			// A bucket deleted and made again has none of its old
			// configuration.
			expectStatus(t, e.do(acctA, http.MethodPut, path, nil, []byte(tt.body)), 200, "")
			if _, err := e.client(acctA).DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String(b)}); err != nil {
				t.Fatal(err)
			}
			e.createBucket(acctA, b)
			expectStatus(t, e.do(acctA, http.MethodGet, path, nil, nil), tt.unset, tt.unsetErr)
		})
	}
}

// TestBucketConfigAuthorization: another account is denied every
// operation on a bucket that grants it nothing, and a bucket policy
// granting the documented action lets it through: DeleteBucketCors needs
// s3:PutBucketCORS and DeleteBucketLifecycle s3:PutLifecycleConfiguration.
func TestBucketConfigAuthorization(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "cfg-logs")
	tests := []struct {
		name, method, sub, op string
		body                  string
		action                string // the action a policy must grant
		status                int    // B's status once granted
	}{
		{"put cors", http.MethodPut, "cors", "PutBucketCors", corsBody, "s3:PutBucketCORS", 200},
		{"get cors", http.MethodGet, "cors", "GetBucketCors", "", "s3:GetBucketCORS", 404},
		{"delete cors", http.MethodDelete, "cors", "DeleteBucketCors", "", "s3:PutBucketCORS", 204},
		{"put lifecycle", http.MethodPut, "lifecycle", "PutBucketLifecycleConfiguration", lifecycleBody, "s3:PutLifecycleConfiguration", 200},
		{"get lifecycle", http.MethodGet, "lifecycle", "GetBucketLifecycleConfiguration", "", "s3:GetLifecycleConfiguration", 404},
		{"delete lifecycle", http.MethodDelete, "lifecycle", "DeleteBucketLifecycle", "", "s3:PutLifecycleConfiguration", 204},
		{"put website", http.MethodPut, "website", "PutBucketWebsite", websiteBody, "s3:PutBucketWebsite", 200},
		{"get website", http.MethodGet, "website", "GetBucketWebsite", "", "s3:GetBucketWebsite", 404},
		{"delete website", http.MethodDelete, "website", "DeleteBucketWebsite", "", "s3:DeleteBucketWebsite", 204},
		{"put logging", http.MethodPut, "logging", "PutBucketLogging", `<BucketLoggingStatus/>`, "s3:PutBucketLogging", 200},
		{"get logging", http.MethodGet, "logging", "GetBucketLogging", "", "s3:GetBucketLogging", 200},
		{"put accelerate", http.MethodPut, "accelerate", "PutBucketAccelerateConfiguration", accelerateBody, "s3:PutAccelerateConfiguration", 200},
		{"get accelerate", http.MethodGet, "accelerate", "GetBucketAccelerateConfiguration", "", "s3:GetAccelerateConfiguration", 200},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireRoute(t, tt.method, tt.sub, tt.op)
			b := "cfg-auth-" + string(rune('a'+i))
			e.createBucket(acctA, b)
			path := "/" + b + "?" + tt.sub
			body := []byte(tt.body)
			expectStatus(t, e.do(acctB, tt.method, path, nil, body), 403, "AccessDenied")
			expectStatus(t, e.do("", tt.method, path, nil, body), 403, "AccessDenied")
			// A policy granting a neighbouring action is not enough.
			e.setPolicy(b, allowPolicy(acctB, []string{"s3:GetBucketAcl"}, []string{"arn:aws:s3:::" + b}, ""))
			expectStatus(t, e.do(acctB, tt.method, path, nil, body), 403, "AccessDenied")
			e.setPolicy(b, allowPolicy(acctB, []string{tt.action}, []string{"arn:aws:s3:::" + b}, ""))
			r := e.do(acctB, tt.method, path, nil, body)
			if r.status != tt.status {
				t.Fatalf("granted %s: %d %s", tt.action, r.status, r.body)
			}
			expectStatus(t, e.do(acctA, tt.method, "/cfg-no-such-bucket?"+tt.sub, nil, body), 404, "NoSuchBucket")
		})
	}
}

// TestBucketConfigMalformed: bodies S3 refuses, with its codes and
// messages (see the Validate methods in protocol/s3xml for the sources).
func TestBucketConfigMalformed(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "cfg-bad")
	e.createBucket(acctA, "cfg.dotted")
	e.createBucket(acctB, "cfg-b-logs")
	rule := func(s string) string { return `<CORSConfiguration><CORSRule>` + s + `</CORSRule></CORSConfiguration>` }
	lc := func(s string) string {
		return `<LifecycleConfiguration><Rule>` + s + `</Rule></LifecycleConfiguration>`
	}
	exp := `<Expiration><Days>1</Days></Expiration>`
	tests := []struct {
		name, sub, op string
		bucket        string // "" for cfg-bad
		body          string
		header        http.Header
		code, message string // message "" is not checked
	}{
		{name: "cors not xml", sub: "cors", op: "PutBucketCors", body: `<CORSConfiguration>`, code: "MalformedXML"},
		{name: "cors empty", sub: "cors", op: "PutBucketCors", body: ``, code: "MissingRequestBodyError"},
		{name: "cors wrong root", sub: "cors", op: "PutBucketCors", body: `<Tagging/>`, code: "MalformedXML"},
		{name: "cors no rules", sub: "cors", op: "PutBucketCors", body: `<CORSConfiguration/>`, code: "MalformedXML"},
		{name: "cors 101 rules", sub: "cors", op: "PutBucketCors", code: "MalformedXML",
			body: `<CORSConfiguration>` + strings.Repeat(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`, 101) + `</CORSConfiguration>`},
		{name: "cors no origin", sub: "cors", op: "PutBucketCors", body: rule(`<AllowedMethod>GET</AllowedMethod>`), code: "MalformedXML"},
		{name: "cors no method", sub: "cors", op: "PutBucketCors", body: rule(`<AllowedOrigin>*</AllowedOrigin>`), code: "MalformedXML"},
		{name: "cors bad method", sub: "cors", op: "PutBucketCors", body: rule(`<AllowedMethod>PATCH</AllowedMethod><AllowedOrigin>*</AllowedOrigin>`),
			code: "InvalidRequest", message: "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"},
		{name: "cors two wildcards", sub: "cors", op: "PutBucketCors", body: rule(`<AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://*.*.com</AllowedOrigin>`),
			code: "InvalidRequest", message: `AllowedOrigin "https://*.*.com" can not have more than one wildcard.`},
		{name: "cors over 64 KB", sub: "cors", op: "PutBucketCors", code: "MalformedXML",
			body: rule(`<AllowedMethod>GET</AllowedMethod><AllowedOrigin>` + strings.Repeat("a", 64<<10) + `</AllowedOrigin>`)},
		{name: "lifecycle no rules", sub: "lifecycle", op: "PutBucketLifecycleConfiguration", body: `<LifecycleConfiguration/>`, code: "MalformedXML"},
		{name: "lifecycle no action", sub: "lifecycle", op: "PutBucketLifecycleConfiguration", body: lc(`<Filter/><Status>Enabled</Status>`),
			code: "InvalidRequest", message: "At least one action needs to be specified in a rule"},
		{name: "lifecycle bad status", sub: "lifecycle", op: "PutBucketLifecycleConfiguration", body: lc(`<Filter/><Status>On</Status>` + exp), code: "MalformedXML"},
		{name: "lifecycle prefix and filter", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Prefix>a</Prefix><Filter/><Status>Enabled</Status>` + exp), code: "MalformedXML"},
		{name: "lifecycle no filter", sub: "lifecycle", op: "PutBucketLifecycleConfiguration", body: lc(`<Status>Enabled</Status>` + exp), code: "MalformedXML"},
		{name: "lifecycle filter of two", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Status>Enabled</Status>` + exp), code: "MalformedXML"},
		{name: "lifecycle zero days", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration>`),
			code: "InvalidArgument", message: "'Days' for Expiration action must be a positive integer"},
		{name: "lifecycle date not midnight", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Filter/><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>`),
			code: "InvalidArgument", message: "'Date' must be at midnight GMT"},
		{name: "lifecycle days and date", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Filter/><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>`), code: "MalformedXML"},
		{name: "lifecycle long id", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<ID>` + strings.Repeat("i", 256) + `</ID><Filter/><Status>Enabled</Status>` + exp),
			code: "InvalidArgument", message: "ID length should not exceed allowed limit of 255"},
		{name: "lifecycle same id", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: `<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status>` + exp + `</Rule>` +
				`<Rule><ID>x</ID><Filter/><Status>Enabled</Status>` + exp + `</Rule></LifecycleConfiguration>`,
			code: "InvalidArgument", message: "Rule ID must be unique. Found same ID for more than one rule"},
		{name: "lifecycle IA too soon", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Filter/><Status>Enabled</Status><Transition><Days>7</Days><StorageClass>STANDARD_IA</StorageClass></Transition>`),
			code: "InvalidArgument", message: "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'"},
		{name: "lifecycle bad class", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Filter/><Status>Enabled</Status><Transition><Days>40</Days><StorageClass>COLD</StorageClass></Transition>`), code: "MalformedXML"},
		{name: "lifecycle abort zero", sub: "lifecycle", op: "PutBucketLifecycleConfiguration",
			body: lc(`<Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>`),
			code: "InvalidArgument", message: "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer"},
		{name: "lifecycle bad min size", sub: "lifecycle", op: "PutBucketLifecycleConfiguration", body: lc(`<Filter/><Status>Enabled</Status>` + exp),
			header: hdr(transitionMinSizeHeader, "tiny"), code: "InvalidArgument"},
		{name: "website nothing", sub: "website", op: "PutBucketWebsite", body: `<WebsiteConfiguration/>`,
			code: "InvalidArgument", message: "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty"},
		{name: "website slash suffix", sub: "website", op: "PutBucketWebsite",
			body: `<WebsiteConfiguration><IndexDocument><Suffix>a/index.html</Suffix></IndexDocument></WebsiteConfiguration>`,
			code: "InvalidArgument", message: "The IndexDocument Suffix is not well formed"},
		{name: "website redirect and index", sub: "website", op: "PutBucketWebsite",
			body: `<WebsiteConfiguration><RedirectAllRequestsTo><HostName>example.com</HostName></RedirectAllRequestsTo>` +
				`<IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>`,
			code: "InvalidArgument", message: "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules."},
		{name: "website bad protocol", sub: "website", op: "PutBucketWebsite",
			body: `<WebsiteConfiguration><RedirectAllRequestsTo><HostName>example.com</HostName><Protocol>ftp</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>`,
			code: "InvalidRequest", message: "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically."},
		{name: "website both replacements", sub: "website", op: "PutBucketWebsite",
			body: `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect>` +
				`<ReplaceKeyPrefixWith>a</ReplaceKeyPrefixWith><ReplaceKeyWith>b</ReplaceKeyWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`,
			code: "InvalidRequest", message: "You can only define ReplaceKeyPrefix or ReplaceKey but not both."},
		{name: "website empty routing rules", sub: "website", op: "PutBucketWebsite",
			body: `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules/></WebsiteConfiguration>`, code: "MalformedXML"},
		{name: "logging no target", sub: "logging", op: "PutBucketLogging",
			body: `<BucketLoggingStatus><LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`, code: "MalformedXML"},
		{name: "logging missing target", sub: "logging", op: "PutBucketLogging",
			body: `<BucketLoggingStatus><LoggingEnabled><TargetBucket>cfg-none</TargetBucket><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
			code: "InvalidTargetBucketForLogging", message: "The target bucket for logging does not exist"},
		{name: "logging foreign target", sub: "logging", op: "PutBucketLogging",
			body: `<BucketLoggingStatus><LoggingEnabled><TargetBucket>cfg-b-logs</TargetBucket><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
			code: "InvalidTargetBucketForLogging", message: "The owner for the bucket to be logged and the target bucket must be the same."},
		{name: "accelerate bad status", sub: "accelerate", op: "PutBucketAccelerateConfiguration",
			body: `<AccelerateConfiguration><Status>On</Status></AccelerateConfiguration>`, code: "MalformedXML"},
		{name: "accelerate no status", sub: "accelerate", op: "PutBucketAccelerateConfiguration", body: `<AccelerateConfiguration/>`, code: "MalformedXML"},
		{name: "accelerate dotted bucket", sub: "accelerate", op: "PutBucketAccelerateConfiguration", bucket: "cfg.dotted", body: accelerateBody,
			code: "InvalidRequest", message: "Amazon S3 Transfer Acceleration is not supported for buckets with periods (.) in their names."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireRoute(t, http.MethodPut, tt.sub, tt.op)
			b := tt.bucket
			if b == "" {
				b = "cfg-bad"
			}
			r := e.do(acctA, http.MethodPut, "/"+b+"?"+tt.sub, tt.header, []byte(tt.body))
			expectStatus(t, r, 400, tt.code)
			if tt.message != "" && html.UnescapeString(element(r.body, "Message")) != tt.message {
				t.Errorf("Message %q, want %q", element(r.body, "Message"), tt.message)
			}
			// Nothing was stored.
			g := e.do(acctA, http.MethodGet, "/"+b+"?"+tt.sub, nil, nil)
			if g.status == 200 && (strings.Contains(g.body, "<LoggingEnabled>") || strings.Contains(g.body, "<Status>")) {
				t.Errorf("refused configuration stored: %s", g.body)
			}
			// A bad body sent to a missing bucket is NoSuchBucket, except
			// one over the size limit, refused as it is read.
			if len(tt.body) > 64<<10 {
				return
			}
			expectStatus(t, e.do(acctA, http.MethodPut, "/cfg-no-such-bucket?"+tt.sub, tt.header, []byte(tt.body)), 404, "NoSuchBucket")
		})
	}
}

// TestBucketConfigSDK: the configurations survive a round trip through
// aws-sdk-go-v2, as Terraform's AWS provider makes them.
func TestBucketConfigSDK(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := e.client(acctA)
	e.createBucket(acctA, "cfg-sdk")
	e.createBucket(acctA, "cfg-sdk-logs")
	bucket := aws.String("cfg-sdk")
	tests := []struct {
		name  string
		route [3]string // method, sub-resource, operation
		run   func(t *testing.T)
	}{
		{"cors", [3]string{http.MethodPut, "cors", "PutBucketCors"}, func(t *testing.T) {
			rules := []types.CORSRule{{ID: aws.String("r1"), AllowedMethods: []string{"GET", "POST"}, AllowedOrigins: []string{"https://example.com"},
				AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(600)},
				{AllowedMethods: []string{"DELETE"}, AllowedOrigins: []string{"*"}}}
			if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: bucket, CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}}); err != nil {
				t.Fatal(err)
			}
			out, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: bucket})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(out.CORSRules, rules) {
				t.Errorf("rules %+v, want %+v", out.CORSRules, rules)
			}
			if _, err := c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: bucket}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: bucket}); apiCode(err) != "NoSuchCORSConfiguration" {
				t.Errorf("after delete: %v", err)
			}
		}},
		{"lifecycle", [3]string{http.MethodPut, "lifecycle", "PutBucketLifecycleConfiguration"}, func(t *testing.T) {
			date := time.Date(2031, 2, 3, 0, 0, 0, 0, time.UTC)
			rules := []types.LifecycleRule{
				{ID: aws.String("a"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("logs/")},
					Expiration:  &types.LifecycleExpiration{Days: aws.Int32(90)},
					Transitions: []types.Transition{{Days: aws.Int32(30), StorageClass: types.TransitionStorageClassGlacier}},
					NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(10),
						NewerNoncurrentVersions: aws.Int32(2)}},
				{ID: aws.String("b"), Status: types.ExpirationStatusDisabled, Filter: &types.LifecycleRuleFilter{
					And: &types.LifecycleRuleAndOperator{Prefix: aws.String("x/"), ObjectSizeGreaterThan: aws.Int64(100),
						Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}},
					Expiration: &types.LifecycleExpiration{Date: &date}},
			}
			put, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: bucket,
				LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: rules}})
			if err != nil {
				t.Fatal(err)
			}
			if put.TransitionDefaultMinimumObjectSize != types.TransitionDefaultMinimumObjectSizeAllStorageClasses128k {
				t.Errorf("Put TransitionDefaultMinimumObjectSize %q", put.TransitionDefaultMinimumObjectSize)
			}
			out, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: bucket})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(out.Rules, rules) {
				t.Errorf("rules\n%+v\nwant\n%+v", out.Rules, rules)
			}
			if out.TransitionDefaultMinimumObjectSize != types.TransitionDefaultMinimumObjectSizeAllStorageClasses128k {
				t.Errorf("Get TransitionDefaultMinimumObjectSize %q", out.TransitionDefaultMinimumObjectSize)
			}
			if _, err := c.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: bucket}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: bucket}); apiCode(err) != "NoSuchLifecycleConfiguration" {
				t.Errorf("after delete: %v", err)
			}
		}},
		{"website", [3]string{http.MethodPut, "website", "PutBucketWebsite"}, func(t *testing.T) {
			cfg := &types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
				ErrorDocument: &types.ErrorDocument{Key: aws.String("404.html")},
				RoutingRules: []types.RoutingRule{{Condition: &types.Condition{HttpErrorCodeReturnedEquals: aws.String("404")},
					Redirect: &types.Redirect{HostName: aws.String("example.com"), Protocol: types.ProtocolHttps, ReplaceKeyWith: aws.String("gone.html")}}}}
			if _, err := c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: bucket, WebsiteConfiguration: cfg}); err != nil {
				t.Fatal(err)
			}
			out, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: bucket})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(out.IndexDocument, cfg.IndexDocument) || !reflect.DeepEqual(out.ErrorDocument, cfg.ErrorDocument) ||
				!reflect.DeepEqual(out.RoutingRules, cfg.RoutingRules) || out.RedirectAllRequestsTo != nil {
				t.Errorf("got %+v", out)
			}
			requireRoute(t, http.MethodDelete, "website", "DeleteBucketWebsite")
			if _, err := c.DeleteBucketWebsite(ctx, &s3.DeleteBucketWebsiteInput{Bucket: bucket}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: bucket}); apiCode(err) != "NoSuchWebsiteConfiguration" {
				t.Errorf("after delete: %v", err)
			}
		}},
		{"logging", [3]string{http.MethodPut, "logging", "PutBucketLogging"}, func(t *testing.T) {
			le := &types.LoggingEnabled{TargetBucket: aws.String("cfg-sdk-logs"), TargetPrefix: aws.String("a/"),
				TargetObjectKeyFormat: &types.TargetObjectKeyFormat{PartitionedPrefix: &types.PartitionedPrefix{PartitionDateSource: types.PartitionDateSourceEventTime}}}
			if _, err := c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: bucket, BucketLoggingStatus: &types.BucketLoggingStatus{LoggingEnabled: le}}); err != nil {
				t.Fatal(err)
			}
			out, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: bucket})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(out.LoggingEnabled, le) {
				t.Errorf("LoggingEnabled %+v, want %+v", out.LoggingEnabled, le)
			}
			if _, err := c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: bucket, BucketLoggingStatus: &types.BucketLoggingStatus{}}); err != nil {
				t.Fatal(err)
			}
			if out, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: bucket}); err != nil || out.LoggingEnabled != nil {
				t.Errorf("after disabling: %+v %v", out, err)
			}
		}},
		{"accelerate", [3]string{http.MethodPut, "accelerate", "PutBucketAccelerateConfiguration"}, func(t *testing.T) {
			for _, st := range []types.BucketAccelerateStatus{types.BucketAccelerateStatusEnabled, types.BucketAccelerateStatusSuspended} {
				if _, err := c.PutBucketAccelerateConfiguration(ctx, &s3.PutBucketAccelerateConfigurationInput{Bucket: bucket,
					AccelerateConfiguration: &types.AccelerateConfiguration{Status: st}}); err != nil {
					t.Fatal(err)
				}
				out, err := c.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: bucket})
				if err != nil || out.Status != st {
					t.Errorf("Status %q %v, want %q", out.Status, err, st)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireRoute(t, tt.route[0], tt.route[1], tt.route[2])
			tt.run(t)
		})
	}
}
