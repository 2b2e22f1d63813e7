package runs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bureau/apperr"
	"bureau/estate"
	"bureau/store"
)

// process is a process of the account that a run starts.
type process struct {
	ID   string
	Ref  string
	Name string
}

// visibility returns the condition on processes p that limits a restricted
// caller to their assigned processes (ISO-12), and its arguments: the same
// rule every estate read uses.
func visibility(c Caller, accountID string) (string, []any) {
	return estate.VisibleProcessesSQL("p.id", accountID, estate.Viewer{UserID: c.UserID, AllProcesses: !c.Restricted})
}

// visibleProcess finds the process in the account, as the caller may see
// it: another account's process and an unassigned one look missing (404).
func visibleProcess(ctx context.Context, q store.Querier, c Caller, accountID, processID string) (process, error) {
	cond, args := visibility(c, accountID)
	var p process
	err := q.QueryRowContext(ctx, `SELECT p.id, p.ref, p.name FROM processes p
		WHERE p.account_id = ? AND p.id = ? AND `+cond, append([]any{accountID, processID}, args...)...).Scan(&p.ID, &p.Ref, &p.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return p, apperr.NotFound()
	}
	if err != nil {
		return p, fmt.Errorf("process %s: %w", processID, err)
	}
	return p, nil
}
