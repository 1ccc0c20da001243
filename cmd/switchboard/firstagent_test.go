package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestServeSaysHowToAddTheFirstAgent starts a server with no agent: it
// prints the command that adds one, and that command, run as printed, adds
// the agent to this server's data folder.
func TestServeSaysHowToAddTheFirstAgent(t *testing.T) {
	t.Setenv("SWITCHBOARD_DATA", "")
	t.Setenv("SWITCHBOARD_DATABASE", "")
	t.Setenv("SWITCHBOARD_CONFIG", "")
	data := filepath.Join(t.TempDir(), "server data")
	out, _ := startCmd(t, "serve", "--addr", "127.0.0.1:0", "--data", data)
	hint := waitOutput(t, out, regexp.MustCompile(`No agent yet.*\n\s+switchboard (agent add .*)`))
	if !strings.Contains(hint, "--data '"+data+"'") {
		t.Fatalf("the hint %q does not name the server's data folder %s", hint, data)
	}
	args := shellWords(t, strings.ReplaceAll(hint, "you@example.com", "first@example.com"))
	code, addOut, errOut := runCmd(t, args...)
	if code != 0 || !strings.Contains(addOut, "Saved in the data folder "+data+".") || strings.Contains(addOut, "no switchboard data") {
		t.Fatalf("%s: exit %d\n%s%s", hint, code, addOut, errOut)
	}
	readAgent(t, data, "first@example.com")
}

// TestAgentAddFindsTheServersDataFolder: agent add reads the server's
// configuration file as serve does, says where it saved the agent, and
// warns when it made a new database.
func TestAgentAddFindsTheServersDataFolder(t *testing.T) {
	t.Setenv("SWITCHBOARD_DATA", "")
	t.Setenv("SWITCHBOARD_DATABASE", "")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	conf, _ := json.Marshal(map[string]string{"data": data})
	confPath := filepath.Join(dir, "switchboard.json")
	if err := os.WriteFile(confPath, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SWITCHBOARD_CONFIG", confPath)
	code, out, errOut := runCmd(t, "agent", "add", "--email", "ann@example.com", "--name", "Ann")
	if code != 0 || !strings.Contains(out, "Saved in the data folder "+data+".") || !strings.Contains(out, "a new database was made") {
		t.Fatalf("agent add with SWITCHBOARD_CONFIG: exit %d\n%s%s", code, out, errOut)
	}
	readAgent(t, data, "ann@example.com")
	code, out, errOut = runCmd(t, "agent", "add", "--email", "bob@example.com", "--name", "Bob", "--config", confPath)
	if code != 0 || !strings.Contains(out, "Saved in the data folder "+data+".") || strings.Contains(out, "new database") {
		t.Fatalf("agent add --config: exit %d\n%s%s", code, out, errOut)
	}
	readAgent(t, data, "bob@example.com")
}

// shellWords splits a command line as a POSIX shell does for the quoting
// shellQuote and the hint use ('...' and "...").
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	for _, m := range regexp.MustCompile(`'([^']*)'|"([^"]*)"|(\S+)`).FindAllStringSubmatch(line, -1) {
		words = append(words, m[1]+m[2]+m[3])
	}
	return words
}
