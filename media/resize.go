package media

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/tweetsdev/tweets"
)

// Sizes of what is stored, in pixels on the longest side (or exactly,
// for avatars and headers).
const (
	// DefaultMaxSide caps an attachment's longest side: as large as a
	// phone or laptop screen shows a photo, and a quarter of the memory
	// and bytes of the 4K original a camera sends.
	DefaultMaxSide = 2048
	// ThumbSide is the longest side of the copy timelines show: two
	// columns of it fill a timeline on a high-density screen.
	ThumbSide = 640
	// AvatarSide is the side of the square avatar: sharp at the largest
	// size a profile shows it, on a high-density screen.
	AvatarSide = 400
	// HeaderWidth and HeaderHeight frame a profile's header image.
	HeaderWidth, HeaderHeight = 1500, 500
)

// fit returns the size of w×h scaled down to fit in a side×side square,
// proportions kept; never scaled up.
func fit(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}

// centred returns the w×h rectangle in the middle of r.
func centred(r image.Rectangle, w, h int) image.Rectangle {
	x, y := r.Min.X+(r.Dx()-w)/2, r.Min.Y+(r.Dy()-h)/2
	return image.Rect(x, y, x+w, y+h)
}

// crop returns the centred part of r with the proportions aw:ah, at
// least a pixel on each side: a header cut from an image under three
// pixels wide would otherwise have no rows.
func crop(r image.Rectangle, aw, ah int) image.Rectangle {
	w, h := r.Dx(), r.Dy()
	if w*ah > h*aw { // too wide: cut the sides
		nw := max(1, h*aw/ah)
		x := r.Min.X + (w-nw)/2
		return image.Rect(x, r.Min.Y, x+nw, r.Max.Y)
	}
	nh := max(1, w*ah/aw)
	y := r.Min.Y + (h-nh)/2
	return image.Rect(r.Min.X, y, r.Max.X, y+nh)
}

// scale draws the part src of m into a new w×h image, never larger
// than src. Each output pixel is the average of the source pixels its
// area covers (premultiplied, so transparent pixels add no colour):
// every source pixel counts once, so fine detail does not alias, and no
// memory but the output's is needed (x/image/draw's filtering scalers
// hold a float buffer of w × the source's height, hundreds of MiB for a
// large photo).
func scale(m image.Image, src image.Rectangle, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if src.Dx() == w && src.Dy() == h {
		draw.Draw(dst, dst.Bounds(), m, src.Min, draw.Src)
		return dst
	}
	px := pixelReader(m)
	sw, sh := src.Dx(), src.Dy()
	xs := make([]int, w+1) // column x of the output covers xs[x] to xs[x+1]
	for x := range xs {
		xs[x] = src.Min.X + x*sw/w
	}
	for y := 0; y < h; y++ {
		y0, y1 := src.Min.Y+y*sh/h, src.Min.Y+(y+1)*sh/h
		for x := 0; x < w; x++ {
			var r, g, b, a uint32
			for sy := y0; sy < y1; sy++ {
				for sx := xs[x]; sx < xs[x+1]; sx++ {
					pr, pg, pb, pa := px(sx, sy)
					r, g, b, a = r+pr, g+pg, b+pb, a+pa
				}
			}
			n := uint32((y1 - y0) * (xs[x+1] - xs[x])) // #nosec G115 -- pixels in one box of an image under the pixel limit
			i := dst.PixOffset(x, y)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8(r/n), uint8(g/n), uint8(b/n), uint8(a/n) // #nosec G115 -- averages of 8-bit values
		}
	}
	return dst
}

// scaleBytes is the memory scale takes to turn sw×sh pixels into w×h:
// the output's, or none when the size stays.
func scaleBytes(sw, sh, w, h int) int64 {
	if sw == w && sh == h {
		return 0
	}
	return 4 * int64(w) * int64(h)
}

// pixelReader returns a function giving the premultiplied 8-bit colour
// of m at (x, y), without the interface call and allocation of At for
// the types decoders return most.
func pixelReader(m image.Image) func(x, y int) (r, g, b, a uint32) {
	switch m := m.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			return uint32(r), uint32(g), uint32(b), 0xff
		}
	case *image.RGBA:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			return uint32(m.Pix[i]), uint32(m.Pix[i+1]), uint32(m.Pix[i+2]), uint32(m.Pix[i+3])
		}
	case *image.NRGBA:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			a := uint32(m.Pix[i+3])
			return uint32(m.Pix[i]) * a / 0xff, uint32(m.Pix[i+1]) * a / 0xff, uint32(m.Pix[i+2]) * a / 0xff, a
		}
	case *image.CMYK:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			c := m.CMYKAt(x, y)
			r, g, b := color.CMYKToRGB(c.C, c.M, c.Y, c.K)
			return uint32(r), uint32(g), uint32(b), 0xff
		}
	case *image.Gray:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			v := uint32(m.GrayAt(x, y).Y)
			return v, v, v, 0xff
		}
	case *image.RGBA64:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			c := m.RGBA64At(x, y)
			return uint32(c.R >> 8), uint32(c.G >> 8), uint32(c.B >> 8), uint32(c.A >> 8)
		}
	case *image.NRGBA64:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			c := m.RGBA64At(x, y) // premultiplies
			return uint32(c.R >> 8), uint32(c.G >> 8), uint32(c.B >> 8), uint32(c.A >> 8)
		}
	}
	return func(x, y int) (uint32, uint32, uint32, uint32) {
		r, g, b, a := m.At(x, y).RGBA()
		return r >> 8, g >> 8, b >> 8, a >> 8
	}
}

// shape returns the part of an image (bounds) that is stored for use,
// and the size it is stored at.
func shape(bounds image.Rectangle, use tweets.ImageUse, maxSide int) (src image.Rectangle, w, h int) {
	switch use {
	case tweets.UseAvatar:
		src = crop(bounds, 1, 1)
		w, h = fit(src.Dx(), src.Dy(), AvatarSide)
	case tweets.UseHeader:
		src = crop(bounds, HeaderWidth, HeaderHeight)
		// Rounded, the height may be a row more than crop cut (which
		// rounds down); scale never enlarges, so it is kept to the rows.
		w = min(src.Dx(), HeaderWidth)
		h = min(src.Dy(), max(1, (w*HeaderHeight+HeaderWidth/2)/HeaderWidth))
	default:
		src = bounds
		w, h = fit(bounds.Dx(), bounds.Dy(), maxSide)
	}
	return src, w, h
}

// opaque reports whether every pixel of m is fully opaque, so that it
// can be saved as a JPEG without losing anything.
func opaque(m image.Image) bool {
	if o, ok := m.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}
