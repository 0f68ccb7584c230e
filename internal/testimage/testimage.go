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

// JPEGWithMetadata returns a w×h JPEG carrying what an upload must never
// keep: an EXIF block with the orientation tag (1 to 8) and a GPS
// position, an XMP packet, an ICC profile and a comment. Each holds a
// marker string (see Leaks) so that a test can look for it in the bytes
// served.
func JPEGWithMetadata(w, h, orientation int) []byte {
	plain := JPEG(w, h)
	// EXIF: a big-endian TIFF header, one IFD with the orientation and a
	// pointer to a GPS IFD holding a latitude reference, then the text.
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a\x00\x00\x00\x08")
	binary.Write(&tiff, binary.BigEndian, uint16(2))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{uint16(orientation), 0})
	binary.Write(&tiff, binary.BigEndian, []uint16{0x8825, 4})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, uint32(38))
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	binary.Write(&tiff, binary.BigEndian, uint16(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0001, 2})
	binary.Write(&tiff, binary.BigEndian, uint32(2))
	tiff.WriteString("N\x00\x00\x00")
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	tiff.WriteString("GPSLatitude 48.8584 N")
	segment := func(marker byte, payload string) []byte {
		s := []byte{0xff, marker, 0, 0}
		binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
		return append(s, payload...)
	}
	var out bytes.Buffer
	out.Write(plain[:2]) // SOI
	out.Write(segment(0xe1, "Exif\x00\x00"+tiff.String()))
	out.Write(segment(0xe1, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>XMPSecret</x:xmpmeta>"))
	out.Write(segment(0xe2, "ICC_PROFILE\x00\x01\x01ICCSecret"))
	out.Write(segment(0xfe, "CommentSecret"))
	out.Write(plain[2:])
	return out.Bytes()
}

// Leaks are the marker strings JPEGWithMetadata hides in its metadata.
var Leaks = []string{"Exif", "GPSLatitude", "XMPSecret", "ICCSecret", "CommentSecret", "ICC_PROFILE", "adobe"}

// AnimatedGIF returns a w×h GIF of n frames with a comment extension.
func AnimatedGIF(w, h, n int) []byte {
	g := &gif.GIF{LoopCount: 0}
	for i := range n {
		m := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black, color.RGBA{200, 0, 0, 255}})
		for x := range w {
			m.SetColorIndex(x, (i*7)%h, 1+uint8(i%2))
		}
		g.Image = append(g.Image, m)
		g.Delay = append(g.Delay, 10*(i+1))
	}
	var b bytes.Buffer
	_ = gif.EncodeAll(&b, g)
	data := b.Bytes()
	// A comment extension after the header, logical screen descriptor
	// and global colour table (none here: every frame has its own).
	comment := []byte("\x21\xfe\x0dCommentSecret\x00")
	return append(append(append([]byte{}, data[:13]...), comment...), data[13:]...)
}
