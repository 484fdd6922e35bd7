package sigv4

// SigningKey returns the SigV4 signing key of (secret, date, region,
// service): HMAC-SHA256 chained over "AWS4"+secret, the scope date
// (YYYYMMDD), the region, the service and "aws4_request". Browser-based POST
// uploads sign their base64 policy with it rather than a canonical request,
// so the S3 adapter verifies them itself.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
func SigningKey(secret, date, region, service string) []byte {
	return signingKey(secret, date, region, service)
}
