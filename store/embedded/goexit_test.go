package embedded_test

import "runtime"

// exitGoroutine stands in for t.FailNow inside a transaction function.
func exitGoroutine() { runtime.Goexit() }
