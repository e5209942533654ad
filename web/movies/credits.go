package movies

import (
	"strconv"
	"strings"

	cmdmovies "github.com/djembe/djembe/commands/movies"
	"github.com/djembe/djembe/domain/movies"
	readmovies "github.com/djembe/djembe/projections/movies"
	"github.com/djembe/djembe/web"
)

// blankCreditRows is how many empty credit rows a form offers (no
// JavaScript adds more): the upload form's all, an edit form's after the
// movie's credits.
const blankCreditRows = 8

// rowKinds are the kinds the upload form's blank credit rows start with:
// a director, a writer, a producer, then actors.
var rowKinds = []movies.CreditKind{movies.CreditDirector, movies.CreditWriter, movies.CreditProducer, movies.CreditActor}

// creditRow is one row of a form's credits: its number (its fields are
// credit_kind<N>, credit_name<N> and credit_role<N>), its values, and the
// message beside it (its field credit<N>).
type creditRow struct {
	N                int
	Kind, Name, Role string
	Error            string
}

// Field is the name of one of the row's inputs ("name" → credit_name3).
func (c creditRow) Field(what string) string { return "credit_" + what + strconv.Itoa(c.N) }

// IsKind reports whether the row's kind is k (a select's option).
func (c creditRow) IsKind(k movies.CreditKind) bool { return c.Kind == strconv.Itoa(int(k)) }

// rowField is the form field of row n's message.
func rowField(n int) string { return "credit" + strconv.Itoa(n) }

// formCreditRows are the credit rows of a form as submitted (n rows).
func formCreditRows(f web.Form, n int) []creditRow {
	rows := make([]creditRow, n)
	for i := range rows {
		c := creditRow{N: i}
		c.Kind, c.Name, c.Role = f.Values[c.Field("kind")], f.Values[c.Field("name")], f.Values[c.Field("role")]
		c.Error = f.Errors[rowField(i)]
		rows[i] = c
	}
	return rows
}

// blankRows are n empty rows numbered from first, their kinds as
// rowKinds suggests.
func blankRows(first, n int) []creditRow {
	rows := make([]creditRow, n)
	for i := range rows {
		k := rowKinds[min(i, len(rowKinds)-1)]
		if first > 0 {
			k = movies.CreditActor
		}
		rows[i] = creditRow{N: first + i, Kind: strconv.Itoa(int(k))}
	}
	return rows
}

// movieCreditRows are a movie's credits as rows (directors, writers,
// producers, then the cast in billing order), and blankCreditRows more.
func movieCreditRows(m readmovies.MovieRow) []creditRow {
	var rows []creditRow
	for _, k := range movies.CreditKinds {
		for _, c := range m.People(k) {
			rows = append(rows, creditRow{N: len(rows), Kind: strconv.Itoa(int(k)), Name: c.Name, Role: c.Role})
		}
	}
	return append(rows, blankRows(len(rows), blankCreditRows)...)
}

// creditFields are a form's credit fields for n rows, to keep them when
// it is shown again.
func creditFields(n int) []string {
	var out []string
	for i := range n {
		c := creditRow{N: i}
		out = append(out, c.Field("kind"), c.Field("name"), c.Field("role"))
	}
	return out
}

// readCredits reads a form's n credit rows into the write side's credits,
// in order (the actors' billing is their order). A row without a name or
// a role is no credit; a role without a name, an unknown kind and a role
// on a credit that is not an actor's are refused beside their row.
func readCredits(f web.Form, n int) []cmdmovies.PersonCredit {
	var out []cmdmovies.PersonCredit
	for _, row := range formCreditRows(f, n) {
		name, role := strings.TrimSpace(row.Name), strings.TrimSpace(row.Role)
		if name == "" && role == "" {
			continue
		}
		kind, err := movies.ParseCreditKind(row.Kind)
		switch {
		case err != nil:
			f.Fail(rowField(row.N), err.Error())
		case name == "":
			f.Fail(rowField(row.N), "give the name of the "+strings.ToLower(kind.String())+" who plays "+role+", or clear the role")
		case role != "" && kind != movies.CreditActor:
			f.Fail(rowField(row.N), "only an actor plays a role: choose Actor, or clear the role")
		default:
			out = append(out, cmdmovies.PersonCredit{Name: name, Kind: kind, Role: role})
		}
	}
	return out
}

// creditsView is a form's credit rows with the form's fields (for ids).
type creditsView struct {
	Fields fieldsView
	Rows   []creditRow
}

// ErrID is the id of the message beside field name.
func (c creditsView) ErrID(name string) string { return c.Fields.Error(name).ErrID() }

// InputID is the id of row n's input what ("kind", "name", "role").
func (c creditsView) InputID(what string, n int) string {
	return c.Fields.ID + "credit_" + what + strconv.Itoa(n)
}

// RowErrID is the id of row n's message.
func (c creditsView) RowErrID(n int) string { return c.ErrID(rowField(n)) }
