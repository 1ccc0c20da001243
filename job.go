package switchboard

import (
	"encoding/json"
	"time"
)

// Job is a unit of work in the outbox: written in the same transaction as the
// state change it follows from, then run by a worker until it succeeds or is
// given up. Jobs with the same Key run one at a time in ID order.
type Job struct {
	ID        int64           `json:"id"`
	Kind      string          `json:"kind"`
	Key       string          `json:"key"`
	Payload   json.RawMessage `json:"payload"`
	Attempts  int             `json:"attempts"`
	RunAt     time.Time       `json:"run_at"`
	LastError string          `json:"last_error,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	// LeaseUntil is set while a worker holds the job.
	LeaseUntil *time.Time `json:"lease_until,omitempty"`
}

// Timer is a durable deadline: when DueAt passes, a worker fires it. Key is
// unique, so setting a timer again moves it instead of adding a second one.
type Timer struct {
	Key        string          `json:"key"`
	Kind       string          `json:"kind"`
	Payload    json.RawMessage `json:"payload"`
	DueAt      time.Time       `json:"due_at"`
	LeaseUntil *time.Time      `json:"lease_until,omitempty"`
}
