package main

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
)

// logSummary counts an instance log's lines by level, and its warnings and
// errors by message.
type logSummary struct {
	Lines    int
	ByLevel  map[string]int
	Messages map[string]int // "LEVEL message" -> count, warnings and errors only
}

// readLogs summarizes the JSON lines of the instances' log files (lines
// that are not JSON, such as the start banner, are skipped).
func readLogs(files []string) logSummary {
	s := logSummary{ByLevel: map[string]int{}, Messages: map[string]int{}}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var line struct {
				Level string `json:"level"`
				Msg   string `json:"msg"`
			}
			if json.Unmarshal(sc.Bytes(), &line) != nil || line.Level == "" {
				continue
			}
			s.Lines++
			s.ByLevel[line.Level]++
			if line.Level == "WARN" || line.Level == "ERROR" {
				s.Messages[line.Level+" "+line.Msg]++
			}
		}
		f.Close()
	}
	return s
}

// top returns the most frequent warning and error messages, at most n.
func (s logSummary) top(n int) []string {
	keys := make([]string, 0, len(s.Messages))
	for k := range s.Messages {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if s.Messages[keys[i]] != s.Messages[keys[j]] {
			return s.Messages[keys[i]] > s.Messages[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys[:min(n, len(keys))]
}
