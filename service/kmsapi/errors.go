package kmsapi

import (
	"net/http"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// KMS's errors are all HTTP 400 except internal failures.
// https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html
func kmsErr(code, msg string) *awserr.Error { return awserr.New(code, http.StatusBadRequest, msg) }

func errAccessDenied(msg string) error { return kmsErr("AccessDeniedException", msg) }

func errNotFound(msg string) error { return kmsErr("NotFoundException", msg) }

func errKeyNotFound(arn string) error { return errNotFound("Key '" + arn + "' does not exist") }

func errAliasNotFound(arn string) error { return errNotFound("Alias " + arn + " is not found.") }

// errDisabled is DisabledException for a disabled key.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
func errDisabled(arn string) error { return kmsErr("DisabledException", arn+" is disabled.") }

func errInvalidState(msg string) error { return kmsErr("KMSInvalidStateException", msg) }

func errInvalidCiphertext() error { return kmsErr("InvalidCiphertextException", "") }

func errMalformedPolicy(msg string) error { return kmsErr("MalformedPolicyDocumentException", msg) }

func errUnsupported(msg string) error { return kmsErr("UnsupportedOperationException", msg) }

func errValidation(msg string) error { return kmsErr("ValidationException", msg) }
