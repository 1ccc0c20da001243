package main

import "testing"

func TestCompareCountsEachFaultOnce(t *testing.T) {
	expected := []string{"u1-m1", "u1-m2", "u1-m3", "u1-m4"}
	for _, c := range []struct {
		name                              string
		seen                              []string
		lost, dup, outOfOrder, unexpected int
	}{
		{"all once in order", []string{"u1-m1", "u1-m2", "u1-m3", "u1-m4"}, 0, 0, 0, 0},
		{"one lost", []string{"u1-m1", "u1-m3", "u1-m4"}, 1, 0, 0, 0},
		{"one twice", []string{"u1-m1", "u1-m2", "u1-m2", "u1-m3", "u1-m4"}, 0, 1, 0, 0},
		{"two swapped", []string{"u1-m2", "u1-m1", "u1-m3", "u1-m4"}, 0, 0, 1, 0},
		{"one from elsewhere", []string{"u1-m1", "u1-m2", "u2-m9", "u1-m3", "u1-m4"}, 0, 0, 0, 1},
		{"nothing", nil, 4, 0, 0, 0},
	} {
		got := compare("u1", expected, c.seen, nil)
		if got.Lost != c.lost || got.Duplicated != c.dup || got.OutOfOrder != c.outOfOrder || got.Unexpected != c.unexpected {
			t.Errorf("%s: %+v", c.name, got)
		}
		if got.ok() != (c.lost+c.dup+c.outOfOrder+c.unexpected == 0) || got.Arrived+got.Lost != len(expected) {
			t.Errorf("%s: ok %v, arrived %d", c.name, got.ok(), got.Arrived)
		}
	}
}

func TestTokensAreWholeWords(t *testing.T) {
	got := tokensOf("bot: u17-m42 hello, a3-m7 and u17-m4; xu1-m1 u2-m")
	want := []string{"u17-m42", "a3-m7", "u17-m4"}
	if len(got) != len(want) {
		t.Fatalf("tokens %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("tokens %v", got)
		}
	}
}
