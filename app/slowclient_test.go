//go:build linux || darwin

package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/examples"
	"switchboard/livechat"
)

const testAdminToken = "slow-client-test-admin-token-0123456789"

// startPlain starts a server with the demo bot and cfg's limits.
func startPlain(t *testing.T, cfg app.Config) *server {
	t.Helper()
	cfg.Addr, cfg.DataDir, cfg.AdminToken = freeAddr(t), t.TempDir(), testAdminToken
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.Bots = []app.BotConfig{{Path: examples.Livechat, FS: examples.FS}}
	s := &server{t: t, cfg: cfg}
	s.start()
	t.Cleanup(s.stop)
	return s
}

// call sends a request with a fresh connection and answers its status,
// body and how long it took.
func call(t *testing.T, method, url string, body []byte, header http.Header) (int, []byte, time.Duration) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data, time.Since(start)
}

// apiChannel creates an API channel of the demo bot and answers its key.
func apiChannel(t *testing.T, base string) string {
	t.Helper()
	status, data, _ := call(t, "POST", base+"/v1/admin/channels", []byte(`{"bot_id": "livechat-demo", "type": "api"}`),
		http.Header{"Authorization": {"Bearer " + testAdminToken}, "Content-Type": {"application/json"}})
	var ch struct {
		Channel struct {
			APIKey string `json:"api_key"`
		} `json:"channel"`
	}
	if status != http.StatusCreated || json.Unmarshal(data, &ch) != nil || ch.Channel.APIKey == "" {
		t.Fatalf("create an API channel: %d %s", status, data)
	}
	return ch.Channel.APIKey
}

// slowBody opens a connection from the local address from, sends the
// headers of a Chat API request and the first byte of its body, and keeps
// the rest.
func slowBody(from net.IP, addr, key string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: from}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	_, err = io.WriteString(c, "POST /v1/api/chat HTTP/1.1\r\nHost: switchboard\r\nContent-Type: application/json\r\nX-Api-Key: "+key+"\r\nContent-Length: 200\r\n\r\n{")
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// lowerFileLimit sets the test process's soft limit on open files to n
// for the test: the flood below then needs more than the process has, as in
// the security review (where it took every descriptor of the server).
func lowerFileLimit(t *testing.T, n uint64) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skipf("no file limit here: %v", err)
	}
	if old.Max < n {
		t.Skipf("the file limit is %d: the test needs %d", old.Max, n)
	}
	lim := old
	lim.Cur = n
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
}

// One client holds thousands of unfinished bodies: the server refuses what
// is over the per-address limit, and /healthz, the desk and a Chat API turn
// from another address still answer in under a second. Before the limits, the
// flood took every file descriptor and /healthz stopped answering.
func TestSlowClientFloodLeavesOthersServed(t *testing.T) {
	const flood = 3000
	// The test process holds both ends of every connection: the flood's
	// 3,000, and what the server accepts of them (all 3,000 without limits).
	lowerFileLimit(t, flood+1000)
	s := startPlain(t, app.Config{MaxConnsPerAddr: 100})
	base := "http://" + s.app.Addr()
	key := apiChannel(t, base)
	floodKey := apiChannel(t, base) // a channel of its own: the Chat API's throttle is per channel

	from := net.IPv4(127, 0, 0, 2) // loopback too, on Linux: another client address
	var (
		mu    sync.Mutex
		conns []net.Conn
		fails atomic.Int64
		wg    sync.WaitGroup
	)
	next := make(chan struct{})
	for range 32 {
		wg.Go(func() {
			for range next {
				c, err := slowBody(from, s.app.Addr(), floodKey)
				if err != nil {
					fails.Add(1)
					continue
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		})
	}
	for range flood {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	if fails.Load() > 0 {
		t.Logf("%d of the flood's connections could not even be opened", fails.Load())
	}

	status, data, took := call(t, "GET", base+"/healthz", nil, http.Header{})
	if status != http.StatusOK || took > time.Second {
		t.Errorf("/healthz during the flood: %d %s in %v, want 200 in under 1s", status, data, took)
	}
	status, _, took = call(t, "GET", base+"/desk/", nil, http.Header{})
	if status != http.StatusOK || took > time.Second {
		t.Errorf("the desk during the flood: %d in %v, want 200 in under 1s", status, took)
	}
	turn := []byte(`{"client": {"user_id": "api-user"}, "payload": {"content_type": "text", "content": {"text": "hello"}}}`)
	status, data, took = call(t, "POST", base+"/v1/api/chat", turn, http.Header{"X-Api-Key": {key}, "Content-Type": {"application/json"}})
	if status != http.StatusOK || took > time.Second {
		t.Errorf("a Chat API turn during the flood: %d %.200s in %v, want 200 in under 1s", status, data, took)
	}

	// The server refused what the address had over the limit, with an
	// answer that says why, and holds the rest.
	var refused, held atomic.Int64
	var said atomic.Value
	for _, c := range conns {
		wg.Go(func() {
			_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
			line, err := bufio.NewReader(c).ReadString('\n')
			var ne net.Error
			switch {
			case err != nil && errorsAsTimeout(err, &ne):
				held.Add(1)
			default:
				refused.Add(1)
				if strings.HasPrefix(line, "HTTP/1.1 429") {
					said.Store(line)
				}
			}
		})
	}
	wg.Wait()
	if held.Load() > 100 || refused.Load() < flood-100-fails.Load() {
		t.Errorf("of %d slow bodies from one address, the server holds %d and refused %d; want at most 100 held", len(conns), held.Load(), refused.Load())
	}
	if said.Load() == nil {
		t.Errorf("no refused connection was answered 429")
	}
}

func errorsAsTimeout(err error, ne *net.Error) bool {
	e, ok := err.(net.Error)
	if ok {
		*ne = e
	}
	return ok && e.Timeout()
}

// A body sent a byte at a time is cut off at body_timeout (before, a
// 200-byte body sent over 121 s was accepted), while a chat page's
// WebSocket, which has no body, lives on past it.
func TestSlowBodyIsCutOff(t *testing.T) {
	s := startPlain(t, app.Config{BodyTimeout: livechat.Duration(500 * time.Millisecond)})
	base := "http://" + s.app.Addr()
	key := apiChannel(t, base)
	channel := s.chatURL()[strings.LastIndex(s.chatURL(), "/")+1:]
	userID, token := newVisitor(t, base, channel)
	page := openPage(t, base, channel, userID, token)

	c, err := slowBody(net.IPv4(127, 0, 0, 1), s.app.Addr(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	closed := make(chan time.Duration, 1)
	go func() {
		_, _ = io.Copy(io.Discard, c) // until the server closes the connection
		closed <- time.Since(start)
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for sent := 1; sent < 200; sent++ {
		select {
		case took := <-closed:
			if took < 400*time.Millisecond {
				t.Errorf("the connection was closed after %v, before the body timeout", took)
			}
			time.Sleep(500 * time.Millisecond) // the page outlives the body timeout
			page.send("after-timeout", switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text": "still there?"}`)})
			page.until(func(typ string, _ *switchboard.Message) bool { return typ == "ack" })
			return
		case <-tick.C:
			if _, err := c.Write([]byte(" ")); err != nil {
				continue // closed: the reader says when
			}
		}
	}
	t.Fatalf("a body sent a byte every 100 ms was still read after %v", time.Since(start))
}
