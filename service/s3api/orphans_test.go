package s3api

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestCollectOrphanBlobs: blob files that no record names (what a crash
// between writing a blob and recording it leaves) are removed; files named
// by objects and by the parts of an upload in progress stay, and so do
// files younger than the cutoff.
func TestCollectOrphanBlobs(t *testing.T) {
	e, files := newDiskEnv(t, SealKMS)
	e.createBucket(acctB, "orphan-b")
	big := bytes.Repeat([]byte("b"), inlineMax+1)
	e.put(acctB, "orphan-b", "big", string(big))
	e.put(acctB, "orphan-b", "small", "inline")
	c := e.client(acctB)
	ctx := context.Background()
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("orphan-b"), Key: aws.String("mpu")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("orphan-b"), Key: aws.String("mpu"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part one"))})
	if err != nil {
		t.Fatal(err)
	}
	// Two blobs no record names, as a crash would leave them.
	for range 2 {
		w, err := files.Create()
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("orphan"))
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if n := countBlobFiles(t, files); n != 4 {
		t.Fatalf("%d blob files before collection, want 4", n)
	}
	res, err := CollectOrphanBlobs(ctx, e.env.Store, files, time.Now().Add(-time.Hour))
	if err != nil || res.Removed != 0 {
		t.Fatalf("young files: removed %d, err %v; want none removed", res.Removed, err)
	}
	res, err = CollectOrphanBlobs(ctx, e.env.Store, files, time.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if res.Scanned != 4 || res.Removed != 2 || countBlobFiles(t, files) != 2 {
		t.Errorf("collected %+v, %d files left; want 2 of 4 removed", res, countBlobFiles(t, files))
	}
	if r := e.do(acctB, http.MethodGet, "/orphan-b/big", nil, nil); r.status != http.StatusOK || r.body != string(big) {
		t.Errorf("GET big after collection: %d, %d bytes", r.status, len(r.body))
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("orphan-b"), Key: aws.String("mpu"),
		UploadId: up.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}}); err != nil {
		t.Fatalf("completing the upload whose part was kept: %v", err)
	}
	if r := e.do(acctB, http.MethodGet, "/orphan-b/mpu", nil, nil); r.body != "part one" {
		t.Errorf("GET mpu after collection: %d %q", r.status, r.body)
	}
}
