//go:build !linux

package frontend

import "syscall"

func stopWithParent() *syscall.SysProcAttr { return nil }
