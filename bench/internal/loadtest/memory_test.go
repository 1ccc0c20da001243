package loadtest

import "testing"

func TestParseStatusReadsRSSAndPeak(t *testing.T) {
	status := "Name:\tswitchboard\nVmPeak:\t 1827412 kB\nVmHWM:\t  412340 kB\nVmRSS:\t  398004 kB\nRssAnon:\t  380000 kB\nThreads:\t8\n"
	m, err := parseStatus(status)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 398004<<10 || m.HWM != 412340<<10 {
		t.Fatalf("%+v", m)
	}
	for _, bad := range []string{"Name:\tx\n", "VmRSS:\t 12 MB\nVmHWM:\t 12 kB\n", "VmRSS:\t x kB\nVmHWM:\t 1 kB\n", "VmRSS:\t 1 kB\n"} {
		if _, err := parseStatus(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParseSampleSkipsCommentsAndLabels(t *testing.T) {
	for _, c := range []struct {
		line string
		name string
		v    float64
		ok   bool
	}{
		{"go_goroutines 40012", "go_goroutines", 40012, true},
		{"go_memstats_heap_inuse_bytes 1.2345678e+08", "go_memstats_heap_inuse_bytes", 1.2345678e+08, true},
		{"# HELP go_goroutines Number of goroutines that currently exist.", "", 0, false},
		{`go_gc_duration_seconds{quantile="0.5"} 0.0001`, "", 0, false},
		{"", "", 0, false},
	} {
		name, v, ok := parseSample(c.line)
		if name != c.name || v != c.v || ok != c.ok {
			t.Errorf("%q: %q %v %v", c.line, name, v, ok)
		}
	}
}

func TestParseFileLimitReadsTheSoftLimit(t *testing.T) {
	limits := "Limit                     Soft Limit           Hard Limit           Units     \n" +
		"Max processes             95000                95000                processes \n" +
		"Max open files            1024                 524288               files     \n"
	if n, err := parseFileLimit(limits); err != nil || n != 1024 {
		t.Fatalf("%d %v", n, err)
	}
	if n, err := parseFileLimit("Max open files            unlimited            unlimited            files\n"); err != nil || n != ^uint64(0) {
		t.Fatalf("%d %v", n, err)
	}
	if _, err := parseFileLimit("Max processes 1 1 processes\n"); err == nil {
		t.Fatal("no error without the line")
	}
}
