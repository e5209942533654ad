package main

import (
	"context"
	"strconv"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
)

func runInvite(ctx context.Context, e *env, args []string) error {
	return runSub(ctx, e, args, "invite", "invite create --user NAME | grant --user NAME --count N | list --user NAME",
		sub{"create", inviteCreate}, sub{"grant", inviteGrant}, sub{"list", inviteList})
}

// userFlag adds the required --user NAME flag of an account command.
func userFlag(f *flags, what string) *string { return f.String("user", "", what) }

func requireUser(f *flags, user string) error {
	if user == "" {
		return refuse("%s: --user NAME is required", f.Name())
	}
	if err := domain.ValidateUsername(user); err != nil {
		return refuse("invalid username %q: %v", user, err)
	}
	return nil
}

// inviteCreate creates an invite of a user (by the operator: it spends
// none of theirs) and prints its code, which nothing keeps.
func inviteCreate(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "invite create")
	user := userFlag(f, "the user the invite is from")
	if _, err := f.parse(args, 0, 0, "--user NAME"); err != nil {
		return err
	}
	if err := requireUser(f, *user); err != nil {
		return err
	}
	var inv commands.CreatedInvite
	if err := f.command(ctx, func(c *commands.Commands) (err error) {
		inv, err = c.CreateInvite(ctx, commands.Operator, *user)
		return err
	}); err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"code": inv.Code, "id": inv.ID, "user": *user,
		"note": "shown this once: only its hash is kept"})
}

func inviteGrant(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "invite grant")
	user := userFlag(f, "the user to grant invites to")
	count := f.String("count", "", "how many invites to add (negative: take back)")
	if _, err := f.parse(args, 0, 0, "--user NAME --count N"); err != nil {
		return err
	}
	if err := requireUser(f, *user); err != nil {
		return err
	}
	n, err := strconv.Atoi(*count)
	if err != nil {
		return refuse("invite grant: --count N is required, a whole number (got %q)", *count)
	}
	var acc domain.Account
	if err := f.command(ctx, func(c *commands.Commands) (err error) {
		acc, err = c.GrantInvites(ctx, commands.Operator, *user, n)
		return err
	}); err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"user": *user, "invites_left": acc.InvitesLeft, "event": domain.TypeInvitesGranted})
}

// inviteList prints a user's invites left, and the invites they created,
// unused and used (by whom).
func inviteList(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "invite list")
	user := userFlag(f, "whose invites")
	if _, err := f.parse(args, 0, 0, "--user NAME"); err != nil {
		return err
	}
	if err := requireUser(f, *user); err != nil {
		return err
	}
	return f.query(ctx, func(inst *instance.Instance) (any, error) {
		id, err := projections.UserIDByName(ctx, inst.Pool, *user)
		if err != nil {
			return nil, err
		}
		acc, err := projections.Account(ctx, inst.Pool, inst.Secret, id)
		if err != nil {
			return nil, err
		}
		invites, err := projections.Invites(ctx, inst.Pool, id)
		return map[string]any{"user": *user, "invites_left": acc.InvitesLeft, "invited_by": acc.InvitedBy, "invites": invites}, err
	})
}

// runRegistration opens or closes registration without an invite, or
// shows whether it is open.
func runRegistration(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return refuse("usage: djembe registration open | close | show")
	}
	f := newFlags(e, "registration "+args[0])
	if _, err := f.parse(args[1:], 0, 0, ""); err != nil {
		return err
	}
	state := func(open bool) map[string]any {
		if open {
			return map[string]any{"registration": "open", "note": "anyone may register without an invite"}
		}
		return map[string]any{"registration": "closed", "note": "registration is by invite only"}
	}
	switch args[0] {
	case "open", "close":
		open := args[0] == "open"
		if err := f.command(ctx, func(c *commands.Commands) error { return c.SetRegistration(ctx, commands.Operator, open) }); err != nil {
			return err
		}
		return printJSON(e.stdout, state(open))
	case "show":
		return f.query(ctx, func(inst *instance.Instance) (any, error) {
			open, err := projections.RegistrationOpen(ctx, inst.Pool)
			return state(open), err
		})
	}
	return refuse("unknown registration command %q: use open, close or show", args[0])
}
