package mailcatcher

import "html/template"

// page lists the caught e-mails; html/template escapes everything they
// hold.
var page = template.Must(template.New("mail").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>switchboard mail catcher</title>
<meta http-equiv="refresh" content="5">
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222 }
article { border: 1px solid #ccc; border-radius: 6px; padding: 1em; margin: 1em 0 }
dt { font-weight: bold; float: left; width: 6em } dd { margin-left: 7em }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .5em }
</style></head><body>
<h1>Mail catcher</h1>
<p>SMTP server: <code>{{.Addr}}</code>. E-mails sent to it stay here and are never delivered. This page refreshes every 5 seconds.</p>
{{range .Messages}}<article>
<dl>
<dt>Subject</dt><dd>{{.Header.Get "Subject"}}</dd>
<dt>From</dt><dd>{{.Header.Get "From"}}</dd>
<dt>To</dt><dd>{{.Header.Get "To"}}</dd>
{{with .Header.Get "Cc"}}<dt>Cc</dt><dd>{{.}}</dd>{{end}}
{{with .Header.Get "Reply-To"}}<dt>Reply-To</dt><dd>{{.}}</dd>{{end}}
<dt>Envelope</dt><dd>{{.From}} &rarr; {{range $i, $t := .To}}{{if $i}}, {{end}}{{$t}}{{end}}</dd>
<dt>Received</dt><dd>{{.Received.Format "2006-01-02 15:04:05"}}{{if .TLS}}, encrypted{{end}}{{with .User}}, as {{.}}{{end}}</dd>
</dl>
{{with .Text}}<h3>Text</h3><pre>{{.}}</pre>{{end}}
{{with .HTML}}<h3>HTML (source)</h3><pre>{{.}}</pre>{{end}}
</article>{{else}}<p>No e-mail yet.</p>{{end}}
</body></html>
`))
