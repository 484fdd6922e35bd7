package sigv4

import (
	"encoding/binary"
	"hash"
)

// CRC-64/NVME, the checksum S3 calls CRC64NVME
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html):
// width 64, polynomial 0xad93d23594c93659 (0x9a6c9329ac4bc9b5 reflected),
// input and output reflected, initial value and final XOR all ones. Its check
// value, the CRC of "123456789", is 0xae8b14860a799888.

// crc64NVMEPoly is the reflected polynomial.
const crc64NVMEPoly = 0x9a6c9329ac4bc9b5

// crc64NVMETables holds the slicing-by-8 tables: tables[0] is the classic
// byte table, tables[k][b] the CRC of byte b followed by k zero bytes.
var crc64NVMETables = func() *[8][256]uint64 {
	t := new([8][256]uint64)
	for i := range 256 {
		crc := uint64(i)
		for range 8 {
			if crc&1 == 1 {
				crc = crc>>1 ^ crc64NVMEPoly
			} else {
				crc >>= 1
			}
		}
		t[0][i] = crc
	}
	for i := range 256 {
		crc := t[0][i]
		for k := 1; k < 8; k++ {
			crc = t[0][crc&0xff] ^ crc>>8
			t[k][i] = crc
		}
	}
	return t
}()

// updateCRC64NVME continues crc (not inverted) over p.
func updateCRC64NVME(crc uint64, p []byte) uint64 {
	t := crc64NVMETables
	for len(p) >= 8 {
		crc ^= binary.LittleEndian.Uint64(p)
		crc = t[7][crc&0xff] ^ t[6][crc>>8&0xff] ^ t[5][crc>>16&0xff] ^ t[4][crc>>24&0xff] ^
			t[3][crc>>32&0xff] ^ t[2][crc>>40&0xff] ^ t[1][crc>>48&0xff] ^ t[0][crc>>56]
		p = p[8:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}

// crc64NVME implements hash.Hash64.
type crc64NVME struct{ crc uint64 }

// NewCRC64NVME returns a hash computing CRC-64/NVME; Sum appends the CRC
// big-endian, the byte order S3 base64-encodes.
func NewCRC64NVME() hash.Hash64 { return &crc64NVME{} }

func (d *crc64NVME) Write(p []byte) (int, error) {
	d.crc = ^updateCRC64NVME(^d.crc, p)
	return len(p), nil
}

func (d *crc64NVME) Sum64() uint64 { return d.crc }

func (d *crc64NVME) Sum(b []byte) []byte { return binary.BigEndian.AppendUint64(b, d.crc) }

func (d *crc64NVME) Reset() { d.crc = 0 }

func (d *crc64NVME) Size() int { return 8 }

func (d *crc64NVME) BlockSize() int { return 1 }
