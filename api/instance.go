package api

import (
	"html"
	"io"
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

// instanceV2 is GET /api/v2/instance: what clients read to learn the
// limits (characters, images) before they post.
func (s *Server) instanceV2(w http.ResponseWriter, r *http.Request, _ grant) error {
	base := s.baseURL(r)
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"domain":      r.Host,
		"title":       "tweets",
		"version":     "4.3.0 (compatible; tweets " + s.opt.Version + ")",
		"source_url":  "https://github.com/tweetsdev/tweets",
		"description": "A self-hosted microblog.",
		"usage":       map[string]any{"users": map[string]int{"active_month": st.Users}},
		"thumbnail":   map[string]any{"url": base + "/static/favicon.svg"},
		"languages":   []string{"en"},
		"configuration": map[string]any{
			"urls":     map[string]any{"streaming": streamingURL(base), "status": nil},
			"accounts": map[string]any{"max_featured_tags": 0, "max_pinned_statuses": 0},
			"statuses": map[string]any{"max_characters": tweets.MaxTweetLength, "max_media_attachments": tweets.MaxImages,
				"characters_reserved_per_url": tweets.LinkLength},
			"media_attachments": s.mediaLimits(),
			"polls":             map[string]any{"max_options": 0, "max_characters_per_option": 0, "min_expiration": 0, "max_expiration": 0},
			"translation":       map[string]any{"enabled": false},
		},
		"registrations": map[string]any{"enabled": true, "approval_required": false, "message": nil},
		"contact":       map[string]any{"email": "", "account": nil},
		"rules":         []any{},
	})
	return nil
}

// streamingURL is where clients open the WebSocket stream: this server
// (ws or wss), which they join to /api/v1/streaming.
func streamingURL(base string) string { return "ws" + strings.TrimPrefix(base, "http") }

func (s *Server) mediaLimits() map[string]any {
	return map[string]any{
		"supported_mime_types":   []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
		"image_size_limit":       s.opt.MaxUploadBytes,
		"image_matrix_limit":     7680 * 4320,
		"video_size_limit":       0,
		"video_frame_rate_limit": 0,
		"video_matrix_limit":     0,
		"description_limit":      tweets.MaxAltLength,
	}
}

// instanceV1 is the older GET /api/v1/instance, which many clients
// still read first.
func (s *Server) instanceV1(w http.ResponseWriter, r *http.Request, _ grant) error {
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"uri":               r.Host,
		"title":             "tweets",
		"short_description": "A self-hosted microblog.",
		"description":       "A self-hosted microblog.",
		"email":             "",
		"version":           "4.3.0 (compatible; tweets " + s.opt.Version + ")",
		"urls":              map[string]any{"streaming_api": streamingURL(s.baseURL(r))},
		"stats":             map[string]int{"user_count": st.Users, "status_count": st.Tweets, "domain_count": 0},
		"languages":         []string{"en"},
		"registrations":     true,
		"approval_required": false,
		"invites_enabled":   false,
		"configuration": map[string]any{
			"statuses": map[string]any{"max_characters": tweets.MaxTweetLength, "max_media_attachments": tweets.MaxImages,
				"characters_reserved_per_url": tweets.LinkLength},
			"media_attachments": s.mediaLimits(),
		},
		"contact_account": nil,
		"rules":           []any{},
	})
	return nil
}

// nodeinfoLinks and nodeinfo are the NodeInfo documents that monitoring
// sites and other servers read.
func (s *Server) nodeinfoLinks(w http.ResponseWriter, r *http.Request, _ grant) error {
	writeJSON(w, http.StatusOK, map[string]any{"links": []map[string]string{{
		"rel":  "http://nodeinfo.diaspora.software/ns/schema/2.0",
		"href": s.baseURL(r) + "/nodeinfo/2.0",
	}}})
	return nil
}

func (s *Server) nodeinfo(w http.ResponseWriter, r *http.Request, _ grant) error {
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"version":           "2.0",
		"software":          map[string]string{"name": "tweets", "version": s.opt.Version},
		"protocols":         []string{},
		"services":          map[string][]string{"inbound": {}, "outbound": {"atom1.0"}},
		"openRegistrations": true,
		"usage":             map[string]any{"users": map[string]int{"total": st.Users}, "localPosts": st.Tweets},
		"metadata":          map[string]any{},
	})
	return nil
}

// webfinger resolves acct:name@this-host to the account's profile, as
// clients do when a user types @name@host.
func (s *Server) webfinger(w http.ResponseWriter, r *http.Request, _ grant) error {
	res := r.URL.Query().Get("resource")
	name, host, ok := strings.Cut(strings.TrimPrefix(res, "acct:"), "@")
	if !strings.HasPrefix(res, "acct:") || !ok || !strings.EqualFold(host, r.Host) {
		return tweets.Errorf(tweets.CodeNotFound, "Give resource=acct:name@%s: only this server's accounts are known here.", r.Host)
	}
	u, err := s.svc.UserByUsername(r.Context(), name)
	if err != nil {
		return err
	}
	profile := s.baseURL(r) + "/@" + u.Username
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSONAs(w, "application/jrd+json; charset=utf-8", map[string]any{
		"subject": "acct:" + u.Username + "@" + r.Host,
		"aliases": []string{profile},
		"links": []map[string]string{
			{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile},
			{"rel": "http://schemas.google.com/g/2010#updates-from", "type": "application/atom+xml", "href": profile + ".atom"},
		},
	})
	return nil
}

// hostMeta is the XRD document that points older clients to WebFinger.
func (s *Server) hostMeta(w http.ResponseWriter, r *http.Request, _ grant) error {
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	_, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="`+html.EscapeString(s.baseURL(r))+`/.well-known/webfinger?resource={uri}"/>
</XRD>
`)
	return err
}
