package connector

// State is the normalised job state of SPEC §4.
type State string

const (
	StatePending    State = "pending"
	StateRunning    State = "running"
	StateSuccessful State = "successful"
	StateFaulted    State = "faulted"
	StateStopped    State = "stopped"
	StateSuspended  State = "suspended"
)

// States lists every normalised state, in lifecycle order.
var States = []State{StatePending, StateRunning, StateSuspended, StateSuccessful, StateFaulted, StateStopped}

// Terminal reports whether a job in this state will not change again.
func (s State) Terminal() bool {
	return s == StateSuccessful || s == StateFaulted || s == StateStopped
}

// Valid reports whether s is one of States.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// StateMap maps a vendor's raw states to normalised ones. Unknown raw
// states map to Fallback (running, so a job is watched until it ends).
type StateMap struct {
	States   map[string]State
	Fallback State
}

// Normalise returns the normalised state for raw.
func (m StateMap) Normalise(raw string) State {
	if s, ok := m.States[raw]; ok {
		return s
	}
	if m.Fallback != "" {
		return m.Fallback
	}
	return StateRunning
}
