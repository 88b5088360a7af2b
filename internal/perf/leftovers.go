package perf

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"mailsetup/internal/reliability"
)

// Snapshot is what the process holds at one moment: its goroutines (by
// id, with the function that started each) and its open sockets (by
// inode).
type Snapshot struct {
	Goroutines map[int]string // id → "created by" function, or the function itself for main
	Sockets    map[string]string
}

// TakeSnapshot records the goroutines and the open sockets of this process.
func TakeSnapshot() Snapshot {
	return Snapshot{Goroutines: goroutines(), Sockets: openSockets()}
}

// Since lists what s holds that before did not, as counts and one line
// per kind ("3 goroutines created by net/http.(*Transport).dialConn",
// "tcp 127.0.0.1:40001 → 127.0.0.15:443 ESTABLISHED").
func (s Snapshot) Since(before Snapshot, names map[string]string) (goroutines, sockets int, what []string) {
	byCreator := map[string]int{}
	for id, creator := range s.Goroutines {
		if _, ok := before.Goroutines[id]; !ok {
			goroutines++
			byCreator[creator]++
		}
	}
	creators := make([]string, 0, len(byCreator))
	for c := range byCreator {
		creators = append(creators, c)
	}
	slices.Sort(creators)
	for _, c := range creators {
		what = append(what, fmt.Sprintf("%d goroutine(s) started by %s", byCreator[c], c))
	}
	var socks []string
	for inode, desc := range s.Sockets {
		if _, ok := before.Sockets[inode]; !ok {
			sockets++
			socks = append(socks, renameAddrs(desc, names))
		}
	}
	slices.Sort(socks)
	return goroutines, sockets, append(what, socks...)
}

// renameAddrs replaces the real ip:port of a test bed server by the
// standard one it stands for (names maps the real to the standard).
func renameAddrs(desc string, names map[string]string) string {
	f := strings.Fields(desc)
	for i, w := range f {
		if n, ok := names[w]; ok {
			f[i] = n
		}
	}
	return strings.Join(f, " ")
}

// goroutines reads the goroutine dump (the fault matrix's snapshot): id →
// the function that started the goroutine.
func goroutines() map[int]string {
	out := map[int]string{}
	for id, stack := range reliability.SnapshotGoroutines() {
		lines := strings.Split(strings.TrimSpace(stack), "\n")
		creator := ""
		for i, l := range lines {
			if c, ok := strings.CutPrefix(l, "created by "); ok {
				creator, _, _ = strings.Cut(c, " in goroutine")
				break
			}
			if i == 1 {
				creator = strings.TrimSpace(l)
			}
		}
		out[int(id)] = creator
	}
	return out
}

// openSockets lists this process's sockets by inode, each described from
// /proc/net (protocol, addresses, TCP state) when found there.
func openSockets() map[string]string {
	out := map[string]string{}
	fds, _ := filepath.Glob("/proc/self/fd/*")
	for _, fd := range fds {
		target, err := os.Readlink(fd)
		if err != nil {
			continue
		}
		if inode, ok := strings.CutPrefix(target, "socket:["); ok {
			out[strings.TrimSuffix(inode, "]")] = "socket"
		}
	}
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		describeSockets(proto, out)
	}
	return out
}

// tcpStates names /proc/net/tcp's state numbers.
var tcpStates = map[string]string{"01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1",
	"05": "FIN_WAIT2", "06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING"}

// describeSockets fills in the sockets of /proc/self/net/proto that are ours.
func describeSockets(proto string, ours map[string]string) {
	f, err := os.Open("/proc/self/net/" + proto)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		inode := fields[9]
		if _, ok := ours[inode]; !ok {
			continue
		}
		desc := fmt.Sprintf("%s %s → %s", strings.TrimSuffix(proto, "6"), procAddr(fields[1]), procAddr(fields[2]))
		if strings.HasPrefix(proto, "tcp") {
			desc += " " + tcpStates[fields[3]]
		}
		ours[inode] = desc
	}
}

// procAddr turns /proc/net's "0100007F:0050" into "127.0.0.1:80".
func procAddr(s string) string {
	hexIP, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return s
	}
	raw, err := hex.DecodeString(hexIP)
	port, perr := strconv.ParseUint(hexPort, 16, 16)
	if err != nil || perr != nil {
		return s
	}
	// Each 32-bit word is in host (little-endian) order.
	for i := 0; i+4 <= len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	ip, ok := netip.AddrFromSlice(raw)
	if !ok {
		return s
	}
	return netip.AddrPortFrom(ip.Unmap(), uint16(port)).String()
}
