package api

import (
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

// updateCredentials is PATCH /api/v1/accounts/update_credentials:
// display_name and note (as form or JSON fields), avatar and header (as
// files of a multipart body).
func (s *Server) updateCredentials(w http.ResponseWriter, r *http.Request, g grant) error {
	u := *g.User
	var pics tweets.Pictures
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, 2*s.opt.MaxUploadBytes+64<<10)
		err := r.ParseMultipartForm(1 << 20) // #nosec G120 -- the body is bounded by MaxBytesReader above
		if r.MultipartForm != nil {
			defer func() { _ = r.MultipartForm.RemoveAll() }()
		}
		if err != nil {
			return err
		}
		for field, up := range map[string]**tweets.Upload{"avatar": &pics.Avatar, "header": &pics.Header} {
			if hs := r.MultipartForm.File[field]; len(hs) > 0 {
				f, err := hs[0].Open()
				if err != nil {
					return tweets.Invalid(field, "The file could not be read.")
				}
				defer f.Close()
				*up = &tweets.Upload{Content: f, Size: hs[0].Size}
			}
		}
	}
	p, err := readParams(w, r)
	if err != nil {
		return err
	}
	if _, ok := p["display_name"]; ok || p["note"] != nil {
		prof := tweets.Profile{DisplayName: u.DisplayName, Bio: u.Bio}
		if _, ok := p["display_name"]; ok {
			prof.DisplayName = p.get("display_name")
		}
		if _, ok := p["note"]; ok {
			prof.Bio = p.get("note")
		}
		if u, err = s.svc.UpdateProfile(r.Context(), u, prof); err != nil {
			return err
		}
	}
	if pics.Avatar != nil || pics.Header != nil {
		if u, err = s.svc.UpdatePictures(r.Context(), u, pics); err != nil {
			return err
		}
	}
	g.User = &u
	return s.verifyCredentials(w, r, g)
}

// preferences is GET /api/v1/preferences: this server's fixed ones.
func (s *Server) preferences(w http.ResponseWriter, _ *http.Request, _ grant) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": nil,
		"reading:expand:media": "default", "reading:expand:spoilers": false,
	})
	return nil
}

// follows is GET /api/v1/accounts/:id/followers and .../following.
func (s *Server) follows(followers bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		id, err := parseID(r, "id")
		if err != nil {
			return err
		}
		pv, err := s.svc.ProfileByID(r.Context(), g.viewer(), id)
		if err != nil {
			return err
		}
		c, err := readCursor(r)
		if err != nil {
			return err
		}
		_, es, err := s.svc.FollowList(r.Context(), pv.User.Username, followers, c.before)
		if err != nil {
			return err
		}
		es = above(c, es[:min(c.limit, len(es))], func(e tweets.FollowEntry) tweets.ID { return e.FollowID })
		rd := s.renderer(r)
		out := []Account{}
		for _, e := range es {
			out = append(out, rd.account(e.User, nil))
		}
		if len(es) > 0 {
			setLinks(w, r, rd.base, c, len(es), es[0].FollowID, es[len(es)-1].FollowID)
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

// editStatus is PUT /api/v1/statuses/:id: a new text.
func (s *Server) editStatus(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	p, err := readParams(w, r)
	if err != nil {
		return err
	}
	t, err := s.svc.EditTweet(r.Context(), *g.User, id, p.get("status"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderer(r).status(t, nil))
	return nil
}

// statusSource is GET /api/v1/statuses/:id/source: the text as typed,
// for an edit form.
func (s *Server) statusSource(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.svc.EditableTweet(r.Context(), *g.User, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": t.ID.String(), "text": t.Text, "spoiler_text": ""})
	return nil
}

// statusHistory is GET /api/v1/statuses/:id/history: every version,
// oldest first, as StatusEdit entities.
func (s *Server) statusHistory(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	t, versions, err := s.svc.History(r.Context(), g.viewer(), id)
	if err != nil {
		return err
	}
	rd := s.renderer(r)
	acct := rd.account(tweets.User{ID: t.AuthorID, Username: t.Author, Avatar: t.AuthorAvatar}, nil)
	// The versions are the texts before each edit; the current text
	// comes last, as Mastodon lists it.
	if n := len(versions); n == 0 || versions[n-1].Text != t.Text {
		at := t.EditedAt
		if at.IsZero() {
			at = t.CreatedAt
		}
		versions = append(versions, tweets.Version{Number: n + 1, Text: t.Text, WrittenAt: at})
	}
	out := []map[string]any{}
	for _, v := range versions {
		out = append(out, map[string]any{"content": "<p>" + richHTML(v.Text, rd.base) + "</p>", "spoiler_text": "",
			"sensitive": false, "created_at": timeJSON(v.WrittenAt), "account": acct, "media_attachments": []MediaAttachment{}, "emojis": []any{}})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// tagTimeline is GET /api/v1/timelines/tag/:hashtag.
func (s *Server) tagTimeline(w http.ResponseWriter, r *http.Request, g grant) error {
	c, err := readCursor(r)
	if err != nil {
		return err
	}
	tag := r.PathValue("hashtag")
	if !tweets.ValidHashtag(tag) {
		return tweets.Errorf(tweets.CodeNotFound, "Record not found.")
	}
	q := tweets.SearchQuery{Text: "#" + tag, Before: c.before, Limit: c.limit}
	if v := g.viewer(); v != nil {
		q.Viewer = v.ID
	}
	res, err := s.svc.Search(r.Context(), q)
	if err != nil {
		return err
	}
	ts := above(c, res.Tweets, func(t tweets.Tweet) tweets.ID { return t.Item })
	return s.writePage(w, r, ts, ts, c)
}
