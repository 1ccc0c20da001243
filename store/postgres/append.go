package postgres

import (
	"encoding/binary"
	"hash/fnv"
	"slices"
)

// Ids in commit order. A sequence gives ids in the order of the nextval
// calls, but transactions commit in their own order: if T1 takes message id
// 10 and T2 takes id 11 for the same client and T2 commits first, a chat
// page that read 11 resumes "after 11" and never sees 10. So an id must be
// greater than those of every message of the same client committed before
// it, and a job's id greater than those of the jobs of its key committed
// before it (ClaimJobs runs the oldest job of a key first).
//
// Every statement that takes message ids first takes the append lock of
// each client it writes for, and EnqueueJob the append lock of its key:
// transaction-level advisory locks held until the commit. A transaction
// takes ids for a client only after every earlier taker for that client
// committed or rolled back, so the ids of a client (of a key) are in commit
// order. The lock is taken by the insert itself, in the same round trip.
//
// The locks are per client and per key, not one for the whole database: a
// global lock held until the commit would serialise the commits (and their
// disk flushes) of every instance, and cap the whole cluster at one commit
// at a time. Every reader of messages reads one client's (MessagesAfter,
// LastMessages), and ClaimJobs orders jobs within a key, so that is the order
// that matters. The engine already holds the client's lock (LockClient) when
// it writes messages and jobs, so there these locks never wait; they make the
// store keep its promise for any caller.
//
// Deadlocks: a transaction takes the append locks of its messages' clients
// in one statement, in key order, and the job keys the engine writes belong
// to the client it holds. Should a rare hash collision still make a cycle,
// the database breaks it and Update runs the transaction again.

// Namespaces of the 64-bit advisory lock keys, so that a client's
// LockClient, its message append lock and a job key's append lock never
// share a key by construction (only by a 64-bit hash collision).
const (
	nsClient   = "client"
	nsMessages = "messages"
	nsJobs     = "jobs"
)

// lockKey is the advisory lock key of name in a namespace of the schema.
func (t *tx) lockKey(ns, name string) int64 {
	h := fnv.New64a()
	var salt [4]byte
	binary.BigEndian.PutUint32(salt[:], t.db.salt)
	h.Write(salt[:])
	h.Write([]byte(ns))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// lockKeys are the distinct lock keys of names in a namespace, sorted, so
// that every transaction takes them in the same order.
func (t *tx) lockKeys(ns string, names []string) []int64 {
	keys := make([]int64, 0, len(names))
	for _, n := range names {
		keys = append(keys, t.lockKey(ns, n))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// appendLocks is a FROM item of one row that takes the advisory locks of the
// sorted array $1 (in its order) before the statement's rows are produced.
const appendLocks = `(SELECT COUNT(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k) AS append_lock`

// lockMigrate is the class of the two-key advisory lock held while a
// migration step is applied; the second key is the schema's salt.
// (PostgreSQL keeps one-key and two-key advisory locks apart.)
const lockMigrate int32 = 1
