package s3api

import (
	"context"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
)

// CollectOrphanBlobs removes the blob files that no object, version or
// part record names and that were committed before cutoff.
//
// A PUT commits its blob file before the transaction that records it, and
// removes a replaced object's file after the transaction that forgets it,
// so a crash between the two steps leaves a file nothing names (never a
// record naming a missing file). `verdict serve` runs this once at start
// with cutoff = the moment it started: every file older than that was
// written by an earlier process, so if nothing names it now, nothing ever
// will. Files committed after cutoff are never touched.
func CollectOrphanBlobs(ctx context.Context, st store.Store, blobs blob.Store, cutoff time.Time) (blob.CollectResult, error) {
	named := map[string]bool{}
	err := st.View(ctx, func(tx store.Tx) error {
		// Current objects and, in versioned buckets, the other versions
		// (state.Versions) name blob files.
		for _, table := range []string{state.Objects, state.Versions} {
			if err := store.ScanJSON(tx, table, "", "", func(_ string, o model.Object) (bool, error) {
				if !o.Inline && o.BlobID != "" {
					named[o.BlobID] = true
				}
				return ctx.Err() == nil, ctx.Err()
			}); err != nil {
				return err
			}
		}
		return store.ScanJSON(tx, state.Parts, "", "", func(_ string, p model.Part) (bool, error) {
			named[p.BlobID] = true
			return ctx.Err() == nil, ctx.Err()
		})
	})
	if err != nil {
		return blob.CollectResult{}, err
	}
	return blob.Collect(blobs, cutoff, func(id string) (bool, error) { return named[id], ctx.Err() })
}
