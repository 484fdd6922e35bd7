// Package blob stores object bytes as immutable, individually addressed
// blobs beside the record store.
//
// A blob is written once through a [Writer], becomes visible under a fresh id
// only when [Writer.Commit] returns, and is then read-only until removed.
// Commit is atomic and durable: a reader sees either no blob or the whole
// blob, never a torn one, including after a crash.
//
// Services commit the blob first and record its id in the record store
// second; to delete they remove the record first and the blob second. A crash
// between the two steps leaves an orphan blob that no record references,
// which [Collect] removes later.
package blob

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/verdict-project/verdict/store"
)

// IDLen is the length of a blob id: 32 lowercase hexadecimal digits (128
// random bits).
const IDLen = 32

// ErrWriterDone reports a Write, Commit after Commit or Abort.
var ErrWriterDone = errors.New("blob: writer already committed or aborted")

// Store holds blobs. Implementations are safe for concurrent use.
type Store interface {
	// Create starts a new blob. The caller must Commit or Abort the Writer.
	Create() (Writer, error)
	// Open returns a reader for a committed blob, or an error wrapping
	// store.ErrNotFound. An id that is not a well-formed blob id yields an
	// error wrapping store.ErrInvalid.
	Open(id string) (Reader, error)
	// Remove deletes a blob, or fails with an error wrapping
	// store.ErrNotFound. Readers already open keep working.
	Remove(id string) error
	// List calls fn for every committed blob in ascending id order until
	// fn returns false or an error (which List returns). fn may Remove the
	// blob it is given. Blobs committed or removed during List may or may
	// not be visited.
	List(fn func(Info) (bool, error)) error
}

// Writer receives a new blob's bytes.
type Writer interface {
	io.Writer
	// Commit makes the blob durable and visible and returns its id.
	Commit() (id string, err error)
	// Abort discards the blob. After Commit it does nothing and returns
	// nil, so `defer w.Abort()` is always safe.
	Abort() error
}

// Reader reads one committed blob.
type Reader interface {
	io.ReadSeekCloser
	io.ReaderAt
	// Size returns the blob's length in bytes.
	Size() int64
}

// FileReader is a Reader whose bytes are exactly the contents of one file
// on the local file system. Callers that send a blob to a socket use the
// file itself, so that the kernel copies the bytes (sendfile(2)) instead of
// the process.
type FileReader interface {
	Reader
	// OSFile returns the open file, owned by the Reader: the caller may
	// seek and read it but must not close it.
	OSFile() *os.File
}

// Info describes a committed blob.
type Info struct {
	// ID is the blob's id.
	ID string
	// Size is the blob's length in bytes.
	Size int64
	// Committed is when the blob was committed (or last written, which is
	// at most slightly earlier).
	Committed time.Time
}

// NewID returns a fresh random blob id.
func NewID() string {
	var b [IDLen / 2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	return hex.EncodeToString(b[:])
}

// CheckID reports whether id is a well-formed blob id, returning an error
// wrapping store.ErrInvalid if not. Checking ids before touching the file
// system keeps callers from naming paths outside the blob directory.
func CheckID(id string) error {
	if len(id) != IDLen {
		return fmt.Errorf("%w: blob id %q is not %d hex digits", store.ErrInvalid, truncate(id), IDLen)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("%w: blob id %q is not %d hex digits", store.ErrInvalid, truncate(id), IDLen)
		}
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 2*IDLen {
		return s[:2*IDLen] + "..."
	}
	return s
}
