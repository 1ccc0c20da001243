package engine

import (
	"context"
	"hash/maphash"
	"log/slog"
	"sync"

	"switchboard"
	"switchboard/livechat"
)

// Config holds the engine's collaborators; zero fields get working defaults
// (real clock, discarded logs, no livechat platform).
type Config struct {
	Clock switchboard.Clock
	Log   *slog.Logger
	// Providers are the livechat platform drivers by platform name.
	Providers map[string]livechat.Provider
	// StepLimit overrides CSML's 100-step limit per run when > 0.
	StepLimit int
}

// Engine processes events; see the package documentation.
type Engine struct {
	store     switchboard.Store
	notifier  switchboard.Notifier
	bots      *Bots
	clock     switchboard.Clock
	log       *slog.Logger
	providers map[string]livechat.Provider
	stepLimit int
	stripes   [256]sync.Mutex
	seed      maphash.Seed
}

// New returns an engine over a store; notifier receives the topics to wake
// after each commit.
func New(store switchboard.Store, notifier switchboard.Notifier, bots *Bots, cfg Config) *Engine {
	e := &Engine{
		store: store, notifier: notifier, bots: bots,
		clock: cfg.Clock, log: cfg.Log, providers: cfg.Providers,
		stepLimit: cfg.StepLimit, seed: maphash.MakeSeed(),
	}
	if e.clock == nil {
		e.clock = switchboard.SystemClock{}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.providers == nil {
		e.providers = map[string]livechat.Provider{}
	}
	return e
}

// Bots returns the engine's bots.
func (e *Engine) Bots() *Bots { return e.bots }

// effects collects what to do once a transaction has committed.
type effects struct {
	topics map[string]struct{}
}

func (fx *effects) notify(topics ...string) {
	if fx.topics == nil {
		fx.topics = make(map[string]struct{})
	}
	for _, t := range topics {
		fx.topics[t] = struct{}{}
	}
}

// update runs fn in one transaction as the only processor of the client, then
// sends the notifications fn asked for, only if the transaction committed.
func (e *Engine) update(ctx context.Context, key switchboard.ClientKey, fn func(tx switchboard.Tx, fx *effects) error) error {
	mu := &e.stripes[maphash.String(e.seed, key.String())%uint64(len(e.stripes))]
	mu.Lock()
	defer mu.Unlock()
	fx := &effects{}
	err := e.store.Update(ctx, func(tx switchboard.Tx) error {
		fx.topics = nil // a retried transaction starts over
		if err := tx.LockClient(ctx, key); err != nil {
			return err
		}
		return fn(tx, fx)
	})
	if err != nil {
		return err
	}
	if len(fx.topics) > 0 && e.notifier != nil {
		topics := make([]string, 0, len(fx.topics))
		for t := range fx.topics {
			topics = append(topics, t)
		}
		e.notifier.Notify(topics...)
	}
	return nil
}
