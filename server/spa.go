package server

import (
	"errors"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// spa serves the embedded web app: hashed files under /assets/ are cached for
// a year; every other path that is not a file gets index.html, so deep links
// work; a missing asset is a plain 404, never index.html.
type spa struct {
	files fs.FS
	index []byte
}

const missingWebApp = `<!doctype html><meta charset="utf-8"><title>Bureau</title>
<p>The web app is not built into this binary. Run <code>make build</code> (or <code>make run</code>).</p>`

func newSPA(files fs.FS) (*spa, error) {
	if files == nil {
		return &spa{index: []byte(missingWebApp)}, nil
	}
	index, err := fs.ReadFile(files, "index.html")
	if errors.Is(err, fs.ErrNotExist) {
		return &spa{index: []byte(missingWebApp)}, nil
	}
	if err != nil {
		return nil, err
	}
	return &spa{files: files, index: index}, nil
}

func (s *spa) handle(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return fiber.ErrNotFound
	}
	name := strings.TrimPrefix(path.Clean("/"+c.Path()), "/")
	if s.files != nil && name != "" && fs.ValidPath(name) {
		if data, err := fs.ReadFile(s.files, name); err == nil {
			if strings.HasPrefix(name, "assets/") {
				c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			} else {
				c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
			}
			c.Set(fiber.HeaderContentType, contentType(name))
			return c.Send(data)
		}
	}
	if strings.HasPrefix(name, "assets/") {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(s.index)
}

func contentType(name string) string {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		return fiber.MIMEOctetStream
	}
	if strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "charset") {
		ct += "; charset=utf-8"
	}
	return ct
}
