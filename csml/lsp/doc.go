// Package lsp is a language server for CSML (switchboard csml lsp): it
// speaks the Language Server Protocol (JSON-RPC 2.0 with Content-Length
// framing) over a reader and a writer, and answers with diagnostics as the
// user types (the same as switchboard validate), the definition of a step,
// flow or function, completion of steps, flows, components and builtins with
// their signatures, and hover documentation.
//
// A document belongs to a bot: the bot folder its file is in (bot.json and
// flows/*.csml, found by the Options.LoadBot the command gives), else it is
// a bot of one flow. Open documents take the place of their files.
package lsp
