// Package admin is switchboard's administration: a JSON API under
// /v1/admin/ and the pages under /admin/ that use it. Administrators import
// bots, create channels and rotate their keys, set each bot's livechat
// platform and settings, watch and end live sessions, invite and disable
// agents, and read a dashboard of the sessions.
//
// A request is an administrator's when it carries the admin token
// (Authorization: Bearer TOKEN, for scripts) or the sign-in of an agent
// marked Admin (the desk's sign-in, for the pages; changes must then be
// same-origin and carry the sign-in's CSRF token). Secrets are write-only:
// platform credentials come back masked, and an API channel's secret is
// shown once, when it is made.
package admin
