// Package backupdemo is the Backup plugin's sample data for `djembe
// demo`: a few users' backups (family photos, thesis drafts, dotfiles...)
// with their redundancy, descriptions and versions (one neutral torrent
// each, uploaded by the owner through the plugin's write side), and the
// owners' priority points. Who seeds each version at the end (its live
// peers) gives versions in every state: healthy, under-replicated, at
// risk and lost; the weeks of history before are simulated like any
// torrent's, so versions have copies over time and their downloaders
// backup credit.
package backupdemo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/djembe/djembe/commands"
	cmdbackup "github.com/djembe/djembe/commands/backup"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/internal/demo"
	"github.com/google/uuid"
)

// Plugin is the Backup sample data as a demo.Plugin.
type Plugin struct{}

// New is the Backup sample data for demo.Config.Plugins.
func New() Plugin { return Plugin{} }

// Category is the Backup plugin's category.
func (Plugin) Category() string { return backup.Category }

// Items are a torrent for each version of Backups, in their order, each
// with its Ref; their sizes are the catalogue's own, not drawn from rng.
func (Plugin) Items(*rand.Rand) []demo.Item { return items() }

// Session begins the uploads of one fill through c. Its commands decide
// quotas and points on what the session itself has added: on a fresh
// site (the only one the demo fills) the owners hold nothing else, and
// the read model would only lag behind the uploads.
func (Plugin) Session(c *commands.Commands) demo.Session {
	s := &session{ids: map[int]uuid.UUID{}, owners: map[int]domain.UserID{}, standing: map[domain.UserID]backup.Standing{}}
	s.backups = cmdbackup.New(c, s.standingOf, backup.DefaultAllowance)
	return s
}

// session is one fill's uploads: the backups created so far, and what
// they ask of their owners.
type session struct {
	backups  *cmdbackup.Commands
	ids      map[int]uuid.UUID                 // Backups index: the backup's id, once created
	owners   map[int]domain.UserID             // Backups index: its owner's id
	standing map[domain.UserID]backup.Standing // what the session's changes ask of each owner
	versions int                               // versions added
}

// standingOf is user's standing as the session's changes made it.
func (s *session) standingOf(_ context.Context, user domain.UserID) (backup.Standing, error) {
	return s.standing[user], nil
}

// Upload uploads up, a version of the catalogue, as its backup's owner:
// the first version of a backup creates it.
func (s *session) Upload(ctx context.Context, up demo.Upload) (domain.InfoHash, error) {
	ref, ok := up.Item.Ref.(Ref)
	if !ok {
		return domain.InfoHash{}, domain.E("demo", domain.KindInternal, "%s: not a backup version (%T)", up.Item.Name, up.Item.Ref)
	}
	bk := Backups[ref.Backup]
	if err := s.create(ctx, ref.Backup); err != nil {
		return domain.InfoHash{}, fmt.Errorf("backup %s: %w", bk.Info.Name, err)
	}
	owner := s.owners[ref.Backup]
	added, err := s.backups.AddVersion(ctx, commands.UserActor(owner, false), cmdbackup.AddVersion{Backup: s.ids[ref.Backup],
		File: up.File, Uploader: up.Uploader, Message: bk.Versions[ref.Version].Message})
	if err != nil {
		return added.InfoHash, fmt.Errorf("%s: %w", up.Item.Name, err)
	}
	st := s.standing[owner]
	st.Obligation += backup.Obligation(added.Size, bk.Info.Redundancy)
	s.standing[owner] = st
	s.versions++
	return added.InfoHash, nil
}

// create creates backup b for its owner, as staff may, unless it was
// created already.
func (s *session) create(ctx context.Context, b int) error {
	if _, done := s.ids[b]; done {
		return nil
	}
	bk := Backups[b]
	id, err := s.backups.CreateBackup(ctx, commands.Operator, bk.Owner, bk.Info)
	if err != nil {
		return err
	}
	got, err := s.backups.Backup(ctx, id)
	if err != nil {
		return err
	}
	s.ids[b], s.owners[b] = id, got.Owner
	return nil
}

// Describe has the owners give their backups priority points, as they
// would once the versions are up, and counts the backups, the versions
// and the versions in each state they are planned to be in at the end.
func (s *session) Describe(ctx context.Context) (demo.Counts, error) {
	for b, bk := range Backups {
		if err := s.assign(ctx, b); err != nil {
			return nil, fmt.Errorf("backup %s: %w", bk.Info.Name, err)
		}
	}
	counts := demo.Counts{"backups": len(s.ids), "backup_versions": s.versions}
	for _, bk := range Backups {
		for _, v := range bk.Versions {
			counts[StateKey(Planned(bk, v))]++
		}
	}
	return counts, nil
}

// assign gives backup b its points as its owner, if it has any.
func (s *session) assign(ctx context.Context, b int) error {
	bk, owner := Backups[b], s.owners[b]
	if bk.Points == 0 || s.ids[b] == uuid.Nil {
		return nil
	}
	milli := bk.Points * 1000
	if err := s.backups.AssignPoints(ctx, commands.UserActor(owner, false), s.ids[b], milli); err != nil {
		return err
	}
	st := s.standing[owner]
	st.AssignedMilli += milli
	s.standing[owner] = st
	return nil
}

// StateKey is the report's key counting versions in state st:
// "backup_versions_healthy", "backup_versions_under_replicated",
// "backup_versions_at_risk" or "backup_versions_lost".
func StateKey(st backup.State) string {
	return "backup_versions_" + strings.NewReplacer(" ", "_", "-", "_").Replace(st.String())
}
