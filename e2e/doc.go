// Package e2e holds the end-to-end tests: the built verdict binary driven by
// the aws CLI, boto3 and aws-sdk-go-v2. See harness_test.go.
package e2e
