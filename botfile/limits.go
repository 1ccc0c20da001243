package botfile

import (
	"fmt"

	"switchboard"
)

// Limits bound what reading one bot may take, so that an upload cannot take
// the server's memory: compiling CSML takes several times the source's size,
// and a zip can unpack to a thousand times its own. A zero field takes its
// default (DefaultLimits).
type Limits struct {
	// UploadBytes bounds an uploaded bot as sent (a zip or JSON).
	UploadBytes int64 `json:"max_upload_bytes"`
	// Files bounds the entries of a zipped export (folders included).
	Files int `json:"max_files"`
	// FileBytes bounds one file of a bot, unzipped.
	FileBytes int64 `json:"max_file_bytes"`
	// TotalBytes bounds the files of a zipped export together, unzipped,
	// and the sources of a bot's flows together, whatever their format.
	TotalBytes int64 `json:"max_total_bytes"`
	// Ratio bounds how many times its zipped size a file of more than
	// ratioFloor bytes may unzip to (a text file's ratio is under 10).
	Ratio int64 `json:"max_ratio"`
}

// DefaultLimits fit the largest bots users bring (tens of flows of a few
// kilobytes each) many times over. Compiling takes up to about 75 times the
// sources' size (a flow of nothing but empty steps), so TotalBytes keeps one
// import under about 300 MiB.
var DefaultLimits = Limits{UploadBytes: 16 << 20, Files: 1000, FileBytes: 4 << 20, TotalBytes: 4 << 20, Ratio: 100}

// ratioFloor is the size below which a file's compression ratio is not
// checked: a small file of blank lines compresses well and harms nobody.
const ratioFloor = 64 << 10

// WithDefaults fills the zero fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.UploadBytes == 0 {
		l.UploadBytes = d.UploadBytes
	}
	if l.Files == 0 {
		l.Files = d.Files
	}
	if l.FileBytes == 0 {
		l.FileBytes = d.FileBytes
	}
	if l.TotalBytes == 0 {
		l.TotalBytes = d.TotalBytes
	}
	if l.Ratio == 0 {
		l.Ratio = d.Ratio
	}
	return l
}

// Validate refuses negative limits, naming the setting.
func (l Limits) Validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"max_upload_bytes", l.UploadBytes}, {"max_files", int64(l.Files)}, {"max_file_bytes", l.FileBytes},
		{"max_total_bytes", l.TotalBytes}, {"max_ratio", l.Ratio},
	} {
		if f.v < 0 {
			return switchboard.Errorf(switchboard.EINVALID, "bot_import.%s is %d: use a positive number, or leave it out for the default", f.name, f.v)
		}
	}
	return nil
}

// tooLarge is the error of a bot over a limit: what is over, the setting that
// bounds it, and what to do.
func tooLarge(format string, args ...any) error {
	return switchboard.Errorf(switchboard.ETOOLARGE, "%s: split the bot, or raise the limit (bot_import in the configuration, docs/security.md)", fmt.Sprintf(format, args...))
}
