package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
)

// DefaultMaxDecodeBytes admits an 8K photo at 8 bits per channel (7680 ×
// 4320 × 4 bytes, with its copies at DefaultMaxSide and ThumbSide) and
// refuses the same at 16 bits per channel.
const DefaultMaxDecodeBytes = 144 << 20

// decodeBytes estimates, from the header alone, the most memory that
// decoding takes: the pixel buffer the decoder allocates, times frames,
// plus its working buffers. It errs high: the estimate is what the
// server reserves, and a test checks it against what decoding allocates.
func decodeBytes(name string, data []byte, cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	perPixel := bytesPerPixel(cfg.ColorModel)
	switch name {
	case "jpeg":
		if cfg.ColorModel == color.CMYKModel {
			perPixel = 8 // decoded as YCbCr plus black, then converted
		}
		if jpegProgressive(data) {
			// A progressive JPEG keeps every DCT coefficient (an int32
			// per sample) until the last scan.
			perPixel += 4 * int64(components(cfg.ColorModel))
		}
	case "png":
		deep := perPixel == 8
		if pngInterlaced(data) {
			perPixel *= 2 // each Adam7 pass is decoded into its own image
		}
		if deep {
			perPixel += 8 // encoding 16 bits a channel copies the pixels
		}
	case "webp": // re-encoded as PNG from the decoded image
		// Lossless WebP decodes into 32-bit pixels (and a second buffer
		// for transforms) before the result; lossy with alpha decodes
		// its alpha plane the same way. Plain lossy is YCbCr.
		if len(data) < 16 || string(data[12:16]) != "VP8 " {
			perPixel += 8
		}
		perPixel += 4 // the copy that PNG's encoder reads fast
	case "gif":
		// Every frame is a paletted image while the GIF is encoded anew.
		perPixel = int64(gifFrames(data)) + 1
	}
	// Row buffers (PNG keeps two rows and a zlib window), tables, headers,
	// and the encoder that writes the file anew (its compressor's tables;
	// the file itself streams to storage).
	return px*perPixel + 4*int64(cfg.Width)*perPixel + 2<<20
}

func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	case color.YCbCrModel:
		return 3 // 4:4:4, the worst subsampling
	case color.Gray16Model:
		return 2
	case color.GrayModel, color.AlphaModel:
		return 1
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

func components(m color.Model) int {
	switch m {
	case color.GrayModel, color.Gray16Model:
		return 1
	case color.CMYKModel:
		return 4
	}
	return 3
}

// jpegProgressive reports whether the first frame header is SOF2
// (progressive DCT), walking the marker segments that precede it.
func jpegProgressive(b []byte) bool {
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xff {
			return false
		}
		m := b[i+1]
		if m == 0xff { // fill byte
			i++
			continue
		}
		switch {
		case m == 0xc2 || m == 0xc6 || m == 0xca || m == 0xce:
			return true
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			return false // another frame type
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return false
}

// pngInterlaced reads the interlace method from IHDR, which must come
// first after the signature.
func pngInterlaced(b []byte) bool {
	return len(b) >= 29 && bytes.Equal(b[12:16], []byte("IHDR")) && b[28] == 1
}
