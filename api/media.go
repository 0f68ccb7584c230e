package api

import (
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

// uploadMedia is POST /api/v1/media and /api/v2/media: one image in the
// file part, with an optional description. Images are processed before
// the answer, so it is always 200 with the URL (never 202).
func (s *Server) uploadMedia(w http.ResponseWriter, r *http.Request, g grant) error {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return tweets.Invalid("file", "Send the image as multipart/form-data, in a part named file.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxUploadBytes+64<<10)
	err := r.ParseMultipartForm(1 << 20) // #nosec G120 -- the body is bounded by MaxBytesReader above
	if r.MultipartForm != nil {
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	}
	if err != nil {
		return err
	}
	hs := r.MultipartForm.File["file"]
	if len(hs) != 1 {
		return tweets.Invalid("file", "Send exactly one image, in a part named file.")
	}
	f, err := hs[0].Open()
	if err != nil {
		return tweets.Invalid("file", "The file could not be read.")
	}
	defer f.Close()
	p, err := s.svc.UploadMedia(r.Context(), *g.User, &tweets.Upload{Content: f, Size: hs[0].Size}, r.PostFormValue("description"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderer(r).pending(p))
	return nil
}

// mediaByID is GET /api/v1/media/:id, for an upload not yet attached.
func (s *Server) mediaByID(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.PendingMedia(r.Context(), *g.User, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderer(r).pending(p))
	return nil
}

// describeMedia is PUT /api/v1/media/:id: a new description.
func (s *Server) describeMedia(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	ps, err := readParams(w, r)
	if err != nil {
		return err
	}
	p, err := s.svc.DescribeMedia(r.Context(), *g.User, id, ps.get("description"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderer(r).pending(p))
	return nil
}

// pending renders an upload: an attachment whose id is the upload's.
func (rd render) pending(p tweets.PendingMedia) MediaAttachment {
	a := rd.attachment(p.Media)
	a.ID = p.ID.String()
	return a
}
