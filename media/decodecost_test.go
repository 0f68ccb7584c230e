package media

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// TestDecodeEstimateIsUpperBound processes (decodes, turns, encodes
// anew) one image of every kind the estimate distinguishes and checks
// that it allocated no more than the estimate: the estimate is what
// bounds the server's image memory.
func TestDecodeEstimateIsUpperBound(t *testing.T) {
	images := map[string][]byte{
		"png rgba":    testimage.PNG(1000, 800),
		"png 16-bit":  testimage.PNG16(1000, 800),
		"jpeg":        testimage.JPEG(1000, 800),
		"gif":         testimage.GIF(1000, 800),
		"turned":      testimage.JPEGWithMetadata(1000, 800, 6),
		"big, turned": testimage.JPEGWithMetadata(3000, 2000, 8),
		"small webp":  nil,
		"progressive": nil,
		"baseline444": nil,
		"cmyk":        nil,
		"interlaced":  nil,
		"rgb16":       nil,
		"lossless":    nil,
		"lossy":       nil,
		"lossy-alpha": nil,
	}
	files := map[string]string{"small webp": "small.webp", "progressive": "progressive.jpg", "baseline444": "baseline444.jpg",
		"cmyk": "cmyk.jpg", "interlaced": "interlaced.png", "rgb16": "rgb16.png", "lossless": "lossless.webp",
		"lossy": "lossy.webp", "lossy-alpha": "lossy-alpha.webp"}
	for name, file := range files {
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		images[name] = b
	}
	for name, data := range images {
		f := formats[sniff(data)]
		cfg, err := f.config(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		in := Inspector{MaxDecodeBytes: 1 << 40}
		est := decodeBytes(sniff(data), data, cfg) + in.renditionBytes(sniff(data), data, cfg)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p, err := in.Process(data, tweets.UseAttachment)
		if err == nil {
			err = encodeAll(p)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		runtime.ReadMemStats(&after)
		used := int64(after.TotalAlloc - before.TotalAlloc)
		t.Logf("%-12s %4d×%-4d %-22T estimate %6.1f MiB, allocated %6.1f MiB (%.2f×)", name, cfg.Width, cfg.Height,
			cfg.ColorModel, float64(est)/(1<<20), float64(used)/(1<<20), float64(est)/float64(used))
		if used > est {
			t.Errorf("%s: decoding allocated %d bytes, more than the estimate of %d", name, used, est)
		}
	}
}

func TestRefusesWhatWouldNeedTooMuchMemory(t *testing.T) {
	in := Inspector{MaxDecodeBytes: 20 << 20}
	// 1000×800 at 16 bits per channel needs 6.4 MB as RGBA64, as much
	// to write it anew, and its thumbnail, with the encoders: 17 MiB,
	// under.
	if _, err := in.Inspect(testimage.PNG16(1000, 800)); err != nil {
		t.Fatalf("refused an image under the limit: %v", err)
	}
	// 1200×1000 needs 23 MiB: over, and refused before decoding.
	_, err := in.Inspect(testimage.PNG16(1200, 1000))
	if err == nil {
		t.Fatal("accepted an image over the decode memory limit")
	}
	t.Log(err)
}

// TestPrecheck: what the header alone condemns is refused from the first
// 64 KiB; what it cannot judge yet passes to the full check.
func TestPrecheck(t *testing.T) {
	in := Inspector{}
	head := func(b []byte) []byte { return b[:min(len(b), 64<<10)] }
	for name, tc := range map[string]struct {
		data   []byte
		refuse bool
	}{
		"8K at 16 bits":   {testimage.PNG8K16(), true},
		"bomb":            {testimage.BombPNG(20000, 20000), true},
		"not an image":    {[]byte("just some text, long enough to tell"), true},
		"8K at 8 bits":    {testimage.PNG8K(), false},
		"a small jpeg":    {testimage.JPEG(40, 30), false},
		"truncated png":   {testimage.PNG(40, 30)[:20], false},
		"a few bytes":     {[]byte("GIF"), false},
		"large noise png": {testimage.NoisePNG(300, 300), false},
	} {
		err := in.Precheck(head(tc.data))
		if (err != nil) != tc.refuse {
			t.Errorf("%s: Precheck = %v, want refused %v", name, err, tc.refuse)
		}
	}
}
