package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

// Relationship is Mastodon's Relationship entity.
type Relationship struct {
	ID                  string   `json:"id"`
	Following           bool     `json:"following"`
	ShowingReblogs      bool     `json:"showing_reblogs"`
	Notifying           bool     `json:"notifying"`
	FollowedBy          bool     `json:"followed_by"`
	Blocking            bool     `json:"blocking"`
	BlockedBy           bool     `json:"blocked_by"`
	Muting              bool     `json:"muting"`
	MutingNotifications bool     `json:"muting_notifications"`
	Requested           bool     `json:"requested"`
	RequestedBy         bool     `json:"requested_by"`
	DomainBlocking      bool     `json:"domain_blocking"`
	Endorsed            bool     `json:"endorsed"`
	Note                string   `json:"note"`
	Languages           []string `json:"languages"`
}

func relationship(id tweets.ID, r tweets.Relationship) Relationship {
	return Relationship{ID: id.String(), Following: r.Following, ShowingReblogs: r.Following, FollowedBy: r.FollowedBy,
		Blocking: r.Blocking, BlockedBy: r.BlockedBy, Muting: r.Muting, MutingNotifications: r.Muting, Languages: []string{}}
}

// relate runs one of the Service's follow, block or mute actions on the
// account named by id, and answers with the relationship as it now is.
// Doing what is already done is no error, as in Mastodon.
func (s *Server) relate(act func(*tweets.Service, context.Context, tweets.User, string) (tweets.User, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		id, err := parseID(r, "id")
		if err != nil {
			return err
		}
		pv, err := s.svc.ProfileByID(r.Context(), g.User, id)
		if err != nil {
			return err
		}
		if _, err := act(s.svc, r.Context(), *g.User, pv.User.Username); err != nil {
			if c := tweets.ErrorCode(err); c != tweets.CodeConflict && c != tweets.CodeNotFound {
				return err
			}
		}
		pv, err = s.svc.ProfileByID(r.Context(), g.User, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, relationship(id, pv.Relationship))
		return nil
	}
}

// relationships is GET /api/v1/accounts/relationships?id[]=...
func (s *Server) relationships(w http.ResponseWriter, r *http.Request, g grant) error {
	q := r.URL.Query()
	ids := append(q["id[]"], q["id"]...)
	if len(ids) > maxLimit {
		return tweets.Invalid("id", "Ask for at most %d accounts at once.", maxLimit)
	}
	out := []Relationship{}
	for _, v := range ids {
		id, err := tweets.ParseID(v)
		if err != nil {
			continue
		}
		pv, err := s.svc.ProfileByID(r.Context(), g.User, id)
		if err != nil {
			if tweets.ErrorCode(err) == tweets.CodeNotFound {
				continue
			}
			return err
		}
		out = append(out, relationship(id, pv.Relationship))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// lookup is GET /api/v1/accounts/lookup?acct=name (or name@this-host).
func (s *Server) lookup(w http.ResponseWriter, r *http.Request, g grant) error {
	acct := r.URL.Query().Get("acct")
	name, host, remote := cutAcct(acct)
	if remote && host != r.Host {
		return tweets.Errorf(tweets.CodeNotFound, "Record not found.")
	}
	pv, err := s.svc.Profile(r.Context(), g.viewer(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderer(r).account(pv.User, &pv.Counts))
	return nil
}

// accountStatuses is GET /api/v1/accounts/:id/statuses.
func (s *Server) accountStatuses(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.ProfileByID(r.Context(), g.viewer(), id); err != nil {
		return err
	}
	c, err := readCursor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if truthy(q.Get("pinned")) {
		writeJSON(w, http.StatusOK, []Status{}) // nothing is pinned here
		return nil
	}
	tq := c.timeline(tweets.TimelineQuery{AuthorID: id})
	if v := g.viewer(); v != nil {
		tq.Viewer = v.ID
	}
	ts, err := s.svc.Timeline(r.Context(), tq)
	if err != nil {
		return err
	}
	var kept []tweets.Tweet
	for _, t := range ts {
		switch {
		case truthy(q.Get("exclude_replies")) && t.ReplyTo != 0,
			truthy(q.Get("exclude_reblogs")) && t.RepostedBy != "",
			truthy(q.Get("only_media")) && len(t.Media) == 0:
			continue
		}
		kept = append(kept, t)
	}
	return s.writePage(w, r, kept, ts, c)
}

// interact runs a like or repost action on the status and answers with
// the status as it now is. Doing what is already done is no error.
func (s *Server) interact(act func(*tweets.Service, context.Context, tweets.User, tweets.ID) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		id, err := parseID(r, "id")
		if err != nil {
			return err
		}
		// Liking twice, or unliking what is not liked, is no error; a
		// status that cannot be seen fails at the read below.
		if err := act(s.svc, r.Context(), *g.User, id); err != nil {
			if c := tweets.ErrorCode(err); c != tweets.CodeConflict && c != tweets.CodeNotFound {
				return err
			}
		}
		return s.writeStatus(w, r, g.User, id)
	}
}

// context is GET /api/v1/statuses/:id/context.
func (s *Server) context(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	th, err := s.svc.Thread(r.Context(), g.viewer(), id)
	if err != nil {
		return err
	}
	rd := s.renderer(r)
	out := struct {
		Ancestors   []Status `json:"ancestors"`
		Descendants []Status `json:"descendants"`
	}{[]Status{}, []Status{}}
	for _, t := range th.Ancestors {
		out.Ancestors = append(out.Ancestors, rd.status(t, nil))
	}
	for _, t := range th.Replies {
		out.Descendants = append(out.Descendants, rd.status(t, nil))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// cutAcct splits name@host; remote says whether a host was given.
func cutAcct(acct string) (name, host string, remote bool) {
	acct = strings.TrimPrefix(acct, "@")
	name, host, remote = strings.Cut(acct, "@")
	return name, host, remote
}
