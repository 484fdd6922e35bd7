package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/bench/result"
)

// cell is one measurement: an operation on objects of one size with a
// fixed number of requests in flight.
type cell struct {
	op          string
	size        int64
	concurrency int
}

// maxCellErrors ends a cell early: past this many failures the target is
// broken, and hammering it further measures nothing.
const maxCellErrors = 1000

// bench holds what every cell shares: the client, the payloads and the
// run's key prefix.
type bench struct {
	cfg      *config
	client   *s3.Client
	prefix   string
	payloads map[int64][]byte
	round    int // measurements so far; PUT keys include it, so no attempt overwrites another's objects
}

func newBench(cfg *config) *bench {
	maxConc := slices.Max(cfg.concurrency)
	hc := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Control = loopbackOnly }).
		WithTransportOptions(func(t *http.Transport) {
			// Keep one idle connection per worker: the SDK's default of
			// 10 per host would make 32 workers reconnect constantly.
			t.Proxy = nil
			t.MaxIdleConns = 2 * maxConc
			t.MaxIdleConnsPerHost = maxConc
		})
	reqSums, respSums := checksumModes(cfg.checksums)
	awsCfg := aws.Config{
		Region:      cfg.region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(cfg.accessKey, cfg.secretKey, "")),
		HTTPClient:  hc,
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(cfg.endpoint)
		o.UsePathStyle = true
		o.RequestChecksumCalculation = reqSums
		o.ResponseChecksumValidation = respSums
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	b := &bench{cfg: cfg, client: client, payloads: map[int64][]byte{},
		prefix: fmt.Sprintf("loadgen-%d", time.Now().UnixNano())}
	// Random bytes, so no server can profit from compressible data; the
	// seed is fixed so every target gets the same bytes.
	rng := rand.NewChaCha8([32]byte{'v', 'e', 'r', 'd', 'i', 'c', 't'})
	for _, size := range cfg.sizes {
		if _, ok := b.payloads[size]; !ok {
			p := make([]byte, size)
			_, _ = rng.Read(p)
			b.payloads[size] = p
		}
	}
	return b
}

// prepare creates the bucket (an existing one is fine) and checks with one
// PUT and one GET that the endpoint answers correctly before any timing.
func (b *bench) prepare(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, b.cfg.timeout)
	defer cancel()
	_, err := b.client.CreateBucket(rctx, &s3.CreateBucketInput{Bucket: aws.String(b.cfg.bucket)})
	var ae smithy.APIError
	if err != nil && !(errors.As(err, &ae) && (ae.ErrorCode() == "BucketAlreadyOwnedByYou" || ae.ErrorCode() == "BucketAlreadyExists")) {
		return fmt.Errorf("creating bucket %s: %w", b.cfg.bucket, err)
	}
	probe := []byte("loadgen probe")
	key := b.prefix + "/probe"
	if err := b.put(rctx, key, probe); err != nil {
		return fmt.Errorf("probe PUT: %w", err)
	}
	n, err := b.get(rctx, key, int64(len(probe)))
	if err != nil {
		return fmt.Errorf("probe GET: %w", err)
	}
	if n != int64(len(probe)) {
		return fmt.Errorf("probe GET returned %d bytes, want %d", n, len(probe))
	}
	return nil
}

func (b *bench) put(ctx context.Context, key string, body []byte) error {
	_, err := b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(b.cfg.bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
	})
	return err
}

// get reads the whole object and discards it, failing if its length is
// not want.
func (b *bench) get(ctx context.Context, key string, want int64) (int64, error) {
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.cfg.bucket), Key: aws.String(key)})
	if err != nil {
		return 0, err
	}
	defer out.Body.Close()
	n, err := io.Copy(io.Discard, out.Body)
	if err != nil {
		return n, err
	}
	if n != want {
		return n, fmt.Errorf("GET %s: %d bytes, want %d", key, n, want)
	}
	return n, nil
}

func (b *bench) getKey(size int64, i int) string {
	return fmt.Sprintf("%s/get/%d/%d", b.prefix, size, i)
}

// seed writes the objects the GET cells of one size read.
func (b *bench) seed(ctx context.Context, size int64) error {
	const workers = 4
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.cfg.objects && errs[w] == nil; i += workers {
				rctx, cancel := context.WithTimeout(ctx, b.cfg.timeout)
				errs[w] = b.put(rctx, b.getKey(size, i), b.payloads[size])
				cancel()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// measure runs one cell: concurrency workers issue requests back to back
// until the duration has passed or the request budget is spent.
func (b *bench) measure(ctx context.Context, c cell) result.Result {
	b.round++
	round := b.round
	var issued, failed atomic.Int64
	var firstErr error
	var once sync.Once
	lat := make([][]time.Duration, c.concurrency)
	payload := b.payloads[c.size]
	before := sampleCPU(b.cfg.serverPID)
	start := time.Now()
	deadline := start.Add(b.cfg.duration)
	var wg sync.WaitGroup
	for w := range c.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 1024)
			for i := 0; ctx.Err() == nil && time.Now().Before(deadline); i++ {
				if issued.Add(1) > b.cfg.maxRequests || failed.Load() >= maxCellErrors {
					break
				}
				rctx, cancel := context.WithTimeout(ctx, b.cfg.timeout)
				t0 := time.Now()
				var err error
				if c.op == result.OpPut {
					err = b.put(rctx, fmt.Sprintf("%s/put/%d/r%d/w%d/%d", b.prefix, c.size, round, w, i), payload)
				} else {
					_, err = b.get(rctx, b.getKey(c.size, (w+i*c.concurrency)%b.cfg.objects), c.size)
				}
				d := time.Since(t0)
				cancel()
				if err != nil {
					failed.Add(1)
					once.Do(func() { firstErr = err })
					continue
				}
				mine = append(mine, d)
			}
			lat[w] = mine
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	after := sampleCPU(b.cfg.serverPID)
	all := slices.Concat(lat...)
	slices.Sort(all)
	r := result.Result{Target: b.cfg.target, Op: c.op, Size: c.size, Concurrency: c.concurrency,
		Ops: int64(len(all)), Errors: failed.Load(), Seconds: elapsed.Seconds()}
	if firstErr != nil {
		r.FirstError = firstErr.Error()
	}
	if secs := elapsed.Seconds(); secs > 0 {
		r.OpsPerSec = float64(r.Ops) / secs
		r.MiBPerSec = float64(r.Ops) * float64(c.size) / (1 << 20) / secs
	}
	if u, ok := cpuBetween(before, after, r.Ops, elapsed); ok {
		r.ClientCPUUs = us(u.clientPerOp)
		r.ServerCPUUs = us(u.serverPerOp)
		r.BackgroundCores = u.backgroundCores
	}
	r.P50Ms = ms(percentile(all, 50))
	r.P99Ms = ms(percentile(all, 99))
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// percentile returns the nearest-rank p-th percentile of sorted durations
// (0 for none).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = max(1, min(rank, len(sorted)))
	return sorted[rank-1]
}
