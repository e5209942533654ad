package instance

import (
	"context"
	"fmt"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/natsd"
	"github.com/nats-io/nats.go"
)

// CredentialsFile holds the embedded NATS server's role passwords, in the
// data directory, readable by its owner only.
const CredentialsFile = "nats.credentials.json"

// openLog sets the stream up as the operator and opens Log: a serve's Log
// is the write side's (Writer: it may not append announces or touch the
// stream's settings); an operator command's is the operator's.
func (inst *Instance) openLog(ctx context.Context, cfg Config, mode Mode) error {
	admin, err := inst.dial(natsd.Operator, cfg)
	if err != nil {
		return err
	}
	if inst.Log, err = eventlog.Open(ctx, admin, eventlog.Config{}); err != nil {
		return err
	}
	if err := checkSecret(ctx, inst.Log, inst.Secret, cfg); err != nil {
		return err
	}
	if mode == Serve && inst.nats != nil {
		admin.Close() // no running role keeps the operator's rights
		inst.Log, err = inst.LogAs(ctx, natsd.Writer, cfg.Name)
	}
	return err
}

// dial connects as role r: in-process to the embedded server this process
// started, else to the URL with the runtime's operator password (a serve's
// operator commands) or the external server's own credentials.
func (inst *Instance) dial(r natsd.Role, cfg Config) (*nats.Conn, error) {
	var nc *nats.Conn
	var err error
	switch {
	case inst.nats != nil:
		nc, err = inst.nats.ConnectAs(r, cfg.Name+"-"+string(r))
	case cfg.NATSURL != "":
		nc, err = natsd.Connect(inst.Runtime.NATSURL, cfg.Name, cfg.NATSAuth...)
	default:
		if inst.Runtime.NATSOperator == "" {
			return nil, fmt.Errorf("the serve holding %s published no NATS credential in runtime.json; restart it with this version", inst.dir)
		}
		nc, err = natsd.Connect(inst.Runtime.NATSURL, cfg.Name, natsd.As(natsd.Operator, inst.Runtime.NATSOperator))
	}
	if err != nil {
		return nil, err
	}
	inst.closers = append(inst.closers, nc.Close)
	return nc, nil
}

// LogAs opens the log on a connection of role r's own, so a role holds no
// rights beyond its own. With external NATS or as an operator command,
// there is one credential: it returns Log.
func (inst *Instance) LogAs(ctx context.Context, r natsd.Role, name string) (*eventlog.Log, error) {
	if inst.nats == nil {
		return inst.Log, nil
	}
	nc, err := inst.nats.ConnectAs(r, name+"-"+string(r))
	if err != nil {
		return nil, err
	}
	inst.closers = append(inst.closers, nc.Close)
	return eventlog.Attach(ctx, nc)
}
