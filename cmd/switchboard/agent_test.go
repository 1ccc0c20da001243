package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
)

// readAgent reads an agent of the data folder's store by email.
func readAgent(t *testing.T, data, email string) *switchboard.Agent {
	t.Helper()
	ctx := context.Background()
	db, err := app.OpenDatabase(ctx, app.Config{DataDir: data}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var a *switchboard.Agent
	err = db.View(ctx, func(tx switchboard.Tx) error {
		a, err = tx.FindAgentByEmail(ctx, email)
		return err
	})
	if err != nil || a == nil {
		t.Fatalf("agent %s: %+v, %v", email, a, err)
	}
	return a
}

func TestAgentCommands(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	db, err := app.OpenDatabase(ctx, app.Config{DataDir: data}, false)
	if err != nil {
		t.Fatal(err)
	}
	v := switchboard.NewBotVersion(switchboard.Bot{ID: "shop", Name: "Shop", DefaultFlow: "Default",
		Flows: []switchboard.Flow{{ID: "Default", Name: "Default", Content: "start:\n  say \"hi\"\n"}}}, time.Now())
	if err := db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutBotVersion(ctx, &v) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, _, errOut := runWithInput(t, "", "agent", "add", "--email", "sam@example.com", "--name", "Sam", "--bot", "nope", "--data", data)
	if code == 0 || !strings.Contains(errOut, `"nope"`) {
		t.Errorf("agent add --bot nope: exit %d, %q: want a failure naming the bot", code, errOut)
	}
	code, out, errOut := runWithInput(t, "", "agent", "add", "--email", "sam@example.com", "--name", "Sam", "--bot", "shop", "--data", data)
	if code != 0 || !strings.Contains(out, "these bots only: shop") {
		t.Fatalf("agent add --bot shop: exit %d, %q %q", code, out, errOut)
	}
	a := readAgent(t, data, "sam@example.com")
	if a.AllBots || len(a.Bots) != 1 || a.Bots[0] != "shop" || a.SignInGeneration != 0 {
		t.Fatalf("added agent %+v: want the shop bot only", a)
	}

	code, out, errOut = runWithInput(t, "", "agent", "signout", "--email", "SAM@example.com", "--data", data)
	if code != 0 || !strings.Contains(out, "signed out everywhere") {
		t.Fatalf("agent signout: exit %d, %q %q", code, out, errOut)
	}
	if b := readAgent(t, data, "sam@example.com"); b.SignInGeneration != 1 {
		t.Errorf("after agent signout: generation %d, want 1", b.SignInGeneration)
	}

	code, out, errOut = runWithInput(t, "a new long password\n", "agent", "password", "--email", "sam@example.com", "--password-stdin", "--data", data)
	if code != 0 || strings.Contains(out, "a new long password") {
		t.Fatalf("agent password --password-stdin: exit %d, %q %q", code, out, errOut)
	}
	b := readAgent(t, data, "sam@example.com")
	if b.PasswordHash == a.PasswordHash || b.SignInGeneration != 2 {
		t.Errorf("after agent password: %+v: want a new hash and the sign-ins ended", b)
	}
	code, out, _ = runWithInput(t, "", "agent", "password", "--email", "sam@example.com", "--data", data)
	if code != 0 || !strings.Contains(out, "with the password ") {
		t.Errorf("agent password: exit %d, %q: want the generated password printed", code, out)
	}
	code, _, errOut = runWithInput(t, "short\n", "agent", "password", "--email", "sam@example.com", "--password-stdin", "--data", data)
	if code == 0 || !strings.Contains(errOut, "at least 8") {
		t.Errorf("agent password with a short one: exit %d, %q", code, errOut)
	}
	code, _, errOut = runWithInput(t, "", "agent", "signout", "--email", "nobody@example.com", "--data", data)
	if code == 0 || !strings.Contains(errOut, "no agent signs in with nobody@example.com") {
		t.Errorf("agent signout of an unknown email: exit %d, %q", code, errOut)
	}
	if code, _, errOut = runWithInput(t, "", "agent", "rename"); code != 2 || !strings.Contains(errOut, "agent signout --email") {
		t.Errorf("agent rename: exit %d, %q: want the usage", code, errOut)
	}
}
