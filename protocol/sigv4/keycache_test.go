package sigv4

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

func TestKeyIDSeparatesTuples(t *testing.T) {
	base := [4]string{"secret", "20130524", "us-east-1", "s3"}
	tests := []struct {
		name  string
		tuple [4]string
	}{
		{"other secret", [4]string{"secreT", "20130524", "us-east-1", "s3"}},
		{"other date", [4]string{"secret", "20130525", "us-east-1", "s3"}},
		{"other region", [4]string{"secret", "20130524", "us-west-2", "s3"}},
		{"other service", [4]string{"secret", "20130524", "us-east-1", "sts"}},
		// Length prefixes keep shifted boundaries apart.
		{"boundary shifted", [4]string{"secret2", "0130524", "us-east-1", "s3"}},
		{"service into region", [4]string{"secret", "20130524", "us-east-1s", "3"}},
	}
	want := newKeyID(base[0], base[1], base[2], base[3])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if newKeyID(tt.tuple[0], tt.tuple[1], tt.tuple[2], tt.tuple[3]) == want {
				t.Errorf("%q shares the key ID of %q", tt.tuple, base)
			}
		})
	}
}

func TestKeyCache(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, c *keyCache)
	}{
		{"miss derives without caching", func(t *testing.T, c *keyCache) {
			k, _, cached := c.get("secret", "20130524", "us-east-1", "s3")
			if cached || c.len() != 0 {
				t.Fatalf("cached = %v, len = %d", cached, c.len())
			}
			if want := signingKey("secret", "20130524", "us-east-1", "s3"); !bytes.Equal(k.key, want) {
				t.Fatalf("key %x, want %x", k.key, want)
			}
		}},
		{"hit after add", func(t *testing.T, c *keyCache) {
			k, id, _ := c.get("secret", "20130524", "us-east-1", "s3")
			c.add(id, k)
			got, _, cached := c.get("secret", "20130524", "us-east-1", "s3")
			if !cached || got != k {
				t.Fatalf("cached = %v, same entry = %v", cached, got == k)
			}
		}},
		{"another secret is not served", func(t *testing.T, c *keyCache) {
			k, id, _ := c.get("secret", "20130524", "us-east-1", "s3")
			c.add(id, k)
			other, _, cached := c.get("other", "20130524", "us-east-1", "s3")
			if cached || bytes.Equal(other.key, k.key) {
				t.Fatalf("another secret got the cached key (cached = %v)", cached)
			}
		}},
		{"bounded, oldest evicted", func(t *testing.T, c *keyCache) {
			for i := range 10 {
				k, id, _ := c.get(fmt.Sprint("secret", i), "20130524", "us-east-1", "s3")
				c.add(id, k)
			}
			if c.len() != 4 {
				t.Fatalf("len = %d, want 4", c.len())
			}
			for i := range 10 {
				_, _, cached := c.get(fmt.Sprint("secret", i), "20130524", "us-east-1", "s3")
				if want := i >= 6; cached != want {
					t.Errorf("secret%d cached = %v, want %v", i, cached, want)
				}
			}
		}},
		{"second add keeps the first", func(t *testing.T, c *keyCache) {
			k1, id, _ := c.get("secret", "20130524", "us-east-1", "s3")
			k2, _, _ := c.get("secret", "20130524", "us-east-1", "s3")
			c.add(id, k1)
			c.add(id, k2)
			if got, _, _ := c.get("secret", "20130524", "us-east-1", "s3"); got != k1 || c.len() != 1 {
				t.Fatalf("first kept = %v, len = %d", got == k1, c.len())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, newKeyCache(4)) })
	}
}

func TestKeyCacheSizeZero(t *testing.T) {
	c := newKeyCache(0)
	k, id, _ := c.get("secret", "20130524", "us-east-1", "s3")
	c.add(id, k)
	if _, _, cached := c.get("secret", "20130524", "us-east-1", "s3"); cached || c.len() != 0 {
		t.Fatalf("a zero-size cache cached (len %d)", c.len())
	}
}

// Verify caches a key only once a signature made with it verified.
func TestVerifyCachesProvenKeysOnly(t *testing.T) {
	saved := signingKeys
	signingKeys = newKeyCache(8)
	t.Cleanup(func() { signingKeys = saved })
	c := equivalenceCases[0]
	for _, tt := range []struct {
		name    string
		secret  string
		wantLen int
	}{
		{"wrong secret", "not-" + exampleSecret, 0},
		{"right secret", exampleSecret, 1},
		{"again", exampleSecret, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := equivalenceRequest(c)
			s := &Signature{AccessKeyID: "AKID", Date: mustTime(t, exampleTime), Region: "us-east-1", Service: "s3",
				Scope: "20130524/us-east-1/s3/aws4_request", SignedHeaders: []string{"host", "x-amz-content-sha256", "x-amz-date"},
				PayloadHash: EmptySHA256, requestTime: exampleTime}
			s.Signature = hexHMAC(signingKey(exampleSecret, "20130524", "us-east-1", "s3"),
				stringToSign(exampleTime, s.Scope, s.canonicalRequests(r)[0]))
			err := s.Verify(r, tt.secret, fuzzNow)
			if (err == nil) != (tt.secret == exampleSecret) {
				t.Fatalf("Verify: %v", err)
			}
			if got := signingKeys.len(); got != tt.wantLen {
				t.Fatalf("cache len = %d, want %d", got, tt.wantLen)
			}
		})
	}
}

// TestKeyCacheConcurrent is meant for -race: readers, writers and evictions
// on one small cache, each goroutine checking it gets its own secret's key.
func TestKeyCacheConcurrent(t *testing.T) {
	c := newKeyCache(3)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			secret := fmt.Sprint("secret", g)
			want := signingKey(secret, "20130524", "us-east-1", "s3")
			for range 200 {
				k, id, cached := c.get(secret, "20130524", "us-east-1", "s3")
				if !bytes.Equal(k.key, want) {
					t.Errorf("goroutine %d got another key", g)
					return
				}
				m := k.mac()
				m.Write([]byte("x"))
				m.Sum(m.sum[:0])
				k.release(m)
				if !cached {
					c.add(id, k)
				}
			}
		})
	}
	wg.Wait()
	if c.len() > 3 {
		t.Fatalf("len = %d, bound 3", c.len())
	}
}
