package storetest

import (
	"bytes"
	"errors"
	"testing"

	"switchboard"
)

// attachmentOf is a file of client 1 with the given id.
func attachmentOf(id string, size int) switchboard.Attachment {
	return switchboard.Attachment{ID: id, Client: key(1), Sender: switchboard.SenderUser, Name: "photo.png",
		ContentType: "image/png", Size: int64(size), SHA256: "ab12", CreatedAt: t0}
}

// getAttachment reads a file and its bytes.
func getAttachment(t *testing.T, s switchboard.Store, id string) (*switchboard.Attachment, []byte, error) {
	t.Helper()
	var a *switchboard.Attachment
	var data []byte
	err := s.View(t.Context(), func(tx switchboard.Tx) error {
		var err error
		a, data, err = tx.Attachment(t.Context(), id)
		return err
	})
	return a, data, err
}

const attachmentID = "0b8e1f1e-4a51-4d7c-9a51-2f0c7a3c9d10"

var attachmentTests = []test{
	{"PutAndReadBackEveryByte", func(t *testing.T, s switchboard.Store) {
		// Binary bytes, NUL and invalid UTF-8 among them, come back as they went.
		data := []byte{0x89, 'P', 'N', 'G', 0, 0xff, 0xfe, '\n', 0}
		a := attachmentOf(attachmentID, len(data))
		update(t, s, func(tx switchboard.Tx) error { return tx.PutAttachment(t.Context(), &a, data) })
		got, gotData, err := getAttachment(t, s, attachmentID)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "Attachment", got, &a)
		if !bytes.Equal(gotData, data) {
			t.Errorf("bytes = %x, want %x", gotData, data)
		}
	}},
	{"AnEmptyFile", func(t *testing.T, s switchboard.Store) {
		a := attachmentOf(attachmentID, 0)
		update(t, s, func(tx switchboard.Tx) error { return tx.PutAttachment(t.Context(), &a, nil) })
		_, data, err := getAttachment(t, s, attachmentID)
		if err != nil || len(data) != 0 {
			t.Errorf("empty file = %q, %v", data, err)
		}
	}},
	{"SameIDTwiceIsConflictAndKeepsTheFirst", func(t *testing.T, s switchboard.Store) {
		a := attachmentOf(attachmentID, 3)
		update(t, s, func(tx switchboard.Tx) error { return tx.PutAttachment(t.Context(), &a, []byte("one")) })
		b := a
		b.Name = "other.png"
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.PutAttachment(t.Context(), &b, []byte("two")) })
		wantCode(t, "PutAttachment again", err, switchboard.ECONFLICT)
		got, data, err := getAttachment(t, s, attachmentID)
		if err != nil || got.Name != "photo.png" || string(data) != "one" {
			t.Errorf("after the conflict: %+v %q %v", got, data, err)
		}
	}},
	{"UnknownAndMalformedIDsAreNotFound", func(t *testing.T, s switchboard.Store) {
		for _, id := range []string{"1b8e1f1e-4a51-4d7c-9a51-2f0c7a3c9d10", "", "../db", "0B8E1F1E-4A51-4D7C-9A51-2F0C7A3C9D10", "x"} {
			_, _, err := getAttachment(t, s, id)
			wantCode(t, "Attachment("+id+")", err, switchboard.ENOTFOUND)
		}
		a := attachmentOf("../../etc/passwd", 1)
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.PutAttachment(t.Context(), &a, []byte("x")) })
		wantCode(t, "PutAttachment with a path for id", err, switchboard.EINVALID)
	}},
	{"ARolledBackPutLeavesNothing", func(t *testing.T, s switchboard.Store) {
		a := attachmentOf(attachmentID, 3)
		boom := errors.New("boom")
		err := s.Update(t.Context(), func(tx switchboard.Tx) error {
			if err := tx.PutAttachment(t.Context(), &a, []byte("one")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update = %v", err)
		}
		_, _, err = getAttachment(t, s, attachmentID)
		wantCode(t, "Attachment after a rollback", err, switchboard.ENOTFOUND)
	}},
}
