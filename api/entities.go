package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// Account is Mastodon's Account entity.
type Account struct {
	ID             string    `json:"id"`
	Username       string    `json:"username"`
	Acct           string    `json:"acct"`
	DisplayName    string    `json:"display_name"`
	Locked         bool      `json:"locked"`
	Bot            bool      `json:"bot"`
	Discoverable   bool      `json:"discoverable"`
	Group          bool      `json:"group"`
	CreatedAt      string    `json:"created_at"`
	Note           string    `json:"note"`
	URL            string    `json:"url"`
	URI            string    `json:"uri"`
	Avatar         string    `json:"avatar"`
	AvatarStatic   string    `json:"avatar_static"`
	Header         string    `json:"header"`
	HeaderStatic   string    `json:"header_static"`
	FollowersCount int       `json:"followers_count"`
	FollowingCount int       `json:"following_count"`
	StatusesCount  int       `json:"statuses_count"`
	LastStatusAt   *string   `json:"last_status_at"`
	Emojis         []any     `json:"emojis"`
	Fields         []any     `json:"fields"`
	Source         *Source   `json:"source,omitempty"`
	Role           *struct{} `json:"role,omitempty"`
}

// Source is what verify_credentials adds: the profile as typed.
type Source struct {
	Privacy   string `json:"privacy"`
	Sensitive bool   `json:"sensitive"`
	Language  string `json:"language"`
	Note      string `json:"note"`
	Fields    []any  `json:"fields"`
}

// Status is Mastodon's Status entity.
type Status struct {
	ID                 string            `json:"id"`
	URI                string            `json:"uri"`
	URL                string            `json:"url"`
	CreatedAt          string            `json:"created_at"`
	EditedAt           *string           `json:"edited_at"`
	Account            Account           `json:"account"`
	Content            string            `json:"content"`
	Text               *string           `json:"text,omitempty"`
	Visibility         string            `json:"visibility"`
	Sensitive          bool              `json:"sensitive"`
	SpoilerText        string            `json:"spoiler_text"`
	MediaAttachments   []MediaAttachment `json:"media_attachments"`
	Application        *struct{}         `json:"application"`
	Mentions           []Mention         `json:"mentions"`
	Tags               []Tag             `json:"tags"`
	Emojis             []any             `json:"emojis"`
	ReblogsCount       int               `json:"reblogs_count"`
	FavouritesCount    int               `json:"favourites_count"`
	RepliesCount       int               `json:"replies_count"`
	InReplyToID        *string           `json:"in_reply_to_id"`
	InReplyToAccountID *string           `json:"in_reply_to_account_id"`
	Reblog             *Status           `json:"reblog"`
	Poll               any               `json:"poll"`
	Card               any               `json:"card"`
	Language           *string           `json:"language"`
	Favourited         bool              `json:"favourited"`
	Reblogged          bool              `json:"reblogged"`
	Muted              bool              `json:"muted"`
	Bookmarked         bool              `json:"bookmarked"`
	Pinned             bool              `json:"pinned"`
}

// MediaAttachment is Mastodon's MediaAttachment entity.
type MediaAttachment struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`
	URL         string    `json:"url"`
	PreviewURL  string    `json:"preview_url"`
	RemoteURL   *string   `json:"remote_url"`
	Description *string   `json:"description"`
	Blurhash    *string   `json:"blurhash"`
	Meta        mediaMeta `json:"meta"`
}

type mediaMeta struct {
	Original mediaSize `json:"original"`
	Small    mediaSize `json:"small"`
}

type mediaSize struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

// Mention and Tag are what a status's text refers to.
type Mention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Acct     string `json:"acct"`
	URL      string `json:"url"`
}

type Tag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// richHTML renders a text with absolute links, as statuses carry it.
func richHTML(text, base string) string { return string(middleware.TweetHTML(text, base, true)) }

func timeJSON(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// render turns domain values into entities with absolute URLs.
type render struct{ base string }

func (s *Server) renderer(r *http.Request) render { return render{base: s.baseURL(r)} }

func (rd render) mediaURL(key string) string { return rd.base + "/media/" + key }

// account renders a user; counts come from a ProfileView when known.
func (rd render) account(u tweets.User, counts *tweets.ProfileCounts) Account {
	a := Account{ID: u.ID.String(), Username: u.Username, Acct: u.Username, DisplayName: u.DisplayName,
		Discoverable: true, CreatedAt: timeJSON(u.CreatedAt), Note: noteHTML(u.Bio),
		URL: rd.base + "/@" + u.Username, URI: rd.base + "/@" + u.Username, Emojis: []any{}, Fields: []any{}}
	a.Avatar, a.Header = rd.base+"/static/avatar-missing.png", rd.base+"/static/header-missing.png"
	if u.Avatar != "" {
		a.Avatar = rd.mediaURL(u.Avatar)
	}
	if u.Header != "" {
		a.Header = rd.mediaURL(u.Header)
	}
	a.AvatarStatic, a.HeaderStatic = a.Avatar, a.Header
	if counts != nil {
		a.FollowersCount, a.FollowingCount, a.StatusesCount = counts.Followers, counts.Following, counts.Tweets
	}
	return a
}

// noteHTML renders a bio as Mastodon's note: escaped, in a paragraph.
func noteHTML(bio string) string {
	if bio == "" {
		return ""
	}
	return "<p>" + string(middleware.TweetHTML(bio, "", true)) + "</p>"
}

// status renders a tweet. A repost on a timeline becomes a status of its
// own (the item's id, by the reposter) that carries the tweet as reblog.
func (rd render) status(t tweets.Tweet, reposter *tweets.User) Status {
	st := Status{ID: t.ID.String(), URI: rd.base + "/@" + t.Author + "/" + t.ID.String(),
		CreatedAt: timeJSON(t.CreatedAt), Account: rd.account(tweets.User{ID: t.AuthorID, Username: t.Author, Avatar: t.AuthorAvatar}, nil),
		Content: "<p>" + richHTML(t.Text, rd.base) + "</p>", Visibility: "public",
		MediaAttachments: []MediaAttachment{}, Mentions: []Mention{}, Tags: []Tag{}, Emojis: []any{},
		ReblogsCount: t.Reposts, FavouritesCount: t.Likes, RepliesCount: t.Replies,
		Favourited: t.Liked, Reblogged: t.Reposted, Bookmarked: t.Bookmarked}
	st.URL = st.URI
	if !t.EditedAt.IsZero() {
		e := timeJSON(t.EditedAt)
		st.EditedAt = &e
	}
	if t.ReplyTo != 0 {
		id := t.ReplyTo.String()
		st.InReplyToID = &id
	}
	if t.ReplyToAuthorID != 0 {
		id := t.ReplyToAuthorID.String()
		st.InReplyToAccountID = &id
	}
	for _, m := range t.Media {
		st.MediaAttachments = append(st.MediaAttachments, rd.attachment(m))
	}
	for _, e := range tweets.ParseEntities(t.Text) {
		switch e.Kind {
		case tweets.EntityMention:
			st.Mentions = append(st.Mentions, Mention{Username: e.Value, Acct: e.Value, URL: rd.base + "/@" + e.Value})
		case tweets.EntityHashtag:
			st.Tags = append(st.Tags, Tag{Name: tweets.FoldHashtag(e.Value), URL: rd.base + middleware.TagPath(e.Value)})
		}
	}
	if reposter == nil {
		return st
	}
	outer := st
	outer.ID, outer.Account, outer.Content = t.Item.String(), rd.account(*reposter, nil), ""
	outer.MediaAttachments, outer.Mentions, outer.Tags, outer.InReplyToID, outer.InReplyToAccountID = []MediaAttachment{}, []Mention{}, []Tag{}, nil, nil
	outer.Reblog = &st
	return outer
}

func (rd render) attachment(m tweets.Media) MediaAttachment {
	p := m.Preview()
	a := MediaAttachment{ID: m.Key, Type: "image", URL: rd.mediaURL(m.Key), PreviewURL: rd.mediaURL(p.Key),
		Meta: mediaMeta{Original: size(m.Width, m.Height), Small: size(p.Width, p.Height)}}
	if m.Alt != "" {
		alt := m.Alt
		a.Description = &alt
	}
	if m.Blurhash != "" {
		bh := m.Blurhash
		a.Blurhash = &bh
	}
	return a
}

func size(w, h int) mediaSize {
	s := mediaSize{Width: w, Height: h, Size: strconv.Itoa(w) + "x" + strconv.Itoa(h)}
	if h > 0 {
		s.Aspect = float64(w) / float64(h)
	}
	return s
}
