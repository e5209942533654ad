package main

import (
	"bufio"
	"context"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
)

func runUser(ctx context.Context, e *env, args []string) error {
	return runSub(ctx, e, args, "user", "user add|show|disable|enable|forget NAME | class NAME CLASS",
		sub{"add", userAdd}, sub{"show", userShow}, sub{"disable", userDisable}, sub{"enable", userEnable}, sub{"forget", userForget},
		sub{"class", userClass})
}

// userClass sets a user's class, as the operator (who may set any). The
// class is named in any case, with spaces or underscores ("power_user").
func userClass(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "user class")
	pos, err := f.parse(args, 2, -1, "NAME CLASS")
	if err != nil {
		return err
	}
	class, err := domain.ParseClass(strings.Join(pos[1:], " ")) // power user, unquoted, is one class
	if err != nil {
		return refuse("%v", err)
	}
	var u domain.User
	if err := f.command(ctx, func(c *commands.Commands) (err error) {
		u, err = c.SetClass(ctx, commands.Operator, pos[0], class)
		return err
	}); err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"name": u.Name, "id": u.ID, "event": domain.TypeUserClassSet,
		"class": u.Class, "staff": u.Staff()})
}

func userAdd(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "user add")
	admin := f.Bool("admin", false, "make the user an administrator")
	fromStdin := f.Bool("password-stdin", false, "read the password from the first line of standard input")
	pos, err := f.parse(args, 1, 1, "NAME [--admin] [--password-stdin]")
	if err != nil {
		return err
	}
	in := commands.RegisterUser{Name: pos[0], Admin: *admin}
	if *fromStdin {
		if in.Password, err = readPassword(e); err != nil {
			return err
		}
	}
	var r commands.Registration
	err = f.command(ctx, func(c *commands.Commands) (err error) {
		r, err = c.RegisterUser(ctx, commands.Operator, in)
		return err
	})
	if err != nil {
		return err
	}
	out := map[string]any{"id": r.User.ID, "name": r.User.Name, "admin": r.User.Class == domain.ClassAdministrator,
		"class": r.User.Class, "passkey": r.User.Passkey}
	if r.Password != "" {
		out["password"] = r.Password
	}
	return printJSON(e.stdout, out)
}

// readPassword reads the first line of standard input.
func readPassword(e *env) (string, error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", refuse("--password-stdin: no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userShow(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "user show")
	pos, err := f.parse(args, 1, 1, "NAME")
	if err != nil {
		return err
	}
	if err := domain.ValidateUsername(pos[0]); err != nil {
		return refuse("invalid username %q: %v", pos[0], err)
	}
	return f.query(ctx, func(inst *instance.Instance) (any, error) {
		return projections.ShowUser(ctx, inst.Pool, inst.Secret, pos[0])
	})
}

// userChange runs a command that changes the user named by the one
// argument, and prints the user and the change.
func userChange(ctx context.Context, f *flags, args []string, event string,
	change func(c *commands.Commands, name string) (domain.User, error)) error {
	pos, err := f.parse(args, 1, 1, "NAME")
	if err != nil {
		return err
	}
	var u domain.User
	if err := f.command(ctx, func(c *commands.Commands) (err error) { u, err = change(c, pos[0]); return err }); err != nil {
		return err
	}
	out := map[string]any{"name": u.Name, "id": u.ID, "event": event}
	if event == domain.TypePasskeyRotated {
		out["passkey"] = u.Passkey
	}
	return printJSON(f.e.stdout, out)
}

func userDisable(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "user disable")
	reason := f.String("reason", "", "why (shown to the user by the tracker)")
	return userChange(ctx, f, args, domain.TypeUserDisabled, func(c *commands.Commands, name string) (domain.User, error) {
		return c.DisableUser(ctx, commands.Operator, name, *reason)
	})
}

func userEnable(ctx context.Context, e *env, args []string) error {
	return userChange(ctx, newFlags(e, "user enable"), args, domain.TypeUserEnabled, func(c *commands.Commands, name string) (domain.User, error) {
		return c.EnableUser(ctx, commands.Operator, name)
	})
}

// userForget forgets a user at their request and says what remains.
func userForget(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "user forget")
	pos, err := f.parse(args, 1, 1, "NAME")
	if err != nil {
		return err
	}
	var done commands.Forgotten
	if err := f.command(ctx, func(c *commands.Commands) (err error) {
		done, err = c.ForgetUser(ctx, commands.Operator, pos[0])
		return err
	}); err != nil {
		return err
	}
	out := map[string]any{"id": done.User.ID, "name": done.User.Name, "event": domain.TypeUserForgotten,
		"note": "their key is destroyed: what the log holds of them cannot be read; their torrents and totals stay under this name"}
	if done.PlainInLog {
		out["note"] = "they registered before personal data was sealed: the read models forget them, but the log keeps their name and password hash in plain, and nothing can remove them from it"
	}
	return printJSON(e.stdout, out)
}

func runPasskey(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return refuse("usage: djembe passkey rotate NAME")
	}
	return userChange(ctx, newFlags(e, "passkey rotate"), args[1:], domain.TypePasskeyRotated, func(c *commands.Commands, name string) (domain.User, error) {
		return c.RotatePasskey(ctx, commands.Operator, name)
	})
}
