package tweets

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Profile limits, in characters as TweetLength counts them.
const (
	MaxDisplayNameLength = 50
	MaxBioLength         = 300
)

// Profile is what a user says about themselves on their profile page.
// Empty fields are not set.
type Profile struct {
	DisplayName string
	Bio         string
}

// Name is what pages call the user: the display name, or @username when
// there is none.
func (u User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return "@" + u.Username
}

// NormalizeProfile checks a profile as typed and returns it as stored:
// NFC-normalized, trimmed, with line ends as LF. Text that shows nothing
// (white space, invisible characters) counts as not set. A display name
// is one line of up to 50 characters; a bio keeps its line breaks and has
// up to 300.
func NormalizeProfile(p Profile) (Profile, error) {
	name, err := profileText("display_name", "display name", p.DisplayName, MaxDisplayNameLength, false)
	if err != nil {
		return Profile{}, err
	}
	bio, err := profileText("bio", "bio", p.Bio, MaxBioLength, true)
	if err != nil {
		return Profile{}, err
	}
	return Profile{DisplayName: name, Bio: bio}, nil
}

func profileText(field, what, text string, limit int, lines bool) (string, error) {
	if err := CheckText(field, text); err != nil {
		return "", err
	}
	text = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"))
	for _, r := range text {
		if unicode.IsControl(r) && !(lines && (r == '\n' || r == '\t')) {
			if lines {
				return "", Invalid(field, "Your %s contains a control character; only line breaks and tabs are allowed. Remove it and try again.", what)
			}
			return "", Invalid(field, "Your %s must be one line, without tabs or other control characters.", what)
		}
	}
	if IsBlank(text) {
		return "", nil
	}
	if n := TweetLength(text); n > limit {
		return "", Invalid(field, "Your %s has %d characters; the limit is %d. Shorten it and try again.", what, n, limit)
	}
	return norm.NFC.String(text), nil
}

// UpdateProfile replaces the actor's display name and bio, and returns
// the account as it now is.
func (s *Service) UpdateProfile(ctx context.Context, actor User, p Profile) (User, error) {
	if actor.Suspended() {
		return User{}, errSuspended
	}
	p, err := NormalizeProfile(p)
	if err != nil {
		return User{}, err
	}
	if err := s.Store.SetProfile(ctx, actor.ID, p); err != nil {
		return User{}, err
	}
	actor.DisplayName, actor.Bio = p.DisplayName, p.Bio
	return actor, nil
}
