package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

// savedList serves one of the token user's own lists of statuses, the
// bookmarks or the favourites: GET /api/v1/bookmarks, /api/v1/favourites.
// Pages are cut by the bookmark's or the like's id, as Mastodon's are, so
// the Link header carries those ids: rel="next" (max_id) for older ones,
// rel="prev" (min_id) for newer ones.
func (s *Server) savedList(list func(*tweets.Service, context.Context, tweets.User, tweets.SavedQuery) ([]tweets.Tweet, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		c, err := readCursor(r)
		if err != nil {
			return err
		}
		q := tweets.SavedQuery{Before: c.before, After: c.after, Oldest: c.oldest, Limit: c.limit}
		ts, err := list(s.svc, r.Context(), *g.User, q)
		if err != nil {
			return err
		}
		return s.writePage(w, r, ts, ts, c)
	}
}

// Marker is Mastodon's Marker entity, one per timeline.
type Marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int    `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

func markerMap(ms []tweets.Marker) map[string]Marker {
	out := map[string]Marker{}
	for _, m := range ms {
		out[m.Timeline] = Marker{LastReadID: m.LastReadID.String(), Version: m.Version, UpdatedAt: timeJSON(m.UpdatedAt)}
	}
	return out
}

// markers is GET /api/v1/markers?timeline[]=home&timeline[]=notifications:
// the token user's markers of the timelines named, those that are set.
func (s *Server) markers(w http.ResponseWriter, r *http.Request, g grant) error {
	q := r.URL.Query()
	ms, err := s.svc.Markers(r.Context(), *g.User, append(q["timeline[]"], q["timeline"]...))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, markerMap(ms))
	return nil
}

// setMarkers is POST /api/v1/markers, with home[last_read_id] and
// notifications[last_read_id] in a form, or as objects in JSON. It
// answers with the markers it set.
func (s *Server) setMarkers(w http.ResponseWriter, r *http.Request, g grant) error {
	p, err := readParams(w, r)
	if err != nil {
		return err
	}
	lastRead := map[string]tweets.ID{}
	for _, timeline := range []string{tweets.MarkHome, tweets.MarkNotifications} {
		field := timeline + "[last_read_id]"
		v := p.get(field)
		if nested := p.get(timeline); v == "" && nested != "" {
			var obj map[string]any
			dec := json.NewDecoder(strings.NewReader(nested))
			dec.UseNumber()
			if err := dec.Decode(&obj); err != nil {
				return tweets.Invalid(timeline, "The %s marker must be an object with a last_read_id.", timeline)
			}
			if id, ok := obj["last_read_id"]; ok && id != nil {
				v = scalar(id)
			}
		}
		if v == "" {
			continue
		}
		id, err := tweets.ParseID(v)
		if err != nil {
			return tweets.Invalid(field, "The last_read_id of %s is not an id.", timeline)
		}
		lastRead[timeline] = id
	}
	ms, err := s.svc.SetMarkers(r.Context(), *g.User, lastRead)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, markerMap(ms))
	return nil
}
