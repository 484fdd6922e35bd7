package awsjson

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// FuzzJSONRequest feeds arbitrary bodies to Decode. Bad input must be a 400
// *awserr.Error, never a panic; good input must survive Marshal and decode
// again to the same value once normalised.
func FuzzJSONRequest(f *testing.F) {
	f.Add([]byte(`{"KeyId":"alias/app","Plaintext":"aGVsbG8=","EncryptionContext":{"k":"v"},"GrantTokens":["g"]}`))
	f.Add([]byte(`{"Limit":5,"ValidTo":1.558042829767E9,"Tags":[{"TagKey":"a","TagValue":"b"}],"DryRun":true}`))
	f.Add([]byte(`{"keyId":"x","Nested":{"a":[{"tagkey":"c","TagKey":"d"}]}}`))
	f.Add([]byte(`{"KeyId":5}`))
	f.Add([]byte(`[{"KeyId":"k"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var v encryptInput
		if err := Decode(bytes.NewReader(body), 64<<10, &v); err != nil {
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Status != 400 {
				t.Fatalf("Decode error %v (%T) is not a 400 *awserr.Error", err, err)
			}
			return
		}
		v2 := jsonRoundTrip(t, &v)
		v3 := jsonRoundTrip(t, v2)
		if !reflect.DeepEqual(v2, v3) {
			t.Fatalf("round trip not stable:\n%+v\n%+v", v2, v3)
		}
	})
}

func jsonRoundTrip(t *testing.T, v *encryptInput) *encryptInput {
	t.Helper()
	b, err := Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%+v): %v", v, err)
	}
	var out encryptInput
	if err := Decode(bytes.NewReader(b), 1<<20, &out); err != nil {
		t.Fatalf("decoding our own output %s: %v", b, err)
	}
	return &out
}
