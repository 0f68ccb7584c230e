// Package media checks uploaded images and keeps media files on local
// disk. Both sit behind domain interfaces (tweets.ImageInspector and
// tweets.BlobStore) so that object storage can replace the disk.
package media

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"

	"github.com/tweetsdev/tweets"
)

// DefaultMaxPixels admits an 8K photo (7680×4320) and refuses larger.
const DefaultMaxPixels = 7680 * 4320

type format struct {
	contentType, ext string
	decode           func([]byte) (image.Image, error)
	config           func([]byte) (image.Config, error)
}

// formats are the accepted image types by the name image.DecodeConfig
// would give them. The decoders are called directly rather than through
// image.RegisterFormat, so nothing else linked into the binary can widen
// what uploads accept.
var formats = map[string]format{
	"jpeg": {"image/jpeg", ".jpg", func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }, func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }},
	"png":  {"image/png", ".png", func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }, func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }},
	"gif":  {"image/gif", ".gif", func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) }, func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) }},
	"webp": {"image/webp", ".webp", func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }, func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }},
}

// sniff names the format from the file's first bytes; the name a client
// gave the file is never trusted.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

// Inspector implements tweets.ImageInspector.
type Inspector struct {
	MaxPixels int // DefaultMaxPixels when zero
	// MaxDecodeBytes bounds the memory one decode may take, estimated
	// from the header (DefaultMaxDecodeBytes when zero). With the
	// Service's bound on concurrent decodes it bounds image memory.
	MaxDecodeBytes int64
	// MaxSide is the longest side an attachment is stored at; larger
	// images are scaled down (DefaultMaxSide when zero).
	MaxSide int
	// MaxFrames bounds the frames of an animated GIF (DefaultMaxFrames
	// when zero).
	MaxFrames int
}

// DefaultMaxFrames admits an animation of ten seconds at 30 frames a
// second.
const DefaultMaxFrames = 300

// Precheck implements tweets.ImageInspector: it refuses from the first
// bytes of a file (its header) what Inspect would refuse without
// decoding, so such an upload never waits for a decoding slot. A header
// that does not fit in head passes; Inspect checks it again in full.
func (in Inspector) Precheck(head []byte) error {
	name, cfg, err := in.header(head)
	switch {
	case name == "" && len(head) < 16:
		return nil // too short to tell: Inspect will
	case name != "" && err != nil:
		return nil // the header goes on past head, or is damaged: Inspect will tell
	case err != nil:
		return err
	}
	return in.checkCost(name, head, cfg)
}

// Inspect decodes data in full and describes it. The header is read first
// so that an image whose decoding would exhaust memory (a decompression
// bomb, or just a deep 8K PNG) is refused before any pixel is decoded.
func (in Inspector) Inspect(data []byte) (tweets.ImageInfo, error) {
	name, cfg, err := in.header(data)
	if err != nil {
		return tweets.ImageInfo{}, err
	}
	if err := in.checkCost(name, data, cfg); err != nil {
		return tweets.ImageInfo{}, err
	}
	f := formats[name]
	if _, err := f.decode(data); err != nil {
		return tweets.ImageInfo{}, tweets.Invalid("image", "This %s image is damaged and cannot be read.", name)
	}
	return tweets.ImageInfo{ContentType: f.contentType, Extension: f.ext, Width: cfg.Width, Height: cfg.Height}, nil
}

// header names the format and reads the image's header.
func (in Inspector) header(data []byte) (string, image.Config, error) {
	name := sniff(data)
	f, ok := formats[name]
	if !ok {
		return "", image.Config{}, tweets.Invalid("image", "This file is not an image we accept: upload a JPEG, PNG, GIF or WebP image.")
	}
	cfg, err := f.config(data)
	if err != nil {
		return name, cfg, tweets.Invalid("image", "This %s image is damaged and cannot be read.", name)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return name, cfg, tweets.Invalid("image", "This image has no pixels.")
	}
	return name, cfg, nil
}

// checkCost refuses an image over the pixel limit or whose decoding
// would need more memory than allowed.
func (in Inspector) checkCost(name string, data []byte, cfg image.Config) error {
	maxPixels := in.MaxPixels
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(maxPixels) {
		return &tweets.Error{Code: tweets.CodeTooLarge, Field: "image", Message: fmt.Sprintf(
			"This image is %d×%d pixels (%.1f megapixels); the limit is %.1f megapixels.",
			cfg.Width, cfg.Height, float64(px)/1e6, float64(maxPixels)/1e6)}
	}
	if name == "gif" {
		maxFrames := in.MaxFrames
		if maxFrames <= 0 {
			maxFrames = DefaultMaxFrames
		}
		if n := gifFrames(data); n > maxFrames {
			return &tweets.Error{Code: tweets.CodeTooLarge, Field: "image", Message: fmt.Sprintf(
				"This GIF has %d frames; the limit is %d. Shorten the animation.", n, maxFrames)}
		}
	}
	maxBytes := in.MaxDecodeBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxDecodeBytes
	}
	if need := decodeBytes(name, data, cfg) + in.renditionBytes(name, data, cfg); need > maxBytes {
		return &tweets.Error{Code: tweets.CodeTooLarge, Field: "image", Message: fmt.Sprintf(
			"This %d×%d image would need %s of memory to read; the limit is %s. Save it smaller, or at 8 bits per channel.",
			cfg.Width, cfg.Height, mib(need), mib(maxBytes))}
	}
	return nil
}

// renditionBytes is the memory of the copies Process makes of a still
// image: the image scaled to MaxSide (an avatar or header is smaller),
// turned upright, its thumbnail, and the tiny copy its placeholder is drawn from. A GIF
// attachment is not copied.
func (in Inspector) renditionBytes(name string, data []byte, cfg image.Config) int64 {
	if name == "gif" {
		return 0
	}
	w, h := fit(cfg.Width, cfg.Height, in.maxSide())
	var upright int64 // a turned photo's upright copy, made of the scaled one
	if name == "jpeg" && exifOrientation(data) > 1 {
		upright = 4 * int64(w) * int64(h)
	}
	tw, th := fit(w, h, ThumbSide)
	bw, bh := fit(w, h, placeholderSide)
	// The thumbnail's encoder adds its own buffers (a deflate or JPEG
	// encoder's tables), as the image's does.
	const encoder = 1 << 20
	return scaleBytes(cfg.Width, cfg.Height, w, h) + upright + scaleBytes(w, h, tw, th) + scaleBytes(w, h, bw, bh) + encoder
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
