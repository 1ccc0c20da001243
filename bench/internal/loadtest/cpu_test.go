package loadtest

import "testing"

func TestCPUBetweenSplitsTheMachine(t *testing.T) {
	a := CPUSample{busy: 100, total: 1000, server: 10, self: 20, db: map[int]float64{7: 5, 8: 50}, ok: true}
	b := CPUSample{busy: 600, total: 2000, server: 210, self: 120, db: map[int]float64{7: 55, 9: 30}, ok: true}
	u := CPUBetween(a, b)
	// Of 1000 ticks: server 200, tool 100, database 50 (backend 7) + 30 (9,
	// started meanwhile; 8 ended and is lost), others 500-200-100-80.
	if !u.OK || u.Server != 20 || u.Tool != 10 || u.Database != 8 || u.Others != 12 || u.ServerSeconds != 2 || u.ToolSeconds != 1 {
		t.Fatalf("%+v", u)
	}
	if got := u.String(); got != "cpu: server 20% PostgreSQL 8% load tool 10% others 12%" {
		t.Fatalf("%q", got)
	}
	if (CPUBetween(CPUSample{}, b) != CPUUse{}) {
		t.Fatal("a failed sample gives figures")
	}
}
