package tweets

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxTweetLength is the most characters (Unicode code points, counted by
// TweetLength) that a tweet may have.
const MaxTweetLength = 280

// Tweet is a post.
type Tweet struct {
	ID       ID
	AuthorID ID
	Author   string // the author's username, filled by reads
	// AuthorSuspended is filled by reads: such tweets are shown to
	// admins only.
	AuthorSuspended bool
	// AuthorAvatar is the storage key of the author's avatar, filled by
	// reads; empty when none is set.
	AuthorAvatar string
	Text         string
	Media        []Media // at most MaxImages, in the order posted
	CreatedAt    time.Time

	// ReplyTo is the tweet this one answers, or zero. ReplyToAuthor is
	// filled by reads: empty when that tweet was deleted.
	ReplyTo       ID
	ReplyToAuthor string
	// ReplyToAuthorID is that tweet's author, filled by reads; zero when
	// that tweet was deleted.
	ReplyToAuthorID ID
	// ReplyPolicy says who may answer it (ReplyEveryone when empty).
	ReplyPolicy ReplyPolicy
	// EditedAt is when the text was last edited; zero if never.
	EditedAt time.Time

	// Quote is the tweet this one quotes, or zero. Reads fill Quoted
	// with it, unless it was deleted or is hidden from the reader (its
	// author is suspended, or one of them blocks the other): then the
	// page shows a placeholder.
	Quote  ID
	Quoted *QuotedTweet
	Quotes int // how many tweets quote this one, filled by reads

	// Counts, filled by reads.
	Likes, Reposts, Replies int
	// Liked, Reposted and Bookmarked say what the reader did, filled by
	// reads that name a viewer.
	Liked, Reposted, Bookmarked bool

	// Item is the tweet's place on a timeline: its own id, or the id of
	// the repost that put it there, by RepostedBy. Cursors use it.
	Item       ID
	RepostedBy string
}

// QuotedTweet is what a quote shows of the tweet it quotes.
type QuotedTweet struct {
	ID        ID
	Author    string
	Text      string
	CreatedAt time.Time
}

// MaxImages is how many images a tweet may carry; MaxAltLength how
// long each one's description may be, in characters.
const (
	MaxImages    = 4
	MaxAltLength = 1500
)

// Media is a file attached to a tweet.
type Media struct {
	// Alt describes the image for those who cannot see it; empty when
	// the author gave no description.
	Alt         string
	Key         string // storage key, also the last part of its URL
	ContentType string
	Width       int
	Height      int
	Size        int64
	// Thumb is the smaller copy timelines show; its Key is empty when
	// the image is small enough to show as it is, or moves.
	Thumb Thumb
	// Blurhash is a placeholder drawn while the image loads (see
	// https://blurha.sh); empty for files stored before there was one.
	Blurhash string
}

// Thumb is a smaller copy of an image.
type Thumb struct {
	Key         string
	ContentType string
	Width       int
	Height      int
}

// Keys returns the storage keys of the image and its thumbnail.
func (m Media) Keys() []string {
	if m.Thumb.Key == "" {
		return []string{m.Key}
	}
	return []string{m.Key, m.Thumb.Key}
}

// Preview is what a timeline shows: the thumbnail, or the image itself
// when it has none.
func (m Media) Preview() Thumb {
	if m.Thumb.Key != "" {
		return m.Thumb
	}
	return Thumb{Key: m.Key, ContentType: m.ContentType, Width: m.Width, Height: m.Height}
}

// AverageColor is the image's average colour as #rrggbb, read from the
// BlurHash (whose characters 2 to 5 hold it in base 83), or "" without
// one.
func (m Media) AverageColor() string {
	if len(m.Blurhash) < 6 {
		return ""
	}
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
	v := 0
	for _, c := range []byte(m.Blurhash[2:6]) {
		d := strings.IndexByte(digits, c)
		if d < 0 {
			return ""
		}
		v = v*83 + d
	}
	if v > 0xffffff {
		return ""
	}
	return fmt.Sprintf("#%06x", v)
}

// NormalizeTweetText returns the text as stored: NFC-normalized, with
// trailing white space cut and every line end (CRLF, or a lone CR as
// old Macs wrote) made LF, as a bio's are.
func NormalizeTweetText(text string) string {
	return norm.NFC.String(trimTyped(text))
}

// trimTyped makes line ends LF and cuts trailing white space. A lone CR
// becomes LF too: turning only CRLF into LF would make a CR followed by
// CRLF a new CRLF, so that the stored text would change when normalized
// again.
func trimTyped(text string) string {
	lf := strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	return strings.TrimRightFunc(lf, unicode.IsSpace)
}

// TweetLength counts a text the way the length limit does: each link
// as LinkLength, and the rest in code points (line ends as one, trailing
// white space not counted), as typed or after NFC normalization,
// whichever is fewer. Normalization usually composes ("e" + accent is
// one "é") but can also expand a character into two, and a text that fit
// as typed must not be refused for what is done to it.
func TweetLength(text string) int {
	typed := trimTyped(text)
	return min(countLength(typed), countLength(norm.NFC.String(typed)))
}

func countLength(text string) int {
	n := utf8.RuneCountInString(text)
	for _, e := range ParseEntities(text) {
		if e.Kind == EntityLink {
			n += LinkLength - utf8.RuneCountInString(e.Value)
		}
	}
	return n
}

// ValidateTweetText checks a text as typed. A text that shows nothing
// (only white space or invisible characters) is allowed when media is
// attached.
func ValidateTweetText(text string, hasMedia bool) error {
	if err := CheckText("text", text); err != nil {
		return err
	}
	if IsBlank(text) && !hasMedia {
		return Invalid("text", "Write something, or attach an image.")
	}
	for _, e := range ParseEntities(text) {
		if n := utf8.RuneCountInString(e.Value); e.Kind == EntityLink && n > MaxLinkLength {
			return Invalid("text", "A link can have at most %d characters; %s… has %d.", MaxLinkLength, truncateRunes(e.Value, 40), n)
		}
	}
	if n := TweetLength(text); n > MaxTweetLength {
		over := n - MaxTweetLength
		unit := "characters"
		if over == 1 {
			unit = "character"
		}
		return Invalid("text", "Your tweet is %d %s too long: the limit is %d and it has %d.", over, unit, MaxTweetLength, n)
	}
	return nil
}

// TimelineQuery selects a page of tweets, newest first.
type TimelineQuery struct {
	// Home, when set, selects that account's home timeline: its own
	// tweets, those of the accounts it follows and their reposts.
	Home ID
	// Viewer fills Liked and Reposted for this account, and leaves out
	// the tweets of accounts that block it or that it blocks.
	Viewer ID
	// HideMuted also leaves out the accounts Viewer mutes: on timelines
	// and search, not on a profile the viewer opened.
	HideMuted bool
	AuthorID  ID // zero for every author
	Before    ID // zero for the newest page; otherwise only items below it
	// After keeps only items above it (zero: no bound). With Oldest the
	// page is the one just above After rather than the newest: what a
	// client catching up from where it left off asks for. Either way the
	// page comes newest first.
	After  ID
	Oldest bool
	Limit  int
	// Search keeps tweets whose text contains it, ignoring case.
	Search string
	// IncludeSuspended also returns tweets of suspended authors (admins).
	IncludeSuspended bool
}

// Page sizes: tweets on a timeline page, rows on an admin page.
const (
	TimelinePageSize = 20
	AdminPageSize    = 50
)

// ReplyPolicy is who may reply to a tweet, as its author chose.
type ReplyPolicy string

// Reply policies.
const (
	ReplyEveryone  ReplyPolicy = "everyone"
	ReplyFollowing ReplyPolicy = "following" // accounts the author follows
	ReplyMentioned ReplyPolicy = "mentioned" // accounts the tweet mentions
)

// ParseReplyPolicy reads a policy from a form; empty is ReplyEveryone.
func ParseReplyPolicy(v string) (ReplyPolicy, error) {
	switch p := ReplyPolicy(v); p {
	case "", ReplyEveryone:
		return ReplyEveryone, nil
	case ReplyFollowing, ReplyMentioned:
		return p, nil
	}
	return "", Invalid("reply_policy", "Choose who can reply: everyone, people you follow, or people you mention.")
}

// Version is an earlier text of an edited tweet.
type Version struct {
	Number    int // 1 for the text first posted
	Text      string
	WrittenAt time.Time
}
