package main

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// handler is the sink's S3 imitation. It keeps only each key's length.
type handler struct {
	maxSize int64
	floor   bool   // PUT does the hashing S3's contract requires (see putFloor)
	data    []byte // served on GET: the first n bytes

	mu    sync.Mutex
	sizes map[string]int64
	sums  map[int64]string // CRC32 of data[:n], base64, as S3 sends it
}

func newHandler(maxSize int64, floor bool) *handler {
	return &handler{maxSize: maxSize, floor: floor, data: make([]byte, 0), sizes: map[string]int64{}, sums: map[int64]string{}}
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case bucket == "":
		http.Error(w, "no bucket", http.StatusBadRequest)
	case key == "" && (r.Method == http.MethodPut || r.Method == http.MethodHead):
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	case key != "" && r.Method == http.MethodPut && h.floor:
		h.putFloor(w, r, bucket+"/"+key)
	case key != "" && r.Method == http.MethodPut:
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if n > h.maxSize {
			http.Error(w, "too large", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.sizes[bucket+"/"+key] = n
		h.mu.Unlock()
		w.Header().Set("ETag", `"00000000000000000000000000000000"`)
		w.WriteHeader(http.StatusOK)
	case key != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		h.mu.Lock()
		n, ok := h.sizes[bucket+"/"+key]
		var body []byte
		var sum string
		if ok {
			body, sum = h.bytes(n)
		}
		h.mu.Unlock()
		if !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
			return
		}
		hd := w.Header()
		hd.Set("Content-Length", strconv.FormatInt(n, 10))
		hd.Set("Content-Type", "binary/octet-stream")
		hd.Set("ETag", `"00000000000000000000000000000000"`)
		// Send the checksum header a real S3 server would, so the client
		// does the same validation work against the sink as against the
		// servers it is compared with.
		if strings.EqualFold(r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
			hd.Set("X-Amz-Checksum-Crc32", sum)
			hd.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
		}
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(body)
		}
	default:
		http.Error(w, "not supported by the sink", http.StatusMethodNotAllowed)
	}
}

// bytes returns the first n bytes served for any key and their CRC32,
// growing the shared buffer when needed. h.mu must be held.
func (h *handler) bytes(n int64) ([]byte, string) {
	if int64(len(h.data)) < n {
		d := make([]byte, n)
		for i := range d {
			d[i] = byte(i * 7)
		}
		h.data = d
	}
	sum, ok := h.sums[n]
	if !ok {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], crc32.ChecksumIEEE(h.data[:n]))
		sum = base64.StdEncoding.EncodeToString(b[:])
		h.sums[n] = sum
	}
	return h.data[:n], sum
}
