package web

import (
	"net/url"
	"strconv"
)

// Search is a plugin's browse query as its page's form and paging links
// read it: Query holds the request's parameters as they came.
type Search struct {
	Path  string // the browse page, e.g. "/music/"
	Query url.Values
}

// Q is one parameter of the search, to fill the form again.
func (s Search) Q(key string) string { return s.Query.Get(key) }

// Selected reports whether the form's key had value (a select's option).
func (s Search) Selected(key, value string) bool { return s.Query.Get(key) == value }

// PageURL is this search's page n: its non-empty parameters, page set
// unless n is 1.
func (s Search) PageURL(n int) string {
	q := url.Values{}
	for k, vs := range s.Query {
		if k != "page" && len(vs) > 0 && vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return s.Path + "?" + q.Encode()
}

// Advanced reports whether the search used a filter beyond the search
// string (the form then opens its advanced part).
func (s Search) Advanced() bool {
	for k, vs := range s.Query {
		if k != "searchstr" && k != "page" && len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}
