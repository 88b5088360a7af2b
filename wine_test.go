package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/pe"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"mailsetup/export"
	"mailsetup/internal/portmap"
	"mailsetup/internal/testbed"
	"mailsetup/internal/wine"
	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// The Windows build under Wine (wine_harness_test.go runs it) answers as
// the Linux binary does, against the same test bed.
func TestWindowsBinaryUnderWine(t *testing.T) {
	p := winePrefix(t)
	bed := testbed.Start(t)
	sc := bed.Standard(t)

	t.Run("version and providers", func(t *testing.T) {
		for _, args := range [][]string{{"--version"}, {"providers", "--json"}} {
			l, w := runLinux(t, bed, "", args...), runWindows(t, p, bed, "", args...)
			if w.code != 0 || l.code != 0 || !bytes.Equal(l.stdout, w.stdout) {
				t.Errorf("%v: Windows exit %d, Linux exit %d; outputs equal: %v\nWindows stderr: %s",
					args, w.code, l.code, bytes.Equal(l.stdout, w.stdout), w.stderr)
			}
		}
		w := runWindows(t, p, bed, "", "discover", "not-an-address")
		if w.code != 2 || !bytes.Contains(w.stderr, []byte("mailsetup")) {
			t.Errorf("usage error: exit %d, stderr %q; want 2 and a message", w.code, w.stderr)
		}
	})
	// discover, check and export side by side; the group ends when all have.
	// One scenario per road to an answer (the contract tests run them all on
	// Linux): SRV, guessing, MX to a provider, autoconfig, ISPDB,
	// Autodiscover, STARTTLS, plain text, a bad certificate, a tarpit, a
	// name that does not exist.
	t.Run("same answers", func(t *testing.T) {
		for _, s := range []*testbed.Scenario{sc.SRV, sc.Guess, sc.Hosted, sc.Autoconfig, sc.ISPDB, sc.Autodiscover,
			sc.STARTTLS, sc.Plain, sc.WrongName, sc.Tarpit, sc.NXDomain} {
			t.Run("discover "+s.Name, func(t *testing.T) { sameDiscovery(t, p, bed, sc, s) })
		}
		checks := []struct {
			name     string
			s        *testbed.Scenario
			password string
			code     int
		}{
			{"login works", sc.SRV, sc.SRV.Password, 0},
			{"wrong password", sc.Guess, "not-the-password", 3},
			{"plain text refused", sc.Plain, sc.Plain.Password, 1},
		}
		for _, c := range checks {
			t.Run("check "+c.name, func(t *testing.T) { sameCheck(t, p, bed, c.s, c.password, c.code) })
		}
		for _, format := range []string{"outlook-prf", "outlook-autodiscover", "foxmail-txt"} {
			t.Run("export "+format, func(t *testing.T) { sameExport(t, p, bed, sc.Hosted, format) })
		}
	})
	// Last: it changes the prefix's certificate store.
	t.Run("system certificate store", func(t *testing.T) { usesTheSystemStore(t, p, bed, sc.SRV) })
}

// sameDiscovery: the same recommendation, statuses and hints for one
// standard scenario. The Windows side finds the bed's names over DNS over
// TCP, since Wine 8.0 gives it no UDP socket.
func sameDiscovery(t *testing.T, p *wine.Prefix, bed *testbed.Bed, sc *testbed.Scenarios, s *testbed.Scenario) {
	t.Parallel()
	args := []string{"discover", s.Email, "--dns", s.DNS, "--json", "--ispdb-url", sc.ISPDBURL, "--timeout", "8s"}
	l := runLinux(t, bed, "", append(args, "--ca", bed.CAFile)...)
	w := runWindows(t, p, bed, "", append(args, "--ca", wine.WindowsPath(bed.CAFile))...)
	if w.code != l.code {
		t.Errorf("exit code: Windows %d, Linux %d\nWindows stderr: %s", w.code, l.code, w.stderr)
	}
	if lv, wv := comparable(t, l.stdout), comparable(t, w.stdout); !sameAnswer(lv, wv) {
		t.Errorf("answers differ\nLinux:   %s\nWindows: %s", indent(lv), indent(wv))
	}
}

// sameCheck: the same logins, the password read from standard input.
func sameCheck(t *testing.T, p *wine.Prefix, bed *testbed.Bed, s *testbed.Scenario, password string, code int) {
	t.Parallel()
	args := []string{"check", s.Email, "--dns", s.DNS, "--json", "--offline", "--password-stdin", "--timeout", "8s"}
	l := runLinux(t, bed, password+"\n", append(args, "--ca", bed.CAFile)...)
	w := runWindows(t, p, bed, password+"\n", append(args, "--ca", wine.WindowsPath(bed.CAFile))...)
	if l.code != code || w.code != code {
		t.Errorf("exit codes: Linux %d, Windows %d, want %d\nWindows stderr: %s", l.code, w.code, code, w.stderr)
	}
	if lv, wv := comparable(t, l.stdout), comparable(t, w.stdout); !sameAnswer(lv, wv) {
		t.Errorf("answers differ\nLinux:   %s\nWindows: %s", indent(lv), indent(wv))
	}
	if bytes.Contains(w.stdout, []byte(password)) || bytes.Contains(w.stderr, []byte(password)) {
		t.Error("the password appears in the Windows output")
	}
}

// sameExport: the file an Outlook or Foxmail user imports or reads, written
// by the .exe into Documents (given as a Windows path), byte for byte what
// the Linux binary writes.
func sameExport(t *testing.T, p *wine.Prefix, bed *testbed.Bed, s *testbed.Scenario, format string) {
	t.Parallel()
	user, err := p.User()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"export", s.Email, "--format", format, "--dns", s.DNS, "--offline", "--timeout", "8s"}
	l := runLinux(t, bed, "", append(args, "--ca", bed.CAFile)...)
	file := `C:\users\` + user + `\Documents\` + s.Email + "." + format
	w := runWindows(t, p, bed, "", append(args, "--ca", wine.WindowsPath(bed.CAFile), "-o", file)...)
	if l.code != 0 || w.code != 0 {
		t.Fatalf("exit codes: Linux %d, Windows %d\nWindows stderr: %s", l.code, w.code, w.stderr)
	}
	host, err := p.HostPath(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(host)
	if err != nil {
		t.Fatalf("the .exe wrote no %s: %v", file, err)
	}
	// Written with -o, the Outlook formats' instructions name the file
	// (export.Options.SavedAs); to stdout, the Linux export names an example.
	want := namingSavedFile(t, l.stdout, format, s.Email, file)
	if format != "foxmail-txt" && bytes.Equal(want, l.stdout) {
		t.Fatalf("%s: the Linux export has no example path to replace with %s:\n%s", format, file, l.stdout)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the Linux export naming %s:\nWindows: %q\nwant:    %q", format, file, got, want)
	}
	if format == "outlook-prf" {
		text := string(got)
		if bytes.HasPrefix(got, []byte{0xFF, 0xFE}) { // UTF-16LE, for non-ASCII text
			units := make([]uint16, 0, len(got)/2)
			for i := 2; i+1 < len(got); i += 2 {
				units = append(units, uint16(got[i])|uint16(got[i+1])<<8)
			}
			text = string(utf16.Decode(units))
		}
		if lf := strings.Count(text, "\n"); lf == 0 || lf != strings.Count(text, "\r\n") {
			t.Error("the PRF has line ends other than CRLF")
		}
	}
}

// namingSavedFile is a Linux export written to stdout as it reads saved
// as the Windows path file: the example path of the Outlook formats'
// instructions replaced by file, as export.Options.SavedAs does it.
func namingSavedFile(t *testing.T, linux []byte, format, email, file string) []byte {
	t.Helper()
	_, domain, _ := strings.Cut(email, "@")
	switch format {
	case "outlook-prf":
		text, _ := decodePRF(linux)
		text = strings.Replace(text, `"C:\Mail\`+domain+`.prf"`, `"`+file+`"`, 1)
		if isASCII(text) {
			return []byte(text)
		}
		out := []byte{0xFF, 0xFE} // UTF-16LE with a BOM, as the exporter writes non-ASCII text
		for _, u := range utf16.Encode([]rune(text)) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out
	case "outlook-autodiscover":
		text := string(linux)
		example := `C:\Mail\autodiscover-` + domain + ".xml"
		for _, lang := range l10n.Languages {
			text = strings.Replace(text, l10n.Text(lang, "export.ad_use", "file", example),
				l10n.Text(lang, "export.ad_use_saved", "file", file), 1)
		}
		text = strings.Replace(text, `"`+domain+`"="`+strings.ReplaceAll(example, `\`, `\\`)+`"`,
			`"`+domain+`"="`+strings.ReplaceAll(file, `\`, `\\`)+`"`, 1)
		return []byte(text)
	}
	return linux
}

// namingSavedFile does what SavedAs does, in every language, for both
// Outlook formats (no Wine needed).
func TestNamingSavedFileMatchesTheExporter(t *testing.T) {
	acct := mailcfg.Account{Email: "alice@hosted.test", DisplayName: "Alice",
		Incoming: mailcfg.Server{Protocol: mailcfg.IMAP, Host: "mail.hosted.test", Port: 993, Security: mailcfg.TLS, Username: "alice@hosted.test"},
		Outgoing: mailcfg.Server{Protocol: mailcfg.SMTP, Host: "mail.hosted.test", Port: 587, Security: mailcfg.STARTTLS, Username: "alice@hosted.test"}}
	file := `C:\users\alice\Documents\alice@hosted.test.outlook-prf`
	for _, format := range []string{"outlook-prf", "outlook-autodiscover", "foxmail-txt"} {
		for _, lang := range l10n.Languages {
			f, _ := export.ByID(format)
			plain, err := f.Render(acct, export.Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			saved, err := f.Render(acct, export.Options{Lang: lang, SavedAs: file})
			if err != nil {
				t.Fatal(err)
			}
			if got := namingSavedFile(t, plain, format, acct.Email, file); !bytes.Equal(got, saved) {
				t.Errorf("%s in %s:\n got %q\nwant %q", format, lang, got, saved)
			}
		}
	}
}

// decodePRF is a PRF's text and whether it was UTF-16LE.
func decodePRF(b []byte) (string, bool) {
	if !bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		return string(b), false
	}
	units := make([]uint16, 0, len(b)/2)
	for i := 2; i+1 < len(b); i += 2 {
		units = append(units, uint16(b[i])|uint16(b[i+1])<<8)
	}
	return string(utf16.Decode(units)), true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// usesTheSystemStore: without --ca the .exe verifies certificates against
// the Windows certificate store, as Go does on Windows. The bed's CA is
// unknown there until the user trusts it in the store, and then that is
// enough.
func usesTheSystemStore(t *testing.T, p *wine.Prefix, bed *testbed.Bed, s *testbed.Scenario) {
	discover := func() map[string]any {
		w := runWindows(t, p, bed, "", "discover", s.Email, "--dns", s.DNS, "--json", "--offline", "--timeout", "8s")
		var doc map[string]any
		if err := json.Unmarshal(w.stdout, &doc); err != nil {
			t.Fatalf("exit %d: %v\n%s", w.code, err, w.stderr)
		}
		return doc
	}
	before := discover()
	if rec := before["recommended"].(map[string]any); rec["incoming"] != nil {
		t.Fatalf("the bed's certificates were trusted before the CA was in the store: %v", rec)
	}
	found := false
	for _, c := range before["candidates"].([]any) {
		m := c.(map[string]any)
		found = found || (m["status"] == "cert_invalid" && strings.Contains(fmt.Sprint(m["error"]), "unknown authority"))
	}
	if !found {
		t.Fatalf("no candidate failed for an unknown authority:\n%s", indent(before["candidates"]))
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := p.Run(ctx, windowsProgram(t, "wintool"), "addroot", wine.WindowsPath(bed.CAFile)); err != nil {
		t.Fatalf("adding the CA to the user's root store: %v\n%s", err, out)
	}
	after := discover()
	in, _ := after["recommended"].(map[string]any)["incoming"].(map[string]any)
	if in == nil || in["host"] != s.Incoming.Host {
		t.Fatalf("with the CA in the store: recommended incoming %v, want %s", in, s.Incoming.Host)
	}
}

// The release .exe: a GUI program (no console window flashes up when the
// window opens), with the icon and version sheet Explorer shows, read
// back through the Windows API.
func TestWindowsReleaseResources(t *testing.T) {
	p := winePrefix(t)
	release := windowsProgram(t, "release")
	// As on Linux (release_test.go), only the test build knows the
	// variables that point it at the test bed.
	for exe, want := range map[string]bool{release: false, windowsProgram(t, "testhooks"): true} {
		data, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		if has := bytes.Contains(data, []byte(portmap.Env)); has != want {
			t.Errorf("%s: contains %s = %v, want %v", filepath.Base(exe), portmap.Env, has, want)
		}
	}
	for _, exe := range []string{release, windowsProgram(t, "testhooks")} {
		f, err := pe.Open(exe)
		if err != nil {
			t.Fatal(err)
		}
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		f.Close()
		if !ok || oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
			t.Errorf("%s: subsystem %v, want the GUI subsystem (-H windowsgui)", filepath.Base(exe), oh)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tool := windowsProgram(t, "wintool")
	out, err := p.Run(ctx, tool, "version", wine.WindowsPath(release))
	if err != nil {
		t.Fatal(err)
	}
	sheet := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(strings.ReplaceAll(string(out), "\r", "")), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			sheet[k] = v
		}
	}
	version, err := p.Run(ctx, release, "--version")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ProductName":      "mailsetup",
		"OriginalFilename": "mailsetup.exe",
		"ProductVersion":   strings.TrimSpace(strings.TrimPrefix(string(version), "mailsetup ")),
	}
	for k, v := range want {
		if sheet[k] != v {
			t.Errorf("version sheet %s = %q, want %q (sheet: %v)", k, sheet[k], v, sheet)
		}
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(sheet["FileVersion"]) ||
		!strings.HasPrefix(sheet["FixedFileVersion"], sheet["FileVersion"]+".") {
		t.Errorf("FileVersion %q, fixed %q: want A.B.C and A.B.C.BUILD", sheet["FileVersion"], sheet["FixedFileVersion"])
	}
	icons, err := p.Run(ctx, tool, "icons", wine.WindowsPath(release))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(icons)) != "icons=1" {
		t.Errorf("ExtractIconEx: %s, want one icon", icons)
	}
}

// The Windows halves of package tests (registry, known folders, process
// list, adapters' DNS servers) run under Wine; MAILSETUP_WINE tells them
// the prefix is a throw-away one.
func TestWindowsPackageTestsUnderWine(t *testing.T) {
	p := winePrefix(t)
	tests := []struct {
		pkg  string
		run  string   // -test.run; "" = all
		must []string // tests that must pass, not skip
	}{
		{"./clients", "", []string{"TestFindOutlook", "TestImportPRFStartsOutlook", "TestImportPRFWhileOutlookRuns", "TestFindOutlookInTheRealKeys"}},
		{"./platform", "", []string{"TestExportDirIsDocuments", "TestSettingsDirIsInAppData"}},
		// The rest of dnsx's tests serve DNS over UDP, which Wine 8.0 cannot.
		{"./dnsx", "TestSystemServersFromAdapters", []string{"TestSystemServersFromAdapters"}},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.pkg, "./"), func(t *testing.T) {
			exe := filepath.Join(dir, filepath.Base(tt.pkg)+".test.exe")
			build := exec.Command("go", "test", "-c", "-o", exe, tt.pkg)
			build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go test -c: %v\n%s", err, out)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			args := []string{"-test.v", "-test.count=1"}
			if tt.run != "" {
				args = append(args, "-test.run", tt.run)
			}
			cmd := p.Command(ctx, exe, args...)
			cmd.Env = append(cmd.Env, "MAILSETUP_WINE=1")
			out, stderr, err := p.Exec(cmd, "")
			if err != nil {
				t.Fatalf("%s under Wine: %v\n%s%s", tt.pkg, err, out, stderr)
			}
			passed := map[string]bool{}
			for _, m := range regexp.MustCompile(`(?m)^--- PASS: (\S+)`).FindAllSubmatch(out, -1) {
				passed[string(m[1])] = true
			}
			for _, name := range tt.must {
				if !passed[name] {
					t.Errorf("%s did not pass under Wine:\n%s", name, out)
				}
			}
		})
	}
}

// The MSI installs for the user alone, without an administrator, starts,
// and uninstalls without leaving its files behind.
func TestWindowsInstallerUnderWine(t *testing.T) {
	p := winePrefix(t)
	msi := os.Getenv("MAILSETUP_MSI")
	if msi == "" {
		dir := t.TempDir()
		cmd := exec.Command("scripts/package-windows.sh", windowsProgram(t, "release"), "0.1.0", dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("package-windows.sh: %v\n%s", err, out)
		}
		msi = filepath.Join(dir, "mailsetup-0.1.0.msi")
	}
	user, err := p.User()
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(p.DriveC(), "users", user, "AppData")
	installed := filepath.Join(local, "Local", "Programs", "mailsetup", "mailsetup.exe")
	shortcut := filepath.Join(local, "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", "mailsetup.lnk")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if out, err := p.Run(ctx, "msiexec", "/i", wine.WindowsPath(msi), "/qn"); err != nil {
		t.Fatalf("msiexec /i: %v\n%s", err, out)
	}
	for _, f := range []string{installed, shortcut} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("after the install: %v", err)
		}
	}
	if out, err := p.Run(ctx, `C:\users\`+user+`\AppData\Local\Programs\mailsetup\mailsetup.exe`, "--version"); err != nil ||
		!strings.HasPrefix(string(out), "mailsetup ") {
		t.Errorf("the installed program: %v, %q", err, out)
	}
	list, err := p.Run(ctx, "uninstaller", "--list")
	if err != nil || !regexp.MustCompile(`(?m)\|mailsetup\s*$`).Match(list) {
		t.Errorf("no uninstall entry for mailsetup: %v\n%s", err, list)
	}
	if out, err := p.Run(ctx, "reg", "query", `HKCU\Software\mailsetup`); err != nil || !bytes.Contains(out, []byte("InstallDir")) {
		t.Errorf("HKCU\\Software\\mailsetup: %v\n%s", err, out)
	}

	if out, err := p.Run(ctx, "msiexec", "/x", wine.WindowsPath(msi), "/qn"); err != nil {
		t.Fatalf("msiexec /x: %v\n%s", err, out)
	}
	for _, f := range []string{installed, filepath.Dir(installed), shortcut} {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("after the uninstall %s is still there (%v)", f, err)
		}
	}
	if list, _ := p.Run(ctx, "uninstaller", "--list"); bytes.Contains(list, []byte("|mailsetup")) {
		t.Errorf("the uninstall entry stayed:\n%s", list)
	}
}

// The window opens under Wine: Fyne's OpenGL through Wine's WGL and GLX
// to Mesa's software renderer on an Xvfb display, and draws something.
func TestWindowsWindowOpensUnderWine(t *testing.T) {
	p := winePrefix(t)
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install Debian's xvfb, xdotool and imagemagick (make test does)", tool)
		}
	}
	release := windowsProgram(t, "release")
	dir := t.TempDir()

	// Xvfb picks a free display and writes its number to the pipe.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	xvfb.ExtraFiles = []*os.File{w}
	xlog, err := os.Create(filepath.Join(dir, "xvfb.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer xlog.Close()
	xvfb.Stdout, xvfb.Stderr = xlog, xlog
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		xvfb.Process.Kill()
		xvfb.Wait()
	})
	// Xvfb writes the number, then a newline, when it is ready; the pipe
	// stays open until it ends, or a late write would kill it.
	t.Cleanup(func() { r.Close() })
	r.SetReadDeadline(time.Now().Add(30 * time.Second))
	number, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		xl, _ := os.ReadFile(filepath.Join(dir, "xvfb.log"))
		t.Fatalf("Xvfb gave no display: %v\n%s", err, xl)
	}
	display := ":" + strings.TrimSpace(number)

	// Wine's background programs started without a display; they must
	// start again with this one, and end with it.
	p.Stop()
	t.Cleanup(p.Stop)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := p.Command(ctx, release)
	app.Env = append(app.Env, "DISPLAY="+display, "WINEDEBUG=-all,err+all")
	out, err := os.Create(filepath.Join(dir, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	app.Stdout, app.Stderr = out, out
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	appDone := make(chan struct{})
	go func() { app.Wait(); close(appDone) }()

	// Without a window manager, Wine gives each Windows window an X window
	// of its own, titled as the program titles it.
	xdo := func(args ...string) (string, error) {
		cmd := exec.Command("xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		b, err := cmd.Output()
		return strings.TrimSpace(string(b)), err
	}
	var win string
	deadline := time.Now().Add(90 * time.Second)
	for win == "" && time.Now().Before(deadline) {
		select {
		case <-appDone:
			log, _ := os.ReadFile(out.Name())
			t.Fatalf("mailsetup.exe ended (%v) before its window appeared:\n%s", app.ProcessState, log)
		case <-time.After(500 * time.Millisecond):
		}
		if ids, err := xdo("search", "--onlyvisible", "--name", "mail account setup"); err == nil && ids != "" {
			win = strings.Fields(ids)[0]
		}
	}
	if win == "" {
		log, _ := os.ReadFile(out.Name())
		t.Fatalf("no window within 90 s:\n%s", log)
	}
	// The window's process, by its id (Wine sets _NET_WM_PID), ends it.
	if pid, err := xdo("getwindowpid", win); err == nil {
		t.Cleanup(func() { exec.Command("kill", pid).Run() })
	}
	t.Cleanup(func() {
		app.Process.Kill()
		<-appDone
	})

	// Something drawn: the first frame may take a moment under Wine.
	shot := filepath.Join(dir, "window.png")
	var colours int
	for try := 0; try < 30 && colours < 50; try++ {
		time.Sleep(time.Second)
		cmd := exec.Command("import", "-window", win, shot)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if err := cmd.Run(); err != nil {
			continue
		}
		colours = distinctColours(t, shot)
	}
	if colours < 50 {
		t.Errorf("the window shows %d colours: nothing drawn", colours)
	}
}
