//go:build !unix

package embedded

import "os"

// tryLock succeeds at once where flock does not exist; bbolt's own lock on
// the database file still keeps a second process out.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) error { return nil }
