package main

import "syscall"

// childAttr makes an instance die with the harness, so that a harness that
// is killed leaves no server running.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
