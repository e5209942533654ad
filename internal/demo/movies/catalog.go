package moviesdemo

import (
	cmdmovies "github.com/djembe/djembe/commands/movies"
	"github.com/djembe/djembe/domain/movies"
)

// The Movies plugin's sample catalogue, as plain table data: well-known
// films with their IMDb ids, runtimes (of the first edition), principal
// cast, directors, writers and producers, their editions and each
// edition's formats, one torrent per format. Directors and actors recur
// across films, so that people's filmographies have content.

// Movie is a movie of the sample catalogue with its editions.
type Movie struct {
	movies.MovieInfo                          // its Credits come from Credits
	Credits          []cmdmovies.PersonCredit // actors billed in the order given
	Editions         []Edition
}

// Edition is an edition of a movie, with its formats.
type Edition struct {
	movies.EditionInfo
	Formats []movies.FormatInfo
}

// Person is what the demo tells of a credited person.
type Person struct {
	Name string
	movies.PersonInfo
}

// Subtitle languages of the formats.
var (
	subsEN   = []string{"en"}
	subsMany = []string{"en", "fr", "de", "es", "it", "nl", "sv"}
)

// The formats an edition comes in.
var (
	uhdRemux   = movies.FormatInfo{Source: "UHD Blu-ray", Codec: "H.265", Container: "MKV", Resolution: "2160p", HDR: "HDR10", Kind: movies.KindRemux, Subtitles: subsMany}
	uhdRemuxDV = movies.FormatInfo{Source: "UHD Blu-ray", Codec: "H.265", Container: "MKV", Resolution: "2160p", HDR: "Dolby Vision", Kind: movies.KindRemux, Subtitles: subsMany}
	uhdEncode  = movies.FormatInfo{Source: "UHD Blu-ray", Codec: "x265", Container: "MKV", Resolution: "2160p", HDR: "HDR10", Kind: movies.KindEncode, Subtitles: subsEN}
	bdRemux    = movies.FormatInfo{Source: "Blu-ray", Codec: "H.264", Container: "MKV", Resolution: "1080p", HDR: movies.HDRNone, Kind: movies.KindRemux, Subtitles: subsMany}
	bdRemuxVC1 = movies.FormatInfo{Source: "Blu-ray", Codec: "VC-1", Container: "MKV", Resolution: "1080p", HDR: movies.HDRNone, Kind: movies.KindRemux, Subtitles: subsMany}
	bd1080     = movies.FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: movies.HDRNone, Kind: movies.KindEncode, Subtitles: subsEN}
	bd720      = movies.FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "720p", HDR: movies.HDRNone, Kind: movies.KindEncode, Subtitles: subsEN}
	web2160DV  = movies.FormatInfo{Source: "WEB", Codec: "H.265", Container: "MKV", Resolution: "2160p", HDR: "Dolby Vision", Kind: movies.KindEncode, Subtitles: subsMany}
	web1080    = movies.FormatInfo{Source: "WEB", Codec: "H.264", Container: "MKV", Resolution: "1080p", HDR: movies.HDRNone, Kind: movies.KindEncode, Subtitles: subsEN}
	dvdDisc    = movies.FormatInfo{Source: "DVD", Codec: "MPEG-2", Container: "VOB IFO", Resolution: "480p", HDR: movies.HDRNone, Kind: movies.KindDisc, Subtitles: []string{"en", "fr", "es"}}
	dvdPAL     = movies.FormatInfo{Source: "DVD", Codec: "MPEG-2", Container: "VOB IFO", Resolution: "576p", HDR: movies.HDRNone, Kind: movies.KindDisc, Subtitles: []string{"fr", "en"}}
	dvdEncode  = movies.FormatInfo{Source: "DVD", Codec: "x264", Container: "MKV", Resolution: "480p", HDR: movies.HDRNone, Kind: movies.KindEncode, Subtitles: subsEN}
)

// crew credits each name in kind.
func crew(kind movies.CreditKind, names ...string) []cmdmovies.PersonCredit {
	out := make([]cmdmovies.PersonCredit, len(names))
	for i, n := range names {
		out[i] = cmdmovies.PersonCredit{Name: n, Kind: kind}
	}
	return out
}

// cast credits actors from pairs of a name and the character played, in
// billing order.
func cast(pairs ...string) []cmdmovies.PersonCredit {
	var out []cmdmovies.PersonCredit
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, cmdmovies.PersonCredit{Name: pairs[i], Kind: movies.CreditActor, Role: pairs[i+1]})
	}
	return out
}

// credits are a movie's directors, writers, producers and cast.
func credits(directors, writers, producers []string, actors []cmdmovies.PersonCredit) []cmdmovies.PersonCredit {
	out := crew(movies.CreditDirector, directors...)
	out = append(out, crew(movies.CreditWriter, writers...)...)
	out = append(out, crew(movies.CreditProducer, producers...)...)
	return append(out, actors...)
}

func cut(name string, year int, distributor string, formats ...movies.FormatInfo) Edition {
	return Edition{EditionInfo: movies.EditionInfo{Name: name, Year: year, Distributor: distributor}, Formats: formats}
}

func names(n ...string) []string { return n }

// Movies are the sample catalogue's movies.
var Movies = []Movie{
	{MovieInfo: movies.MovieInfo{Title: "Alien", Year: 1979, IMDbID: "tt0078748", Runtime: 117, Tags: []string{"science.fiction", "horror"},
		Synopsis: "The crew of the commercial towing ship Nostromo answer a distress call from an uncharted moon, and bring something back on board."},
		Credits: credits(names("Ridley Scott"), names("Dan O'Bannon"), names("Gordon Carroll", "David Giler", "Walter Hill"),
			cast("Sigourney Weaver", "Ripley", "Tom Skerritt", "Dallas", "John Hurt", "Kane", "Ian Holm", "Ash", "Yaphet Kotto", "Parker")),
		Editions: []Edition{cut("Theatrical", 1979, "20th Century Fox", uhdRemux, bd1080), cut("Director's Cut", 2003, "20th Century Fox", bdRemux)}},
	{MovieInfo: movies.MovieInfo{Title: "Blade Runner", Year: 1982, IMDbID: "tt0083658", Runtime: 117, Tags: []string{"science.fiction", "neo.noir"},
		Synopsis: "Los Angeles, 2019. A retired blade runner is called back to hunt four replicants who have come to Earth looking for their maker."},
		Credits: credits(names("Ridley Scott"), names("Hampton Fancher", "David Peoples"), names("Michael Deeley"),
			cast("Harrison Ford", "Rick Deckard", "Rutger Hauer", "Roy Batty", "Sean Young", "Rachael", "Edward James Olmos", "Gaff", "Daryl Hannah", "Pris")),
		Editions: []Edition{cut("Theatrical", 1982, "Warner Bros.", dvdDisc), cut("Director's Cut", 1992, "Warner Bros.", dvdEncode),
			cut("Final Cut", 2007, "Warner Bros.", uhdRemux, bd1080)}},
	{MovieInfo: movies.MovieInfo{Title: "The Matrix", Year: 1999, IMDbID: "tt0133093", Runtime: 136, Tags: []string{"science.fiction", "action"},
		Synopsis: "A programmer who hacks at night learns that the world he lives in is a simulation, and that he may be the one to end it."},
		Credits: credits(names("Lana Wachowski", "Lilly Wachowski"), names("Lana Wachowski", "Lilly Wachowski"), names("Joel Silver"),
			cast("Keanu Reeves", "Neo", "Laurence Fishburne", "Morpheus", "Carrie-Anne Moss", "Trinity", "Hugo Weaving", "Agent Smith", "Joe Pantoliano", "Cypher")),
		Editions: []Edition{cut("Theatrical", 1999, "Warner Bros.", bdRemuxVC1, bd1080), cut("Remastered", 2018, "Warner Bros.", uhdRemuxDV)}},
	{MovieInfo: movies.MovieInfo{Title: "Se7en", Year: 1995, IMDbID: "tt0114369", Runtime: 127, Tags: []string{"crime", "thriller", "neo.noir"},
		Synopsis: "Two detectives, one a week from retirement, hunt a killer who models his murders on the seven deadly sins."},
		Credits: credits(names("David Fincher"), names("Andrew Kevin Walker"), names("Arnold Kopelson", "Phyllis Carlyle"),
			cast("Brad Pitt", "Detective David Mills", "Morgan Freeman", "Detective William Somerset", "Gwyneth Paltrow", "Tracy Mills", "R. Lee Ermey", "Police Captain")),
		Editions: []Edition{cut("Theatrical", 1995, "New Line Cinema", bd1080, dvdDisc)}},
	{MovieInfo: movies.MovieInfo{Title: "Fight Club", Year: 1999, IMDbID: "tt0137523", Runtime: 139, Tags: []string{"drama", "satire"},
		Synopsis: "An insomniac office worker and a soap salesman start an underground fight club that grows into something much larger."},
		Credits: credits(names("David Fincher"), names("Jim Uhls"), names("Art Linson", "Ceán Chaffin", "Ross Grayson Bell"),
			cast("Edward Norton", "The Narrator", "Brad Pitt", "Tyler Durden", "Helena Bonham Carter", "Marla Singer", "Meat Loaf", "Robert Paulson", "Jared Leto", "Angel Face")),
		Editions: []Edition{cut("Theatrical", 1999, "20th Century Fox", bdRemux, bd720)}},
	{MovieInfo: movies.MovieInfo{Title: "Memento", Year: 2000, IMDbID: "tt0209144", Runtime: 113, Tags: []string{"thriller", "mystery", "neo.noir"},
		Synopsis: "A man who cannot form new memories hunts his wife's killer with the help of polaroids, notes and tattoos, told backwards."},
		Credits: credits(names("Christopher Nolan"), names("Christopher Nolan", "Jonathan Nolan"), names("Suzanne Todd", "Jennifer Todd"),
			cast("Guy Pearce", "Leonard Shelby", "Carrie-Anne Moss", "Natalie", "Joe Pantoliano", "Teddy")),
		Editions: []Edition{cut("Theatrical", 2000, "Newmarket Films", bd1080, dvdEncode)}},
	{MovieInfo: movies.MovieInfo{Title: "Amélie", OriginalTitle: "Le Fabuleux Destin d'Amélie Poulain", Year: 2001, IMDbID: "tt0211915", Runtime: 122,
		Tags:     []string{"comedy", "romance", "french"},
		Synopsis: "A shy waitress in Montmartre decides to change the lives of the people around her, in secret, and nearly forgets her own."},
		Credits: credits(names("Jean-Pierre Jeunet"), names("Guillaume Laurant", "Jean-Pierre Jeunet"), names("Claudie Ossard"),
			cast("Audrey Tautou", "Amélie Poulain", "Mathieu Kassovitz", "Nino Quincampoix", "Rufus", "Raphaël Poulain")),
		Editions: []Edition{cut("Theatrical", 2001, "UGC", bd1080, dvdPAL)}},
	{MovieInfo: movies.MovieInfo{Title: "The Prestige", Year: 2006, IMDbID: "tt0482571", Runtime: 130, Tags: []string{"drama", "mystery", "thriller"},
		Synopsis: "Two stage magicians in Victorian London turn a friendly rivalry into an obsession over the perfect illusion."},
		Credits: credits(names("Christopher Nolan"), names("Jonathan Nolan", "Christopher Nolan"), names("Emma Thomas", "Aaron Ryder", "Christopher Nolan"),
			cast("Hugh Jackman", "Robert Angier", "Christian Bale", "Alfred Borden", "Michael Caine", "Cutter", "Scarlett Johansson", "Olivia Wenscombe", "David Bowie", "Nikola Tesla")),
		Editions: []Edition{cut("Theatrical", 2006, "Warner Bros.", uhdEncode, bdRemux)}},
	{MovieInfo: movies.MovieInfo{Title: "Inception", Year: 2010, IMDbID: "tt1375666", Runtime: 148, Tags: []string{"science.fiction", "action", "heist"},
		Synopsis: "A thief who steals secrets from people's dreams is offered his old life back for one last job: planting an idea instead."},
		Credits: credits(names("Christopher Nolan"), names("Christopher Nolan"), names("Emma Thomas", "Christopher Nolan"),
			cast("Leonardo DiCaprio", "Cobb", "Joseph Gordon-Levitt", "Arthur", "Elliot Page", "Ariadne", "Tom Hardy", "Eames", "Ken Watanabe", "Saito", "Michael Caine", "Miles")),
		Editions: []Edition{cut("Theatrical", 2010, "Warner Bros.", uhdRemux, bd1080, bd720)}},
	{MovieInfo: movies.MovieInfo{Title: "Arrival", Year: 2016, IMDbID: "tt2543164", Runtime: 116, Tags: []string{"science.fiction", "drama"},
		Synopsis: "When twelve alien craft touch down around the world, a linguist is asked to find out what their passengers want."},
		Credits: credits(names("Denis Villeneuve"), names("Eric Heisserer"), names("Shawn Levy", "Dan Levine", "Aaron Ryder", "David Linde"),
			cast("Amy Adams", "Louise Banks", "Jeremy Renner", "Ian Donnelly", "Forest Whitaker", "Colonel Weber", "Michael Stuhlbarg", "Agent Halpern")),
		Editions: []Edition{cut("Theatrical", 2016, "Paramount", web2160DV, bd1080)}},
	{MovieInfo: movies.MovieInfo{Title: "Blade Runner 2049", Year: 2017, IMDbID: "tt1856101", Runtime: 164, Tags: []string{"science.fiction", "neo.noir"},
		Synopsis: "Thirty years after the first film, a new blade runner unearths a secret that leads him to Rick Deckard, missing for decades."},
		Credits: credits(names("Denis Villeneuve"), names("Hampton Fancher", "Michael Green"), names("Andrew A. Kosove", "Broderick Johnson", "Bud Yorkin", "Cynthia Sikes Yorkin"),
			cast("Ryan Gosling", "K", "Harrison Ford", "Rick Deckard", "Ana de Armas", "Joi", "Sylvia Hoeks", "Luv", "Robin Wright", "Lieutenant Joshi", "Jared Leto", "Niander Wallace")),
		Editions: []Edition{cut("Theatrical", 2017, "Warner Bros.", uhdRemux, web1080, bd1080)}},
	{MovieInfo: movies.MovieInfo{Title: "Dune", Year: 2021, IMDbID: "tt1160419", Runtime: 155, Tags: []string{"science.fiction", "adventure"},
		Synopsis: "The son of a noble house travels to the desert planet Arrakis, the only source of the most precious substance in the universe."},
		Credits: credits(names("Denis Villeneuve"), names("Jon Spaihts", "Denis Villeneuve", "Eric Roth"), names("Mary Parent", "Denis Villeneuve", "Cale Boyter"),
			cast("Timothée Chalamet", "Paul Atreides", "Rebecca Ferguson", "Lady Jessica", "Oscar Isaac", "Duke Leto Atreides", "Josh Brolin", "Gurney Halleck",
				"Stellan Skarsgård", "Baron Vladimir Harkonnen", "Zendaya", "Chani")),
		Editions: []Edition{cut("Theatrical", 2021, "Warner Bros.", web2160DV, uhdRemux, bd1080)}},
}

// People are the people the demo gives a birth year and a short
// biography, as staff would.
var People = []Person{
	{"Ridley Scott", movies.PersonInfo{BirthYear: 1937, Biography: "English director and producer, from South Shields; made commercials before his first feature."}},
	{"Christopher Nolan", movies.PersonInfo{BirthYear: 1970, Biography: "British-American director, writer and producer, known for puzzle-box structures and shooting on film."}},
	{"Denis Villeneuve", movies.PersonInfo{BirthYear: 1967, Biography: "Canadian director from Quebec, who moved from French-language dramas to large-scale science fiction."}},
	{"David Fincher", movies.PersonInfo{BirthYear: 1962, Biography: "American director who began in music videos; famous for many takes and exacting detail."}},
	{"Harrison Ford", movies.PersonInfo{BirthYear: 1942, Biography: "American actor; was a carpenter before his breakthrough in the 1970s."}},
	{"Michael Caine", movies.PersonInfo{BirthYear: 1933, Biography: "English actor from London, in films for over six decades."}},
	{"Brad Pitt", movies.PersonInfo{BirthYear: 1963, Biography: "American actor and producer."}},
	{"Carrie-Anne Moss", movies.PersonInfo{BirthYear: 1967, Biography: "Canadian actress from Burnaby, British Columbia."}},
	{"Sigourney Weaver", movies.PersonInfo{BirthYear: 1949, Biography: "American actress, first known as Ellen Ripley."}},
	{"Jared Leto", movies.PersonInfo{BirthYear: 1971, Biography: "American actor and singer of Thirty Seconds to Mars."}},
}
