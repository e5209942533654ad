package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the person who caused it can do about
// it. Each door maps kinds in one place: the CLI to exit codes, the web to
// HTTP statuses and stable JSON codes, the tracker to its failure reasons.
// Kinds are only ever appended.
type Kind uint8

const (
	// KindInternal is a failure of ours or of the machine: nothing the asker did wrong.
	KindInternal Kind = iota
	// KindInvalid is input refused as it is: fix it and ask again.
	KindInvalid
	// KindNotFound is a reference to something that does not exist.
	KindNotFound
	// KindConflict is a create-once fact that exists already, or an aggregate
	// that changed meanwhile (ask again).
	KindConflict
	// KindForbidden is a request the asker may not make.
	KindForbidden
	// KindUnavailable is a server that is down or busy: try again later.
	KindUnavailable
	kindLimit
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "unavailable"}

// String is the kind's stable code, as the JSON API sends it.
func (k Kind) String() string {
	if k < kindLimit {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Refused reports whether the asker's request was refused as it stood
// (invalid, not found, conflict, forbidden), so that nothing was changed
// and asking differently may succeed.
func (k Kind) Refused() bool { return k >= KindInvalid && k <= KindForbidden }

// Error is an error with the operation that failed and its kind. Field,
// when set, names the input the message is about (a form field, a flag).
// Its message (Err) is written for the person who gets it and says what to do.
type Error struct {
	Op    string // the operation, e.g. "register user"
	Kind  Kind
	Field string
	Err   error
}

func (e *Error) Error() string {
	if e.Op == "" {
		return e.Err.Error()
	}
	return e.Op + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// E makes an error of kind for op with a formatted message.
func E(op string, kind Kind, format string, args ...any) error {
	return &Error{Op: op, Kind: kind, Err: fmt.Errorf(format, args...)}
}

// FieldE is E about one named input.
func FieldE(op, field string, kind Kind, format string, args ...any) error {
	return &Error{Op: op, Kind: kind, Field: field, Err: fmt.Errorf(format, args...)}
}

// Wrap adds op to err, keeping err's kind (KindInternal for an error
// without one). It returns nil for a nil err.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Kind: KindOf(err), Field: FieldOf(err), Err: err}
}

// KindOf is the kind of the outermost Error in err's chain, KindInternal if none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// FieldOf is the field the error is about, "" if none.
func FieldOf(err error) string {
	var e *Error
	for errors.As(err, &e) {
		if e.Field != "" {
			return e.Field
		}
		err = e.Err
	}
	return ""
}

// Message is err's text for the person who gets it: the message of the
// innermost Error, without the operations around it.
func Message(err error) string {
	var e *Error
	for errors.As(err, &e) {
		var inner *Error
		if !errors.As(e.Err, &inner) {
			return e.Err.Error()
		}
		err = e.Err
	}
	return err.Error()
}

// Refusals flattens err into the refusals it joins (errors.Join, possibly
// nested), in order; an err that joins nothing is its own one refusal, and
// nil has none.
func Refusals(err error) []error {
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, Refusals(e)...)
	}
	return out
}

// Fields lists the fields the refusals of err name, in order (FieldOf of
// each of Refusals; those about no field left out).
func Fields(err error) []string {
	var out []string
	for _, e := range Refusals(err) {
		if f := FieldOf(e); f != "" {
			out = append(out, f)
		}
	}
	return out
}
