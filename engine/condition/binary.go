package condition

import "encoding/base64"

// BinaryEquals compares the request value byte for byte with the base64
// encoded value in the policy. The policy value is decoded once at Compile
// (standard alphabet, padded or not); the request value is the raw bytes,
// held in the Context as a Go string. Policy variables are not allowed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals

func decodeBinary(s string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(s); err != nil {
			return "", false
		}
	}
	return string(b), true
}
