//go:build testhooks

package main

import "mailsetup/internal/testhooks"

// Test builds (make test, make screenshots, make bench) reach the test bed's
// servers through the environment; see internal/testhooks.
func init() { wire = testhooks.Wire }
