package movies

import (
	"strings"
	"unicode/utf8"
)

// languageCodes are ISO 639-1's two-letter language codes.
const languageCodes = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy " +
	"da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz " +
	"ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv " +
	"mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu " +
	"rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty " +
	"ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"

var languages = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(languageCodes) {
		m[c] = true
	}
	return m
}()

// IsLanguage reports whether code is an ISO 639-1 language code, in
// lower case ("en", "fr").
func IsLanguage(code string) bool { return languages[code] }

// MaxSubtitles bounds a format's subtitle languages.
const MaxSubtitles = 60

// NormalizeSubtitles turns subtitle languages as people type them ("EN,
// fr , en") into their normal form: ISO 639-1 codes in lower case,
// duplicates dropped, in the order given. It refuses a code that is not
// ISO 639-1 and more than MaxSubtitles languages.
func NormalizeSubtitles(op, field string, codes []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.ToLower(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		if !IsLanguage(c) {
			if utf8.RuneCountInString(c) > 10 {
				c = string([]rune(c)[:10]) + "…"
			}
			return nil, invalid(op, field, "%q is not a language code: give ISO 639-1 codes such as en, fr, de", c)
		}
		seen[c] = true
		out = append(out, c)
	}
	if len(out) > MaxSubtitles {
		return nil, invalid(op, field, "%d subtitle languages: at most %d", len(out), MaxSubtitles)
	}
	return out, nil
}

// SplitList splits a comma-separated list as a form gives it (tags,
// subtitle languages).
func SplitList(s string) []string { return strings.Split(s, ",") }
