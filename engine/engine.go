package engine

import (
	"context"
	"hash/maphash"
	"log/slog"
	"sync"

	"switchboard"
	"switchboard/csml"
	"switchboard/csml/httphost"
	"switchboard/csml/smtphost"
	"switchboard/internal/memo"
	"switchboard/livechat"
)

// Config holds the engine's collaborators; zero fields get working defaults
// (real clock, discarded logs, no livechat platform).
type Config struct {
	Clock switchboard.Clock
	Log   *slog.Logger
	// Providers are the livechat platform drivers by platform name.
	Providers map[string]livechat.Provider
	// ChannelPlatforms name, by channel type, the livechat platform of the
	// channels whose platform has agents of its own on the very
	// conversation (a Chatwoot inbox served as an agent bot): a session of
	// their clients is held there, whatever the bot's livechat settings
	// say, and its jobs run in order with the messages sent to the client
	// (ChannelSendKey), so that the conversation is handed over before the
	// bot's next message and back before its reply to the end.
	ChannelPlatforms map[switchboard.ChannelType]string
	// Sealer opens the secrets of livechat settings (secrets.Keyring).
	Sealer livechat.Sealer
	// StepLimit overrides CSML's 100-step limit per run when > 0.
	StepLimit int
	// CSML is the sandbox of the bots' runs: limits, HTTP and e-mail
	// access (its clock is Clock; leave its Rand nil, as runs run
	// concurrently and each draws its own randomness). A nil CSML.HTTP gets
	// httphost's guarded client configured by HTTP: public addresses
	// only, timeouts, a response size cap.
	CSML csml.Host
	HTTP httphost.Config
	// SMTP configures the e-mail hook a nil CSML.SMTP gets: smtphost's
	// sender, under the same address policy as HTTP, with each bot's own
	// account (SaveSMTPAccount) before SMTP.Account.
	SMTP smtphost.Config
	// Metrics is told what monitoring counts; nil counts nothing.
	Metrics Metrics
}

// Engine processes events; see the package documentation.
type Engine struct {
	store     switchboard.Store
	notifier  switchboard.Notifier
	bots      *Bots
	clock     switchboard.Clock
	log       *slog.Logger
	providers map[string]livechat.Provider
	// channelPlatforms is Config.ChannelPlatforms.
	channelPlatforms map[switchboard.ChannelType]string
	sealer           livechat.Sealer
	stepLimit        int
	csml             csml.Host
	// smtp sends the bots' e-mails when CSML.SMTP was not given.
	smtp    *smtphost.Host
	stripes [256]sync.Mutex
	// holds are decoded holds by their JSON: users waiting at the same
	// point of a bot share one, which no turn changes.
	holds  memo.Cache[*csml.Hold]
	seed   maphash.Seed
	typing typing
	// customerTyping is the chat pages' customers typing, for the desk.
	customerTyping typing
	metrics        Metrics
	// sessionKeys remembers the clients of the sessions agents act on.
	sessionKeys sessionKeys
	// presence keeps the platforms' counts of online agents.
	presence presenceCache
}

// New returns an engine over a store; notifier receives the topics to wake
// after each commit.
func New(store switchboard.Store, notifier switchboard.Notifier, bots *Bots, cfg Config) *Engine {
	e := &Engine{
		store: store, notifier: notifier, bots: bots,
		clock: cfg.Clock, log: cfg.Log, providers: cfg.Providers, channelPlatforms: cfg.ChannelPlatforms, sealer: cfg.Sealer,
		stepLimit: cfg.StepLimit, csml: cfg.CSML, seed: maphash.MakeSeed(), metrics: cfg.Metrics,
	}
	if e.metrics == nil {
		e.metrics = noMetrics{}
	}
	if e.csml.HTTP == nil {
		e.csml.HTTP = httphost.New(cfg.HTTP).Do
	}
	if e.csml.SMTP == nil {
		e.smtp = smtphost.New(cfg.SMTP)
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

// effects collects what to do once a transaction has committed: the topics
// to notify, then the functions to run (logs and metrics of what changed).
type effects struct {
	topics map[string]struct{}
	after  []func()
}

func (fx *effects) notify(topics ...string) {
	if fx.topics == nil {
		fx.topics = make(map[string]struct{})
	}
	for _, t := range topics {
		fx.topics[t] = struct{}{}
	}
}

// lock makes the caller the only processor of a client in this process, and
// returns the unlock. Transactions add Tx.LockClient for other processes.
func (e *Engine) lock(key switchboard.ClientKey) func() {
	mu := &e.stripes[maphash.String(e.seed, key.String())%uint64(len(e.stripes))]
	mu.Lock()
	return mu.Unlock
}

// update runs fn in one transaction as the only processor of the client.
func (e *Engine) update(ctx context.Context, key switchboard.ClientKey, bot *Bot, fn func(t *turn) error) error {
	defer e.lock(key)()
	return e.updateLocked(ctx, key, bot, fn)
}

// updateLocked is update for a caller that holds the client's lock. It sends
// the notifications fn asked for only if the transaction committed.
func (e *Engine) updateLocked(ctx context.Context, key switchboard.ClientKey, bot *Bot, fn func(t *turn) error) error {
	fx := &effects{}
	err := e.store.Update(ctx, func(tx switchboard.Tx) error {
		fx.topics, fx.after = nil, nil // a retried transaction starts over
		if err := tx.LockClient(ctx, key); err != nil {
			return err
		}
		t := &turn{e: e, ctx: ctx, tx: tx, fx: fx, bot: bot, key: key, now: e.clock.Now()}
		if err := fn(t); err != nil {
			return err
		}
		return t.flush()
	})
	if err != nil {
		return err
	}
	e.notify(fx)
	for _, f := range fx.after {
		f()
	}
	return nil
}

// notify sends the notifications of a committed transaction.
func (e *Engine) notify(fx *effects) {
	if len(fx.topics) == 0 || e.notifier == nil {
		return
	}
	topics := make([]string, 0, len(fx.topics))
	for t := range fx.topics {
		topics = append(topics, t)
	}
	e.notifier.Notify(topics...)
}
