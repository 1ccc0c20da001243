// Package badinput holds no code: its tests are switchboard's bad-input
// suite. They start a real server (SQLite, and PostgreSQL when
// SWITCHBOARD_TEST_POSTGRES is set) and send every operation of the
// OpenAPI document, and the routes outside it (chat page, webapp, desk,
// webhooks), malformed and hostile input: broken and oversized JSON, wrong
// types, NUL, invalid UTF-8, invisible characters and huge strings in path
// parameters, queries and fields, bad credentials; and malformed frames on
// the chat page's WebSocket. Every answer must come within a deadline and
// none may be a server error (5xx); the server must stay healthy.
package badinput
