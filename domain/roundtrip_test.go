package domain_test

import (
	"math/rand/v2"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/domaintest"
)

// TestEveryEventSurvivesTheLog stores and reads back every registered event
// type with random non-zero fields: a field an encoding drops or renames
// fails it.
func TestEveryEventSurvivesTheLog(t *testing.T) {
	if err := domaintest.CheckRoundTrips(rand.New(rand.NewPCG(7, 7)), 20); err != nil {
		t.Fatal(err)
	}
}

func TestRegisteredTypesAreTheConstants(t *testing.T) {
	for _, typ := range []string{domain.TypeUserRegistered, domain.TypePasskeyRotated, domain.TypeUserDisabled,
		domain.TypeUserEnabled, domain.TypeLeechingSet, domain.TypeTorrentRegistered, domain.TypeTorrentDeleted,
		domain.TypeTorrentFactorsSet, domain.TypeClientAllowListSet, domain.TypeAnnounceBatch,
		domain.TypeRatioWatchStarted, domain.TypeRatioWatchEnded, domain.TypeUserClassSet} {
		if e := domain.NewEvent(typ); e == nil || e.EventType() != typ {
			t.Errorf("%s: NewEvent gives %v", typ, e)
		}
	}
	if !domain.Registered(domain.TypeAnnounceBatch) || domain.Registered("NoSuchEvent") {
		t.Error("Registered is wrong")
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("registering UserEnabled again did not panic")
		}
	}()
	domain.RegisterJSON[domain.UserEnabled](1, nil)
}
