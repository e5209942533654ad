package browsertest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/internal/app"
)

// checkMoviesAPI checks /api/v1/movies on the catalogue TestMoviesInABrowser
// made (The Matrix: Lana Wachowski directing, Keanu Reeves as Neo and
// Carrie-Anne Moss as Trinity, one Blu-ray encode): the shapes of browse,
// a movie and a person, a filter that matches nothing, and the errors of
// a bad token (401), a bad filter and a malformed id (400) and an unknown
// id (404), each in the API's JSON error shape.
func checkMoviesAPI(t *testing.T, m *app.Main, user, movie, person string) {
	t.Helper()
	tok, err := m.Commands().CreateToken(context.Background(), commands.Operator, user, "movies")
	if err != nil {
		t.Fatal(err)
	}
	api := client{t: t, site: m.WebURL()}
	get := func(path, token string, into any) int {
		t.Helper()
		code, h, body := api.do("GET", path, nil, "Authorization: Bearer "+token)
		if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %s, not JSON: %q", path, h.Get("Content-Type"), body)
		}
		if err := json.Unmarshal([]byte(body), into); err != nil {
			t.Errorf("%s: %v in %q", path, err, body)
		}
		return code
	}
	type person_ struct{ ID, Name string }
	type format struct {
		InfoHash                                        string `json:"info_hash"`
		DownloadURL                                     string `json:"download_url"`
		Source, Codec, Container, Resolution, HDR, Kind string
		Subtitles                                       []string
		Size                                            int64
	}
	type movieJSON struct {
		ID, Title     string
		IMDbID        string `json:"imdb_id"`
		Year, Runtime int
		Tags          []string
		Directors     []person_
		Cast          []struct {
			person_
			Role    string
			Billing int
		}
		Editions []struct {
			Name, Distributor string
			Formats           []format
		}
	}
	checkMovie := func(what string, mv movieJSON) {
		t.Helper()
		if mv.ID != movie || mv.Title != "The Matrix" || mv.Year != 1999 || mv.Runtime != 136 || mv.IMDbID != "tt0133093" ||
			len(mv.Directors) != 1 || mv.Directors[0].Name != "Lana Wachowski" || len(mv.Cast) != 2 ||
			mv.Cast[0].Name != "Keanu Reeves" || mv.Cast[0].Role != "Neo" || mv.Cast[0].Billing != 1 || mv.Cast[1].Role != "Trinity" {
			t.Errorf("%s: %+v", what, mv)
		}
		if len(mv.Editions) != 1 || len(mv.Editions[0].Formats) != 1 {
			t.Fatalf("%s: editions %+v", what, mv.Editions)
		}
		f := mv.Editions[0].Formats[0]
		if f.Source != "Blu-ray" || f.Resolution != "1080p" || f.Kind != "Encode" || f.HDR != "None" || len(f.InfoHash) != 40 ||
			f.DownloadURL != "/api/v1/torrents/"+f.InfoHash+"/download" || strings.Join(f.Subtitles, ",") != "en,fr" || f.Size <= 0 {
			t.Errorf("%s: format %+v", what, f)
		}
	}

	var page struct {
		Movies             []movieJSON
		Page, Pages, Total int
		PerPage            int `json:"per_page"`
	}
	if code := get("/api/v1/movies?person=keanu&resolution=1080p", tok.Token, &page); code != 200 || page.Total != 1 || page.Page != 1 || len(page.Movies) != 1 {
		t.Fatalf("browse: %d %+v", code, page)
	}
	checkMovie("browse", page.Movies[0])
	page.Movies = nil
	if code := get("/api/v1/movies?hdr=any", tok.Token, &page); code != 200 || page.Total != 0 || page.Movies == nil {
		t.Errorf("an HDR browse: %d %+v (movies must be [], not null)", code, page)
	}
	var mv movieJSON
	if code := get("/api/v1/movies/"+movie, tok.Token, &mv); code != 200 {
		t.Fatalf("the movie: %d", code)
	}
	checkMovie("the movie", mv)
	var p struct {
		ID, Name    string
		Aliases     []string
		BirthYear   int `json:"birth_year"`
		Filmography []struct {
			Kind   string
			Movies []struct {
				ID, Title string
				Year      int
				Roles     []string
			}
		}
	}
	if code := get("/api/v1/movies/people/"+person, tok.Token, &p); code != 200 || p.ID != person || p.Name != "Keanu Reeves" ||
		p.BirthYear != 1964 || len(p.Aliases) != 1 || len(p.Filmography) != 1 || p.Filmography[0].Kind != "Actor" ||
		len(p.Filmography[0].Movies) != 1 || p.Filmography[0].Movies[0].ID != movie || strings.Join(p.Filmography[0].Movies[0].Roles, ",") != "Neo" {
		t.Errorf("the person: %d %+v", code, p)
	}

	for _, tc := range []struct {
		path, token string
		status      int
		code        string
	}{
		{"/api/v1/movies", "nonsense", http.StatusUnauthorized, "unauthorized"},
		{"/api/v1/movies/" + movie, "", http.StatusUnauthorized, "unauthorized"},
		{"/api/v1/movies/00000000-0000-4000-8000-000000000000", tok.Token, http.StatusNotFound, "not_found"},
		{"/api/v1/movies/people/00000000-0000-4000-8000-000000000000", tok.Token, http.StatusNotFound, "not_found"},
		{"/api/v1/movies/the-matrix", tok.Token, http.StatusBadRequest, "invalid"},
		{"/api/v1/movies/people/keanu", tok.Token, http.StatusBadRequest, "invalid"},
		{"/api/v1/movies?resolution=9000p", tok.Token, http.StatusBadRequest, "invalid"},
		{"/api/v1/movies?year=last+year", tok.Token, http.StatusBadRequest, "invalid"},
	} {
		var e struct {
			Error struct{ Code, Message string }
		}
		if code := get(tc.path, tc.token, &e); code != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s with token %q: %d %+v, want %d %s", tc.path, tc.token, code, e, tc.status, tc.code)
		}
	}
}
