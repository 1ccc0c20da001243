// Package gorgiassim is a simulated Gorgias account served over real HTTP,
// faithful to what switchboard depends on (docs/livechat/gorgias.md and
// ../shared/spec/platforms.md §2), so that the Gorgias integration is tested
// end to end, and tried by hand, with no Gorgias account.
//
// Its default is what the real Gorgias does, even where that is unkind:
// datetimes without a zone ("2020-01-27T10:42:21.468912", UTC), template
// values pasted into URLs unencoded, channels required to create a customer,
// and an integration disabled after 100 failed calls in a row. There is no
// kinder switch for these.
//
// It serves:
//   - the REST API under /api (with and without trailing slashes): HTTP
//     Basic authentication (email and API key), customers, tickets,
//     messages, users, the account and HTTP integrations, validated as
//     Gorgias validates them and answered with Gorgias's error bodies
//     ({"error":{"msg","data"}}), cursor pagination, and the per-account
//     leaky-bucket rate limit (40 requests per 20 s by default) with its
//     headers;
//   - the HTTP integrations: for every event (ticket-created,
//     ticket-message-created, including for messages clients posted,
//     ticket-updated, ticket-closed, ticket-reopened) each active
//     integration triggered by it is called with its {{…}} variables
//     rendered (see Rendering), retried on timeouts, and deactivated after
//     100 failures in a row; a GET integration's JSON answer is kept on the
//     ticket's customer (its integrations, by integration id);
//   - an agent's console at / (tickets, replies, notes, the sign-off macro,
//     rule replies, files, HTML, surveys, closing) and test controls under
//     /_sim (see serveControl); OpenTicket opens a ticket that is not
//     switchboard's (an email, an import);
//   - chaos switches: duplicated, reordered, delayed or held deliveries;
//     forced 429s, injected statuses, writes applied then failed, latency,
//     and a 503 outage.
//
// Tests start one with Start("", Config{}) and act as an agent with Act;
// people start one with `switchboard dev gorgias-sim`.
package gorgiassim
