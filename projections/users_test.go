package projections

import (
	"context"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

func registerUser(t *testing.T, log *eventlog.Log, name string) domain.UserRegistered {
	t.Helper()
	pk, _ := domain.NewPasskey()
	e := domain.UserRegistered{UserID: uuid.New(), Name: name, Passkey: pk, PasswordHash: "x"}
	if _, err := log.Append(context.Background(), domain.UsernameSubject(name), e, eventlog.ExpectNew()); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestUsersProjectionFollowsTheLog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log, pool := testenv.Log(t), testenv.DB(t)
	alice := registerUser(t, log, "alice")
	pr := NewProjector(Users{}, pool, log)
	done := make(chan error, 1)
	go func() { done <- pr.Run(ctx) }()
	<-pr.Ready()

	if _, err := log.Append(ctx, domain.UserSubject(alice.UserID), domain.UserDisabled{UserID: alice.UserID, Reason: "cheating"}); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "alice disabled", func() bool {
		var disabled bool
		pool.QueryRow(ctx, `SELECT disabled FROM users.users WHERE name = 'alice'`).Scan(&disabled)
		return disabled
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
