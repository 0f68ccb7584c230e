package media

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tweetsdev/tweets/internal/testimage"
)

// TestDecodeEstimateIsUpperBound decodes one image of every kind the
// estimate distinguishes and checks that decoding allocated no more than
// the estimate: the estimate is what bounds the server's image memory.
func TestDecodeEstimateIsUpperBound(t *testing.T) {
	images := map[string][]byte{
		"png rgba":    testimage.PNG(1000, 800),
		"png 16-bit":  testimage.PNG16(1000, 800),
		"jpeg":        testimage.JPEG(1000, 800),
		"gif":         testimage.GIF(1000, 800),
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
		est := decodeBytes(sniff(data), data, cfg)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := f.decode(data); err != nil {
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
	in := Inspector{MaxDecodeBytes: 8 << 20}
	// 1000×800 at 16 bits per channel needs 6.4 MB as RGBA64: under.
	if _, err := in.Inspect(testimage.PNG16(1000, 800)); err != nil {
		t.Fatalf("refused an image under the limit: %v", err)
	}
	// 1200×1000 needs 9.6 MB: over, and refused before decoding.
	_, err := in.Inspect(testimage.PNG16(1200, 1000))
	if err == nil {
		t.Fatal("accepted an image over the decode memory limit")
	}
	t.Log(err)
}
