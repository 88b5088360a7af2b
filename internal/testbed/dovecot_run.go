package testbed

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"mailsetup/mailcfg"
)

// run starts the process and waits until every listener greets.
func (d *Dovecot) run() error {
	stderr, err := os.Create(filepath.Join(d.Dir, "stderr.log"))
	if err != nil {
		return err
	}
	defer stderr.Close()
	cmd := exec.Command(d.bed.opts.DovecotPath, "-F", "-c", d.ConfPath)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	// Its own process group, so Close can reach every child; and a signal
	// if the test binary dies, so no instance outlives a crashed test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	d.cmd, d.exited = cmd, exited

	deadline := time.Now().Add(dovecotStartTimeout)
	for _, l := range d.Listeners {
		for {
			err := greets(d.addrs[l.StdPort], l.Security == mailcfg.TLS)
			if err == nil {
				break
			}
			select {
			case <-exited:
				d.stopGroup()
				return fmt.Errorf("dovecot exited at start: %s", d.startupErrors())
			default:
			}
			if time.Now().After(deadline) {
				d.stop()
				return fmt.Errorf("dovecot did not greet on %s (%v): %s", d.addrs[l.StdPort], err, d.startupErrors())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nil
}

// startupErrors is the tail of what dovecot said on stderr and in its log.
func (d *Dovecot) startupErrors() string {
	var out []string
	for _, f := range []string{filepath.Join(d.Dir, "stderr.log"), d.LogPath} {
		data, _ := os.ReadFile(f)
		for _, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "Fatal") || strings.Contains(line, "Error") {
				out = append(out, strings.TrimSpace(line))
			}
		}
	}
	if len(out) == 0 {
		return "no error logged"
	}
	return strings.Join(out, "; ")
}

// greets connects to addr and reads the first line the server sends.
func greets(addr string, implicitTLS bool) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if implicitTLS {
		// Readiness only: the certificate may be bad on purpose.
		tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			return err
		}
		c = tc
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+OK") && !strings.HasPrefix(line, "* OK") && !strings.HasPrefix(line, "220") {
		return fmt.Errorf("unexpected greeting %q", line)
	}
	return nil
}

// stop ends the instance: SIGTERM to its whole process group at once
// (the master alone takes a second or more to wind its children down),
// then SIGKILL for anything left.
func (d *Dovecot) stop() {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	select {
	case <-d.exited:
	default:
		syscall.Kill(-d.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
			<-d.exited
		}
	}
	d.stopGroup()
}

// stopGroup waits for the master's children to go, killing them if they linger.
func (d *Dovecot) stopGroup() {
	pgid := d.cmd.Process.Pid
	for i := 0; i < 300; i++ {
		if syscall.Kill(-pgid, 0) != nil {
			return
		}
		switch i {
		case 0:
			syscall.Kill(-pgid, syscall.SIGTERM)
		case 200:
			syscall.Kill(-pgid, syscall.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Close stops the instance and its relay sink, and removes its port map
// entries. It may be called more than once.
func (d *Dovecot) Close() {
	d.once.Do(func() {
		d.stop()
		if d.sink != nil {
			d.sink.Close()
		}
		for std, addr := range d.addrs {
			d.bed.unmapPort(d.IP, std, addr)
		}
	})
}
