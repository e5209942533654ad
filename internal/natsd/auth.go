package natsd

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/djembe/djembe/domain"
	"github.com/nats-io/nats-server/v2/server"
)

// Role is what a connection to the embedded server may do. Every role
// reads the log; none but the operator may create, update, purge or delete
// the stream or its messages.
type Role string

const (
	// Operator may do anything: set the stream up, and operator commands.
	Operator Role = "operator"
	// Writer is the write side: it appends to every aggregate subject, but
	// not to announce subjects.
	Writer Role = "writer"
	// Tracker appends only to its own node's announce subject.
	Tracker Role = "tracker"
	// Projector only reads.
	Projector Role = "projector"
)

// Roles lists every role, operator first.
var Roles = []Role{Operator, Writer, Tracker, Projector}

// Credentials are the roles' passwords on one data directory's embedded
// server. They are generated once and kept in a file only its owner can
// read (0600), as PostgreSQL's password is: holding the file is what
// makes a local user the operator.
type Credentials map[Role]string

// LoadCredentials reads the credentials at path, generating and writing
// them first if the file does not exist yet.
func LoadCredentials(path string) (Credentials, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createCredentials(path)
	}
	if err != nil {
		return nil, fmt.Errorf("NATS credentials: %w", err)
	}
	var c Credentials
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("NATS credentials %s: %w", path, err)
	}
	for _, r := range Roles {
		if c[r] == "" {
			return nil, fmt.Errorf("NATS credentials %s: no password for the %s role (remove the file to generate new ones)", path, r)
		}
	}
	return c, nil
}

func createCredentials(path string) (Credentials, error) {
	c := Credentials{}
	for _, r := range Roles {
		b := make([]byte, 24)
		rand.Read(b)
		c[r] = hex.EncodeToString(b)
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return nil, fmt.Errorf("write NATS credentials: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write NATS credentials: %w", err)
	}
	return c, nil
}

// users are the server's accounts for c: one user per role, named after
// it, with the role's permissions. trackerNode names the announce subject
// the tracker role may publish to ("*": any node's).
func (c Credentials) users(trackerNode string) []*server.User {
	users := make([]*server.User, 0, len(Roles))
	for _, r := range Roles {
		users = append(users, &server.User{Username: string(r), Password: c[r], Permissions: permissions(r, trackerNode)})
	}
	return users
}

// jsAPI is the JetStream API prefix for the event log's stream.
const jsAPI = "$JS.API."

// readerSubjects are what every role may publish to read the log: stream
// info, message gets, and ordered (ephemeral) consumers with their pulls.
func readerSubjects(stream string) []string {
	return []string{
		jsAPI + "INFO",
		jsAPI + "STREAM.INFO." + stream,
		jsAPI + "STREAM.MSG.GET." + stream,
		jsAPI + "CONSUMER.CREATE." + stream,
		jsAPI + "CONSUMER.CREATE." + stream + ".>",
		jsAPI + "CONSUMER.INFO." + stream + ".>",
		jsAPI + "CONSUMER.DELETE." + stream + ".>",
		jsAPI + "CONSUMER.MSG.NEXT." + stream + ".>",
	}
}

// StreamName is the event log's stream (eventlog.StreamName; natsd cannot
// import eventlog, which imports it in tests).
const StreamName = "DJEMBE"

// InboxPrefix is the prefix of a role's reply subjects: a role subscribes
// only under its own, so no role reads another's replies.
func InboxPrefix(r Role) string { return "_INBOX_" + string(r) }

// permissions are role r's. The operator has none set: it may do anything.
func permissions(r Role, trackerNode string) *server.Permissions {
	if r == Operator {
		return nil
	}
	pub := readerSubjects(StreamName)
	var deny []string
	switch r {
	case Writer:
		pub = append(pub, domain.SubjectAll)
		deny = []string{domain.AnnounceSubject(">")}
	case Tracker:
		pub = append(pub, domain.AnnounceSubject(trackerNode))
	}
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: pub, Deny: deny},
		Subscribe: &server.SubjectPermission{Allow: []string{InboxPrefix(r) + ".>"}},
	}
}
