//go:build !windows

package platform

import "os"

func exportDir() (string, error) { return os.UserHomeDir() }
