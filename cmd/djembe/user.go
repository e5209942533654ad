package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return refuse("usage: djembe user add|show|disable|enable NAME")
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, e, args[1:])
	case "show":
		return userShow(ctx, e, args[1:])
	case "disable":
		return userDisable(ctx, e, args[1:])
	case "enable":
		return userEnable(ctx, e, args[1:])
	}
	return refuse("unknown user command %q: use add, show, disable or enable", args[0])
}

func userAdd(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "user add")
	admin := f.Bool("admin", false, "make the user an administrator")
	fromStdin := f.Bool("password-stdin", false, "read the password from the first line of standard input")
	pos, err := f.parse(args, 1, 1, "NAME [--admin] [--password-stdin]")
	if err != nil {
		return err
	}
	name := pos[0]
	if err := domain.ValidateUsername(name); err != nil {
		return refuse("invalid username %q: %v", name, err)
	}
	password, generated, err := choosePassword(e, *fromStdin)
	if err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	passkey, err := domain.NewPasskey()
	if err != nil {
		return err
	}
	inst, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer inst.Close()
	ev := domain.UserRegistered{UserID: uuid.New(), Name: name, Admin: *admin, Passkey: passkey, PasswordHash: string(hash)}
	_, err = inst.Log.Append(ctx, domain.UsernameSubject(name), ev, eventlog.ExpectNew(), eventlog.Actor(domain.ActorOperator))
	if errors.Is(err, eventlog.ErrConflict) {
		return refuse("username %q is taken", name)
	}
	if err != nil {
		return err
	}
	out := map[string]any{"id": ev.UserID, "name": name, "admin": *admin, "passkey": passkey}
	if generated {
		out["password"] = password
	}
	return printJSON(e.stdout, out)
}

func choosePassword(e *env, fromStdin bool) (password string, generated bool, err error) {
	if !fromStdin {
		var b [15]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", false, err
		}
		return base64.RawURLEncoding.EncodeToString(b[:]), true, nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, refuse("--password-stdin: no password on standard input")
	}
	password = strings.TrimRight(line, "\r\n")
	if len(password) < MinPasswordLen {
		return "", false, refuse("password must be at least %d characters", MinPasswordLen)
	}
	if len(password) > 72 {
		return "", false, refuse("password must be at most 72 bytes")
	}
	return password, false, nil
}

// lookupUser finds a registered user by name from the log (its claim subject).
func lookupUser(ctx context.Context, inst *instance.Instance, name string) (domain.UserRegistered, error) {
	if err := domain.ValidateUsername(name); err != nil {
		return domain.UserRegistered{}, refuse("invalid username %q: %v", name, err)
	}
	u, found, err := firstEvent[domain.UserRegistered](ctx, inst.Log, domain.UsernameSubject(name))
	if err == nil && !found {
		err = refuse("no user named %q", name)
	}
	return u, err
}

// firstEvent is the event that claimed subject (its first), as a T; found
// is false when nothing claimed it.
func firstEvent[T domain.Event](ctx context.Context, log *eventlog.Log, subject string) (ev T, found bool, err error) {
	rec, found, err := log.FirstOnSubject(ctx, subject)
	if err != nil || !found {
		return ev, found, err
	}
	d, err := rec.Decode()
	if err != nil {
		return ev, true, err
	}
	ev, ok := d.(T)
	if !ok {
		return ev, true, fmt.Errorf("%s was claimed by a %s", subject, rec.Meta.Type)
	}
	return ev, true, nil
}

// openUser reads the NAME argument of f's command, opens the data
// directory and finds that user. The caller closes the instance.
func openUser(ctx context.Context, f *flags, args []string) (*instance.Instance, domain.UserRegistered, error) {
	pos, err := f.parse(args, 1, 1, "NAME")
	if err != nil {
		return nil, domain.UserRegistered{}, err
	}
	inst, err := f.open(ctx)
	if err != nil {
		return nil, domain.UserRegistered{}, err
	}
	u, err := lookupUser(ctx, inst, pos[0])
	if err != nil {
		inst.Close()
		return nil, u, err
	}
	return inst, u, nil
}

func userShow(ctx context.Context, e *env, args []string) error {
	inst, u, err := openUser(ctx, newFlags(e, "user show"), args)
	if err != nil {
		return err
	}
	defer inst.Close()
	if err := readModelsCurrent(ctx, inst); err != nil {
		return err
	}
	row, err := projections.ShowUser(ctx, inst.Pool, u.Name)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, row)
}

// appendToUser appends ev to the named user's subject.
func appendToUser(ctx context.Context, e *env, cmd string, args []string, extra func(*flags) func(domain.UserID) (domain.Event, error)) error {
	f := newFlags(e, cmd)
	build := extra(f)
	inst, u, err := openUser(ctx, f, args)
	if err != nil {
		return err
	}
	defer inst.Close()
	ev, err := build(u.UserID)
	if err != nil {
		return err
	}
	if _, err := inst.Log.Append(ctx, domain.UserSubject(u.UserID), ev, eventlog.Actor(domain.ActorOperator)); err != nil {
		return err
	}
	out := map[string]any{"name": u.Name, "id": u.UserID, "event": ev.EventType()}
	if r, ok := ev.(domain.PasskeyRotated); ok {
		out["passkey"] = r.Passkey
	}
	return printJSON(e.stdout, out)
}

func userDisable(ctx context.Context, e *env, args []string) error {
	return appendToUser(ctx, e, "user disable", args, func(f *flags) func(domain.UserID) (domain.Event, error) {
		reason := f.String("reason", "", "why (shown to the user by the tracker)")
		return func(id domain.UserID) (domain.Event, error) {
			return domain.UserDisabled{UserID: id, Reason: *reason}, nil
		}
	})
}

func userEnable(ctx context.Context, e *env, args []string) error {
	return appendToUser(ctx, e, "user enable", args, func(*flags) func(domain.UserID) (domain.Event, error) {
		return func(id domain.UserID) (domain.Event, error) { return domain.UserEnabled{UserID: id}, nil }
	})
}

func runPasskey(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return refuse("usage: djembe passkey rotate NAME")
	}
	return appendToUser(ctx, e, "passkey rotate", args[1:], func(*flags) func(domain.UserID) (domain.Event, error) {
		return func(id domain.UserID) (domain.Event, error) {
			pk, err := domain.NewPasskey()
			return domain.PasskeyRotated{UserID: id, Passkey: pk}, err
		}
	})
}
