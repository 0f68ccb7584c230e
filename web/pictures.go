package web

import (
	"encoding/base64"
	"hash/fnv"
	"html/template"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tweetsdev/tweets"
)

// avatar is what the "avatar" partial draws: the account's picture, or
// a default made of the first letter of its name on a colour of its own.
type avatar struct {
	Key     string // storage key; empty for the default
	Initial string
	Hue     int // 0 to 11: the default's colour class
	Size    int // in CSS pixels
}

// avatarHues is how many background colours the default avatar has (the
// av-N classes of the style sheet): enough that neighbours in a
// timeline differ.
const avatarHues = 12

func newAvatar(username, key string, size int) avatar {
	r, _ := utf8.DecodeRuneInString(username)
	h := fnv.New32a()
	_, _ = h.Write([]byte(tweets.NormalizeUsername(username)))
	return avatar{Key: key, Initial: string(unicode.ToUpper(r)), Hue: int(h.Sum32() % avatarHues), Size: size}
}

// placeholder is a one-pixel GIF of a photo's average colour, drawn
// under it while it loads, as a data: URL (the page's CSP allows data:
// images, and no inline style is needed). Only photos (JPEG previews)
// get one: an image with transparency would show the colour through.
func placeholder(m tweets.Media) template.URL {
	if m.Preview().ContentType != "image/jpeg" {
		return ""
	}
	c := m.AverageColor()
	if len(c) != 7 {
		return ""
	}
	rgb, err := strconv.ParseUint(c[1:], 16, 32)
	if err != nil {
		return ""
	}
	// GIF89a, 1×1, a global table of two colours (the first is ours),
	// one image descriptor, LZW data for one pixel of colour 0.
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00" +
		string([]byte{byte(rgb >> 16), byte(rgb >> 8), byte(rgb)}) + "\x00\x00\x00" + // #nosec G115 -- rgb is six hex digits: 24 bits
		",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00;")
	var b strings.Builder
	b.WriteString("data:image/gif;base64,")
	b.WriteString(base64.StdEncoding.EncodeToString(gif))
	return template.URL(b.String()) // #nosec G203 -- built from a parsed colour, no user text
}
