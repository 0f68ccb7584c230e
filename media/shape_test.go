package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// decoded encodes a rendition and reads back its size and format.
func decoded(t *testing.T, info tweets.ImageInfo, encode func(io.Writer) error) (image.Config, string) {
	t.Helper()
	var b bytes.Buffer
	if err := encode(&b); err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(&b)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != info.Width || cfg.Height != info.Height {
		t.Errorf("info says %d×%d, the file is %d×%d", info.Width, info.Height, cfg.Width, cfg.Height)
	}
	return cfg, format
}

func processAs(t *testing.T, in Inspector, data []byte, use tweets.ImageUse) tweets.ProcessedImage {
	t.Helper()
	p, err := in.Process(data, use)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProcessShapes: an attachment is capped at MaxSide with its
// proportions and gets a thumbnail; a small one gets none; an avatar is
// square, a header three to one.
func TestProcessShapes(t *testing.T) {
	in := Inspector{MaxSide: 1200}
	big := testimage.JPEG(3000, 2000)
	p := processAs(t, in, big, tweets.UseAttachment)
	cfg, format := decoded(t, p.ImageInfo, p.Encode)
	if cfg.Width != 1200 || cfg.Height != 800 || format != "jpeg" {
		t.Errorf("capped: %d×%d %s, want 1200×800 jpeg", cfg.Width, cfg.Height, format)
	}
	if p.Thumb == nil {
		t.Fatal("no thumbnail for a large image")
	}
	tc, tf := decoded(t, p.Thumb.ImageInfo, p.Thumb.Encode)
	if tc.Width != ThumbSide || tc.Height != 426 || tf != "jpeg" {
		t.Errorf("thumbnail: %d×%d %s, want %d×426 jpeg", tc.Width, tc.Height, tf, ThumbSide)
	}
	if len(p.Blurhash) != 28 {
		t.Errorf("blurhash %q: want 28 characters for 4×3 components", p.Blurhash)
	}

	if p := processAs(t, in, testimage.PNG(300, 200), tweets.UseAttachment); p.Thumb != nil || p.Width != 300 {
		t.Errorf("a small image: %d wide, thumbnail %v", p.Width, p.Thumb)
	}

	a := processAs(t, in, big, tweets.UseAvatar)
	if a.Width != AvatarSide || a.Height != AvatarSide || a.Thumb != nil {
		t.Errorf("avatar: %d×%d", a.Width, a.Height)
	}
	h := processAs(t, in, testimage.PNG(2000, 2000), tweets.UseHeader)
	if h.Width != HeaderWidth || h.Height != HeaderHeight {
		t.Errorf("header: %d×%d", h.Width, h.Height)
	}
	// A GIF avatar is a still, the first frame.
	if g := processAs(t, in, testimage.AnimatedGIF(100, 100, 3), tweets.UseAvatar); g.ContentType == "image/gif" {
		t.Error("a GIF avatar stayed animated")
	}
}

// TestProcessRefusesLargeOrLongGIFs: GIF frames are not scaled, so a GIF
// over MaxSide is refused, as is one with too many frames.
func TestProcessRefusesLargeOrLongGIFs(t *testing.T) {
	in := Inspector{MaxSide: 100, MaxFrames: 4}
	for name, data := range map[string][]byte{
		"too wide":   testimage.AnimatedGIF(120, 50, 2),
		"too long":   testimage.AnimatedGIF(50, 50, 5),
		"precheck 5": testimage.AnimatedGIF(50, 50, 5),
	} {
		var err error
		if strings.HasPrefix(name, "precheck") {
			err = in.Precheck(data)
		} else {
			_, err = in.Process(data, tweets.UseAttachment)
		}
		if tweets.ErrorCode(err) != tweets.CodeTooLarge {
			t.Errorf("%s: err = %v, want a too-large refusal", name, err)
		}
	}
	if _, err := in.Process(testimage.AnimatedGIF(100, 60, 4), tweets.UseAttachment); err != nil {
		t.Errorf("a GIF at the limits: %v", err)
	}
}

// TestBlurhashAverageColour: the colour a page draws is the photo's.
func TestBlurhashAverageColour(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 900, 700))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = 0x20, 0x80, 0xc0, 0xff
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	p := processAs(t, Inspector{}, b.Bytes(), tweets.UseAttachment)
	got := tweets.Media{Blurhash: p.Blurhash}.AverageColor()
	var c color.RGBA
	if _, err := fmtSscanf(got, &c); err != nil {
		t.Fatalf("average colour %q: %v", got, err)
	}
	if diff(c.R, 0x20) > 3 || diff(c.G, 0x80) > 3 || diff(c.B, 0xc0) > 3 {
		t.Errorf("average colour %s, want about #2080c0", got)
	}
}

func diff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func fmtSscanf(s string, c *color.RGBA) (int, error) {
	return fmt.Sscanf(s, "#%02x%02x%02x", &c.R, &c.G, &c.B)
}
