package store

import (
	"encoding/json"
	"fmt"
)

// DecodeError reports a stored value that is not valid JSON for the record
// type asked for.
type DecodeError struct {
	// Table and Key locate the record.
	Table, Key string
	// Err is the error from encoding/json.
	Err error
}

// Error names the record and the decoding failure.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("store: decode %s/%q: %v", e.Table, e.Key, e.Err)
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// GetJSON reads the record under key and decodes it into a T. It returns an
// error wrapping ErrNotFound if the key is absent and a *DecodeError if the
// stored value does not decode.
func GetJSON[T any](tx Tx, table, key string) (T, error) {
	var v T
	raw, err := tx.Get(table, key)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, &DecodeError{Table: table, Key: key, Err: err}
	}
	return v, nil
}

// PutJSON encodes v as JSON and stores it under key, replacing any previous
// value.
func PutJSON(tx Tx, table, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%q: %w", table, key, err)
	}
	return tx.Put(table, key, raw)
}

// InsertJSON encodes v as JSON and stores it under key, failing with an error
// wrapping ErrExists if the key is present.
func InsertJSON(tx Tx, table, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%q: %w", table, key, err)
	}
	return tx.Insert(table, key, raw)
}

// ScanJSON is Scan with each value decoded into a fresh T, which fn may
// retain. A value that does not decode stops the scan with a *DecodeError.
func ScanJSON[T any](tx Tx, table, prefix, after string, fn func(key string, v T) (bool, error)) error {
	return tx.Scan(table, prefix, after, func(key string, raw []byte) (bool, error) {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return false, &DecodeError{Table: table, Key: key, Err: err}
		}
		return fn(key, v)
	})
}
