package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tweetsdev/tweets"
)

// Page sizes, as Mastodon's: 20 unless the client asks, at most 40.
const (
	defaultLimit = 20
	maxLimit     = 40
)

// page reads max_id and limit. Pages are cut by id, so max_id is the
// cursor (the Link header gives the next one).
func page(r *http.Request) (before tweets.ID, limit int, err error) {
	if limit, err = limitParam(r); err != nil {
		return 0, 0, err
	}
	if v := r.URL.Query().Get("max_id"); v != "" {
		if before, err = tweets.ParseID(v); err != nil {
			return 0, 0, tweets.Invalid("max_id", "The max_id is not an id.")
		}
	}
	return before, limit, nil
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
	before, limit, err := page(r)
	if err != nil {
		return err
	}
	ts, err := s.svc.Timeline(r.Context(), tweets.TimelineQuery{Home: g.User.ID, Viewer: g.User.ID, Before: before, Limit: limit})
	if err != nil {
		return err
	}
	return s.writePage(w, r, ts, ts, limit)
}

func (s *Server) publicTimeline(w http.ResponseWriter, r *http.Request, g grant) error {
	before, limit, err := page(r)
	if err != nil {
		return err
	}
	q := tweets.TimelineQuery{Before: before, Limit: limit}
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
	return s.writePage(w, r, kept, ts, limit)
}

// writePage answers with the statuses ts, and a Link header to the next
// (older) page when the page read (read, of which ts is what the
// request's filters kept) was full.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, ts, read []tweets.Tweet, limit int) error {
	if len(read) == limit && len(read) > 0 {
		w.Header().Set("Link", pageLink(s.baseURL(r), r, "next", "max_id", read[len(read)-1].Item))
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
