package tweets

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckText refuses text that the databases cannot store faithfully: a
// NUL byte (PostgreSQL refuses it) or bytes that are not UTF-8. Every
// text a user sends is checked, whatever the transport.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return Invalid(field, "This text contains a character that cannot be stored (a NUL byte or bytes that are not UTF-8). Remove it and try again.")
	}
	return nil
}

// IsBlank reports whether text shows nothing: only white space and
// invisible characters (zero-width spaces and joiners, direction marks,
// fillers), which would make an empty-looking tweet.
func IsBlank(text string) bool {
	for _, r := range text {
		if !invisible(r) {
			return false
		}
	}
	return true
}

func invisible(r rune) bool {
	switch {
	case unicode.IsSpace(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Zs, r):
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	}
	switch r {
	case 0x034F, // combining grapheme joiner
		0x115F, 0x1160, 0x3164, 0xFFA0, // Hangul fillers
		0x2800,         // Braille blank
		0x180E, 0x200B: // Mongolian vowel separator, zero-width space
		return true
	}
	return false
}

// truncateRunes cuts s to at most n code points, for echoing input back.
func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// Echo returns what a form may send back of a refused text: at most the
// limit plus a margin, so a huge input is not reflected in full, and
// made storable (see storable), so the page that shows it is UTF-8.
func Echo(text string, limit int) string {
	return storable(truncateRunes(text, limit+limit/4+20))
}

// storable replaces what CheckText refuses, a NUL byte and each byte
// that is not UTF-8, with U+FFFD: a text refused for holding them can
// still be shown back to the user who sent it.
func storable(text string) string {
	if CheckText("", text) == nil {
		return text
	}
	return strings.ReplaceAll(strings.ToValidUTF8(text, "\uFFFD"), "\x00", "\uFFFD")
}
