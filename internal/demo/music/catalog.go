package musicdemo

import "github.com/djembe/djembe/domain/music"

// The Music plugin's sample catalogue, as plain table data: invented
// artists, their albums (release groups), each album's editions and each
// edition's formats, one torrent per format. Artists are the artists the
// albums credit (found by name), so the demo can give them a
// description, an alias and similar artists once their albums are up.

// Artist is an artist of the sample catalogue.
type Artist struct {
	Name        string
	Alias       string // another name that leads to the artist; "" for none
	Description string
	Similar     []string // other Artists, by name
}

// Credit is an artist credited on an album, by name.
type Credit struct {
	Name string
	Role music.Role
}

// Album is an album of the sample catalogue with its editions.
type Album struct {
	Artists     []Credit // the main artists first
	Title       string
	Year        int
	Type        music.ReleaseType
	Tags        []string // in normal form (music.NormalizeTags)
	Description string
	Tracks      int
	Editions    []Edition
}

// Edition is an edition (release) of an album, with its formats.
type Edition struct {
	music.ReleaseInfo
	Formats []music.FormatInfo
}

// The formats an edition comes in: a CD rip with a perfect log and a
// cue, lossless of a vinyl or a web shop, hi-res, and the two MP3s.
var (
	flacLog = music.FormatInfo{Format: "FLAC", Encoding: "Lossless", HasLog: true, LogScore: 100, HasCue: true}
	flac    = music.FormatInfo{Format: "FLAC", Encoding: "Lossless"}
	flac24  = music.FormatInfo{Format: "FLAC", Encoding: "24bit Lossless"}
	mp3320  = music.FormatInfo{Format: "MP3", Encoding: "320"}
	mp3v0   = music.FormatInfo{Format: "MP3", Encoding: "V0 (VBR)"}
)

func by(name string) []Credit { return []Credit{{name, music.RoleMain}} }

func with(main string, role music.Role, other string) []Credit {
	return []Credit{{main, music.RoleMain}, {other, role}}
}

// edition is an edition of year (0: the album's) on media, from label
// with its catalogue number, in formats.
func edition(media string, year int, label, catNo string, formats ...music.FormatInfo) Edition {
	return Edition{ReleaseInfo: music.ReleaseInfo{Year: year, RecordLabel: label, CatalogueNumber: catNo, Media: media}, Formats: formats}
}

// reissue is edition with an edition title.
func reissue(media string, year int, label, catNo, title string, formats ...music.FormatInfo) Edition {
	e := edition(media, year, label, catNo, formats...)
	e.EditionTitle = title
	return e
}

// Artists are the sample catalogue's artists.
var Artists = []Artist{
	{Name: "Halcyon Drift", Alias: "Halcyon", Similar: []string{"Glass Harbour", "Polar Echo"},
		Description: "Dream pop from Brighton: two guitars, a drum machine they refuse to replace, and Nell Rourke's voice buried in reverb. Started in 2008 as Halcyon, a bedroom project; the full name came with the first EP."},
	{Name: "Glass Harbour", Similar: []string{"Halcyon Drift", "Mina Takeda"},
		Description: "Four-piece from Cork playing bright, melodic indie pop. Known for long tours of small venues and for Low Tide, recorded in a disused ferry terminal."},
	{Name: "Okonkwo Ensemble", Similar: []string{"Ravi Anand Quartet"},
		Description: "Nine-piece afrobeat and jazz band led by saxophonist Chidi Okonkwo, formed in Leeds in 2006. Horn-heavy, long-form, best heard live."},
	{Name: "Ravi Anand Quartet", Similar: []string{"Juno Reyes Trio", "Okonkwo Ensemble"},
		Description: "Piano quartet led by Ravi Anand, mixing Carnatic melody with post-bop. Monsoon Standards, their debut, is a fixture of late-night radio."},
	{Name: "Juno Reyes Trio", Similar: []string{"Ravi Anand Quartet"},
		Description: "Double bass, drums and vibraphone: Juno Reyes's trio records live to tape in one room."},
	{Name: "Neon Cathedral", Alias: "N. Cathedral", Similar: []string{"The Quiet Machines", "Kaito Mori"},
		Description: "Synthwave duo from Rotterdam. Analogue synths, gated drums, and the occasional saxophone solo played entirely straight."},
	{Name: "The Quiet Machines", Similar: []string{"Neon Cathedral", "Polar Echo", "Kaito Mori"},
		Description: "Electronic project of Tomasz Wierzba: glitchy, melodic IDM built from field recordings of trams and lifts."},
	{Name: "Kaito Mori", Similar: []string{"The Quiet Machines"},
		Description: "Ambient composer and sound designer from Sapporo. Slow piano, tape loops, snow."},
	{Name: "Mina Takeda", Similar: []string{"Glass Harbour", "Selma Oyelaran"},
		Description: "Singer-songwriter from Osaka whose city-pop debut Seventeen found a second life online a decade after its release."},
	{Name: "Selma Oyelaran", Similar: []string{"Mina Takeda"},
		Description: "Soul singer from Lagos and London. Old Roads was recorded with a live band in four days."},
	{Name: "Dust Bowl Radio", Similar: []string{"The Morning Ferries"},
		Description: "Americana trio from Oklahoma: fiddle, banjo and three-part harmony about small towns and long drives."},
	{Name: "The Morning Ferries", Similar: []string{"Dust Bowl Radio", "Glass Harbour"},
		Description: "Indie folk band from the Shetland Islands, named after the boat that took them to school."},
	{Name: "Ulla Berg", Similar: []string{"Kaito Mori"},
		Description: "Norwegian composer and hardanger fiddler, writing chamber music and film scores."},
	{Name: "Polar Echo", Similar: []string{"Halcyon Drift", "The Quiet Machines"},
		Description: "Instrumental post-rock from Tromsø: long crescendos, three guitars, no singer."},
	{Name: "Ada Kestner",
		Description: "DJ and founder of Lowlight Recordings, the Brighton label behind Halcyon Drift and Polar Echo."},
}

// Albums are the sample catalogue's albums.
var Albums = []Album{
	{Artists: by("Halcyon Drift"), Title: "Northbound", Year: 2009, Type: music.TypeEP, Tags: []string{"dream.pop", "shoegaze"}, Tracks: 5,
		Description: "The first EP, recorded in a flat above a launderette.",
		Editions:    []Edition{edition("WEB", 0, "Lowlight Recordings", "LOW 009", flac, mp3320)}},
	{Artists: by("Halcyon Drift"), Title: "Paper Boats", Year: 2011, Type: music.TypeAlbum, Tags: []string{"dream.pop", "shoegaze", "indie"}, Tracks: 11,
		Description: "The debut album: ten songs of fuzz and reverb, and a closing instrumental of eleven minutes.",
		Editions: []Edition{edition("CD", 0, "Lowlight Recordings", "LOW 021", flacLog, mp3v0, mp3320),
			reissue("Vinyl", 2021, "Lowlight Recordings", "LOW 021LP", "10th Anniversary", flac24),
			edition("WEB", 0, "Lowlight Recordings", "LOW 021D", flac)}},
	{Artists: by("Halcyon Drift"), Title: "Slow Light", Year: 2014, Type: music.TypeAlbum, Tags: []string{"dream.pop", "indie"}, Tracks: 10,
		Description: "Cleaner and slower than the debut; the drum machine finally gets a rest on two songs.",
		Editions:    []Edition{edition("CD", 0, "Lowlight Recordings", "LOW 044", flacLog, mp3v0), edition("WEB", 0, "Lowlight Recordings", "LOW 044D", flac24)}},
	{Artists: by("Halcyon Drift"), Title: "Afterglow Sessions", Year: 2016, Type: music.TypeLiveAlbum, Tags: []string{"dream.pop", "live"}, Tracks: 8,
		Description: "Recorded live at the Concorde 2, Brighton, on the last night of the Slow Light tour.",
		Editions:    []Edition{edition("WEB", 0, "Lowlight Recordings", "LOW 051D", flac, mp3v0)}},
	{Artists: by("Glass Harbour"), Title: "Tin Roof", Year: 2017, Type: music.TypeAlbum, Tags: []string{"indie.pop", "indie"}, Tracks: 10,
		Editions: []Edition{edition("CD", 0, "Brass Tacks", "BT-031", flacLog, mp3320), edition("Vinyl", 0, "Brass Tacks", "BT-031LP", flac24)}},
	{Artists: by("Glass Harbour"), Title: "Satellites", Year: 2018, Type: music.TypeSingle, Tags: []string{"indie.pop"}, Tracks: 2,
		Editions: []Edition{edition("WEB", 0, "Brass Tacks", "BT-038D", flac, mp3320)}},
	{Artists: with("Glass Harbour", music.RoleGuest, "Mina Takeda"), Title: "Low Tide", Year: 2019, Type: music.TypeAlbum, Tags: []string{"indie.pop", "indie"}, Tracks: 11,
		Description: "Recorded in a disused ferry terminal in Cobh; Mina Takeda sings on Kite Paper.",
		Editions:    []Edition{edition("WEB", 0, "Brass Tacks", "BT-045D", flac24, flac, mp3320)}},
	{Artists: by("Okonkwo Ensemble"), Title: "Lagos to Leeds", Year: 2008, Type: music.TypeAlbum, Tags: []string{"afrobeat", "jazz"}, Tracks: 7,
		Editions: []Edition{edition("CD", 0, "Strut Lane", "SL 017", flacLog, mp3v0),
			reissue("Vinyl", 2021, "Strut Lane", "SL 017LP", "Remastered", flac24)}},
	{Artists: by("Okonkwo Ensemble"), Title: "Live at the Brudenell", Year: 2012, Type: music.TypeLiveAlbum, Tags: []string{"afrobeat", "jazz", "live"}, Tracks: 6,
		Editions: []Edition{edition("CD", 0, "Strut Lane", "SL 029", flacLog)}},
	{Artists: by("Okonkwo Ensemble"), Title: "Copperline", Year: 2015, Type: music.TypeAlbum, Tags: []string{"afrobeat", "funk"}, Tracks: 8,
		Editions: []Edition{edition("WEB", 0, "Strut Lane", "SL 040D", flac, mp3320)}},
	{Artists: by("Ravi Anand Quartet"), Title: "Monsoon Standards", Year: 2005, Type: music.TypeAlbum, Tags: []string{"jazz", "indian.classical"}, Tracks: 9,
		Editions: []Edition{edition("CD", 0, "Meridian Jazz", "MJ 1102", flacLog, mp3v0)}},
	{Artists: by("Ravi Anand Quartet"), Title: "Night Drive", Year: 2013, Type: music.TypeAlbum, Tags: []string{"jazz"}, Tracks: 8,
		Editions: []Edition{edition("CD", 0, "Meridian Jazz", "MJ 1140", flacLog), edition("WEB", 0, "Meridian Jazz", "", flac24)}},
	{Artists: by("Ravi Anand Quartet"), Title: "Parallel", Year: 2020, Type: music.TypeEP, Tags: []string{"jazz"}, Tracks: 4,
		Editions: []Edition{edition("WEB", 0, "Meridian Jazz", "", flac, mp3320)}},
	{Artists: by("Juno Reyes Trio"), Title: "Kite String", Year: 2016, Type: music.TypeAlbum, Tags: []string{"jazz", "vibraphone"}, Tracks: 9,
		Editions: []Edition{edition("Vinyl", 0, "Tapeworks", "TW-12", flac24), edition("WEB", 0, "Tapeworks", "", flac, mp3v0)}},
	{Artists: by("Juno Reyes Trio"), Title: "Homecoming", Year: 2022, Type: music.TypeAlbum, Tags: []string{"jazz"}, Tracks: 8,
		Editions: []Edition{edition("WEB", 0, "Tapeworks", "", flac24, mp3320)}},
	{Artists: by("Neon Cathedral"), Title: "Halflife", Year: 2015, Type: music.TypeAlbum, Tags: []string{"synthwave", "electronic"}, Tracks: 10,
		Editions: []Edition{edition("CD", 0, "Nachtlicht", "NL-004", flacLog, mp3320), edition("WEB", 0, "Nachtlicht", "NL-004D", flac)}},
	{Artists: []Credit{{"Neon Cathedral", music.RoleMain}, {"The Quiet Machines", music.RoleRemixer}, {"Kaito Mori", music.RoleRemixer}},
		Title: "Halflife Remixed", Year: 2016, Type: music.TypeRemix, Tags: []string{"synthwave", "electronic", "remix"}, Tracks: 6,
		Description: "Six songs of Halflife taken apart by friends of the band.",
		Editions:    []Edition{edition("WEB", 0, "Nachtlicht", "NL-007D", flac, mp3320)}},
	{Artists: with("Neon Cathedral", music.RoleGuest, "Selma Oyelaran"), Title: "Fever Dream", Year: 2018, Type: music.TypeAlbum, Tags: []string{"synthwave", "electronic", "synth.pop"}, Tracks: 11,
		Editions: []Edition{edition("WEB", 0, "Nachtlicht", "NL-012D", flac24, flac, mp3320)}},
	{Artists: by("The Quiet Machines"), Title: "Static Orchard", Year: 2010, Type: music.TypeAlbum, Tags: []string{"idm", "electronic"}, Tracks: 12,
		Editions: []Edition{edition("CD", 0, "Tessellate", "TES 012", flacLog, mp3v0),
			reissue("Vinyl", 2020, "Tessellate", "TES 012LP", "10th Anniversary Edition", flac24)}},
	{Artists: by("The Quiet Machines"), Title: "Glasshouse", Year: 2013, Type: music.TypeEP, Tags: []string{"idm", "electronic"}, Tracks: 4,
		Editions: []Edition{edition("Vinyl", 0, "Tessellate", "TES 020", flac24), edition("WEB", 0, "Tessellate", "TES 020D", mp3320)}},
	{Artists: by("The Quiet Machines"), Title: "Selected Signals 2008–2018", Year: 2019, Type: music.TypeCompilation, Tags: []string{"idm", "electronic"}, Tracks: 14,
		Editions: []Edition{edition("WEB", 0, "Tessellate", "TES 030D", flac, mp3v0)}},
	{Artists: by("Kaito Mori"), Title: "Ember", Year: 2017, Type: music.TypeAlbum, Tags: []string{"ambient", "modern.classical"}, Tracks: 9,
		Editions: []Edition{edition("CD", 0, "Shiroi Records", "SHR-0021", flacLog), edition("WEB", 0, "Shiroi Records", "", flac24, mp3320)}},
	{Artists: by("Kaito Mori"), Title: "Undertow", Year: 2021, Type: music.TypeEP, Tags: []string{"ambient"}, Tracks: 4,
		Editions: []Edition{edition("WEB", 0, "Shiroi Records", "", flac)}},
	{Artists: by("Mina Takeda"), Title: "Seventeen", Year: 2012, Type: music.TypeAlbum, Tags: []string{"city.pop", "pop"}, Tracks: 10,
		Description: "Her debut, out of print for years, reissued on vinyl after a song from it went round the internet.",
		Editions: []Edition{edition("CD", 0, "Sora Music", "SORA-1012", flacLog, mp3320),
			reissue("Vinyl", 2022, "Sora Music", "SORA-1012LP", "Reissue", flac24)}},
	{Artists: by("Mina Takeda"), Title: "Salt", Year: 2019, Type: music.TypeAlbum, Tags: []string{"pop", "singer.songwriter"}, Tracks: 10,
		Editions: []Edition{edition("WEB", 0, "Sora Music", "SORA-1044D", flac, mp3v0)}},
	{Artists: by("Mina Takeda"), Title: "Lullaby", Year: 2020, Type: music.TypeSingle, Tags: []string{"pop"}, Tracks: 2,
		Editions: []Edition{edition("WEB", 0, "Sora Music", "", flac)}},
	{Artists: by("Selma Oyelaran"), Title: "Old Roads", Year: 2014, Type: music.TypeAlbum, Tags: []string{"soul", "rnb"}, Tracks: 11,
		Editions: []Edition{edition("CD", 0, "Goldleaf", "GL 0077", flacLog, mp3v0)}},
	{Artists: by("Selma Oyelaran"), Title: "Live in Rotterdam", Year: 2018, Type: music.TypeLiveAlbum, Tags: []string{"soul", "live"}, Tracks: 9,
		Editions: []Edition{edition("WEB", 0, "Goldleaf", "", flac, mp3320)}},
	{Artists: by("Dust Bowl Radio"), Title: "Dry County", Year: 2009, Type: music.TypeAlbum, Tags: []string{"americana", "folk", "bluegrass"}, Tracks: 12,
		Editions: []Edition{edition("CD", 0, "Red Dirt Records", "RDR-114", flacLog, mp3v0),
			reissue("Vinyl", 2017, "Red Dirt Records", "RDR-114LP", "Remastered", flac24)}},
	{Artists: by("Dust Bowl Radio"), Title: "Outro for a Small Town", Year: 2013, Type: music.TypeAlbum, Tags: []string{"americana", "folk"}, Tracks: 10,
		Editions: []Edition{edition("CD", 0, "Red Dirt Records", "RDR-131", flacLog)}},
	{Artists: by("Dust Bowl Radio"), Title: "Radio Sessions", Year: 2015, Type: music.TypeCompilation, Tags: []string{"americana", "live"}, Tracks: 13,
		Description: "Thirteen songs played live on local radio between 2008 and 2014.",
		Editions:    []Edition{edition("WEB", 0, "Red Dirt Records", "", mp3320)}},
	{Artists: by("The Morning Ferries"), Title: "Harbour Lights", Year: 2016, Type: music.TypeAlbum, Tags: []string{"indie.folk", "folk"}, Tracks: 10,
		Editions: []Edition{edition("CD", 0, "Skerry Records", "SKR 005", flacLog, mp3320), edition("WEB", 0, "Skerry Records", "", flac)}},
	{Artists: by("The Morning Ferries"), Title: "Ferry Songs", Year: 2018, Type: music.TypeEP, Tags: []string{"indie.folk"}, Tracks: 5,
		Editions: []Edition{edition("Vinyl", 0, "Skerry Records", "SKR 009", flac24)}},
	{Artists: by("Ulla Berg"), Title: "Winter Letters", Year: 2011, Type: music.TypeAlbum, Tags: []string{"folk", "modern.classical"}, Tracks: 9,
		Editions: []Edition{edition("CD", 0, "Fjordlyd", "FJL 031", flacLog), edition("WEB", 0, "Fjordlyd", "", flac24)}},
	{Artists: []Credit{{"Ulla Berg", music.RoleComposer}}, Title: "The Salt Flats (Original Score)", Year: 2020, Type: music.TypeSoundtrack,
		Tags: []string{"soundtrack", "modern.classical"}, Tracks: 16,
		Editions: []Edition{edition("WEB", 0, "Fjordlyd", "FJL 058D", flac24, mp3320)}},
	{Artists: by("Polar Echo"), Title: "Deep Field", Year: 2012, Type: music.TypeAlbum, Tags: []string{"post.rock", "instrumental"}, Tracks: 6,
		Editions: []Edition{edition("CD", 0, "Lowlight Recordings", "LOW 033", flacLog, mp3v0),
			reissue("Vinyl", 2018, "Lowlight Recordings", "LOW 033LP", "Deluxe", flac24)}},
	{Artists: by("Polar Echo"), Title: "Frontier", Year: 2016, Type: music.TypeAlbum, Tags: []string{"post.rock", "instrumental"}, Tracks: 7,
		Editions: []Edition{edition("WEB", 0, "Lowlight Recordings", "LOW 049D", flac, mp3320)}},
	{Artists: by("Polar Echo"), Title: "Live at the Ferry Terminal", Year: 2019, Type: music.TypeLiveAlbum, Tags: []string{"post.rock", "live"}, Tracks: 7,
		Editions: []Edition{edition("WEB", 0, "Lowlight Recordings", "", flac)}},
	{Artists: []Credit{{"Halcyon Drift", music.RoleMain}, {"Polar Echo", music.RoleMain}, {"Glass Harbour", music.RoleMain},
		{"The Morning Ferries", music.RoleMain}, {"Ada Kestner", music.RoleDJ}},
		Title: "Lowlight: Ten Years", Year: 2018, Type: music.TypeCompilation, Tags: []string{"indie", "dream.pop", "post.rock"}, Tracks: 15,
		Description: "The label's tenth birthday: a song each from its bands and its friends' bands, chosen by its founder.",
		Editions:    []Edition{edition("WEB", 0, "Lowlight Recordings", "LOW 100D", flac, mp3320)}},
}
