package policy

import (
	"testing"
)

// FuzzValidate feeds arbitrary documents to every kind of validation: it
// must never panic, and must answer either a policy or a *ValidationError
// with a code, a message and an error status.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Principal":"*"}]}`), uint8(Bucket), uint8(0))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`), uint8(Trust), uint8(0))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-1"}}}]}`), uint8(RCP), uint8(1))
	f.Add([]byte(`{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"a:b:c","Condition":{"DateGreaterThan":{"aws:CurrentTime":"x"}}}]}`), uint8(Identity), uint8(2))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`), uint8(Key), uint8(0))
	f.Add([]byte(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`), uint8(Endpoint), uint8(0))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), uint8(SCP), uint8(0))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`), uint8(Session), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, kind, flags uint8) {
		k := Kind(kind % uint8(Endpoint))
		if k == 0 {
			k = Endpoint
		}
		opt := Options{
			Holder:     Holder(flags % 4),
			HolderName: "fuzz",
			Bucket:     "amzn-s3-demo-bucket",
			Account:    "111122223333",
			AWSManaged: flags&4 != 0,
			TrustLimit: int(flags&8) * 512,
		}
		if flags&16 != 0 {
			opt.PrincipalExists = func(p string) bool { return len(p)%2 == 0 }
		}
		p, err := Validate(data, k, opt)
		if err != nil {
			ve, ok := AsValidationError(err)
			if !ok {
				t.Fatalf("%s: error %T is not a *ValidationError", k, err)
			}
			if p != nil || ve.Code == "" || ve.Message == "" || ve.Status < 400 || ve.Status > 599 {
				t.Fatalf("%s: bad refusal %+v", k, ve)
			}
			return
		}
		if p == nil {
			t.Fatalf("%s: no policy and no error", k)
		}
		IsPublic(p)
		IsPublicAccessPoint(p)
	})
}
