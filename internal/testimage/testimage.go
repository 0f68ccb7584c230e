// Package testimage makes images for tests: valid ones of each format and
// a header-only "decompression bomb".
package testimage

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
)

func picture(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 13), 200, 255})
		}
	}
	return m
}

// PNG returns a w×h PNG.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, picture(w, h))
	return b.Bytes()
}

// JPEG returns a w×h JPEG.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, picture(w, h), nil)
	return b.Bytes()
}

// GIF returns a w×h GIF.
func GIF(w, h int) []byte {
	var b bytes.Buffer
	_ = gif.Encode(&b, picture(w, h), nil)
	return b.Bytes()
}

// BombPNG returns a small, well-formed PNG whose header claims w×h
// pixels: decoding it in full would need w*h*4 bytes of memory.
func BombPNG(w, h int) []byte {
	b := PNG(1, 1)
	// The IHDR chunk follows the 8-byte signature: length(4) type(4)
	// width(4) height(4) ... then a CRC over type and data.
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// PNG16 returns a w×h PNG at 16 bits per channel: decoded, it takes
// 8 bytes a pixel, twice an ordinary PNG, though the file is small.
func PNG16(w, h int) []byte {
	m := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		m.SetNRGBA64(x, 0, color.NRGBA64{uint16(x * 64), 20000, 40000, 0xffff})
	}
	for y := 1; y < h; y++ { // every row the same: quick to make, small file
		copy(m.Pix[y*m.Stride:], m.Pix[:m.Stride])
	}
	var b bytes.Buffer
	_ = png.Encode(&b, m)
	return b.Bytes()
}

//go:embed testdata/8k-rgba.png
var png8K []byte

// PNG8K is a 7680×4320 PNG at 8 bits per channel: 130 KB on disk, 133 MB
// (7680 × 4320 × 4 bytes) once decoded, the costliest image the default
// limits admit.
func PNG8K() []byte { return png8K }

//go:embed testdata/8k-16bit.png
var png8K16 []byte

// PNG8K16 is PNG16(7680, 4320), made once: 200 KB on disk, 265 MB
// (7680 × 4320 × 8 bytes) once decoded. It is the largest image the
// default pixel limit admits, at its costliest depth.
func PNG8K16() []byte { return png8K16 }

// NoisePNG returns a w×h PNG of random pixels, which does not compress:
// about w × h × 4 bytes, for uploads of a chosen size.
func NoisePNG(w, h int) []byte {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for i := range m.Pix {
		m.Pix[i] = byte(r.Uint32())
	}
	var b bytes.Buffer
	_ = png.Encode(&b, m)
	return b.Bytes()
}
