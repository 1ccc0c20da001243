// Package cluster runs several switchboard servers in this process on one
// PostgreSQL database, as several instances behind a load balancer: for the
// multi-instance tests, and for load tools that want N instances without
// managing processes. (To kill an instance with kill -9, run N processes of
// `switchboard serve --database URL` instead; docs/scaling.md shows how.)
//
// The instances share what instances must share (the database, the keys
// that seal secrets, the admin token) and nothing else: each has its own
// address, data folder, hub and workers.
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"switchboard/app"
	"switchboard/secrets"
)

// Cluster is N servers on one database.
type Cluster struct {
	base  app.Config
	dir   string // holds the instances' data folders
	mu    sync.Mutex
	nodes []*node
}

// node is one instance: its configuration (kept across restarts) and, while
// it runs, its server.
type node struct {
	cfg    app.Config
	app    *app.App
	cancel context.CancelFunc
	done   chan error
}

// Start starts n instances of base on base.Database, one after the other
// (the first applies the migrations). Each listens on a free loopback port
// (or base.Addr's host with consecutive ports when it names a port) and has
// its own data folder under base.DataDir (a temporary folder when empty).
// Empty SecretKeys and AdminToken are generated, the same for all.
func Start(ctx context.Context, base app.Config, n int) (*Cluster, error) {
	if !app.IsPostgres(base.Database) {
		return nil, errors.New("cluster: base.Database must be a postgres:// URL: instances share their database")
	}
	c := &Cluster{base: base}
	if err := c.prepare(n); err != nil {
		return nil, err
	}
	for i := range c.nodes {
		if err := c.Start(ctx, i); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// prepare fills the shared settings and gives each instance its address and
// data folder.
func (c *Cluster) prepare(n int) error {
	if c.base.DataDir == "" {
		dir, err := os.MkdirTemp("", "switchboard-cluster-")
		if err != nil {
			return fmt.Errorf("cluster: %w", err)
		}
		c.dir, c.base.DataDir = dir, dir
	}
	if c.base.SecretKeys == "" {
		c.base.SecretKeys = base64.StdEncoding.EncodeToString(secrets.NewKey())
	}
	if c.base.AdminToken == "" {
		b := make([]byte, 24)
		_, _ = rand.Read(b) // crypto/rand.Read never fails
		c.base.AdminToken = base64.RawURLEncoding.EncodeToString(b)
	}
	host, port := "127.0.0.1", 0
	if c.base.Addr != "" {
		h, p, err := net.SplitHostPort(c.base.Addr)
		if err == nil {
			port, err = strconv.Atoi(p)
		}
		if err != nil {
			return fmt.Errorf("cluster: addr %q: want host:port", c.base.Addr)
		}
		host = h
	}
	for i := range n {
		cfg := c.base
		cfg.DataDir = filepath.Join(c.base.DataDir, fmt.Sprintf("instance-%d", i))
		cfg.Addr = net.JoinHostPort(host, "0")
		if port != 0 {
			cfg.Addr = net.JoinHostPort(host, fmt.Sprint(port+i))
		}
		c.nodes = append(c.nodes, &node{cfg: cfg})
	}
	return nil
}

// Len is the number of instances.
func (c *Cluster) Len() int { return len(c.nodes) }

// App is instance i's server, nil while it is stopped.
func (c *Cluster) App(i int) *app.App {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nodes[i].app
}

// URL is instance i's base URL.
func (c *Cluster) URL(i int) string { return c.App(i).URL() }

// AdminToken is the admin API's bearer token, the same on every instance.
func (c *Cluster) AdminToken() string { return c.base.AdminToken }

// Start starts instance i (again, after Stop), on the address it had.
func (c *Cluster) Start(ctx context.Context, i int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.nodes[i]
	if n.app != nil {
		return fmt.Errorf("cluster: instance %d is running", i)
	}
	a, err := app.New(ctx, n.cfg)
	if err != nil {
		return fmt.Errorf("cluster: instance %d: %w", i, err)
	}
	n.cfg.Addr = a.Addr() // a restart keeps the port it was given
	run, cancel := context.WithCancel(context.Background())
	n.app, n.cancel, n.done = a, cancel, make(chan error, 1)
	go func() { n.done <- a.Serve(run) }()
	return nil
}

// Stop shuts instance i down gracefully, as SIGTERM does.
func (c *Cluster) Stop(i int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.nodes[i]
	if n.app == nil {
		return nil
	}
	n.cancel()
	err := <-n.done
	n.app = nil
	return err
}

// Close stops every instance and removes the data folders it created.
func (c *Cluster) Close() error {
	var errs []error
	for i := range c.nodes {
		errs = append(errs, c.Stop(i))
	}
	if c.dir != "" {
		errs = append(errs, os.RemoveAll(c.dir))
	}
	return errors.Join(errs...)
}
