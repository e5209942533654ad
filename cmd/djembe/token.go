package main

import (
	"context"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/app"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/projections"
	"github.com/google/uuid"
)

func runToken(ctx context.Context, e *env, args []string) error {
	return runSub(ctx, e, args, "token", "token create --user NAME --name LABEL | revoke TOKEN_ID --user NAME | list --user NAME",
		sub{"create", tokenCreate}, sub{"revoke", tokenRevoke}, sub{"list", tokenList})
}

// tokenCreate creates an API token and prints it, once: only its hash is kept.
func tokenCreate(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "token create")
	user := userFlag(f, "whose token")
	label := f.String("name", "", "what the token is for (e.g. seedbox)")
	if _, err := f.parse(args, 0, 0, "--user NAME --name LABEL"); err != nil {
		return err
	}
	if err := requireUser(f, *user); err != nil {
		return err
	}
	if *label == "" {
		return refuse("token create: --name LABEL is required (what the token is for)")
	}
	var tok commands.CreatedToken
	if err := f.command(ctx, func(c *commands.Commands) (err error) {
		tok, err = c.CreateToken(ctx, commands.Operator, *user, *label)
		return err
	}); err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"token": tok.Token, "id": tok.ID, "name": tok.Label, "user": *user,
		"note": "shown this once: only its hash is kept"})
}

// tokenRevoke revokes a token; it returns once the site refuses it.
func tokenRevoke(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "token revoke")
	user := userFlag(f, "whose token")
	pos, err := f.parse(args, 1, 1, "TOKEN_ID --user NAME")
	if err != nil {
		return err
	}
	if err := requireUser(f, *user); err != nil {
		return err
	}
	id, err := uuid.Parse(pos[0])
	if err != nil {
		return refuse("token revoke: %q is not a token id (see djembe token list --user NAME)", pos[0])
	}
	if err := f.command(ctx, func(c *commands.Commands) error { return c.RevokeToken(ctx, commands.Operator, *user, id) }); err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"id": id, "user": *user, "event": domain.TypeTokenRevoked})
}

func tokenList(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "token list")
	user := userFlag(f, "whose tokens")
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
		tokens, err := projections.Tokens(ctx, inst.Pool, id)
		return map[string]any{"user": *user, "tokens": tokens}, err
	})
}

// runRSSKey shows or rotates a user's RSS key.
func runRSSKey(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "show" && args[0] != "rotate") {
		return refuse("usage: djembe rsskey show NAME | rotate NAME")
	}
	f := newFlags(e, "rsskey "+args[0])
	pos, err := f.parse(args[1:], 1, 1, "NAME")
	if err != nil {
		return err
	}
	if args[0] == "show" {
		return f.query(ctx, func(inst *instance.Instance) (any, error) {
			id, err := projections.UserIDByName(ctx, inst.Pool, pos[0])
			if err != nil {
				return nil, err
			}
			acc, err := projections.Account(ctx, inst.Pool, inst.Secret, id)
			return map[string]any{"name": pos[0], "rss_key": acc.RSSKey}, err
		})
	}
	var key domain.RSSKey
	err = f.command(ctx, func(c *commands.Commands) (err error) {
		key, err = c.RotateRSSKey(ctx, commands.Operator, pos[0])
		return err
	})
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{"name": pos[0], "rss_key": key, "event": domain.TypeRSSKeyRotated})
}

// catchUpAwait is how a command that owns the data directory (no serve
// runs, so no projector) makes a read model apply what it appended: it
// runs that projection's projector up to the end of the log.
func catchUpAwait(inst *instance.Instance) commands.Await {
	return func(ctx context.Context, name string, _ uint64) error {
		p, ok := app.ProjectionByName(name)
		if !ok {
			return refuse("no projection named %q", name)
		}
		return projections.NewProjector(p, inst.Pool, inst.Log).CatchUp(ctx)
	}
}
