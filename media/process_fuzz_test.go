package media

import (
	"bytes"
	"errors"
	"image"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// fuzzInspector has limits small enough that any input decodes quickly,
// so that the fuzzer tries many.
var fuzzInspector = Inspector{MaxPixels: 1 << 20, MaxDecodeBytes: 48 << 20, MaxSide: 300, MaxFrames: 16}

// checkRefusal fails unless err is how an image is refused: a domain
// error about the image, invalid or too large.
func checkRefusal(t *testing.T, what string, err error) {
	t.Helper()
	var e *tweets.Error
	if !errors.As(err, &e) || e.Field != "image" || e.Code != tweets.CodeInvalid && e.Code != tweets.CodeTooLarge {
		t.Fatalf("%s: %#v, want an image domain error", what, err)
	}
}

// checkFile decodes what encode writes and fails unless it is an image
// of the type and size info says, at most side pixels on its longest
// side.
func checkFile(t *testing.T, what string, info tweets.ImageInfo, encode func(io.Writer) error, side int) {
	t.Helper()
	var out bytes.Buffer
	if err := encode(&out); err != nil {
		t.Fatalf("%s: encoding: %v", what, err)
	}
	name := sniff(out.Bytes())
	f, ok := formats[name]
	if !ok || f.contentType != info.ContentType || f.ext != info.Extension {
		t.Fatalf("%s: a %q file, said to be %s (%s)", what, name, info.ContentType, info.Extension)
	}
	m, err := f.decode(out.Bytes())
	if err != nil {
		t.Fatalf("%s: the %s written does not decode: %v", what, name, err)
	}
	if b := m.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
		t.Fatalf("%s: said %d×%d, the file is %d×%d", what, info.Width, info.Height, b.Dx(), b.Dy())
	}
	if info.Width < 1 || info.Height < 1 || max(info.Width, info.Height) > side {
		t.Fatalf("%s: %d×%d, the longest side may be %d", what, info.Width, info.Height, side)
	}
}

// FuzzProcess feeds the image pipeline any bytes, for each use: it
// never panics; a refusal is a domain error about the image; Precheck
// refuses nothing that Process accepts; and what is accepted is within
// the pixel limit, inspects as an image, and is written as a file of
// the type and size it claims, within its use's bounds, with a
// thumbnail that is one too and a placeholder that gives a colour.
func FuzzProcess(f *testing.F) {
	seeds := [][]byte{testimage.PNG(3, 2), testimage.JPEG(9, 7), testimage.GIF(2, 3), testimage.AnimatedGIF(4, 4, 3),
		testimage.JPEGWithMetadata(8, 6, 6), testimage.JPEGWithMetadata(5, 3, 8), testimage.PNG16(4, 2),
		testimage.BombPNG(100000, 100000), testimage.PNG(700, 20), []byte("GIF89a"), []byte("\xff\xd8\xff"), nil}
	for _, name := range []string{"lossless.webp", "small.webp"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	for i, s := range seeds {
		f.Add(s, uint8(i%3))
	}
	// Headers of images under three pixels wide, and of those whose
	// rounded height was a row more than their cut: both divided by zero.
	f.Add(testimage.PNG(2, 3), uint8(tweets.UseHeader))
	f.Add(testimage.PNG(5, 2), uint8(tweets.UseHeader))
	in := fuzzInspector
	f.Fuzz(func(t *testing.T, data []byte, use uint8) {
		u := tweets.ImageUse(use % 3)
		p, err := in.Process(data, u)
		for _, n := range []int{16, 64, len(data)} {
			if perr := in.Precheck(data[:min(n, len(data))]); perr != nil {
				checkRefusal(t, "Precheck", perr)
				if err == nil {
					t.Fatalf("Precheck of %d bytes refused (%v) what Process accepts", n, perr)
				}
			}
		}
		if err != nil {
			checkRefusal(t, "Process", err)
			return
		}
		info, err := in.Inspect(data)
		if err != nil {
			t.Fatalf("Process accepted what Inspect refuses: %v", err)
		}
		if int64(info.Width)*int64(info.Height) > int64(in.MaxPixels) {
			t.Fatalf("accepted %d×%d, over %d pixels", info.Width, info.Height, in.MaxPixels)
		}
		side := in.MaxSide
		switch u {
		case tweets.UseAvatar:
			side = AvatarSide
			if p.Width != p.Height {
				t.Fatalf("avatar of %d×%d", p.Width, p.Height)
			}
		case tweets.UseHeader:
			side = HeaderWidth
		}
		checkFile(t, "image", p.ImageInfo, p.Encode, side)
		if p.Thumb != nil {
			checkFile(t, "thumbnail", p.Thumb.ImageInfo, p.Thumb.Encode, ThumbSide)
		}
		if c := (tweets.Media{Blurhash: p.Blurhash}).AverageColor(); c == "" || strings.ContainsAny(p.Blurhash, " \"'<>") {
			t.Fatalf("placeholder %q gives no colour", p.Blurhash)
		}
	})
}

// FuzzHeaders checks the readers of headers that run before any pixel
// is decoded, on any bytes: the EXIF orientation is 1 to 8, a GIF has a
// frame or more, and the memory estimate for any size is positive.
func FuzzHeaders(f *testing.F) {
	for _, s := range [][]byte{testimage.JPEGWithMetadata(4, 3, 6), testimage.AnimatedGIF(2, 2, 4), testimage.GIF(1, 1),
		[]byte("\xff\xd8\xff\xe1\x00\x16Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01"), []byte("GIF89a\x01\x00\x01\x00\xf7"), nil} {
		f.Add(s, uint16(4), uint16(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, w, h uint16) {
		if o := exifOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		if n := gifFrames(data); n < 1 {
			t.Fatalf("%d frames", n)
		}
		_, _ = jpegProgressive(data), pngInterlaced(data)
		name := sniff(data)
		if _, ok := formats[name]; !ok && name != "" {
			t.Fatalf("sniffed %q, not a format", name)
		}
		cfg := image.Config{Width: int(w) + 1, Height: int(h) + 1}
		if n := decodeBytes(name, data, cfg) + fuzzInspector.renditionBytes(name, data, cfg); n <= 0 {
			t.Fatalf("a %d×%d %s is estimated at %d bytes", cfg.Width, cfg.Height, name, n)
		}
	})
}
