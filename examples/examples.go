// Package examples embeds the example bots in the switchboard binary, so that
// `switchboard demo` runs from any directory.
package examples

import "embed"

// FS holds the example bots, one folder each in the CSML Studio export
// format: livechat/ is the handoff demo.
//
//go:embed livechat
var FS embed.FS

// Livechat is the path of the livechat demo bot inside FS.
const Livechat = "livechat"
