package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tweetsdev/tweets"
)

// Notification is Mastodon's Notification entity.
type Notification struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	CreatedAt string  `json:"created_at"`
	Account   Account `json:"account"`
	Status    *Status `json:"status,omitempty"`
}

// notificationTypes names each kind as Mastodon does: an answer is a
// mention there, an edit of a status one boosted is an update.
var notificationTypes = map[tweets.NotificationKind]string{
	tweets.NotifyLike: "favourite", tweets.NotifyRepost: "reblog", tweets.NotifyReply: "mention",
	tweets.NotifyMention: "mention", tweets.NotifyFollow: "follow", tweets.NotifyEdit: "update", tweets.NotifyQuote: "quote",
}

// notifications is GET /api/v1/notifications, with types[] and
// exclude_types[].
func (s *Server) notifications(w http.ResponseWriter, r *http.Request, g grant) error {
	c, err := readCursor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	only, except := append(q["types[]"], q["types"]...), append(q["exclude_types[]"], q["exclude_types"]...)
	ns, err := s.svc.NotificationList(r.Context(), *g.User, c.before, c.limit)
	if err != nil {
		return err
	}
	ns = above(c, ns, func(n tweets.Notification) tweets.ID { return n.ID })
	rd := s.renderer(r)
	out := []Notification{}
	for _, n := range ns {
		typ := notificationTypes[n.Kind]
		if (len(only) > 0 && !slices.Contains(only, typ)) || slices.Contains(except, typ) {
			continue
		}
		item, ok, err := s.notification(r, rd, g, n, typ)
		if err != nil {
			return err
		}
		if ok {
			out = append(out, item)
		}
	}
	if len(ns) > 0 {
		setLinks(w, r, rd.base, c, len(ns), ns[0].ID, ns[len(ns)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// notification renders one; ok is false when its account or status is
// gone or hidden since.
func (s *Server) notification(r *http.Request, rd render, g grant, n tweets.Notification, typ string) (Notification, bool, error) {
	pv, err := s.svc.ProfileByID(r.Context(), g.User, n.ActorID)
	if tweets.ErrorCode(err) == tweets.CodeNotFound {
		return Notification{}, false, nil
	}
	if err != nil {
		return Notification{}, false, err
	}
	out := Notification{ID: n.ID.String(), Type: typ, CreatedAt: timeJSON(n.CreatedAt), Account: rd.account(pv.User, &pv.Counts)}
	if n.TweetID != 0 {
		t, err := s.svc.VisibleTweet(r.Context(), g.User, n.TweetID)
		if tweets.ErrorCode(err) == tweets.CodeNotFound {
			return Notification{}, false, nil
		}
		if err != nil {
			return Notification{}, false, err
		}
		st := rd.status(t, nil)
		out.Status = &st
	}
	return out, true, nil
}

// search is GET /api/v2/search: accounts, statuses and hashtags, or one
// of them with type. resolve is accepted and does nothing: there are no
// remote accounts to fetch.
func (s *Server) search(w http.ResponseWriter, r *http.Request, g grant) error {
	q := r.URL.Query()
	limit, err := limitParam(r)
	if err != nil {
		return err
	}
	typ := q.Get("type")
	switch typ {
	case "", "accounts", "statuses", "hashtags":
	default:
		return tweets.Invalid("type", "The type must be accounts, statuses or hashtags.")
	}
	var viewer tweets.ID
	if v := g.viewer(); v != nil {
		viewer = v.ID
	}
	rd := s.renderer(r)
	out := struct {
		Accounts []Account `json:"accounts"`
		Statuses []Status  `json:"statuses"`
		Hashtags []Tag     `json:"hashtags"`
	}{[]Account{}, []Status{}, []Tag{}}
	if typ == "" || typ == "accounts" {
		res, err := s.svc.Search(r.Context(), tweets.SearchQuery{Text: q.Get("q"), Viewer: viewer, Accounts: true, Limit: limit})
		if err != nil {
			return err
		}
		for _, u := range res.Accounts {
			out.Accounts = append(out.Accounts, rd.account(u, nil))
		}
	}
	if typ == "" || typ == "statuses" || typ == "hashtags" {
		res, err := s.svc.Search(r.Context(), tweets.SearchQuery{Text: q.Get("q"), Viewer: viewer, Limit: limit})
		if err != nil {
			return err
		}
		if typ != "hashtags" {
			for _, t := range res.Tweets {
				out.Statuses = append(out.Statuses, rd.status(t, nil))
			}
		}
		if res.Tag != "" && typ != "statuses" {
			out.Hashtags = append(out.Hashtags, Tag{Name: res.Tag, URL: rd.base + "/tags/" + url.PathEscape(res.Tag)})
		}
	}
	// Apps search hashtags without their #: a word that is a hashtag
	// some tweet carries is one.
	if word := strings.TrimSpace(q.Get("q")); (typ == "" || typ == "hashtags") && len(out.Hashtags) == 0 && tweets.ValidHashtag(word) {
		res, err := s.svc.Search(r.Context(), tweets.SearchQuery{Text: "#" + word, Viewer: viewer, Limit: 1})
		if err != nil {
			return err
		}
		if len(res.Tweets) > 0 {
			out.Hashtags = append(out.Hashtags, Tag{Name: res.Tag, URL: rd.base + "/tags/" + url.PathEscape(res.Tag)})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// notificationByID is GET /api/v1/notifications/:id.
func (s *Server) notificationByID(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.svc.Notification(r.Context(), *g.User, id)
	if err != nil {
		return err
	}
	item, ok, err := s.notification(r, s.renderer(r), g, n, notificationTypes[n.Kind])
	if err != nil {
		return err
	}
	if !ok {
		return tweets.Errorf(tweets.CodeNotFound, "What this notification was about is gone.")
	}
	writeJSON(w, http.StatusOK, item)
	return nil
}

// dismissNotification is POST /api/v1/notifications/:id/dismiss (and
// the older POST /api/v1/notifications/dismiss with an id parameter).
func (s *Server) dismissNotification(w http.ResponseWriter, r *http.Request, g grant) error {
	raw := r.PathValue("id")
	if raw == "" {
		p, err := readParams(w, r)
		if err != nil {
			return err
		}
		raw = p.get("id")
	}
	id, err := tweets.ParseID(raw)
	if err != nil {
		return tweets.Errorf(tweets.CodeNotFound, "There is no such notification: give its id.")
	}
	if err := s.svc.DismissNotification(r.Context(), *g.User, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

// clearNotifications is POST /api/v1/notifications/clear.
func (s *Server) clearNotifications(w http.ResponseWriter, r *http.Request, g grant) error {
	if err := s.svc.ClearNotifications(r.Context(), *g.User); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}
