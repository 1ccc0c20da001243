// Package ownerfile keeps the files switchboard writes in its data folder
// (the database, the admin token, the key file, the demo agent's login)
// readable and writable by their owner only: mode 0600, whatever the umask
// and the mode of the folder. They hold transcripts, password hashes,
// tokens and keys.
package ownerfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Mode is the mode of every file switchboard writes in its data folder.
const Mode fs.FileMode = 0o600

// Check refuses a file that others than its owner may read or write: the
// secret it holds (a token, a key, a password) may have been copied, so
// its owner must look and chmod it (or make a new secret), not switchboard
// quietly. A missing file passes: the caller creates it with Write.
func Check(path string) error {
	perm, err := permOf(path)
	if err == nil && perm&0o077 != 0 {
		return fmt.Errorf("%s is readable by others (mode %v): chmod 600 it", path, perm)
	}
	return err
}

// permOf returns the permission bits of a file, or none and no error
// when it does not exist.
func permOf(path string) (fs.FileMode, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return info.Mode().Perm(), nil
}

// Write writes data to path, mode 0600: to a new file renamed over path, so
// that a reader never sees half of it and an older file's looser mode does
// not stay.
func Write(path string, data []byte) error {
	tmp := path + ".tmp"
	_ = os.Remove(tmp) // a leftover of a crash would keep its mode
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// Restrict sets the mode of an existing file to 0600 when others may read
// or write it; a missing file is not an error. It is for the files that
// earlier versions made too open (the database and its journal files)
// and that hold no secret to renew.
func Restrict(path string) error {
	perm, err := permOf(path)
	if err == nil && perm&^Mode != 0 {
		return os.Chmod(path, Mode)
	}
	return err
}

// Create creates path empty with mode 0600 unless it exists, so that what
// opens it next (SQLite) writes into a file only its owner reads; SQLite
// then gives its journal files the mode of the database file.
func Create(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
