package s3xml

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// configSeeds are good bodies of the stored bucket configurations; the
// fuzz targets start from them (and from the corpus under testdata/fuzz).
var configSeeds = []struct {
	name string
	mk   func() any
	body string
}{
	{"cors", func() any { return new(CORSConfiguration) }, `<CORSConfiguration><CORSRule><ID>a</ID><AllowedHeader>*</AllowedHeader>` +
		`<AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://*.example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>` +
		`<MaxAgeSeconds>60</MaxAgeSeconds></CORSRule></CORSConfiguration>`},
	{"lifecycle", func() any { return new(LifecycleConfiguration) }, `<LifecycleConfiguration><Rule><ID>a</ID><Filter><And><Prefix>p/</Prefix>` +
		`<Tag><Key>k</Key><Value>v</Value></Tag><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>` +
		`<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>` +
		`<NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays><StorageClass>GLACIER_IR</StorageClass></NoncurrentVersionTransition>` +
		`<NoncurrentVersionExpiration><NoncurrentDays>9</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>` +
		`<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>`},
	{"website", func() any { return new(WebsiteConfiguration) }, `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument>` +
		`<ErrorDocument><Key>e.html</Key></ErrorDocument><RoutingRules><RoutingRule><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals>` +
		`</Condition><Redirect><HostName>h</HostName><HttpRedirectCode>301</HttpRedirectCode><Protocol>https</Protocol>` +
		`<ReplaceKeyWith>x</ReplaceKeyWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`},
	{"logging", func() any { return new(BucketLoggingStatus) }, `<BucketLoggingStatus><LoggingEnabled><TargetBucket>t</TargetBucket>` +
		`<TargetPrefix>p/</TargetPrefix><TargetGrants><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">` +
		`<ID>abc</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></TargetGrants><TargetObjectKeyFormat><PartitionedPrefix>` +
		`<PartitionDateSource>EventTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>`},
	{"accelerate", func() any { return new(AccelerateConfiguration) }, `<AccelerateConfiguration><Status>Enabled</Status></AccelerateConfiguration>`},
	{"versioning", func() any { return new(VersioningConfiguration) }, `<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`},
}

// fuzzConfig is the property every configuration parser must have: bad
// input is a 400 *awserr.Error, never a panic; good input survives Marshal
// and decodes again, stably, to the same value (what GET returns is what
// PUT stored).
func fuzzConfig(f *testing.F, seed int) {
	s := configSeeds[seed]
	f.Add([]byte(s.body))
	f.Fuzz(func(t *testing.T, body []byte) {
		v := s.mk()
		err := Decode(bytes.NewReader(body), MaxLifecycleBody, v)
		if err != nil {
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Status != 400 {
				t.Fatalf("Decode error %v (%T) is not a 400 *awserr.Error", err, err)
			}
			return
		}
		v2 := roundTrip(t, v, s.mk)
		v3 := roundTrip(t, v2, s.mk)
		if !reflect.DeepEqual(v2, v3) {
			t.Fatalf("round trip not stable:\n%+v\n%+v", v2, v3)
		}
	})
}

// FuzzCORSConfiguration fuzzes the PutBucketCors body.
func FuzzCORSConfiguration(f *testing.F) { fuzzConfig(f, 0) }

// FuzzLifecycleConfiguration fuzzes the PutBucketLifecycleConfiguration body.
func FuzzLifecycleConfiguration(f *testing.F) { fuzzConfig(f, 1) }

// FuzzWebsiteConfiguration fuzzes the PutBucketWebsite body.
func FuzzWebsiteConfiguration(f *testing.F) { fuzzConfig(f, 2) }

// FuzzBucketLoggingStatus fuzzes the PutBucketLogging body.
func FuzzBucketLoggingStatus(f *testing.F) { fuzzConfig(f, 3) }

// FuzzAccelerateConfiguration fuzzes the PutBucketAccelerateConfiguration body.
func FuzzAccelerateConfiguration(f *testing.F) { fuzzConfig(f, 4) }

// FuzzVersioningConfiguration fuzzes the PutBucketVersioning body.
func FuzzVersioningConfiguration(f *testing.F) { fuzzConfig(f, 5) }
