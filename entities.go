package tweets

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// EntityKind says what an Entity is.
type EntityKind int

// The kinds of entities a tweet's text holds.
const (
	EntityMention EntityKind = iota + 1 // @username
	EntityHashtag                       // #tag
	EntityLink                          // an http:// or https:// URL
)

// Entity is a mention, hashtag or link in a tweet's text.
type Entity struct {
	Kind EntityKind
	// Start and End are byte offsets: text[Start:End] is the entity as
	// written, with its @ or #.
	Start, End int
	// Value is the username or the tag as written (without @ or #), or
	// the URL.
	Value string
}

// Entity rules.
const (
	// LinkLength is what every link counts towards MaxTweetLength,
	// however long it is.
	LinkLength = 23
	// MaxLinkLength is the most characters a link may have.
	MaxLinkLength = 2000
	// MaxHashtagLength is the most characters of a hashtag, once folded.
	MaxHashtagLength = 100
)

// ParseEntities returns the mentions, hashtags and links of a text, in
// order and without overlaps. The rules:
//
//   - A link starts with http:// or https:// (in any case) after a
//     character that is not a letter, digit or underscore, and runs to
//     white space, an invisible or control character, one of < > " ` \,
//     or a character outside ASCII that is not a letter, mark or digit.
//     Trailing . , : ; ! ? ' * are not part of it, nor a trailing ) or ]
//     without its opening one in the link. The host must be letters,
//     digits, - . _ : [ ] (no user name before an @).
//   - A mention is @ and 1 to 30 of A-Z a-z 0-9 _, after neither a
//     letter, digit or underscore (as in an e-mail address) nor one of
//     @ # $ % & *, and followed by none of those name characters, no
//     other letter, mark or digit, and no @.
//   - A hashtag is # and letters, marks, digits or underscores with at
//     least one letter, at most MaxHashtagLength once folded, after
//     neither a letter, mark, digit or underscore (C#, a#b) nor & or #.
//
// Inside a link there is no mention or hashtag.
func ParseEntities(text string) []Entity {
	var es []Entity
	prev := ' ' // the character before i; the start of the text is like a space
	for i := 0; i < len(text); {
		var e Entity
		ok := false
		switch text[i] {
		case '@':
			e, ok = mentionAt(text, i, prev)
		case '#':
			e, ok = hashtagAt(text, i, prev)
		case 'h', 'H':
			e, ok = linkAt(text, i, prev)
		}
		if ok {
			es = append(es, e)
			prev, _ = utf8.DecodeLastRuneInString(text[:e.End])
			i = e.End
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		prev = r
		i += size
	}
	return es
}

// wordRune reports whether r continues a word: a letter, mark, decimal
// digit or underscore.
func wordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

func usernameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func mentionAt(text string, i int, prev rune) (Entity, bool) {
	if wordRune(prev) || strings.ContainsRune("@#$%&*", prev) {
		return Entity{}, false
	}
	j := i + 1
	for j < len(text) && usernameByte(text[j]) {
		j++
	}
	if j == i+1 || j-i-1 > MaxUsernameLength {
		return Entity{}, false
	}
	if next, _ := utf8.DecodeRuneInString(text[j:]); next == '@' || (j < len(text) && wordRune(next)) {
		return Entity{}, false
	}
	return Entity{Kind: EntityMention, Start: i, End: j, Value: text[i+1 : j]}, true
}

func hashtagAt(text string, i int, prev rune) (Entity, bool) {
	if wordRune(prev) || prev == '&' || prev == '#' {
		return Entity{}, false
	}
	j := i + 1
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !wordRune(r) {
			break
		}
		j += size
	}
	tag := text[i+1 : j]
	if !ValidHashtag(tag) {
		return Entity{}, false
	}
	return Entity{Kind: EntityHashtag, Start: i, End: j, Value: tag}, true
}

// ValidHashtag reports whether tag (without its #) is a hashtag:
// letters, marks, digits and underscores, at least one letter, and at
// most MaxHashtagLength characters once folded.
func ValidHashtag(tag string) bool {
	letter := false
	for _, r := range tag {
		if !wordRune(r) {
			return false
		}
		letter = letter || unicode.IsLetter(r)
	}
	return letter && utf8.RuneCountInString(FoldHashtag(tag)) <= MaxHashtagLength
}

// FoldHashtag returns the form in which hashtags are stored and
// compared: NFC-normalized and case-folded, so that #Café, #CAFÉ and
// #café (composed or not) are one tag, and so are #ΣΟΦΟΣ and #σοφος.
func FoldHashtag(tag string) string {
	return norm.NFC.String(cases.Fold().String(norm.NFC.String(tag)))
}

func linkAt(text string, i int, prev rune) (Entity, bool) {
	if wordRune(prev) {
		return Entity{}, false
	}
	rest := text[i:]
	var scheme int
	switch {
	case len(rest) >= 7 && strings.EqualFold(rest[:7], "http://"):
		scheme = 7
	case len(rest) >= 8 && strings.EqualFold(rest[:8], "https://"):
		scheme = 8
	default:
		return Entity{}, false
	}
	j := scheme
	for j < len(rest) {
		r, size := utf8.DecodeRuneInString(rest[j:])
		if !linkRune(r) {
			break
		}
		j += size
	}
	link := trimLinkEnd(rest[:j])
	if !validHost(link[scheme:]) {
		return Entity{}, false
	}
	return Entity{Kind: EntityLink, Start: i, End: i + len(link), Value: link}, true
}

func linkRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r > ' ' && r < 0x7f && !strings.ContainsRune("<>\"`\\", r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// trimLinkEnd drops the punctuation that ends a sentence rather than a
// link: "(see https://example.com/a_(b))." keeps the balanced ")".
func trimLinkEnd(link string) string {
	for link != "" {
		last := link[len(link)-1]
		switch {
		case strings.IndexByte(".,:;!?'*", last) >= 0:
		case last == ')' && strings.Count(link, "(") < strings.Count(link, ")"):
		case last == ']' && strings.Count(link, "[") < strings.Count(link, "]"):
		default:
			return link
		}
		link = link[:len(link)-1]
	}
	return link
}

// validHost checks the part of a link after its scheme up to the first
// / ? or #.
func validHost(rest string) bool {
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	host, _, _ = strings.Cut(host, "#")
	alnum := false
	for _, r := range host {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum = true
		case unicode.Is(unicode.M, r) || strings.ContainsRune("-._:[]", r):
		default:
			return false
		}
	}
	return alnum
}

// Hashtags returns the tags of a text, folded, each once, in order.
func Hashtags(text string) []string {
	return distinct(text, EntityHashtag, FoldHashtag)
}

// Mentions returns the usernames a text mentions, normalized as
// NormalizeUsername does, each once, in order.
func Mentions(text string) []string {
	return distinct(text, EntityMention, NormalizeUsername)
}

func distinct(text string, kind EntityKind, key func(string) string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range ParseEntities(text) {
		if e.Kind != kind {
			continue
		}
		if k := key(e.Value); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// EchoTweet returns what the compose form may send back of a refused
// tweet: as Echo does, counting each link as TweetLength does (up to
// MaxLinkLength), so that a tweet a little too long comes back whole
// however long its links, and a huge text does not.
func EchoTweet(text string) string {
	return storable(echoTweet(text))
}

func echoTweet(text string) string {
	limit := MaxTweetLength + MaxTweetLength/4 + 20
	links := ParseEntities(text)
	n := 0
	for i := 0; i < len(text); {
		for len(links) > 0 && (links[0].Kind != EntityLink || links[0].End <= i) {
			links = links[1:]
		}
		if len(links) > 0 && links[0].Start == i && utf8.RuneCountInString(links[0].Value) <= MaxLinkLength {
			if n += LinkLength; n > limit {
				return text[:i]
			}
			i = links[0].End
			continue
		}
		if n++; n > limit {
			return text[:i]
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return text
}
