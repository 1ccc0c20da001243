package browsertest

import (
	"context"
	"testing"
)

// Size is one of the screens the pages are tested at.
type Size struct {
	Name          string // "1440x900", "390x844"
	Width, Height int64
	Mobile        bool
}

// Sizes are the laptop's and the phone's screens, for tests that run at
// each: for _, size := range browsertest.Sizes { t.Run(size.Name, ...) }.
var Sizes = []Size{
	{"1440x900", DesktopWidth, DesktopHeight, false},
	{"390x844", PhoneWidth, PhoneHeight, true},
}

// Apply sizes the tab's page as this screen (see Viewport).
func (s Size) Apply(t *testing.T, tab context.Context) {
	t.Helper()
	Viewport(t, tab, s.Width, s.Height, s.Mobile)
}
