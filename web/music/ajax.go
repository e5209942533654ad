package music

import (
	"github.com/djembe/djembe/web"
	"github.com/go-chi/chi/v5"
)

// mountAjax mounts Gazelle's /ajax.php for the music catalogue.
func mountAjax(r chi.Router, s *web.Site) {}
