package commands

import (
	"context"
	"errors"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// GrantInvites changes how many invites the user named name may create, by
// count (negative takes some back; the count stays at 0 or more). Staff
// only.
func (c *Commands) GrantInvites(ctx context.Context, a Actor, name string, count int) (domain.Account, error) {
	const op = "grant invites"
	if err := a.staffOnly(op); err != nil {
		return domain.Account{}, err
	}
	if err := domain.ValidateInviteGrant(count); err != nil {
		return domain.Account{}, domain.FieldE(op, "count", domain.KindInvalid, "%v", err)
	}
	_, acc, last, err := c.activeAccount(ctx, op, a, name)
	if err != nil {
		return acc, err
	}
	ev := domain.InvitesGranted{UserID: acc.UserID, Count: count}
	if err := c.change(ctx, op, a, domain.UserSubject(acc.UserID), last, ev); err != nil {
		return acc, err
	}
	acc.Apply(ev)
	return acc, nil
}

// CreatedInvite is an invite just created. Code is shown this once: the
// log and the read models keep only its hash.
type CreatedInvite struct {
	ID   uuid.UUID
	Code string
}

// CreateInvite creates an invite of the user named forUser and returns
// its code. A user creates their own and spends one of their invites
// (none left: refused); staff create anyone's, without spending theirs.
// A disabled user creates none. The invite's InviteCreated is appended on
// the user's subject against the state it was decided on, so two
// creations at once cannot both spend the last invite.
func (c *Commands) CreateInvite(ctx context.Context, a Actor, forUser string) (CreatedInvite, error) {
	const op = "create invite"
	u, acc, last, err := c.activeAccount(ctx, op, a, forUser)
	if err != nil {
		return CreatedInvite{}, err
	}
	if u.Disabled {
		return CreatedInvite{}, domain.FieldE(op, "user", domain.KindForbidden, "%s is disabled and cannot invite anyone", u.Name)
	}
	if !a.Staff && acc.InvitesLeft <= 0 {
		return CreatedInvite{}, domain.E(op, domain.KindForbidden, "you have no invites left: staff grant them")
	}
	code, hash := domain.NewInviteCode(u.ID)
	ev := domain.InviteCreated{UserID: u.ID, InviteID: uuid.New(), CodeHash: hash, Free: a.Staff}
	if err := c.change(ctx, op, a, domain.UserSubject(u.ID), last, ev); err != nil {
		return CreatedInvite{}, err
	}
	return CreatedInvite{ID: ev.InviteID, Code: code}, nil
}

// errBadInvite is the refusal of a code that is no invite (or no longer
// one): it does not say which, so codes cannot be probed.
func errBadInvite(op string) error {
	return domain.FieldE(op, "invite", domain.KindInvalid, "this invite code is not valid: ask the person who invited you for a new one")
}

// RegisterWithInvite registers a user (as RegisterUser, never an
// administrator) with an invite code, which it uses up: an invite
// registers one user, however many try at once. The invite's use is
// appended first (InviteUsed, who invited whom, on the invite's own
// subject, expecting it unused), then the registration; should the name
// be taken between the check and the registration, the invite is given
// back (InviteReturned). The new user is the actor of both.
func (c *Commands) RegisterWithInvite(ctx context.Context, code string, in RegisterUser) (Registration, error) {
	const op = "register"
	by, ok := domain.ParseInviteCode(code)
	if !ok {
		return Registration{}, errBadInvite(op)
	}
	hash := domain.SecretHash(code)
	if in.Admin {
		return Registration{}, domain.FieldE(op, "admin", domain.KindForbidden, "only staff may make an administrator")
	}
	inviter, acc, _, err := c.userByID(ctx, op, by)
	if err != nil {
		return Registration{}, err
	}
	inv, found := acc.Invite(hash)
	if !found || inviter.Forgotten || inviter.Disabled {
		return Registration{}, errBadInvite(op)
	}
	uses, last, err := c.read(ctx, op, domain.InviteSubject(hash))
	if err != nil {
		return Registration{}, err
	}
	var state domain.InviteState
	for _, e := range uses {
		state.Apply(e)
	}
	if state.Used {
		return Registration{}, domain.FieldE(op, "invite", domain.KindConflict, "this invite has been used already")
	}
	p, err := c.prepareRegistration(ctx, op, Actor{}, in)
	if err != nil {
		return Registration{}, err
	}
	self := Actor{User: p.id}
	used := domain.InviteUsed{CodeHash: hash, InviteID: inv.InviteID, By: by, UserID: p.id}
	seq, err := c.log.Append(ctx, domain.InviteSubject(hash), used, eventlog.ExpectLastSubjectSeq(last), eventlog.Actor(self.name()))
	if errors.Is(err, eventlog.ErrConflict) {
		return Registration{}, domain.FieldE(op, "invite", domain.KindConflict, "this invite has been used already")
	}
	if err != nil {
		return Registration{}, logError(ctx, op, err)
	}
	r, err := c.claimName(ctx, op, self, p)
	if err != nil {
		back := domain.InviteReturned{CodeHash: hash, UserID: p.id}
		_, _ = c.log.Append(ctx, domain.InviteSubject(hash), back, eventlog.ExpectLastSubjectSeq(seq), eventlog.Actor(self.name()))
		return Registration{}, err
	}
	return r, nil
}

// Register registers a user (as RegisterUser, never an administrator)
// without an invite, when registration is open (SetRegistration); the
// new user is the actor.
func (c *Commands) Register(ctx context.Context, in RegisterUser) (Registration, error) {
	const op = "register"
	open, err := c.RegistrationOpen(ctx)
	if err != nil {
		return Registration{}, err
	}
	if !open {
		return Registration{}, domain.FieldE(op, "invite", domain.KindForbidden, "registration is by invite only: ask a member for an invite")
	}
	if in.Admin {
		return Registration{}, domain.FieldE(op, "admin", domain.KindForbidden, "only staff may make an administrator")
	}
	p, err := c.prepareRegistration(ctx, op, Actor{}, in)
	if err != nil {
		return Registration{}, err
	}
	return c.claimName(ctx, op, Actor{User: p.id}, p)
}

// SetRegistration opens or closes registration without an invite. Staff
// only; the last setting wins.
func (c *Commands) SetRegistration(ctx context.Context, a Actor, open bool) error {
	const op = "set registration"
	if err := a.staffOnly(op); err != nil {
		return err
	}
	return c.set(ctx, op, a, domain.SubjectRegistration, domain.RegistrationSet{Open: open})
}

// RegistrationOpen reports whether anyone may register without an invite:
// the last RegistrationSet says, and before any it is closed.
func (c *Commands) RegistrationOpen(ctx context.Context) (bool, error) {
	evs, _, err := c.read(ctx, "read registration setting", domain.SubjectRegistration)
	if err != nil {
		return false, err
	}
	open := false
	for _, e := range evs {
		if s, ok := e.(domain.RegistrationSet); ok {
			open = s.Open
		}
	}
	return open, nil
}
