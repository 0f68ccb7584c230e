package media

import (
	"bytes"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/tweetsdev/tweets"
)

// jpegQuality is the quality photos are saved at: high enough that a
// second compression does not show.
const jpegQuality = 90

// Process implements tweets.ImageInspector. It decodes the image, turns
// a JPEG upright by its EXIF orientation, and encodes it anew: the
// encoders write pixels and nothing else, so no EXIF, XMP, ICC or text
// chunk (a GPS position, a camera serial number) survives. JPEG stays
// JPEG, PNG stays PNG, GIF stays GIF with every frame and its timing;
// WebP becomes PNG (lossless, alpha kept), since Go has no WebP encoder.
func (in Inspector) Process(data []byte) (tweets.ImageInfo, func(io.Writer) error, error) {
	name, cfg, err := in.header(data)
	if err != nil {
		return tweets.ImageInfo{}, nil, err
	}
	if err := in.checkCost(name, data, cfg); err != nil {
		return tweets.ImageInfo{}, nil, err
	}
	damaged := tweets.Invalid("image", "This %s image is damaged and cannot be read.", name)
	var encode func(io.Writer) error
	var bounds image.Rectangle
	switch name {
	case "gif":
		g, err := gif.DecodeAll(bytes.NewReader(data))
		if err != nil || len(g.Image) == 0 {
			return tweets.ImageInfo{}, nil, damaged
		}
		bounds = image.Rect(0, 0, g.Config.Width, g.Config.Height)
		clean := &gif.GIF{Image: g.Image, Delay: g.Delay, Disposal: g.Disposal, LoopCount: g.LoopCount,
			Config: g.Config, BackgroundIndex: g.BackgroundIndex}
		encode = func(w io.Writer) error { return gif.EncodeAll(w, clean) }
	default:
		m, err := formats[name].decode(data)
		if err != nil {
			return tweets.ImageInfo{}, nil, damaged
		}
		if name == "jpeg" {
			m = orient(m, exifOrientation(data))
			encode = func(w io.Writer) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: jpegQuality}) }
		} else {
			if name == "webp" {
				// PNG's encoder reads only its own pixel types fast;
				// WebP's YCbCr-with-alpha would go pixel by pixel.
				rgba := image.NewNRGBA(m.Bounds())
				draw.Draw(rgba, rgba.Bounds(), m, m.Bounds().Min, draw.Src)
				m, name = rgba, "png"
			}
			encode = func(w io.Writer) error { return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, m) }
		}
		bounds = m.Bounds()
	}
	f := formats[name]
	return tweets.ImageInfo{ContentType: f.contentType, Extension: f.ext, Width: bounds.Dx(), Height: bounds.Dy()}, encode, nil
}

// gifFrames counts the frames of a GIF by walking its blocks, without
// decoding any: every frame costs a paletted image when decoded.
func gifFrames(b []byte) int {
	if len(b) < 13 {
		return 1
	}
	i := 13
	if b[10]&0x80 != 0 { // a global colour table
		i += 3 << (int(b[10]&7) + 1)
	}
	frames := 0
	skipSubBlocks := func() bool {
		for i < len(b) {
			n := int(b[i])
			i++
			if n == 0 {
				return true
			}
			i += n
		}
		return false
	}
	for i < len(b) {
		switch b[i] {
		case 0x21: // extension: label, then sub-blocks
			i += 2
			if !skipSubBlocks() {
				return max(frames, 1)
			}
		case 0x2c: // image descriptor, local colour table, LZW data
			frames++
			if i+10 > len(b) {
				return frames
			}
			flags := b[i+9]
			i += 10
			if flags&0x80 != 0 {
				i += 3 << (int(flags&7) + 1)
			}
			i++ // LZW minimum code size
			if !skipSubBlocks() {
				return frames
			}
		default: // the trailer, or damage: what was counted
			return max(frames, 1)
		}
	}
	return max(frames, 1)
}
