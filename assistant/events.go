package assistant

import (
	"time"

	"mailsetup/discover"
	"mailsetup/mailcfg"
)

// EventKind names a step of a run, for progress displays and -v.
type EventKind string

const (
	SourceStarted  EventKind = "source_started"
	SourceFinished EventKind = "source_finished"
	CandidateAdded EventKind = "candidate_added" // a new server to probe (or a known one with one more source)
	ProbePhase     EventKind = "probe_phase"     // a probe reached a phase: resolve, connect, tls, greeting, …
	ProbeFinished  EventKind = "probe_finished"  // a probe settled with a status
	RoleSettled    EventKind = "role_settled"    // the recommendation for a role is final
	LoginStarted   EventKind = "login_started"
	LoginFinished  EventKind = "login_finished"
	Finished       EventKind = "finished"
)

// Event is one progress report. Candidate and Login are copies, safe to keep.
type Event struct {
	Kind      EventKind
	Time      time.Duration // since the run started
	Source    discover.SourceName
	Candidate *Candidate
	Phase     string
	Error     string
	Role      mailcfg.Role  // RoleSettled, LoginStarted, LoginFinished
	Login     *LoginOutcome // LoginFinished
}
