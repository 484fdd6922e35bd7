package blob

import (
	"errors"
	"time"

	"github.com/verdict-project/verdict/store"
)

// CollectResult counts what Collect did.
type CollectResult struct {
	// Scanned is the number of blobs listed.
	Scanned int
	// Removed is the number of blobs removed.
	Removed int
	// RemovedBytes is the total size of the removed blobs.
	RemovedBytes int64
}

// Collect removes blobs that no record references. referenced reports
// whether a record still names id; it typically looks the id up in an index
// table inside a store View.
//
// Blobs committed at or after cutoff are kept whatever referenced says: a
// writer commits its blob before the Update that records its id, so a young
// unreferenced blob may be one whose record is about to be written. Pass a
// cutoff comfortably older than the longest such gap (for example, now minus
// one hour).
func Collect(s Store, cutoff time.Time, referenced func(id string) (bool, error)) (CollectResult, error) {
	var res CollectResult
	err := s.List(func(info Info) (bool, error) {
		res.Scanned++
		if !info.Committed.Before(cutoff) {
			return true, nil
		}
		ok, err := referenced(info.ID)
		if err != nil || ok {
			return err == nil, err
		}
		if err := s.Remove(info.ID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return true, nil // removed concurrently
			}
			return false, err
		}
		res.Removed++
		res.RemovedBytes += info.Size
		return true, nil
	})
	return res, err
}
