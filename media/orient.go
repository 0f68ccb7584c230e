package media

import (
	"encoding/binary"
	"image"
	"image/color"
)

// exifOrientation reads the orientation tag (0x0112) of a JPEG's EXIF
// block: 1 (upright) when there is none. Cameras store the picture as the
// sensor saw it and say in this tag how to turn it; since every other
// EXIF field is stripped, the turn must be applied to the pixels.
func exifOrientation(b []byte) int {
	i := 2
	for i+4 <= len(b) && b[i] == 0xff {
		m := b[i+1]
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if m == 0xda || n < 2 || i+2+n > len(b) { // start of scan: no more headers
			return 1
		}
		seg := b[i+4 : i+2+n]
		if m == 0xe1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation finds tag 0x0112 in the first IFD of a TIFF header.
func tiffOrientation(t []byte) int {
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := int(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	count := int(order.Uint16(t[ifd:]))
	for e := 0; e < count; e++ {
		off := ifd + 2 + 12*e
		if off+12 > len(t) {
			return 1
		}
		if order.Uint16(t[off:]) == 0x0112 {
			if v := int(order.Uint16(t[off+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orient returns m turned upright for an EXIF orientation (2 to 8; 1 is
// returned as is): flips, half turns and quarter turns.
func orient(m image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return m
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	// Read the decoded pixels in place where the decoder's own layout
	// allows (JPEG gives YCbCr or Gray), so that turning a photo costs
	// one upright copy, not two.
	at := func(x, y int) (r, g, bl uint8) {
		c := color.RGBAModel.Convert(m.At(b.Min.X+x, b.Min.Y+y)).(color.RGBA)
		return c.R, c.G, c.B
	}
	switch p := m.(type) {
	case *image.YCbCr:
		at = func(x, y int) (uint8, uint8, uint8) {
			yi, ci := p.YOffset(b.Min.X+x, b.Min.Y+y), p.COffset(b.Min.X+x, b.Min.Y+y)
			return color.YCbCrToRGB(p.Y[yi], p.Cb[ci], p.Cr[ci])
		}
	case *image.Gray:
		at = func(x, y int) (uint8, uint8, uint8) {
			v := p.Pix[p.PixOffset(b.Min.X+x, b.Min.Y+y)]
			return v, v, v
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // upside down
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored upside down
				dx, dy = x, h-1-y
			case 5: // mirrored, turned a quarter left
				dx, dy = y, x
			case 6: // turned a quarter left: turn it right
				dx, dy = h-1-y, x
			case 7: // mirrored, turned a quarter right
				dx, dy = h-1-y, w-1-x
			case 8: // turned a quarter right: turn it left
				dx, dy = y, w-1-x
			}
			i := dst.PixOffset(dx, dy)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2] = at(x, y)
			dst.Pix[i+3] = 0xff
		}
	}
	return dst
}
