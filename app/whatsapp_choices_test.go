package app_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"switchboard/app"
	"switchboard/channel/whatsapp/whatsappsim"
)

// menuBot offers more buttons than WhatsApp's reply buttons take: four
// sizes (a list; one with a payload too long for a reply id), then twelve
// colours (numbered text).
var menuBot = fstest.MapFS{
	"menu/bot.json": {Data: []byte(`{"id": "menu-bot", "name": "Menu", "default_flow": "Default", "flows": [{"name": "Default", "commands": []}]}`)},
	"menu/flows/Default.csml": {Data: []byte(`start:
  say Question("Pick a size", buttons=[Button("Small", payload="S"), Button("Medium", payload="M"), Button("Large", payload="L"),
    Button("Gift box", payload="GIFT-` + strings.Repeat("x", 250) + `")])
  hold
  say "Size {{event}}"
  say Question("Pick a colour", buttons=[Button("Red"), Button("Orange"), Button("Yellow"), Button("Green"), Button("Blue"),
    Button("Indigo"), Button("Violet"), Button("Black"), Button("White"), Button("Grey"), Button("Pink"), Button("Brown")])
  hold
  say "Colour {{event}}"
  goto end
`)},
}

// TestWhatsAppListAndNumberedChoices: four choices come as a list, whose
// rows carry the payloads (a long one by reference); twelve come as
// numbered text, and typing a number selects that button.
func TestWhatsAppListAndNumberedChoices(t *testing.T) {
	g := newWAStoryOn(t, "menu-bot", []app.BotConfig{{Path: "menu", FS: menuBot}}, nil, nil)
	g.write("hi")
	list := g.received(0, 1)[0]
	if list.Interactive != "list" || len(list.ListRows) != 4 || list.ListRows[1].ID != "M" || !strings.HasPrefix(list.ListRows[3].ID, "~") {
		t.Fatalf("four choices came as:\n%s", showSent([]whatsappsim.Sent{list}))
	}
	g.press(list.ListRows[3].ID)
	got := g.received(1, 2)
	if got[0].Text != "Size GIFT-"+strings.Repeat("x", 250) {
		t.Errorf("the long payload came back as %q", got[0].Text)
	}
	want := "Pick a colour\n1. Red\n2. Orange\n3. Yellow\n4. Green\n5. Blue\n6. Indigo\n7. Violet\n8. Black\n9. White\n10. Grey\n11. Pink\n12. Brown"
	if got[1].Type != "text" || got[1].Text != want {
		t.Fatalf("twelve choices came as:\n%s", showSent(got[1:]))
	}
	g.write("11")
	if got = g.received(3, 1); got[0].Text != "Colour Pink" {
		t.Errorf("typing 11 gave %q", got[0].Text)
	}
}
