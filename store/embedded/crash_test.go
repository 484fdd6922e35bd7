package embedded_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
	"github.com/verdict-project/verdict/store/embedded"
)

// Environment variables that turn the test binary into the crash child.
const (
	crashDirEnv   = "VERDICT_STORE_CRASH_DIR"
	crashRoundEnv = "VERDICT_STORE_CRASH_ROUND"
)

// crashRecord is what the child stores per key: the blob holding the key's
// payload.
type crashRecord struct {
	Blob string `json:"blob"`
	Size int    `json:"size"`
}

// crashPayload returns the blob content for key: a SHA-256 of the payload
// followed by the payload, so any blob can be checked for tearing on its own.
func crashPayload(key string) []byte {
	h := fnv.New64a()
	h.Write([]byte(key))
	seed := h.Sum64()
	r := rand.New(rand.NewPCG(seed, seed>>7))
	payload := make([]byte, 1+r.IntN(48<<10))
	for i := range payload {
		payload[i] = byte(r.Uint32())
	}
	sum := sha256.Sum256(payload)
	return append(sum[:], payload...)
}

func selfConsistent(b []byte) bool {
	if len(b) < sha256.Size {
		return false
	}
	sum := sha256.Sum256(b[sha256.Size:])
	return bytes.Equal(sum[:], b[:sha256.Size])
}

// TestCrashChild is not a test: TestCrash runs the test binary with
// crashDirEnv set, and this function then writes until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestCrash")
	}
	round := os.Getenv(crashRoundEnv)
	db, err := embedded.Open(dir, embedded.Options{LockTimeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	var out sync.Mutex
	ack := func(key string) {
		out.Lock()
		defer out.Unlock()
		// One write per line: a pipe write below PIPE_BUF is atomic, so
		// the parent never reads half an acknowledgement.
		os.Stdout.Write([]byte("ACK " + key + "\n"))
	}
	// Stop by ourselves if the parent never kills us.
	time.AfterFunc(20*time.Second, func() { os.Exit(3) })
	for w := range 8 {
		go func() {
			for i := 0; ; i++ {
				key := fmt.Sprintf("r%s/w%d/%06d", round, w, i)
				if err := crashWrite(db, key, w); err != nil {
					fmt.Fprintln(os.Stderr, "child write:", err)
					os.Exit(2)
				}
				ack(key)
			}
		}()
	}
	select {}
}

// crashWrite commits key's blob, then records it, overwrites the worker's
// "latest" pointer and, every third key, deletes an older record.
func crashWrite(db *embedded.DB, key string, worker int) error {
	w, err := db.Blobs().Create()
	if err != nil {
		return err
	}
	defer w.Abort()
	data := crashPayload(key)
	// Write in pieces so a kill can land in the middle of a blob.
	for len(data) > 0 {
		n := min(len(data), 8<<10)
		if _, err := w.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	id, err := w.Commit()
	if err != nil {
		return err
	}
	return db.Update(bg, func(tx store.Tx) error {
		if err := store.InsertJSON(tx, "objects", key, crashRecord{Blob: id, Size: len(crashPayload(key))}); err != nil {
			return err
		}
		return tx.Put("latest", strconv.Itoa(worker), []byte(key))
	})
}

// TestCrash kills a writing child process with SIGKILL at a random moment,
// three times over the same data directory, and checks after each kill that
// every acknowledged write survived intact and nothing is torn.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	acked := map[string]bool{}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for round := range 3 {
		killAfter := 40 + r.IntN(160)
		got := runCrashChild(t, dir, round, killAfter)
		t.Logf("round %d: killed after %d acknowledged writes", round, len(got))
		for _, k := range got {
			acked[k] = true
		}
		verifyCrashDir(t, dir, acked)
		if t.Failed() {
			return
		}
	}
}

// runCrashChild starts the child, kills it after killAfter acknowledgements
// (or a time limit) and returns the keys it acknowledged.
func runCrashChild(t *testing.T, dir string, round, killAfter int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashRoundEnv+"="+strconv.Itoa(round))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill at killAfter acknowledgements, or two seconds after the first
	// one on a slow machine, or after ten seconds whatever happens.
	kill := func() { cmd.Process.Kill() } // SIGKILL: no deferred cleanup runs
	timer := time.AfterFunc(10*time.Second, kill)
	defer timer.Stop()
	var keys []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		key, ok := strings.CutPrefix(sc.Text(), "ACK ")
		if !ok {
			continue // test framework chatter
		}
		keys = append(keys, key)
		switch len(keys) {
		case 1:
			timer.Reset(2 * time.Second)
		case killAfter:
			kill()
		}
	}
	// Drain until the pipe closes: acknowledgements printed before the
	// kill took effect count too.
	io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child did not die by SIGKILL: %v\n%s", err, stderr.String())
	}
	return keys
}

func verifyCrashDir(t *testing.T, dir string, acked map[string]bool) {
	t.Helper()
	db, err := embedded.Open(dir, embedded.Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	if entries, err := os.ReadDir(filepath.Join(dir, "tmp")); err != nil || len(entries) != 0 {
		t.Errorf("tmp holds %d entries after reopen (%v)", len(entries), err)
	}
	readBlob := func(id string) ([]byte, error) {
		r, err := db.Blobs().Open(id)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return io.ReadAll(r)
	}
	// Every blob on disk is whole.
	err = db.Blobs().List(func(info blob.Info) (bool, error) {
		b, err := readBlob(info.ID)
		if err != nil {
			return false, err
		}
		if !selfConsistent(b) {
			t.Errorf("blob %s is torn (%d bytes)", info.ID, len(b))
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	referenced := map[string]bool{}
	err = db.View(bg, func(tx store.Tx) error {
		// Every acknowledged key is present with its exact bytes.
		for key := range acked {
			rec, err := store.GetJSON[crashRecord](tx, "objects", key)
			if err != nil {
				t.Errorf("acknowledged key %s: %v", key, err)
				continue
			}
			b, err := readBlob(rec.Blob)
			if err != nil || !bytes.Equal(b, crashPayload(key)) {
				t.Errorf("acknowledged key %s: blob %s differs or is missing (%v)", key, rec.Blob, err)
			}
		}
		// Every record, acknowledged or not, points at a whole blob.
		err := store.ScanJSON(tx, "objects", "", "", func(key string, rec crashRecord) (bool, error) {
			referenced[rec.Blob] = true
			b, err := readBlob(rec.Blob)
			if err != nil || !bytes.Equal(b, crashPayload(key)) || rec.Size != len(b) {
				t.Errorf("record %s: blob %s differs or is missing (%v)", key, rec.Blob, err)
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		// The latest pointers name records that exist.
		return tx.Scan("latest", "", "", func(w string, key []byte) (bool, error) {
			if _, err := tx.Get("objects", string(key)); err != nil {
				t.Errorf("latest[%s] = %s: %v", w, key, err)
			}
			return true, nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Blobs committed just before the kill but never recorded are orphans
	// for the collector; referenced blobs must survive it.
	res, err := blob.Collect(db.Blobs(), time.Now().Add(time.Hour), func(id string) (bool, error) {
		return referenced[id], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d records, %d blobs, %d orphans collected", len(referenced), res.Scanned, res.Removed)
	if res.Scanned-res.Removed != len(referenced) {
		t.Errorf("after Collect %d blobs remain, want %d", res.Scanned-res.Removed, len(referenced))
	}
	for id := range referenced {
		if _, err := readBlob(id); errors.Is(err, store.ErrNotFound) {
			t.Errorf("Collect removed referenced blob %s", id)
		}
	}
}
