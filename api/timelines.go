package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tweetsdev/tweets"
)

// Page sizes, as Mastodon's: 20 unless the client asks, at most 40.
const (
	defaultLimit = 20
	maxLimit     = 40
)

// cursor is where a list request stands, as Mastodon's clients say it:
// max_id (the page just older than it), since_id (the newest page, down
// to it) or min_id (the page just newer than it: catching up), and the
// page's size. Pages are cut by id; the Link header gives the next and
// previous cursors.
type cursor struct {
	before, after tweets.ID
	oldest        bool // min_id: the page just above after
	limit         int
}

// readCursor reads max_id, since_id, min_id and limit; min_id wins over
// since_id when both are sent.
func readCursor(r *http.Request) (c cursor, err error) {
	if c.limit, err = limitParam(r); err != nil {
		return c, err
	}
	q := r.URL.Query()
	if v := q.Get("max_id"); v != "" {
		if c.before, err = tweets.ParseID(v); err != nil {
			return c, tweets.Invalid("max_id", "The max_id is not an id.")
		}
	}
	for _, p := range []struct {
		param  string
		oldest bool
	}{{"min_id", true}, {"since_id", false}} {
		if v := q.Get(p.param); v != "" {
			if c.after, err = tweets.ParseID(v); err != nil {
				return c, tweets.Invalid(p.param, "The %s is not an id.", p.param)
			}
			c.oldest = p.oldest
			break
		}
	}
	return c, nil
}

// timeline is the query of a timeline page at the cursor.
func (c cursor) timeline(q tweets.TimelineQuery) tweets.TimelineQuery {
	q.Before, q.After, q.Oldest, q.Limit = c.before, c.after, c.oldest, c.limit
	return q
}

// above keeps the items of a page above the cursor's lower bound, for
// lists whose store reads only below a cursor: exact for since_id; for
// min_id, the newest items above it (a client catching up from far back
// pages down from there).
func above[T any](c cursor, items []T, id func(T) tweets.ID) []T {
	if c.after == 0 {
		return items
	}
	kept := items[:0:0]
	for _, it := range items {
		if id(it) > c.after {
			kept = append(kept, it)
		}
	}
	return kept
}

// setLinks writes the Link header of a page whose items, newest first,
// have the ids first and last: rel="next" to older items when the page
// read was full, rel="prev" to newer ones whenever it has items.
func setLinks(w http.ResponseWriter, r *http.Request, base string, c cursor, read int, first, last tweets.ID) {
	var links []string
	if read >= c.limit && read > 0 {
		links = append(links, pageLink(base, r, "next", "max_id", last))
	}
	if read > 0 {
		links = append(links, pageLink(base, r, "prev", "min_id", first))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}

// limitParam reads limit: defaultLimit when absent, at most maxLimit.
func limitParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, tweets.Invalid("limit", "The limit must be a whole number from 1 to %d.", maxLimit)
	}
	return min(n, maxLimit), nil
}

func (s *Server) homeTimeline(w http.ResponseWriter, r *http.Request, g grant) error {
	c, err := readCursor(r)
	if err != nil {
		return err
	}
	ts, err := s.svc.Timeline(r.Context(), c.timeline(tweets.TimelineQuery{Home: g.User.ID, Viewer: g.User.ID}))
	if err != nil {
		return err
	}
	return s.writePage(w, r, ts, ts, c)
}

func (s *Server) publicTimeline(w http.ResponseWriter, r *http.Request, g grant) error {
	c, err := readCursor(r)
	if err != nil {
		return err
	}
	q := c.timeline(tweets.TimelineQuery{})
	if v := g.viewer(); v != nil {
		q.Viewer = v.ID
	}
	ts, err := s.svc.Timeline(r.Context(), q)
	if err != nil {
		return err
	}
	kept := ts
	if truthy(r.URL.Query().Get("only_media")) {
		kept = nil
		for _, t := range ts {
			if len(t.Media) > 0 {
				kept = append(kept, t)
			}
		}
	}
	return s.writePage(w, r, kept, ts, c)
}

// writePage answers with the statuses ts, and the Link header of the
// page read (read, of which ts is what the request's filters kept).
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, ts, read []tweets.Tweet, c cursor) error {
	if len(read) > 0 {
		setLinks(w, r, s.baseURL(r), c, len(read), read[0].Item, read[len(read)-1].Item)
	}
	return s.writeStatuses(w, r, ts)
}

// pageLink is one link of a Link header: the request's URL with the
// cursor param set to id (and the other cursors dropped), as rel.
func pageLink(base string, r *http.Request, rel, param string, id tweets.ID) string {
	q := r.URL.Query()
	for _, c := range []string{"max_id", "since_id", "min_id"} {
		q.Del(c)
	}
	q.Set(param, id.String())
	return "<" + base + (&url.URL{Path: r.URL.Path, RawQuery: q.Encode()}).String() + `>; rel="` + rel + `"`
}

// writeStatuses answers with the statuses ts; a repost becomes a status
// by its reposter that carries the tweet as reblog.
func (s *Server) writeStatuses(w http.ResponseWriter, r *http.Request, ts []tweets.Tweet) error {
	rd := s.renderer(r)
	out := make([]Status, 0, len(ts))
	reposters := map[string]*tweets.User{}
	for _, t := range ts {
		var by *tweets.User
		if t.RepostedBy != "" {
			if reposters[t.RepostedBy] == nil {
				u, err := s.svc.UserByUsername(r.Context(), t.RepostedBy)
				if err != nil {
					continue // gone since the page was read
				}
				reposters[t.RepostedBy] = &u
			}
			by = reposters[t.RepostedBy]
		}
		out = append(out, rd.status(t, by))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
