package frontend

import "syscall"

// stopWithParent makes the kernel stop the server if the test binary dies first, so a
// crashed test run leaves no server behind.
func stopWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
