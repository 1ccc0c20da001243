// Package attachment receives and serves the files users and agents send:
// an upload is read from multipart/form-data, its type sniffed from its
// bytes and checked against an allow-list, its size capped, and it is
// stored (switchboard.AttachmentStore) before any message names it. Files
// are served from switchboard.AttachmentPath so that no active content ever
// runs from this origin: only the image types browsers cannot run script
// from are shown inline, everything else is a download, always with
// nosniff and a sandboxing Content-Security-Policy.
//
// The chat page, the Chat API and the desk each authenticate their own
// uploads and call Service.Upload; app mounts Service.ServeHTTP.
package attachment
