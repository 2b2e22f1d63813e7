package estate

// Viewer is who reads the estate, for the per-object rule of SPEC §2 and
// ISO-12: an Account User sees only the processes assigned to them, directly
// or through a group, and only those processes' jobs, schedules and figures.
//
// The zero Viewer sees nothing: seeing everything has to be said (AllProcesses),
// so a caller that forgets to build a Viewer leaks nothing.
type Viewer struct {
	UserID       string
	AllProcesses bool
}

// rolesSeeingAll are the roles whose holders see every process of an account.
// Only account_user is restricted; the effective roles are the union of a
// member's own role and their groups' (SPEC §2), so an Account User in the
// Administrators group sees everything, as an Account Admin.
var rolesSeeingAll = map[string]bool{
	"tenant_admin": true, "consultant": true, "account_admin": true, "client": true,
}

// ViewerFor builds the Viewer for a person with the given effective roles.
func ViewerFor(userID string, roles []string) Viewer {
	for _, r := range roles {
		if rolesSeeingAll[r] {
			return Viewer{UserID: userID, AllProcesses: true}
		}
	}
	return Viewer{UserID: userID}
}

// VisibleProcessesSQL returns an SQL condition that holds only for the
// process ids in column col that v may see in the account, with its
// arguments. Every read of the estate adds it, so ISO-12 holds in every list,
// detail, export and figure, in the query itself.
//
// A restricted viewer sees a process assigned to them, to a group they belong
// to (with an active membership of this account), or to the account's
// Everyone group, which holds every member without rows of its own.
func VisibleProcessesSQL(col, accountID string, v Viewer) (string, []any) {
	if v.AllProcesses {
		return "1 = 1", nil
	}
	return col + ` IN (
		SELECT pa.process_id FROM process_assignees pa
		JOIN memberships m ON m.account_id = pa.account_id AND m.user_id = ? AND m.status = 'active'
		WHERE pa.account_id = ? AND (pa.user_id = m.user_id OR pa.group_id IN (
			SELECT g.id FROM groups g
			WHERE g.account_id = pa.account_id AND g.builtin = 'everyone'
			UNION ALL
			SELECT gm.group_id FROM group_members gm
			WHERE gm.account_id = pa.account_id AND gm.membership_id = m.id)))`,
		[]any{v.UserID, accountID}
}
