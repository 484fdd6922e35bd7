// Package e2e holds the end-to-end tests: the built verdict binary driven by
// the aws CLI, boto3, aws-sdk-go-v2 and Terraform's AWS provider. See
// harness_test.go.
package e2e
