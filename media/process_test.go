package media

import (
	"bytes"
	"image"
	"image/gif"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

func process(t *testing.T, data []byte) ([]byte, image.Config, string) {
	t.Helper()
	info, err := Inspector{}.Process(data, tweets.UseAttachment)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := info.Encode(&out); err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("the processed file does not decode: %v", err)
	}
	if cfg.Width != info.Width || cfg.Height != info.Height {
		t.Errorf("info says %d×%d, the file is %d×%d", info.Width, info.Height, cfg.Width, cfg.Height)
	}
	return out.Bytes(), cfg, format
}

// TestProcessStripsMetadata: a photo with EXIF (GPS), XMP, an ICC
// profile and a comment comes out with none of them, turned upright.
func TestProcessStripsMetadata(t *testing.T) {
	for o, turned := range map[int]bool{1: false, 3: false, 6: true, 8: true} {
		in := testimage.JPEGWithMetadata(40, 30, o)
		for _, leak := range testimage.Leaks {
			if !bytes.Contains(in, []byte(leak)) {
				t.Fatalf("the fixture lacks %q", leak)
			}
		}
		out, cfg, format := process(t, in)
		if format != "jpeg" {
			t.Errorf("orientation %d: became %s", o, format)
		}
		for _, leak := range testimage.Leaks {
			if bytes.Contains(out, []byte(leak)) {
				t.Errorf("orientation %d: %q survived", o, leak)
			}
		}
		for i := 2; i+4 < len(out) && out[i] == 0xff && out[i+1] != 0xda; i += 2 + int(out[i+2])<<8 + int(out[i+3]) {
			if m := out[i+1]; m >= 0xe1 && m <= 0xef || m == 0xfe {
				t.Errorf("orientation %d: an APP%d or comment segment survived", o, m-0xe0)
			}
		}
		if w, h := cfg.Width, cfg.Height; turned != (w == 30 && h == 40) {
			t.Errorf("orientation %d: %d×%d", o, w, h)
		}
	}
}

// TestProcessKeepsAnimation: an animated GIF keeps every frame and its
// timing, and loses its comment.
func TestProcessKeepsAnimation(t *testing.T) {
	in := testimage.AnimatedGIF(60, 40, 5)
	if !strings.Contains(string(in), "CommentSecret") || gifFrames(in) != 5 {
		t.Fatalf("fixture: %d frames", gifFrames(in))
	}
	out, _, format := process(t, in)
	g, err := gif.DecodeAll(bytes.NewReader(out))
	if err != nil || format != "gif" || len(g.Image) != 5 || g.Delay[4] != 50 {
		t.Fatalf("animation: %v %s %d frames", err, format, len(g.Image))
	}
	if bytes.Contains(out, []byte("CommentSecret")) {
		t.Error("the comment survived")
	}
}

// TestProcessFormats: PNG stays PNG, WebP becomes PNG with its size.
func TestProcessFormats(t *testing.T) {
	if _, _, f := process(t, testimage.PNG(20, 10)); f != "png" {
		t.Errorf("png became %s", f)
	}
	webp := mustRead(t, "testdata/lossy-alpha.webp")
	if _, cfg, f := process(t, webp); f != "png" || cfg.Width != 1000 {
		t.Errorf("webp became %s %d wide", f, cfg.Width)
	}
	_ = io.Discard
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
