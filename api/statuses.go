package api

import (
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

// createStatus posts a tweet: POST /api/v1/statuses. Visibility other
// than public, polls and scheduling are refused rather than ignored, so
// that nothing is published more widely than its author asked.
func (s *Server) createStatus(w http.ResponseWriter, r *http.Request, g grant) error {
	p, err := readParams(w, r)
	if err != nil {
		return err
	}
	switch v := p.get("visibility"); v {
	case "", "public", "unlisted":
	default:
		return tweets.Invalid("visibility", "Only public posts exist here; %q is not supported.", v)
	}
	if p.get("scheduled_at") != "" || len(p.list("poll[options]")) > 0 {
		return tweets.Invalid("", "Scheduled posts and polls are not supported here.")
	}
	c := tweets.Composed{Text: p.get("status"), IdempotencyKey: r.Header.Get("Idempotency-Key")}
	if len(c.IdempotencyKey) > 512 {
		return tweets.Invalid("Idempotency-Key", "The Idempotency-Key header can have at most 512 characters.")
	}
	for _, v := range p.list("media_ids") {
		id, err := tweets.ParseID(v)
		if err != nil {
			return tweets.Invalid("media_ids", "%q is not a media id.", tweets.Echo(v, 30))
		}
		c.MediaIDs = append(c.MediaIDs, id)
	}
	if id := p.get("in_reply_to_id"); id != "" {
		if c.ReplyTo, err = tweets.ParseID(id); err != nil {
			return tweets.Invalid("in_reply_to_id", "The in_reply_to_id is not a status id.")
		}
	}
	if id := firstOf(p.get("quoted_status_id"), p.get("quote_id")); id != "" {
		if c.Quote, err = tweets.ParseID(id); err != nil {
			return tweets.Invalid("quoted_status_id", "The quoted_status_id is not a status id.")
		}
	}
	t, err := s.svc.Post(r.Context(), *g.User, func() (tweets.Composed, error) { return c, nil })
	if err != nil {
		return err
	}
	st := s.renderer(r).status(t, nil)
	st.Account = s.renderer(r).account(*g.User, nil)
	writeJSON(w, http.StatusOK, st)
	return nil
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// status shows one status: GET /api/v1/statuses/:id, as the token's
// user sees it (blocks hide it).
func (s *Server) status(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	return s.writeStatus(w, r, g.viewer(), id)
}

// writeStatus answers with one status as viewer sees it.
func (s *Server) writeStatus(w http.ResponseWriter, r *http.Request, viewer *tweets.User, id tweets.ID) error {
	t, err := s.svc.VisibleTweet(r.Context(), viewer, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderer(r).status(t, nil))
	return nil
}

// deleteStatus deletes the token user's status and returns it with its
// text, for "delete and redraft".
func (s *Server) deleteStatus(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.svc.VisibleTweet(r.Context(), g.User, id)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteTweet(r.Context(), *g.User, id); err != nil {
		return err
	}
	st := s.renderer(r).status(t, nil)
	text := t.Text
	st.Text = &text
	writeJSON(w, http.StatusOK, st)
	return nil
}
