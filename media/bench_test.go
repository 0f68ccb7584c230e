package media

import (
	"bytes"
	"image"
	"io"
	"runtime"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// encodeAll writes the image and its thumbnail, as storing them does.
func encodeAll(p tweets.ProcessedImage) error {
	if err := p.Encode(io.Discard); err != nil {
		return err
	}
	if p.Thumb != nil {
		return p.Thumb.Encode(io.Discard)
	}
	return nil
}

// BenchmarkProcess writes uploads anew (decode, turn upright, scale,
// thumbnail, placeholder, encode) at
// a few sizes and reports the time and the memory it takes per
// megapixel, which is how the limits in docs/limits.md scale.
func BenchmarkProcess(b *testing.B) {
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"jpeg 1MP", testimage.JPEG(1200, 834)},
		{"jpeg 12MP turned", testimage.JPEGWithMetadata(4000, 3000, 6)},
		{"png 4MP", testimage.PNG(2400, 1667)},
		{"gif 1MP 5 frames", testimage.AnimatedGIF(1200, 834, 5)},
	} {
		b.Run(c.name, func(b *testing.B) {
			in := Inspector{MaxDecodeBytes: 1 << 40}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(c.data))
			if err != nil {
				b.Fatal(err)
			}
			mp := float64(cfg.Width*cfg.Height) / 1e6 // of the upload, which the work scales with
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for range b.N {
				p, err := in.Process(c.data, tweets.UseAttachment)
				if err == nil {
					err = encodeAll(p)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/mp, "ms/MP")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/mp/(1<<20), "MiB/MP")
			b.ReportMetric(mp, "MP")
		})
	}
}
