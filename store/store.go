package store

import (
	"context"
	"errors"
	"fmt"
)

// Limits on names, keys and values. They keep every record small enough for
// any backend to hold in one page run and bound the memory a single bad
// request can make a backend allocate.
const (
	// MaxTableLen is the longest table name, in bytes.
	MaxTableLen = 128
	// MaxKeyLen is the longest key, in bytes.
	MaxKeyLen = 8 << 10
	// MaxValueLen is the longest value, in bytes.
	MaxValueLen = 16 << 20
)

// Errors shared by every backend. Backends wrap them with detail; test with
// errors.Is.
var (
	// ErrNotFound reports that a key (or blob) does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists reports that Insert found the key already present.
	ErrExists = errors.New("store: already exists")
	// ErrConflict reports that a transaction lost a race with a concurrent
	// one; retrying the whole Update is safe.
	ErrConflict = errors.New("store: conflict")
	// ErrInvalid reports a malformed table name, key, value or blob id.
	ErrInvalid = errors.New("store: invalid argument")
	// ErrReadOnly reports a write attempted inside View.
	ErrReadOnly = errors.New("store: write in read-only transaction")
	// ErrTxDone reports use of a Tx after its function returned.
	ErrTxDone = errors.New("store: transaction already finished")
	// ErrClosed reports use of a closed store.
	ErrClosed = errors.New("store: closed")
	// ErrCommit reports that committing a transaction failed with an I/O
	// error, so whether its writes are durable is unknown.
	ErrCommit = errors.New("store: commit failed")
)

// Store is a transactional, ordered key-value store. See the package
// documentation for the full contract.
type Store interface {
	// View runs fn in a read-only snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a serializable read-write transaction whose writes
	// are durable when Update returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// Close waits for running transactions to finish and releases the
	// store's resources. Later View and Update calls fail with ErrClosed;
	// Close itself may be called again.
	Close() error
}

// Tx is one transaction, valid only while the function given to View or
// Update runs.
type Tx interface {
	// Get returns a copy of the value stored under key, or an error
	// wrapping ErrNotFound.
	Get(table, key string) ([]byte, error)
	// Put stores a copy of value under key, replacing any previous value.
	Put(table, key string, value []byte) error
	// Insert stores value under key, or fails with ErrExists (leaving the
	// present value untouched) if key is present.
	Insert(table, key string, value []byte) error
	// Delete removes key, or fails with ErrNotFound if it is absent.
	Delete(table, key string) error
	// Scan visits keys with prefix in ascending byte order, starting
	// strictly after `after` when non-empty; fn returns false to stop.
	// Values must not be modified, nor retained after fn returns. An error
	// from fn stops the scan and is returned unchanged.
	Scan(table, prefix, after string, fn func(key string, value []byte) (bool, error)) error
	// NextSequence returns the table's next sequence number: 1 for the
	// first call ever, then increasing by one per committed call.
	NextSequence(table string) (uint64, error)
}

// PanicError carries a panic raised by a transaction function that ran on a
// goroutine other than its caller's, re-raised in the caller's goroutine.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the stack trace of the goroutine that panicked.
	Stack []byte
}

// Error describes the panic and where it happened.
func (p *PanicError) Error() string {
	return fmt.Sprintf("store: transaction function panicked: %v\n\n%s", p.Value, p.Stack)
}

// Unwrap returns the panic value when it is an error.
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// CheckTable reports whether name is a valid table name, returning an error
// wrapping ErrInvalid if not. Backends call it on every operation.
func CheckTable(name string) error {
	if name == "" || len(name) > MaxTableLen {
		return fmt.Errorf("%w: table name must be 1 to %d bytes, got %d", ErrInvalid, MaxTableLen, len(name))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == '-', c == ':', c == '/':
		default:
			return fmt.Errorf("%w: table name %q has byte %#x at %d", ErrInvalid, name, c, i)
		}
	}
	return nil
}

// CheckKey reports whether key is a valid key, returning an error wrapping
// ErrInvalid if not.
func CheckKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return fmt.Errorf("%w: key must be 1 to %d bytes, got %d", ErrInvalid, MaxKeyLen, len(key))
	}
	return nil
}

// CheckValue reports whether value is small enough to store, returning an
// error wrapping ErrInvalid if not.
func CheckValue(value []byte) error {
	if len(value) > MaxValueLen {
		return fmt.Errorf("%w: value must be at most %d bytes, got %d", ErrInvalid, MaxValueLen, len(value))
	}
	return nil
}

// CheckWrite validates the arguments of Put and Insert.
func CheckWrite(table, key string, value []byte) error {
	if err := CheckTable(table); err != nil {
		return err
	}
	if err := CheckKey(key); err != nil {
		return err
	}
	return CheckValue(value)
}
