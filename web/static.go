package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/tweetsdev/tweets"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files, each served under a name that
// carries a hash of its content (style.3f2a9c1b.css), so browsers may keep
// them forever and a new release is fetched at once.
type assets struct {
	hashed map[string]string // style.css -> style.3f2a9c1b.css
	files  map[string][]byte // style.3f2a9c1b.css -> content
}

func loadAssets() (*assets, error) {
	a := &assets{hashed: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		a.hashed[name], a.files[hashed] = hashed, b
		return nil
	})
	return a, err
}

// path returns the hashed name of a static file. An unknown name is a
// programming error caught when templates are checked at start-up.
func (a *assets) path(name string) string {
	if h, ok := a.hashed[name]; ok {
		return h
	}
	panic("web: no static file " + name)
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	b, ok := s.assets.files[name]
	if !ok {
		return tweets.Errorf(tweets.CodeNotFound, "There is no such file.")
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
	return nil
}
