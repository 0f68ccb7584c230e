package media

import (
	"image"
	"math"
	"strings"
)

// Blurhash components: four across and three down describe a photo's
// broad shapes in 28 characters.
const blurX, blurY = 4, 3

const base83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"

// blurhash encodes m as a BlurHash (https://blurha.sh), the placeholder
// format Mastodon clients draw while an image loads. m should be small
// (a few dozen pixels a side): every pixel is visited once per
// component.
func blurhash(m image.Image) string {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	lin := make([][3]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, bl, _ := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
			lin[y*w+x] = [3]float64{toLinear(r >> 8), toLinear(g >> 8), toLinear(bl >> 8)}
		}
	}
	var factors [blurX * blurY][3]float64
	for j := 0; j < blurY; j++ {
		for i := 0; i < blurX; i++ {
			norm := 2.0
			if i == 0 && j == 0 {
				norm = 1
			}
			var f [3]float64
			for y := 0; y < h; y++ {
				cy := math.Cos(math.Pi * float64(j) * float64(y) / float64(h))
				for x := 0; x < w; x++ {
					basis := cy * math.Cos(math.Pi*float64(i)*float64(x)/float64(w))
					p := lin[y*w+x]
					f[0] += basis * p[0]
					f[1] += basis * p[1]
					f[2] += basis * p[2]
				}
			}
			s := norm / float64(w*h)
			factors[j*blurX+i] = [3]float64{f[0] * s, f[1] * s, f[2] * s}
		}
	}

	var sb strings.Builder
	encode83(&sb, (blurX-1)+(blurY-1)*9, 1)
	maxAC := 0.0
	for _, f := range factors[1:] {
		maxAC = max(maxAC, math.Abs(f[0]), math.Abs(f[1]), math.Abs(f[2]))
	}
	quantMax := int(max(0, min(82, math.Floor(maxAC*166-0.5))))
	maxValue := float64(quantMax+1) / 166
	encode83(&sb, quantMax, 1)
	dc := factors[0]
	encode83(&sb, toSRGB(dc[0])<<16|toSRGB(dc[1])<<8|toSRGB(dc[2]), 4)
	for _, f := range factors[1:] {
		q := func(v float64) int {
			return int(max(0, min(18, math.Floor(signPow(v/maxValue, 0.5)*9+9.5))))
		}
		encode83(&sb, q(f[0])*19*19+q(f[1])*19+q(f[2]), 2)
	}
	return sb.String()
}

func encode83(sb *strings.Builder, v, digits int) {
	for i := digits - 1; i >= 0; i-- {
		sb.WriteByte(base83[(v/int(math.Pow(83, float64(i))))%83])
	}
}

func toLinear(v uint32) float64 {
	f := float64(v) / 255
	if f <= 0.04045 {
		return f / 12.92
	}
	return math.Pow((f+0.055)/1.055, 2.4)
}

func toSRGB(v float64) int {
	v = max(0, min(1, v))
	if v <= 0.0031308 {
		return int(v*12.92*255 + 0.5)
	}
	return int((1.055*math.Pow(v, 1/2.4)-0.055)*255 + 0.5)
}

func signPow(v, exp float64) float64 {
	return math.Copysign(math.Pow(math.Abs(v), exp), v)
}
