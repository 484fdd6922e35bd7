package sigv4

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc64"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

func TestCRC64NVMECheckValue(t *testing.T) {
	h := NewCRC64NVME()
	h.Write([]byte("123456789"))
	if got := h.Sum64(); got != 0xae8b14860a799888 {
		t.Fatalf("CRC-64/NVME check = %#x, want 0xae8b14860a799888", got)
	}
	if got := h.Sum(nil); !bytes.Equal(got, binary.BigEndian.AppendUint64(nil, 0xae8b14860a799888)) {
		t.Fatalf("Sum = %x", got)
	}
	h.Reset()
	if h.Sum64() != 0 || h.Size() != 8 || h.BlockSize() != 1 {
		t.Fatal("Reset/Size/BlockSize")
	}
}

// The slicing-by-8 implementation agrees with a bytewise CRC built from the
// same reflected polynomial by hash/crc64, for every length and split.
func TestCRC64NVMEMatchesReference(t *testing.T) {
	ref := crc64.MakeTable(crc64NVMEPoly)
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 5000)
	for i := range data {
		data[i] = byte(rng.UintN(256))
	}
	for n := 0; n <= len(data); n += 1 + n/7 {
		want := crc64.Checksum(data[:n], ref)
		h := NewCRC64NVME()
		split := rng.IntN(n + 1)
		h.Write(data[:split])
		h.Write(data[split:n])
		if got := h.Sum64(); got != want {
			t.Fatalf("len %d split %d: %#x, want %#x", n, split, got, want)
		}
	}
}

// Check values of the catalogue of parametrised CRCs, and S3's base64 form.
func TestChecksumAlgorithms(t *testing.T) {
	tests := []struct {
		alg    ChecksumAlgorithm
		header string
		input  string
		want   string // base64
	}{
		{CRC32, "x-amz-checksum-crc32", "123456789", b64(0xcb, 0xf4, 0x39, 0x26)},
		{CRC32C, "x-amz-checksum-crc32c", "123456789", b64(0xe3, 0x06, 0x92, 0x83)},
		{CRC64NVME, "x-amz-checksum-crc64nvme", "123456789", b64(0xae, 0x8b, 0x14, 0x86, 0x0a, 0x79, 0x98, 0x88)},
		// The S3 trailer example's value for 65 KiB of 'a'
		// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html).
		{CRC32C, "x-amz-checksum-crc32c", strings.Repeat("a", 66560), "sOO8/Q=="},
		{SHA1, "x-amz-checksum-sha1", "", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="},
		{SHA256, "x-amz-checksum-sha256", "", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
		{MD5, "Content-MD5", "", "1B2M2Y8AsgTpgAmY7PhCfg=="},
	}
	for _, tc := range tests {
		t.Run(string(tc.alg), func(t *testing.T) {
			if tc.alg.Header() != tc.header {
				t.Errorf("Header() = %q", tc.alg.Header())
			}
			c := NewChecksums(tc.alg, tc.alg)
			c.Write([]byte(tc.input))
			if got := c.Sum(tc.alg); got != tc.want {
				t.Errorf("Sum = %s, want %s", got, tc.want)
			}
			if len(c.Algorithms()) != 1 {
				t.Errorf("duplicates kept: %v", c.Algorithms())
			}
		})
	}
	if a, ok := ParseChecksumAlgorithm("crc64nvme"); !ok || a != CRC64NVME {
		t.Error("ParseChecksumAlgorithm")
	}
	if _, ok := ParseChecksumAlgorithm("md5"); ok {
		t.Error("MD5 is not a flexible checksum")
	}
	if NewChecksums("XXHASH").Sum("XXHASH") != "" {
		t.Error("unknown algorithm computed")
	}
}

func b64(b ...byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestChecksumsFromHeader(t *testing.T) {
	body := "Welcome to Amazon S3."
	sum := NewChecksums(MD5, CRC32, CRC64NVME)
	sum.Write([]byte(body))
	tests := []struct {
		name      string
		h         http.Header
		headerErr string // error code from ChecksumsFromHeader
		readErr   string // error code at EOF
		msg       string
	}{
		{name: "nothing", h: headers()},
		{name: "Content-MD5", h: headers("Content-MD5", sum.Sum(MD5))},
		{name: "Content-MD5 wrong", h: headers("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="), readErr: "BadDigest",
			msg: "The Content-MD5 you specified did not match what we received."},
		{name: "Content-MD5 not base64", h: headers("Content-MD5", "not base64"), headerErr: "InvalidDigest",
			msg: "The Content-MD5 you specified is not valid."},
		{name: "Content-MD5 too short", h: headers("Content-MD5", "AAAA"), headerErr: "InvalidDigest"},
		{name: "CRC32", h: headers("X-Amz-Checksum-Crc32", sum.Sum(CRC32), "X-Amz-Sdk-Checksum-Algorithm", "CRC32")},
		{name: "CRC64NVME", h: headers("x-amz-checksum-crc64nvme", sum.Sum(CRC64NVME))},
		{name: "CRC32 wrong", h: headers("X-Amz-Checksum-Crc32", "AAAAAA=="), readErr: "BadDigest",
			msg: "The CRC32 you specified did not match the calculated checksum."},
		{name: "CRC32 malformed", h: headers("X-Amz-Checksum-Crc32", "AAAAAAAA"), headerErr: "InvalidRequest",
			msg: "Value for x-amz-checksum-crc32 header is invalid."},
		{name: "two checksums", h: headers("X-Amz-Checksum-Crc32", sum.Sum(CRC32), "X-Amz-Checksum-Crc64nvme", sum.Sum(CRC64NVME)), headerErr: "InvalidRequest",
			msg: "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."},
		{name: "unknown checksum", h: headers("X-Amz-Checksum-Xxhash64", "AAAAAAAAAAA="), headerErr: "InvalidRequest",
			msg: "The algorithm type you specified in x-amz-checksum- header is invalid."},
		{name: "checksum mode is no checksum", h: headers("X-Amz-Checksum-Mode", "ENABLED", "X-Amz-Checksum-Algorithm", "CRC32")},
		{name: "SDK algorithm without checksum", h: headers("X-Amz-Sdk-Checksum-Algorithm", "CRC32"), headerErr: "InvalidRequest",
			msg: "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found."},
		{name: "SDK algorithm with trailer", h: headers("X-Amz-Sdk-Checksum-Algorithm", "CRC32", "X-Amz-Trailer", "x-amz-checksum-crc32")},
		{name: "SDK algorithm unsupported", h: headers("X-Amz-Sdk-Checksum-Algorithm", "MD4", "X-Amz-Checksum-Crc32", sum.Sum(CRC32)), headerErr: "InvalidRequest"},
		{name: "trailer unsupported", h: headers("X-Amz-Trailer", "x-amz-meta-a"), headerErr: "InvalidRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ChecksumsFromHeader(tc.h, SHA256)
			if awsCode(err) != tc.headerErr {
				t.Fatalf("ChecksumsFromHeader = %v, want %q", err, tc.headerErr)
			}
			if err != nil {
				if tc.msg != "" && err.Error() != tc.headerErr+": "+tc.msg {
					t.Errorf("message %q", err.Error())
				}
				return
			}
			got, err := io.ReadAll(c.Reader(io.NopCloser(strings.NewReader(body))))
			if awsCode(err) != tc.readErr {
				t.Fatalf("read = %v, want %q", err, tc.readErr)
			}
			if err != nil {
				if tc.msg != "" && err.Error() != tc.readErr+": "+tc.msg {
					t.Errorf("message %q", err.Error())
				}
				if tc.name == "Content-MD5 wrong" && (field(err, "ExpectedDigest") != "1B2M2Y8AsgTpgAmY7PhCfg==" || field(err, "CalculatedDigest") != sum.Sum(MD5)) {
					t.Errorf("fields %+v", err)
				}
				return
			}
			if string(got) != body || c.Sum(SHA256) == "" {
				t.Fatalf("body %q, sha256 %q", got, c.Sum(SHA256))
			}
			if v := tc.h.Get("X-Amz-Checksum-Crc32"); v != "" && c.Expected(CRC32) != v {
				t.Errorf("Expected(CRC32) = %q", c.Expected(CRC32))
			}
		})
	}
}
