package web

import (
	"mime"
	"net/http"
	"time"
)

type settingsView struct {
	page
}

// settingsPage shows the account and the way to download its data.
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings.html", settingsView{page: s.newPage(w, r, "Settings")})
	return nil
}

// exportWriteTime replaces the server's write timeout, which is sized
// for pages, not for an archive of every image on a slow link.
const exportWriteTime = 30 * time.Minute

// exportData sends the user's account, tweets and media as a ZIP file.
func (s *Server) exportData(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	x, err := s.svc.StartExport(ctx, *u)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": x.Filename}))
	h.Set("Cache-Control", "no-store")
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTime))
	w.WriteHeader(http.StatusOK)
	err = x.WriteTo(ctx, w)
	if len(x.Missing) > 0 {
		s.log.WarnContext(ctx, "export: media files missing", "user", u.ID, "keys", x.Missing)
	}
	if err != nil {
		// The headers are gone: cut the connection, so that the browser
		// reports a failed download instead of saving half an archive.
		s.log.ErrorContext(ctx, "export failed", "user", u.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}
