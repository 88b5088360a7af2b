package testbed

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// owner is who mailbox files must belong to (dovecot's uid and gid when
// running as root; -1 leaves them alone).
type owner struct{ uid, gid int }

func (o owner) chown(path string) error {
	if o.uid < 0 {
		return nil
	}
	return os.Lchown(path, o.uid, o.gid)
}

// makeMaildir creates dir/{cur,new,tmp} owned by o.
func makeMaildir(dir string, o owner) error {
	for _, sub := range []string{"", "cur", "new", "tmp"} {
		p := filepath.Join(dir, sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			return err
		}
		if err := o.chown(p); err != nil {
			return err
		}
	}
	return nil
}

var deliverySeq atomic.Int64

// deliver writes msg into the Maildir's new/ the way an MDA does: into tmp/
// first, then renamed, so a reader never sees half a message.
func deliver(maildir string, o owner, msg []byte) error {
	name := fmt.Sprintf("%d.M%dP%dQ%d.testbed", time.Now().Unix(), time.Now().Nanosecond()/1000, os.Getpid(), deliverySeq.Add(1))
	tmp := filepath.Join(maildir, "tmp", name)
	if err := os.WriteFile(tmp, msg, 0o600); err != nil {
		return err
	}
	if err := o.chown(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(maildir, "new", name))
}

// sampleMessage is the n-th pre-delivered message for user.
func sampleMessage(user string, n int) []byte {
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(n) * time.Minute)
	return []byte(fmt.Sprintf("Return-Path: <sender@example.test>\r\n"+
		"From: Test Sender <sender@example.test>\r\n"+
		"To: <%s>\r\n"+
		"Subject: Test message %d\r\n"+
		"Date: %s\r\n"+
		"Message-ID: <%d.%s@testbed.invalid>\r\n"+
		"MIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n"+
		"\r\n"+
		"This is test message %d for %s.\r\n", user, n, date.Format(time.RFC1123Z), n, user, n, user))
}

// countMessages counts the files in a Maildir's new/ and cur/.
func countMessages(maildir string) int {
	n := 0
	for _, sub := range []string{"new", "cur"} {
		entries, _ := os.ReadDir(filepath.Join(maildir, sub))
		n += len(entries)
	}
	return n
}
