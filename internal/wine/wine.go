// Package wine runs Windows programs under Wine for the tests: the real
// mailsetup.exe against the test bed, the Windows builds of package tests,
// the MSI installer.
//
// Each Prefix is a throw-away Wine prefix (a Windows installation in a
// folder) with its own home folder, so that nothing reaches the user's own
// prefix or home: Wine links Documents and Desktop to $HOME when it creates
// a prefix. Creating one (wineboot) takes 10-30 s; a test binary makes one
// and shares it.
//
// Two facts of Debian 12's Wine 8.0 shape it. Go programs since Go 1.24 take
// random bytes from ProcessPrng in bcryptprimitives.dll, which Wine 8.0 lacks:
// NewPrefix builds the shim in shim/ with mingw and installs it into
// system32. UDP sockets cannot be made (dnsx falls back to DNS over TCP).
package wine

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// MinGW is the cross-compiler that builds the shim (Debian's gcc-mingw-w64-x86-64).
const MinGW = "x86_64-w64-mingw32-gcc"

//go:embed shim/bcryptprimitives.c shim/bcryptprimitives.def
var shim embed.FS

// Check says why Windows programs cannot be run here, or nil when they can.
// On a Linux machine a missing tool is an error the caller should fail on
// (make test installs them); ErrNotLinux means the tests do not apply.
func Check() error {
	if runtime.GOOS != "linux" {
		return ErrNotLinux
	}
	var missing []string
	for _, tool := range []string{"wine", "wineserver", MinGW} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s not found: install Debian's wine, wine64 and gcc-mingw-w64-x86-64 (make test does)",
			strings.Join(missing, ", "))
	}
	return nil
}

// ErrNotLinux: the Windows tests run Wine on Linux only.
var ErrNotLinux = errors.New("the Windows tests run under Wine on Linux only")

// Prefix is a Wine prefix made for the tests.
type Prefix struct {
	// Dir is the prefix (WINEPREFIX); drive C: is Dir/drive_c.
	Dir string
	// Home is the home folder its programs see; Windows' Documents folder
	// of the prefix's user is a link to it.
	Home string
	root string // holds Dir and Home; removed by Close
	env  []string
}

// NewPrefix creates a prefix in a new folder under parent (os.TempDir()
// when empty), runs wineboot in it and installs the ProcessPrng shim.
func NewPrefix(ctx context.Context, parent string) (*Prefix, error) {
	if err := Check(); err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp(parent, "mailsetup-wine-")
	if err != nil {
		return nil, err
	}
	p := &Prefix{Dir: filepath.Join(root, "prefix"), Home: filepath.Join(root, "home"), root: root}
	if err := os.Mkdir(p.Home, 0o700); err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	p.env = environment(p.Dir, p.Home)
	if err := p.boot(ctx); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// environment is the process environment for Wine: the prefix, a home of
// its own, no debug chatter, no Mono or Gecko download prompts, no menu
// entries on the host for shortcuts an installer makes, no X display
// unless the caller adds one.
func environment(prefix, home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", name == "DISPLAY", name == "WAYLAND_DISPLAY", strings.HasPrefix(name, "WINE"),
			strings.HasPrefix(name, "XDG_"):
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"WINEPREFIX="+prefix,
		"WINEARCH=win64",
		"WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d",
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
	)
}

func (p *Prefix) boot(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if _, stderr, err := p.Exec(p.Command(ctx, "wineboot", "-i"), ""); err != nil {
		return fmt.Errorf("wineboot: %v\n%s", err, stderr)
	}
	// wineboot returns before the prefix's services have settled.
	if err := p.waitServer(ctx); err != nil {
		return err
	}
	return p.installShim(ctx)
}

// installShim builds bcryptprimitives.dll from shim/ into system32.
func (p *Prefix) installShim(ctx context.Context) error {
	src := filepath.Join(p.root, "shim")
	if err := os.Mkdir(src, 0o755); err != nil {
		return err
	}
	for _, name := range []string{"bcryptprimitives.c", "bcryptprimitives.def"} {
		data, err := shim.ReadFile("shim/" + name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			return err
		}
	}
	dll := filepath.Join(p.Dir, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	cc := exec.CommandContext(ctx, MinGW, "-shared", "-O2", "-s", "-o", dll,
		filepath.Join(src, "bcryptprimitives.c"), filepath.Join(src, "bcryptprimitives.def"), "-ladvapi32")
	if out, err := cc.CombinedOutput(); err != nil {
		return fmt.Errorf("building the ProcessPrng shim: %v\n%s", err, out)
	}
	return nil
}

// Env returns the environment Wine programs of this prefix run with.
func (p *Prefix) Env() []string { return append([]string(nil), p.env...) }

// Command runs program (a Windows path, a path on this machine, or a
// built-in such as "msiexec" or "reg") with args under Wine.
func (p *Prefix) Command(ctx context.Context, program string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "wine", append([]string{program}, args...)...)
	cmd.Env = p.Env()
	// wine leaves the Windows program running when it is killed; the
	// prefix's wineserver ends them all at Close.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Run runs program under Wine and returns its standard output; an exit
// status other than 0 is an error carrying the standard error.
func (p *Prefix) Run(ctx context.Context, program string, args ...string) ([]byte, error) {
	out, stderr, err := p.Exec(p.Command(ctx, program, args...), "")
	if err != nil {
		return out, fmt.Errorf("wine %s %s: %v\n%s", program, strings.Join(args, " "), err, stderr)
	}
	return out, nil
}

// Exec runs cmd (from Command) with stdin as its input and returns what
// it wrote. The output goes through files, not pipes: the first program
// of a prefix starts Wine's background processes (wineserver, services),
// which inherit its output and would hold a pipe open long after it ended.
// The error is cmd.Wait's: an *exec.ExitError for an exit status other
// than 0.
func (p *Prefix) Exec(cmd *exec.Cmd, stdin string) (stdout, stderr []byte, err error) {
	files := make([]*os.File, 2)
	for i := range files {
		if files[i], err = os.CreateTemp(p.root, "output-"); err != nil {
			return nil, nil, err
		}
		defer os.Remove(files[i].Name())
		defer files[i].Close()
	}
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = files[0], files[1]
	runErr := cmd.Run()
	if stdout, err = os.ReadFile(files[0].Name()); err != nil {
		return nil, nil, err
	}
	if stderr, err = os.ReadFile(files[1].Name()); err != nil {
		return nil, nil, err
	}
	return stdout, stderr, runErr
}

// waitServer waits until every program of the prefix has ended.
func (p *Prefix) waitServer(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "wineserver", "-w")
	cmd.Env = p.env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("wineserver -w: %v\n%s", err, out)
	}
	return nil
}

// Stop ends every program of the prefix, Wine's own background ones
// included. Those (explorer.exe draws the desktop) keep the display they
// started with: a test that opens windows on a display of its own stops
// the prefix before and after.
func (p *Prefix) Stop() {
	kill := exec.Command("wineserver", "-k")
	kill.Env = p.env
	_ = kill.Run() // fails when no server runs, which is fine
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = p.waitServer(ctx)
}

// Close ends every program of the prefix and removes it with its home.
func (p *Prefix) Close() error {
	p.Stop()
	return os.RemoveAll(p.root)
}

// DriveC is the folder behind drive C:.
func (p *Prefix) DriveC() string { return filepath.Join(p.Dir, "drive_c") }

// HostPath returns where a Windows path of this prefix lies on this
// machine: C:\x\y → DriveC()/x/y, Z:\x\y → /x/y (Wine maps Z: to /).
func (p *Prefix) HostPath(win string) (string, error) {
	if len(win) < 3 || win[1] != ':' || win[2] != '\\' {
		return "", fmt.Errorf("%q is not an absolute Windows path", win)
	}
	rest := filepath.FromSlash(strings.ReplaceAll(win[3:], `\`, "/"))
	switch strings.ToUpper(win[:1]) {
	case "C":
		return filepath.Join(p.DriveC(), rest), nil
	case "Z":
		return filepath.Join("/", rest), nil
	}
	return "", fmt.Errorf("%q: only drives C: and Z: are known", win)
}

// WindowsPath returns the Windows name of a file on this machine, through
// Wine's drive Z: (/ → Z:\).
func WindowsPath(host string) string {
	abs, err := filepath.Abs(host)
	if err != nil {
		abs = host
	}
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

// User returns the Windows user name of the prefix (Wine takes the Unix
// one), for paths like C:\users\NAME\Documents.
func (p *Prefix) User() (string, error) {
	entries, err := os.ReadDir(filepath.Join(p.DriveC(), "users"))
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != "Public" {
			return e.Name(), nil
		}
	}
	return "", errors.New("the prefix has no user folder")
}
