package driverkit

import "testing"

func TestHTMLText(t *testing.T) {
	cases := map[string]string{
		"<div>Hello</div><div>World</div>": "Hello\nWorld",
		"<p>A new parcel leaves <b>today</b>.<br>Tracking: <a href=\"https://t.example/1\">here</a></p>": "A new parcel leaves today.\nTracking: here (https://t.example/1)",
		`<a href="https://x.example">https://x.example</a>`:                                              "https://x.example",
		"<p>Fish &amp; chips&nbsp;&lt;3</p><!-- hidden --><script>alert(1)</script><style>p{}</style>":   "Fish & chips <3",
		"<ul><li>one</li><li>two</li></ul>":                                                              "one\ntwo",
		"plain text":                                                                                     "plain text",
		"<p></p><p></p><p>x</p><br><br><br><p>y</p>":                                                     "x\n\ny",
		`<a href='#top'>top</a>`:                                                                         "top",
	}
	for in, want := range cases {
		if got := HTMLText(in); got != want {
			t.Errorf("HTMLText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := PageText("a & b"); got != "a & b" {
		t.Errorf("PageText of a text = %q", got)
	}
}
