// Package store defines verdict's persistence contract: a transactional,
// ordered key-value store of records, grouped into named tables. Object bytes
// live beside it in a blob.Store (package store/blob).
//
// Services define their own record types and keys; the store sees only
// tables, byte-string keys and opaque values. The typed helpers [GetJSON],
// [PutJSON], [InsertJSON] and [ScanJSON] encode records as JSON.
//
// Backends: store/embedded (the default, one crash-safe directory) and
// store/memory (in-process, for fast tests). Every backend passes the
// conformance suite in store/storetest, which is the executable form of the
// contract below.
//
// # Tables and keys
//
// A table is a named, ordered map from key to value. Table names are 1 to
// [MaxTableLen] bytes of ASCII letters, digits and the punctuation . _ - : /.
// A table exists implicitly: reading a table that was never written behaves
// like reading an empty table. Keys are arbitrary byte strings (Go strings
// need not be UTF-8) of 1 to [MaxKeyLen] bytes; values are 0 to [MaxValueLen]
// bytes. Violations are reported as errors wrapping [ErrInvalid].
//
// # Ordering
//
// [Tx.Scan] visits keys in ascending byte-wise order (the order of Go's
// string comparison, so "a" < "a\x00" < "b" < "\xff"). It visits only keys
// that start with prefix and, when after is non-empty, only keys strictly
// greater than after. Passing the last key seen as after resumes a scan,
// which is how callers page through large tables.
//
// # Transactions and isolation
//
// [Store.View] runs fn against a read-only snapshot: every read in fn sees
// the state committed at the moment the snapshot was taken and nothing
// committed later. Writes inside a View fail with [ErrReadOnly].
//
// [Store.Update] runs fn in a read-write transaction. Update transactions are
// serializable: the outcome is as if they ran one at a time in some order.
// Within fn, reads see fn's own earlier writes. If fn returns an error or
// panics, nothing it wrote becomes visible and Update returns fn's error
// unchanged (errors.Is and errors.As work on it) or re-raises the panic;
// sequence numbers drawn by [Tx.NextSequence] are rolled back too.
//
// A Scan sees the transaction as it stood when Scan was called: writes made
// by the callback (or by fn during the scan) are not visited by that scan,
// but every later read sees them. Modifying keys while scanning them is
// therefore safe.
//
// A Tx must not be used after fn returns (operations fail with [ErrTxDone])
// and must not be used by several goroutines at once. Values passed to fn by
// Scan are valid only until the callback returns and must not be modified
// (they may point into read-only memory); copy what must outlive it.
// Values returned by Get are owned by the caller. Put copies its value.
//
// Keep View functions short and never make one wait for an Update to
// finish: on the embedded backend a commit that must grow the database's
// memory map (past 1 GiB) waits for open Views, so such a wait can deadlock.
//
// fn must not call Update or View on the same store: a backend may run fn on
// a goroutine that serves other writers, so a nested call can deadlock. fn
// may be called on a goroutine other than the caller's; a panic in fn is
// re-raised in the caller's goroutine, wrapped in a [*PanicError] when the
// goroutine differs, and a runtime.Goexit in fn (t.FailNow in a test) ends
// the caller's goroutine too. fn is called at most once per Update or View
// call.
//
// # Durability
//
// When Update returns nil, fn's writes are durable: they have been written
// and fsynced and survive a process crash or power loss (given a disk that
// honours fsync). When Update returns a non-nil error other than fn's own
// error, the outcome is unknown only if the error wraps [ErrCommit];
// otherwise nothing was written. Backends may group concurrent Update calls
// into one commit so that one fsync serves many callers; this changes
// neither the isolation nor the durability promised above.
//
// # Errors
//
// Errors are values to test with errors.Is: [ErrNotFound] (Get or Delete of
// an absent key; never returned by Scan), [ErrExists] (Insert of a present
// key), [ErrConflict] (a commit lost a race with a concurrent transaction on
// a backend with optimistic concurrency; retrying the whole Update is safe;
// embedded and memory serialize writers and never return it, but services may
// also use it for compare-and-swap failures), [ErrInvalid], [ErrReadOnly],
// [ErrTxDone], [ErrClosed] and [ErrCommit]. When several apply, an operation
// reports ErrTxDone first, then ErrInvalid, then ErrReadOnly. A failed Insert
// or Delete does not abort the transaction: fn may handle the error and
// continue.
//
// # Context
//
// If ctx is done before fn starts, View and Update return ctx.Err() without
// calling fn. Once fn has started, the call runs to completion; fn may
// consult its own copy of ctx to stop early.
//
// # Blobs and metadata
//
// Object bytes are not stored in tables: a service writes them to a
// blob.Store, commits the blob, and only then records the blob id in a
// table with Update. Deletion goes the other way: remove the record, then the
// blob. A crash can therefore leave blobs that no record references, never a
// record whose blob is missing; blob.Collect removes such orphans.
package store
