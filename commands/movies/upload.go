package movies

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/google/uuid"
)

// PersonCredit is a person named on a movie, by name: a person of that
// name (or alias) is found, else created. Role and Billing are an
// actor's (the character, and the place in the billing from 1).
type PersonCredit struct {
	Name    string
	Kind    movies.CreditKind
	Role    string
	Billing int
}

// Upload is a movie upload: the .torrent with where its format goes.
//
// The format goes into an existing edition (Movie and Edition), a new
// edition of an existing movie (Movie, and EditionInfo; an edition the
// movie already has by that description is used), or a new movie with its
// first edition (Credits, MovieInfo and EditionInfo).
type Upload struct {
	File        []byte
	Uploader    string
	Source      string // the site's source tag (see commands.AddTorrent)
	Description string // notes on this torrent, shown on its page

	Movie       uuid.UUID // uuid.Nil: a new movie
	Credits     []PersonCredit
	MovieInfo   movies.MovieInfo // for a new movie; its Credits come from Credits
	Edition     uuid.UUID        // uuid.Nil: EditionInfo describes the edition
	EditionInfo movies.EditionInfo
	Format      movies.FormatInfo
}

// Uploaded is where an upload's format went.
type Uploaded struct {
	InfoHash domain.InfoHash
	Movie    uuid.UUID
	Edition  uuid.UUID
	Title    string // the torrent's title, as browse lists it
}

// Upload registers the .torrent (commands.AddTorrent, category Movies)
// and makes it a format of its edition, creating the people, movie and
// edition it names that do not exist. Everything the uploader wrote is
// checked before anything is appended, each problem on its field; a
// format the edition has already (the same source, resolution, codec,
// kind and HDR) is refused (KindConflict on "format", a
// *movies.DuplicateError naming the torrent that has it). Should the
// edition gain that format between the check and the append (a race with
// another upload), the torrent just registered is deleted again and the
// upload refused the same way.
func (m *Commands) Upload(ctx context.Context, a commands.Actor, in Upload) (Uploaded, error) {
	const op = "upload movie"
	in.Credits = normalizeCredits(in.Credits)
	p, err := m.plan(ctx, op, in)
	if err != nil {
		return Uploaded{}, err
	}
	added, err := m.s.Core().AddTorrent(ctx, a, commands.AddTorrent{File: in.File, Uploader: in.Uploader, Category: Category,
		Title: p.title, Description: in.Description, Source: in.Source})
	if err != nil {
		return Uploaded{InfoHash: added.Torrent.InfoHash}, err
	}
	h := added.Torrent.InfoHash
	out, err := m.place(ctx, op, a, in, p, h)
	if err != nil {
		if _, derr := m.s.Core().DeleteTorrent(ctx, commands.Operator, h, "its movie upload failed: "+domain.Message(err)); derr != nil {
			return Uploaded{InfoHash: h}, fmt.Errorf("%w (and the torrent registered for it could not be deleted: %v)", err, derr)
		}
		return Uploaded{InfoHash: h}, err
	}
	return out, nil
}

// plan is an upload checked, before anything is appended: the movie it
// goes into (if it exists), its edition (if known) and the torrent's title.
type plan struct {
	movie   movies.Movie // zero for a new movie
	edition uuid.UUID    // uuid.Nil: a new edition, or one found by description at placing
	title   string
}

// plan checks everything an upload says, returning every problem with its
// field, and refuses a duplicate format in an existing edition.
func (m *Commands) plan(ctx context.Context, op string, in Upload) (plan, error) {
	var p plan
	var errs []error
	if len(in.File) == 0 {
		errs = append(errs, domain.FieldE(op, "file", domain.KindInvalid, "choose the .torrent file your BitTorrent client made"))
	}
	if in.Movie == uuid.Nil {
		info := in.MovieInfo
		credits, err := placeholderCredits(op, in.Credits)
		info.Credits = credits
		errs = append(errs, err, info.Check(op))
		if imdb := info.IMDbID; imdb != "" && movies.CheckIMDbID(op, "imdb_id", imdb) == nil {
			if holder, ok, err := m.imdbHolder(ctx, op, imdb); err != nil {
				return p, err
			} else if ok {
				errs = append(errs, movies.IMDbTaken(op, imdb, holder))
			}
		}
	} else {
		mv, _, err := m.movie(ctx, op, in.Movie)
		if err != nil {
			return p, err
		}
		p.movie = mv
	}
	edition := in.EditionInfo
	switch {
	case in.Edition != uuid.Nil && p.movie.Exists():
		e, ok := p.movie.Edition(in.Edition)
		if !ok {
			errs = append(errs, domain.FieldE(op, "edition", domain.KindNotFound, "the movie has no such edition"))
			break
		}
		p.edition, edition = e.ID, e.EditionInfo
	case in.Edition != uuid.Nil:
		errs = append(errs, domain.FieldE(op, "edition", domain.KindInvalid, "a new movie has no editions yet: describe the edition"))
	default:
		errs = append(errs, in.EditionInfo.Check(op))
		if e, ok := p.movie.SameEdition(in.EditionInfo); ok {
			p.edition = e.ID
		}
	}
	errs = append(errs, in.Format.Check(op))
	if err := errors.Join(errs...); err != nil {
		return p, err
	}
	if p.edition != uuid.Nil {
		if err := p.movie.CheckNewFormat(op, p.edition, domain.InfoHash{}, in.Format); err != nil {
			return p, err
		}
	}
	info := in.MovieInfo
	if p.movie.Exists() {
		info = p.movie.Info
	}
	p.title = Title(info, edition, in.Format)
	return p, nil
}

// place appends what an upload creates: its new people, its movie (after
// claiming its IMDb id) and edition, then the format itself, on the
// movie's sequence. A format the edition gained meanwhile is refused as a
// duplicate, and so is an IMDb id another movie took meanwhile.
func (m *Commands) place(ctx context.Context, op string, a commands.Actor, in Upload, p plan, h domain.InfoHash) (Uploaded, error) {
	movieID := p.movie.ID // a merged movie's formats go to the movie it was merged into
	if movieID == uuid.Nil {
		var err error
		if movieID, err = m.create(ctx, op, a, in); err != nil {
			return Uploaded{}, err
		}
	}
	for range 3 {
		mv, last, err := m.movie(ctx, op, movieID)
		if err != nil {
			return Uploaded{}, err
		}
		movieID = mv.ID
		edition := in.Edition
		if edition == uuid.Nil {
			if e, ok := mv.SameEdition(in.EditionInfo); ok {
				edition = e.ID
			} else {
				edition = uuid.New()
				added := movies.EditionAdded{Movie: movieID, Edition: edition, EditionInfo: in.EditionInfo}
				if last, err = m.s.Change(ctx, op, a, movies.MovieSubject(movieID), last, added); domain.KindOf(err) == domain.KindConflict {
					continue
				} else if err != nil {
					return Uploaded{}, err
				}
				mv.Apply(added)
			}
		}
		if err := mv.CheckNewFormat(op, edition, h, in.Format); err != nil {
			return Uploaded{}, err
		}
		_, err = m.s.Change(ctx, op, a, movies.MovieSubject(movieID), last,
			movies.FormatAdded{Movie: movieID, Edition: edition, InfoHash: h, FormatInfo: in.Format})
		if domain.KindOf(err) == domain.KindConflict {
			continue
		}
		if err != nil {
			return Uploaded{}, err
		}
		return Uploaded{InfoHash: h, Movie: movieID, Edition: edition, Title: p.title}, nil
	}
	return Uploaded{}, domain.E(op, domain.KindConflict, "the movie changed while this upload was being placed: try again")
}

// create appends an upload's new movie with its people: its IMDb id is
// claimed first, so the movie is created holding it. Should another
// upload take the claim over before the movie is created (voiding it), the
// upload is refused as that one's duplicate, or asked to try again.
func (m *Commands) create(ctx context.Context, op string, a commands.Actor, in Upload) (uuid.UUID, error) {
	info := in.MovieInfo
	credits, err := m.resolveCredits(ctx, op, a, in.Credits)
	if err != nil {
		return uuid.Nil, err
	}
	info.Credits = credits
	id := uuid.New()
	if info.IMDbID != "" {
		if err := m.claimIMDb(ctx, op, a, info.IMDbID, id); err != nil {
			return uuid.Nil, err
		}
	}
	err = m.s.Claim(ctx, op, a, movies.MovieSubject(id), movies.MovieCreated{Movie: id, MovieInfo: info})
	if commands.IsTaken(err) {
		if holder, ok, herr := m.imdbHolder(ctx, op, info.IMDbID); herr == nil && ok {
			return uuid.Nil, movies.IMDbTaken(op, info.IMDbID, holder)
		}
		return uuid.Nil, domain.FieldE(op, "imdb_id", domain.KindConflict, "another upload took the IMDb id %s meanwhile: try again", info.IMDbID)
	}
	return id, err
}

// normalizeCredits trims names and roles, and numbers the actors' billing
// in the order given when none of them has one.
func normalizeCredits(in []PersonCredit) []PersonCredit {
	out := make([]PersonCredit, len(in))
	numbered := false
	for i, c := range in {
		c.Name, c.Role = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role)
		numbered = numbered || (c.Kind == movies.CreditActor && c.Billing != 0)
		out[i] = c
	}
	if !numbered {
		n := 0
		for i := range out {
			if out[i].Kind == movies.CreditActor {
				n++
				out[i].Billing = n
			}
		}
	}
	return out
}

// placeholderCredits checks the names of credits and stands each person
// in by an id derived from the name (the same name, the same id), so the
// movie's credit rules can be checked before anyone is created.
func placeholderCredits(op string, credits []PersonCredit) ([]movies.Credit, error) {
	var errs []error
	var out []movies.Credit
	for _, c := range credits {
		if err := movies.CheckPersonName(op, "credits", c.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, movies.Credit{Person: uuid.NewSHA1(uuid.Nil, []byte(movies.NameKey(c.Name))), Kind: c.Kind, Role: c.Role, Billing: c.Billing})
	}
	return out, errors.Join(errs...)
}

// resolveCredits finds or creates each credited person; two names that
// lead to one person in one kind (and role) are one credit, the first.
func (m *Commands) resolveCredits(ctx context.Context, op string, a commands.Actor, credits []PersonCredit) ([]movies.Credit, error) {
	var out []movies.Credit
	for _, c := range credits {
		p, err := m.personFor(ctx, op, a, c.Name)
		if err != nil {
			return nil, err
		}
		cr := movies.Credit{Person: p.ID, Kind: c.Kind, Role: c.Role, Billing: c.Billing}
		if !hasCredit(out, cr) {
			out = append(out, cr)
		}
	}
	return out, nil
}

func hasCredit(cs []movies.Credit, c movies.Credit) bool {
	for _, have := range cs {
		if have.Person == c.Person && have.Kind == c.Kind && movies.NameKey(have.Role) == movies.NameKey(c.Role) {
			return true
		}
	}
	return false
}

// Title is a movie torrent's title as generic pages list it: "Title
// (Year) [Edition / Source / Resolution / Codec]".
func Title(movie movies.MovieInfo, edition movies.EditionInfo, f movies.FormatInfo) string {
	return fmt.Sprintf("%s (%d) [%s / %s / %s / %s]", movie.Title, movie.Year, edition.Name, f.Source, f.Resolution, f.Codec)
}
