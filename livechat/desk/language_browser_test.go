package desk_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestTheDeskSpeaksTheAgentsLanguage opens the desk in a browser set to
// French: the sign-in form is French; an agent who chose English gets
// English once signed in, and French again when they choose it, at both
// sizes, axe clean.
func TestTheDeskSpeaksTheAgentsLanguage(t *testing.T) {
	for _, size := range browsertest.Sizes {
		t.Run(size.Name, func(t *testing.T) {
			f := newFixture(t, desk.Config{})
			tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
			size.Apply(t, tab)
			browsertest.Language(t, tab, "fr-FR,fr;q=0.9")
			a := f.signIn(emailA, passwordA)
			a.call("PUT", "/desk/api/preferences", map[string]string{"language": "en"}, http.StatusOK, nil)
			id := f.startSession("french-" + size.Name)

			browsertest.Navigate(t, tab, f.srv.URL+"/desk/")
			browsertest.WaitJS(t, tab, "the sign-in form in French", browsertest.TextHas("#signin", "Connectez-vous pour répondre à vos clients.")+
				` && document.documentElement.lang === "fr" && document.querySelector("#login-submit").textContent === "Se connecter"`)
			browsertest.Axe(t, tab)
			browsertest.Type(t, tab, "#login-email", emailA)
			browsertest.Type(t, tab, "#login-password", passwordA)
			browsertest.Click(t, tab, "#login-submit")
			browsertest.WaitJS(t, tab, "the desk in the agent's English", browsertest.TextHas("#lists", "Waiting")+
				` && document.documentElement.lang === "en" && document.querySelector("#language").value === "en"`)

			browsertest.Eval[bool](t, tab, `(s => { s.value = "fr"; s.dispatchEvent(new Event("change")); return true; })(document.querySelector("#language"))`)
			browsertest.WaitJS(t, tab, "the desk in French", browsertest.TextHas("#lists", "En attente")+" && "+
				browsertest.TextHas("#lists", "Terminées récemment")+` && document.documentElement.lang === "fr" && document.title.startsWith("(1) Poste agent")`)
			browsertest.WaitJS(t, tab, "the preview in French", browsertest.TextHas(fmt.Sprintf(`[data-session-id=%q] .preview`, id), "a demandé à parler à quelqu'un"))
			browsertest.Click(t, tab, fmt.Sprintf(`[data-session-id=%q] button`, id))
			browsertest.WaitJS(t, tab, "the conversation in French", browsertest.TextHas("#conv-sub", "attend un agent depuis")+
				` && document.querySelector("#claim").textContent === "Prendre"`)
			browsertest.Screenshot(t, tab, "desk-french-"+size.Name)
			browsertest.Axe(t, tab)

			var p struct {
				Language  string `json:"language"`
				Effective string `json:"effective_language"`
			}
			a.call("GET", "/desk/api/preferences", nil, http.StatusOK, &p)
			if p.Language != "fr" || p.Effective != "fr" {
				t.Errorf("preferences after choosing French: %+v", p)
			}
		})
	}
}
