package web

import (
	"net/http"
)

// serveMedia sends an uploaded file, if the service lets this viewer see
// it. Keys are random and files never change, so a public file may be
// cached for good; the type is the one stored when the upload was
// checked, and a sandbox CSP stops any content from running.
//
// With Options.MediaAccelPrefix set, the answer is only the headers and
// an X-Accel-Redirect to the prefix and key: nginx then sends the file
// from the media directory, which it serves only to such redirects. The
// check stays here, and the bytes never pass through this process.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) error {
	// Only a key that a tweet has is served, which also keeps any other
	// string out of the X-Accel-Redirect path.
	key := r.PathValue("key")
	h := w.Header()
	if s.opt.MediaAccelPrefix != "" {
		f, err := s.svc.MediaFile(r.Context(), currentUser(r), key)
		if err != nil {
			return err
		}
		setMediaHeaders(h, key, f.ContentType, f.Public)
		h.Set("X-Accel-Redirect", s.opt.MediaAccelPrefix+key)
		w.WriteHeader(http.StatusOK)
		return nil
	}
	b, f, err := s.svc.OpenMedia(r.Context(), currentUser(r), key)
	if err != nil {
		return err
	}
	defer b.Close()
	setMediaHeaders(h, key, f.ContentType, f.Public)
	// With the ETag set, ServeContent answers If-None-Match with 304 and
	// Range requests with 206, from any blob store (its files seek).
	http.ServeContent(w, r, "", b.ModTime(), b)
	return nil
}

// setMediaHeaders says how a file may be cached. A key names one file
// for ever, so it is the ETag. A file shown only because an admin asks
// (its account is suspended) must stay out of shared caches, which
// would hand it to everyone.
func setMediaHeaders(h http.Header, key, contentType string, public bool) {
	h.Set("Content-Type", contentType)
	h.Set("ETag", `"`+key+`"`)
	if public {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "private, no-store")
	}
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
}
