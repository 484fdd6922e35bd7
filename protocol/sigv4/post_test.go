package sigv4

import (
	"encoding/hex"
	"testing"
)

func TestSigningKey(t *testing.T) {
	tests := []struct {
		name                          string
		secret, date, region, service string
		want                          string
	}{
		// The derived key of AWS's worked example.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
		{name: "aws example", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20150830", region: "us-east-1", service: "iam",
			want: "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hex.EncodeToString(SigningKey(tt.secret, tt.date, tt.region, tt.service)); got != tt.want {
				t.Errorf("SigningKey = %s, want %s", got, tt.want)
			}
		})
	}
}
