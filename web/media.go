package web

import (
	"net/http"
	"path"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/media"
)

var mediaTypes = map[string]string{".jpg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}

// serveMedia sends an uploaded file. Keys are random and files never
// change, so they may be cached for good; the type comes from our own
// extension, and a sandbox CSP stops any content from running.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	ctype, ok := mediaTypes[path.Ext(key)]
	if !ok || !media.ValidKey(key) {
		return tweets.Errorf(tweets.CodeNotFound, "There is no such file.")
	}
	b, err := s.svc.Blobs.Open(r.Context(), key)
	if err != nil {
		if tweets.ErrorCode(err) == tweets.CodeNotFound {
			return tweets.Errorf(tweets.CodeNotFound, "There is no such file.")
		}
		return err
	}
	defer b.Close()
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", b.ModTime(), b)
	return nil
}
