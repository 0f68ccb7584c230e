package media

import (
	"bytes"
	"fmt"
	"image"
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
// a JPEG upright by its EXIF orientation, fits it to its use (an
// attachment within MaxSide, an avatar or header cut to shape) and
// encodes it anew: the encoders write pixels and nothing else, so no
// EXIF, XMP, ICC or text chunk (a GPS position, a camera serial number)
// survives. JPEG stays JPEG, PNG stays PNG, an animated GIF attachment
// stays a GIF with every frame and its timing; WebP becomes PNG
// (lossless, alpha kept), since Go has no WebP encoder. Avatars, headers
// and thumbnails are JPEG when opaque, PNG otherwise.
func (in Inspector) Process(data []byte, use tweets.ImageUse) (tweets.ProcessedImage, error) {
	name, cfg, err := in.header(data)
	if err != nil {
		return tweets.ProcessedImage{}, err
	}
	if err := in.checkCost(name, data, cfg); err != nil {
		return tweets.ProcessedImage{}, err
	}
	damaged := tweets.Invalid("image", "This %s image is damaged and cannot be read.", name)
	if name == "gif" && use == tweets.UseAttachment {
		return in.processGIF(data, cfg, damaged)
	}
	m, err := formats[name].decode(data)
	if err != nil {
		return tweets.ProcessedImage{}, damaged
	}
	o := 1
	if name == "jpeg" {
		o = exifOrientation(data)
	}
	// The shape is chosen on the upright image, but the image is scaled
	// as stored and turned upright after: turning the smaller copy costs
	// less. Both parts that shape picks are centred, so the part of the
	// stored image is the centred one with the sides swapped if turning
	// swaps them.
	b := m.Bounds()
	turned := o >= 5 && o <= 8
	up := image.Rect(0, 0, b.Dx(), b.Dy())
	if turned {
		up = image.Rect(0, 0, b.Dy(), b.Dx())
	}
	part, w, h := shape(up, use, in.maxSide())
	src := centred(b, part.Dx(), part.Dy())
	if turned {
		src, w, h = centred(b, part.Dy(), part.Dx()), h, w
	}
	if src != b || w != src.Dx() || h != src.Dy() || name == "webp" {
		// Scaled, or a WebP: PNG's encoder reads only its own pixel
		// types fast; WebP's YCbCr-with-alpha would go pixel by pixel.
		m = scale(m, src, w, h)
	}
	m = orient(m, o)
	w, h = m.Bounds().Dx(), m.Bounds().Dy()
	var p tweets.ProcessedImage
	switch {
	case use != tweets.UseAttachment:
		p.ImageInfo, p.Encode = still(m, opaque(m))
	case name == "jpeg":
		p.ImageInfo, p.Encode = still(m, true)
	default:
		p.ImageInfo, p.Encode = still(m, false)
	}
	small := m // what the placeholder is drawn from: the smallest copy
	if use == tweets.UseAttachment && max(w, h) > ThumbSide {
		tw, th := fit(w, h, ThumbSide)
		t := scale(m, m.Bounds(), tw, th)
		info, encode := still(t, opaque(t))
		p.Thumb = &tweets.Rendition{ImageInfo: info, Encode: encode}
		small = t
	}
	p.Blurhash = placeholder(small)
	return p, nil
}

// processGIF keeps every frame of a GIF and its timing. Its frames are
// not scaled (each is a paletted picture that scaling would need to
// quantize again), so a GIF must fit within MaxSide as it is; it has no
// thumbnail, so that it moves in timelines too.
func (in Inspector) processGIF(data []byte, cfg image.Config, damaged error) (tweets.ProcessedImage, error) {
	if side := in.maxSide(); cfg.Width > side || cfg.Height > side {
		return tweets.ProcessedImage{}, &tweets.Error{Code: tweets.CodeTooLarge, Field: "image", Message: fmt.Sprintf(
			"This GIF is %d×%d pixels; a GIF can be at most %d pixels wide and high. Make it smaller, or upload a still image.",
			cfg.Width, cfg.Height, side)}
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil || len(g.Image) == 0 {
		return tweets.ProcessedImage{}, damaged
	}
	clean := &gif.GIF{Image: g.Image, Delay: g.Delay, Disposal: g.Disposal, LoopCount: g.LoopCount,
		Config: g.Config, BackgroundIndex: g.BackgroundIndex}
	f := formats["gif"]
	return tweets.ProcessedImage{
		ImageInfo: tweets.ImageInfo{ContentType: f.contentType, Extension: f.ext, Width: g.Config.Width, Height: g.Config.Height},
		Encode:    func(w io.Writer) error { return gif.EncodeAll(w, clean) },
		Blurhash:  placeholder(g.Image[0]),
	}, nil
}

// still returns how m is saved: as a JPEG when it is a photo (a JPEG
// upload, or opaque where the format is ours to choose), else as PNG.
func still(m image.Image, photo bool) (tweets.ImageInfo, func(io.Writer) error) {
	b := m.Bounds()
	if photo {
		f := formats["jpeg"]
		return tweets.ImageInfo{ContentType: f.contentType, Extension: f.ext, Width: b.Dx(), Height: b.Dy()},
			func(w io.Writer) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: jpegQuality}) }
	}
	f := formats["png"]
	return tweets.ImageInfo{ContentType: f.contentType, Extension: f.ext, Width: b.Dx(), Height: b.Dy()},
		func(w io.Writer) error { return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, m) }
}

// placeholderSide is the size of the copy a BlurHash is computed on:
// the hash keeps only broad shapes anyway.
const placeholderSide = 32

// placeholder is the BlurHash of m.
func placeholder(m image.Image) string {
	w, h := fit(m.Bounds().Dx(), m.Bounds().Dy(), placeholderSide)
	return blurhash(scale(m, m.Bounds(), w, h))
}

func (in Inspector) maxSide() int {
	if in.MaxSide > 0 {
		return in.MaxSide
	}
	return DefaultMaxSide
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
