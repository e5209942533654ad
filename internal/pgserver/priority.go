package pgserver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"syscall"

	"github.com/jackc/pgx/v5"
)

// BackgroundNice is the nice value of background backends: the lowest CPU
// priority, so that on a busy machine they get what the announce path
// leaves over, and on an idle one all they want.
const BackgroundNice = 19

// LowerPriority makes the backend serving conn (a connection to a server on
// this machine) run at BackgroundNice.
//
// PostgreSQL starts every backend in a session of its own, and Linux's
// autogroup scheduling then gives each session the same CPU share as a whole
// other process: three busy projector backends would get three times the
// tracker's share. So the backend's autogroup is lowered as well as the
// process. Lowering a priority needs no privilege when the backend runs as
// this user; as root it works for any user.
func LowerPriority(conn *pgx.Conn) error {
	pid := int(conn.PgConn().PID())
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, pid, BackgroundNice); err != nil {
		return fmt.Errorf("lower priority of backend %d: %w", pid, err)
	}
	nice := []byte(strconv.Itoa(BackgroundNice))
	err := os.WriteFile("/proc/"+strconv.Itoa(pid)+"/autogroup", nice, 0)
	if err != nil && !errors.Is(err, fs.ErrNotExist) { // no file: autogroup scheduling not built in
		return fmt.Errorf("lower autogroup priority of backend %d: %w", pid, err)
	}
	return nil
}
