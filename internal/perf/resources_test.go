package perf

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// ballast is touched memory that raises this process's high-water mark.
var ballast []byte

func TestRelayMeasuresTheCommandAlone(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	// This process grows well above what the command will use: were the
	// parent's high-water mark carried into the command's figure (as it
	// is into ru_maxrss of a child started straight from here), the
	// figure would be at least this big.
	before := PeakRSS()
	ballast = make([]byte, 96<<20)
	for i := range ballast {
		ballast[i] = 1
	}
	if grown := PeakRSS() - before; grown < 90<<10 {
		t.Errorf("PeakRSS grew by %d KiB after touching 96 MiB", grown)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The relay's own size (larger under -race) is the measurement's floor.
	idle, err := runChild(ctx, os.Args[0], ChildRequest{Exec: []string{"/bin/true"}})
	if err != nil {
		t.Fatal(err)
	}
	if idle.MaxRSSKiB <= 0 || idle.MaxRSSKiB > 80<<10 {
		t.Fatalf("the relay's own peak is %d KiB", idle.MaxRSSKiB)
	}
	// tail keeping the last N bytes of a pipe holds them all: its peak is N
	// and a little (the figure is the largest of sh, head and tail).
	want := idle.MaxRSSKiB + 16<<10
	script := fmt.Sprintf(`head -c %d /dev/zero | tail -c %d >/dev/null`, want<<10, want<<10)
	u, err := runChild(ctx, os.Args[0], ChildRequest{Exec: []string{"/bin/sh", "-c", script}})
	if err != nil {
		t.Fatal(err)
	}
	if u.BinaryMaxRSSKiB < want || u.BinaryMaxRSSKiB > want+16<<10 {
		t.Errorf("the command's peak RSS is %d KiB, want %d KiB and at most 16 MiB more (the relay: %d KiB)",
			u.BinaryMaxRSSKiB, want, u.MaxRSSKiB)
	}
	ballast = nil
}
