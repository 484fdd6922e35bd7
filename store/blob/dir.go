package blob

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/verdict-project/verdict/store"
)

// DirOptions configures a Dir.
type DirOptions struct {
	// NoSync skips every fsync. Commits are then atomic but not durable
	// across power loss; use it only in tests.
	NoSync bool
}

// Dir is a Store on the local file system. A blob with id ID lives at
// blobs/ID[:2]/ID; it is written to a temporary file in tmp, fsynced,
// renamed into place and the directory fsynced, so a crash leaves either the
// whole blob or none of it.
type Dir struct {
	blobs, tmp string
	opts       DirOptions
}

var _ Store = (*Dir)(nil)

// OpenDir opens (creating if needed) a blob directory at blobs whose
// uncommitted writes go to tmp, which must be on the same file system.
//
// OpenDir deletes everything in tmp, the leftovers of writers interrupted by
// a crash, so the caller must hold exclusive ownership of both directories
// (store/embedded holds a lock file for that).
func OpenDir(blobs, tmp string, opts DirOptions) (*Dir, error) {
	d := &Dir{blobs: blobs, tmp: tmp, opts: opts}
	for _, p := range []string{blobs, tmp} {
		if err := os.MkdirAll(p, 0o700); err != nil {
			return nil, fmt.Errorf("blob: %w", err)
		}
	}
	if err := d.cleanTmp(); err != nil {
		return nil, err
	}
	// Create the 256 fan-out directories once, so that Commit never has to
	// create (and fsync) a parent directory. They are made in order, so an
	// existing last one means an earlier Open made them all.
	if st, err := os.Stat(filepath.Join(blobs, "ff")); err == nil && st.IsDir() {
		return d, nil
	}
	created := false
	for i := range 256 {
		p := filepath.Join(blobs, fmt.Sprintf("%02x", i))
		if err := os.Mkdir(p, 0o700); err == nil {
			created = true
		} else if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("blob: %w", err)
		}
	}
	if created {
		if err := d.syncDir(blobs); err != nil {
			return nil, err
		}
		if err := d.syncDir(filepath.Dir(blobs)); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (d *Dir) cleanTmp() error {
	entries, err := os.ReadDir(d.tmp)
	if err != nil {
		return fmt.Errorf("blob: clean tmp: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(d.tmp, e.Name())); err != nil {
			return fmt.Errorf("blob: clean tmp: %w", err)
		}
	}
	return nil
}

func (d *Dir) syncDir(path string) error {
	if d.opts.NoSync {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	return nil
}

func (d *Dir) path(id string) string {
	return filepath.Join(d.blobs, id[:2], id)
}

// Create starts a new blob in the tmp directory.
func (d *Dir) Create() (Writer, error) {
	f, err := os.CreateTemp(d.tmp, "blob-*")
	if err != nil {
		return nil, fmt.Errorf("blob: create: %w", err)
	}
	buf := bufPool.Get().(*bufio.Writer)
	buf.Reset(f)
	return &dirWriter{d: d, f: f, buf: buf}, nil
}

// Open returns a reader for the blob id.
func (d *Dir) Open(id string) (Reader, error) {
	if err := CheckID(id); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(id))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("blob %s: %w", id, store.ErrNotFound)
		}
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	return &fileReader{File: f, size: st.Size()}, nil
}

// Remove deletes the blob id. The removal is not fsynced: if a crash undoes
// it, the blob reappears as an orphan for Collect to remove again.
func (d *Dir) Remove(id string) error {
	if err := CheckID(id); err != nil {
		return err
	}
	if err := os.Remove(d.path(id)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("blob %s: %w", id, store.ErrNotFound)
		}
		return fmt.Errorf("blob: remove: %w", err)
	}
	return nil
}

// List visits committed blobs in ascending id order, reading one fan-out
// directory at a time.
func (d *Dir) List(fn func(Info) (bool, error)) error {
	for i := range 256 {
		sub := filepath.Join(d.blobs, fmt.Sprintf("%02x", i))
		entries, err := os.ReadDir(sub)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return fmt.Errorf("blob: list: %w", err)
		}
		// os.ReadDir returns entries sorted by name.
		for _, e := range entries {
			name := e.Name()
			if CheckID(name) != nil || name[:2] != sub[len(sub)-2:] || !e.Type().IsRegular() {
				continue // not ours
			}
			st, err := e.Info()
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue // removed since ReadDir
				}
				return fmt.Errorf("blob: list: %w", err)
			}
			more, err := fn(Info{ID: name, Size: st.Size(), Committed: st.ModTime()})
			if err != nil || !more {
				return err
			}
		}
	}
	return nil
}

type fileReader struct {
	*os.File
	size int64
}

func (r *fileReader) Size() int64 { return r.size }

// OSFile implements FileReader.
func (r *fileReader) OSFile() *os.File { return r.File }

// bufPool recycles write buffers, which are large next to small blobs.
var bufPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

type dirWriter struct {
	d    *Dir
	mu   sync.Mutex
	f    *os.File // nil once committed or aborted
	buf  *bufio.Writer
	werr error // first write error: Commit must not succeed after one
}

func (w *dirWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, ErrWriterDone
	}
	if w.werr != nil {
		return 0, w.werr
	}
	n, err := w.buf.Write(p)
	if err != nil {
		w.werr = fmt.Errorf("blob: write: %w", err)
		return n, w.werr
	}
	return n, nil
}

func (w *dirWriter) Commit() (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return "", ErrWriterDone
	}
	if w.werr != nil {
		w.abortLocked()
		return "", w.werr
	}
	err := w.buf.Flush()
	if err == nil && !w.d.opts.NoSync {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	tmp := w.f.Name()
	w.f = nil
	w.releaseBuf()
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("blob: commit: %w", err)
	}
	id := NewID()
	final := w.d.path(id)
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("blob: commit: %w", err)
	}
	if err := w.d.syncDir(filepath.Dir(final)); err != nil {
		// The blob is in place but maybe not durably; do not hand out an
		// id whose durability is unknown.
		os.Remove(final)
		return "", err
	}
	return id, nil
}

func (w *dirWriter) Abort() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.abortLocked()
}

func (w *dirWriter) abortLocked() error {
	if w.f == nil {
		return nil
	}
	name := w.f.Name()
	w.f.Close()
	w.f = nil
	w.releaseBuf()
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: abort: %w", err)
	}
	return nil
}

func (w *dirWriter) releaseBuf() {
	w.buf.Reset(nil)
	bufPool.Put(w.buf)
	w.buf = nil
}
