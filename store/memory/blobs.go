package memory

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
)

// Blobs is an in-memory blob.Store. The zero value is not usable; call
// NewBlobs.
type Blobs struct {
	mu    sync.Mutex
	blobs map[string]memBlob
}

type memBlob struct {
	data      []byte
	committed time.Time
}

var _ blob.Store = (*Blobs)(nil)

// NewBlobs returns an empty blob store.
func NewBlobs() *Blobs {
	return &Blobs{blobs: map[string]memBlob{}}
}

// Create starts a new blob held in memory until Commit.
func (s *Blobs) Create() (blob.Writer, error) {
	return &blobWriter{s: s}, nil
}

// Open returns a reader over the blob's bytes.
func (s *Blobs) Open(id string) (blob.Reader, error) {
	if err := blob.CheckID(id); err != nil {
		return nil, err
	}
	s.mu.Lock()
	b, ok := s.blobs[id]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("blob %s: %w", id, store.ErrNotFound)
	}
	return &blobReader{Reader: bytes.NewReader(b.data), size: int64(len(b.data))}, nil
}

// Remove forgets the blob.
func (s *Blobs) Remove(id string) error {
	if err := blob.CheckID(id); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.blobs[id]; !ok {
		return fmt.Errorf("blob %s: %w", id, store.ErrNotFound)
	}
	delete(s.blobs, id)
	return nil
}

// List visits a snapshot of the blobs in ascending id order.
func (s *Blobs) List(fn func(blob.Info) (bool, error)) error {
	s.mu.Lock()
	infos := make([]blob.Info, 0, len(s.blobs))
	for id, b := range s.blobs {
		infos = append(infos, blob.Info{ID: id, Size: int64(len(b.data)), Committed: b.committed})
	}
	s.mu.Unlock()
	slices.SortFunc(infos, func(a, b blob.Info) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	for _, info := range infos {
		if more, err := fn(info); err != nil || !more {
			return err
		}
	}
	return nil
}

type blobReader struct {
	*bytes.Reader
	size int64
}

func (r *blobReader) Close() error { return nil }
func (r *blobReader) Size() int64  { return r.size }

type blobWriter struct {
	s    *Blobs
	mu   sync.Mutex
	buf  bytes.Buffer
	done bool
}

func (w *blobWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return 0, blob.ErrWriterDone
	}
	return w.buf.Write(p)
}

func (w *blobWriter) Commit() (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return "", blob.ErrWriterDone
	}
	w.done = true
	id := blob.NewID()
	data := slices.Clone(w.buf.Bytes())
	w.buf = bytes.Buffer{}
	w.s.mu.Lock()
	w.s.blobs[id] = memBlob{data: data, committed: time.Now()}
	w.s.mu.Unlock()
	return id, nil
}

func (w *blobWriter) Abort() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	w.buf = bytes.Buffer{}
	return nil
}
