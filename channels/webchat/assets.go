package webchat

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"time"
)

// assets are the widget's files, written and tested on their own: the
// channel only serves them.
//
//go:embed assets
var assets embed.FS

// registerAssets mounts /widget.js, /widget.css and the demo page at /.
func registerAssets(mux Mux) {
	for _, a := range []struct{ pattern, file, typ, cache string }{
		{"GET /widget.js", "assets/widget.js", "text/javascript; charset=utf-8", "public, max-age=300"},
		{"GET /widget.css", "assets/widget.css", "text/css; charset=utf-8", "public, max-age=300"},
		{"GET /{$}", "assets/index.html", "text/html; charset=utf-8", "no-cache"},
	} {
		mux.Handle(a.pattern, assetHandler(a.file, a.typ, a.cache))
	}
}

// assetHandler serves one embedded file with its type, cache policy and an
// ETag (conditional requests get 304). A missing file is 404.
func assetHandler(name, typ, cache string) http.Handler {
	data, err := assets.ReadFile(name)
	if err != nil {
		return http.NotFoundHandler()
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", typ)
		h.Set("Cache-Control", cache)
		h.Set("ETag", etag)
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	})
}
