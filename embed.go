package main

import (
	"embed"
	"io/fs"
)

// webDist is the built web app (`npm run build` in frontend/).
//
//go:embed all:frontend/dist
var webDist embed.FS

func webFS() fs.FS {
	sub, err := fs.Sub(webDist, "frontend/dist")
	if err != nil {
		return nil
	}
	return sub
}
