package botfile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"switchboard"
)

// zipOf zips a bot with the given flows (name to source) in a folder "bot",
// and extra files as they are.
func zipOf(t *testing.T, flows map[string]string, extra map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var list []string
	for name := range flows {
		list = append(list, fmt.Sprintf(`{"name": %q}`, name))
	}
	files := map[string][]byte{"bot/bot.json": fmt.Appendf(nil, `{"id": "b", "flows": [%s]}`, strings.Join(list, ","))}
	for name, src := range flows {
		files["bot/flows/"+name+".csml"] = []byte(src)
	}
	for name, data := range extra {
		files[name] = data
	}
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A zipped export over a limit is refused before it is unpacked, with an
// error that names the limit's setting; within the limits it loads.
func TestReadZipLimits(t *testing.T) {
	flow := "start:\n  say \"hi\"\n  goto end\n"
	many := map[string]string{}
	for i := range 300 {
		many[fmt.Sprintf("f%d", i)] = strings.Repeat("start:\n  say \"hello there\"\n", 70<<10/27) // 70 KiB each
	}
	manyZip := zipOf(t, many, nil)
	files := map[string][]byte{}
	for i := range 1001 {
		files[fmt.Sprintf("bot/assets/%d.txt", i)] = []byte("x")
	}
	cases := []struct {
		name string
		zip  []byte
		lim  Limits
		want string
	}{
		{"300 flows of 70 KiB", manyZip, DefaultLimits, "times its zipped size"},
		{"300 flows of 70 KiB, compressed less", manyZip, Limits{Ratio: 1000}, "the zip's files unzip to more than 4194304 bytes together (max_total_bytes)"},
		{"a zip bomb", zipOf(t, map[string]string{"Main": flow}, map[string][]byte{"bot/pad.txt": make([]byte, 3<<20)}), DefaultLimits, "times its zipped size"},
		{"many files", zipOf(t, map[string]string{"Main": flow}, files), DefaultLimits, "holds 1003 files, over the limit of 1000 (max_files)"},
		{"a large flow", zipOf(t, map[string]string{"Main": flow + strings.Repeat("// a comment\n", 1<<20/13)}, nil), Limits{FileBytes: 1 << 20}, "bytes, over the limit of 1048576 for one file (max_file_bytes)"},
		{"a large upload", zipOf(t, map[string]string{"Main": flow}, nil), Limits{UploadBytes: 100}, "(max_upload_bytes)"},
	}
	for _, c := range cases {
		_, err := c.lim.ReadZip(c.zip)
		if switchboard.ErrorCode(err) != switchboard.ETOOLARGE || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "raise the limit") {
			t.Errorf("%s (%d bytes): got %v, want a too_large error with %q", c.name, len(c.zip), err, c.want)
		}
	}
	b, err := DefaultLimits.ReadZip(zipOf(t, map[string]string{"Main": flow}, nil))
	if err != nil || len(b.Flows) != 1 || b.Flows[0].Content != flow {
		t.Fatalf("a small export: %v %+v", err, b)
	}
}

// Flows given inline, or read from files that do not say their size (a zip
// whose directory lies is refused by archive/zip), are held to the total.
func TestSourcesWithinTotal(t *testing.T) {
	big := strings.Repeat("x", 600)
	bot := fmt.Sprintf(`{"id": "b", "flows": [{"name": "A", "content": %q}, {"name": "B", "content": %q}]}`, big, big)
	_, err := Limits{TotalBytes: 1000}.Parse([]byte(bot))
	if switchboard.ErrorCode(err) != switchboard.ETOOLARGE || !strings.Contains(err.Error(), `flows up to "B" hold 1200 bytes of CSML, over the limit of 1000 (max_total_bytes)`) {
		t.Fatalf("inline flows over the total: %v", err)
	}
	if _, err := (Limits{TotalBytes: 2000}).Parse([]byte(bot)); err != nil {
		t.Fatalf("within the total: %v", err)
	}
}

// A negative limit is refused with the setting's name.
func TestLimitsValidate(t *testing.T) {
	if err := (Limits{Files: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "bot_import.max_files is -1") {
		t.Errorf("negative max_files: %v", err)
	}
	if err := (Limits{}).Validate(); err != nil {
		t.Errorf("zero limits (the defaults): %v", err)
	}
}
