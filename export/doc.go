// Package export reads a directory of AWS CLI JSON outputs — what
// `aws iam get-account-authorization-details`, `aws s3api get-bucket-policy`
// and friends print — into verdict's records, so that a production setup can
// be simulated offline (`verdict simulate`) or replayed locally
// (`verdict import`). The expected file names are listed in README.md.
//
// Load parses and checks the files and never panics: a malformed file is an
// *Error naming it. Apply writes the records into a store. Simulate applies an
// export to an in-memory store and asks the engine through package inputs,
// exactly as the live server does, so both see the same inputs.
package export
