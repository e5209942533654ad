package projections

import (
	"context"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

// The users read model keeps each user's class, and staff-ness (admin)
// with it: a registration as administrator is an Administrator, any other
// a User; UserClassSet changes both.
func TestUsersKeepTheClass(t *testing.T) {
	ctx := context.Background()
	log, pool := testenv.Log(t), testenv.DB(t)
	alice := registerUser(t, log, "alice")
	pk, _ := domain.NewPasskey()
	boss := domain.UserRegistered{UserID: uuid.New(), Name: "boss", Passkey: pk, PasswordHash: "x", Admin: true}
	if _, err := log.Append(ctx, domain.UsernameSubject("boss"), boss, eventlog.ExpectNew()); err != nil {
		t.Fatal(err)
	}
	if err := NewProjector(Users{}, pool, log).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[domain.UserID]string{alice.UserID: "user", boss.UserID: "administrator"} {
		var class string
		var staff bool
		if err := pool.QueryRow(ctx, `SELECT class, admin FROM users.users WHERE id = $1`, id).Scan(&class, &staff); err != nil ||
			class != want || staff != (want == "administrator") {
			t.Fatalf("registered: class %q, staff %v, %v; want %s", class, staff, err, want)
		}
	}
	for _, c := range []domain.Class{domain.ClassModerator, domain.ClassElite} {
		if _, err := log.Append(ctx, domain.UserSubject(alice.UserID), domain.UserClassSet{UserID: alice.UserID, Class: c}); err != nil {
			t.Fatal(err)
		}
		if err := NewProjector(Users{}, pool, log).CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		var class string
		var staff bool
		err := pool.QueryRow(ctx, `SELECT class, admin FROM users.users WHERE id = $1`, alice.UserID).Scan(&class, &staff)
		if err != nil || ClassOf(class) != c || staff != c.Staff() {
			t.Fatalf("after UserClassSet %v: class %q, staff %v, %v", c, class, staff, err)
		}
	}
}
