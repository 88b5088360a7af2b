package windows_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The installer and the portable zip of make package-windows, inspected
// with msiinfo (Debian's msitools): what Windows Installer will do with
// the MSI is in its tables. make test hands over its own build
// (MAILSETUP_MSI, MAILSETUP_WIN_ZIP, MAILSETUP_MSI_VERSION); without them
// the test packages a stand-in program itself.

const upgradeCode = "{F1C900EE-B572-4BA9-AB36-38FF59EB2EB6}"

type packages struct {
	msi, zip, version string
	exeSize           int64 // of the packaged mailsetup.exe; 0 when unknown
}

var built struct {
	once sync.Once
	p    packages
	err  error
	dir  string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// build returns the packages to inspect: make's, or ones built here once.
func build(t *testing.T) packages {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("msitools and wixl are Linux tools")
	}
	for _, tool := range []string{"msiinfo", "wixl", "zip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install Debian's msitools, wixl and zip (make test does)", tool)
		}
	}
	if msi := os.Getenv("MAILSETUP_MSI"); msi != "" {
		p := packages{msi: msi, zip: os.Getenv("MAILSETUP_WIN_ZIP"), version: os.Getenv("MAILSETUP_MSI_VERSION")}
		if p.zip == "" || p.version == "" {
			t.Fatal("MAILSETUP_MSI is set without MAILSETUP_WIN_ZIP and MAILSETUP_MSI_VERSION")
		}
		if exe := os.Getenv("MAILSETUP_WIN_RELEASE_BIN"); exe != "" {
			fi, err := os.Stat(exe)
			if err != nil {
				t.Fatal(err)
			}
			p.exeSize = fi.Size() // the MSI must carry this very program
		}
		return p
	}
	version := appVersion(t)
	built.once.Do(func() { built.p, built.err = packageStandIn(version) })
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.p
}

// packageStandIn runs package-windows.sh on a stand-in for mailsetup.exe:
// the tables do not depend on what the program holds.
func packageStandIn(version string) (packages, error) {
	dir, err := os.MkdirTemp("", "mailsetup-msi-test-")
	if err != nil {
		return packages{}, err
	}
	built.dir = dir
	exe := filepath.Join(dir, "mailsetup.exe")
	if err := os.WriteFile(exe, bytes.Repeat([]byte("MZ stand-in "), 1000), 0o755); err != nil {
		return packages{}, err
	}
	cmd := exec.Command("../../scripts/package-windows.sh", exe, version, dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return packages{}, fmt.Errorf("package-windows.sh: %v\n%s", err, out)
	}
	return packages{msi: filepath.Join(dir, "mailsetup-"+version+".msi"),
		zip: filepath.Join(dir, "mailsetup-"+version+"-windows-amd64.zip"), version: version, exeSize: 12000}, nil
}

// appVersion is FyneApp.toml's Version, which make uses for the MSI.
func appVersion(t *testing.T) string {
	data, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([0-9.]+)"`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no Version in FyneApp.toml")
	}
	return string(m[1])
}

// table reads an MSI table with msiinfo export: one map per row, by column.
func table(t *testing.T, msi, name string) []map[string]string {
	t.Helper()
	cmd := exec.Command("msiinfo", "export", msi, name)
	cmd.Dir = t.TempDir() // it writes binary columns (the Icon table's) to files there
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("msiinfo export %s: %v", name, err)
	}
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(out), "\r\n", "\n"), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("table %s: no header in %q", name, out)
	}
	cols := strings.Split(lines[0], "\t")
	var rows []map[string]string
	for _, l := range lines[3:] { // column names, column types, table name and keys
		cells := strings.Split(l, "\t")
		row := map[string]string{}
		for i, c := range cols {
			if i < len(cells) {
				row[c] = cells[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func properties(t *testing.T, msi string) map[string]string {
	props := map[string]string{}
	for _, r := range table(t, msi, "Property") {
		props[r["Property"]] = r["Value"]
	}
	return props
}

func summary(t *testing.T, msi string) map[string]string {
	out, err := exec.Command("msiinfo", "suminfo", msi).Output()
	if err != nil {
		t.Fatal(err)
	}
	info := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ": "); ok {
			info[k] = v
		}
	}
	return info
}

func TestMSIProductAndPerUserInstall(t *testing.T) {
	p := build(t)
	props := properties(t, p.msi)
	want := map[string]string{
		"ProductName":    "mailsetup",
		"ProductVersion": p.version,
		"UpgradeCode":    upgradeCode,
		"ARPPRODUCTICON": "mailsetup.ico",
		"ARPNOMODIFY":    "1",
	}
	for k, v := range want {
		if !strings.EqualFold(props[k], v) {
			t.Errorf("property %s = %q, want %q", k, props[k], v)
		}
	}
	for _, k := range []string{"Manufacturer", "ProductCode", "ARPURLINFOABOUT", "ARPHELPLINK"} {
		if props[k] == "" {
			t.Errorf("property %s is missing", k)
		}
	}
	// Per-user: no ALLUSERS (or the per-user form of the dual-purpose one).
	if all, ok := props["ALLUSERS"]; ok && !(all == "2" && props["MSIINSTALLPERUSER"] == "1") {
		t.Errorf("ALLUSERS=%q MSIINSTALLPERUSER=%q: a per-machine install", all, props["MSIINSTALLPERUSER"])
	}

	info := summary(t, p.msi)
	if info["Template"] != "x64;1033" {
		t.Errorf("summary Template %q, want x64;1033", info["Template"])
	}
	// Word Count: 2 = compressed, 8 = no elevation (no UAC prompt).
	wc, err := strconv.Atoi(strings.Fields(info["Source"] + " x")[0])
	if err != nil || wc&8 == 0 || wc&2 == 0 {
		t.Errorf("summary word count %q: want bits 2 (compressed) and 8 (no elevation)", info["Source"])
	}
	if !strings.Contains(info["Subject"], p.version) {
		t.Errorf("summary Subject %q lacks the version", info["Subject"])
	}
}

func TestMSIInstallsIntoTheUsersProfile(t *testing.T) {
	p := build(t)
	parent := map[string]string{}
	name := map[string]string{}
	for _, r := range table(t, p.msi, "Directory") {
		parent[r["Directory"]] = r["Directory_Parent"]
		name[r["Directory"]] = r["DefaultDir"]
	}
	var chain []string
	for d := "INSTALLDIR"; d != "" && d != "TARGETDIR"; d = parent[d] {
		chain = append(chain, d+"("+name[d]+")")
	}
	if got := strings.Join(chain, " < "); got != "INSTALLDIR(mailsetup) < UserPrograms(Programs) < LocalAppDataFolder(.)" {
		t.Errorf("install folder %s, want %%LOCALAPPDATA%%\\Programs\\mailsetup", got)
	}
	for d := range parent {
		switch d {
		case "ProgramFilesFolder", "ProgramFiles64Folder", "SystemFolder", "System64Folder", "WindowsFolder", "CommonAppDataFolder":
			t.Errorf("directory %s needs an administrator", d)
		}
	}

	files := map[string]map[string]string{}
	for _, r := range table(t, p.msi, "File") {
		files[r["FileName"]] = r
	}
	components := map[string]map[string]string{}
	for _, r := range table(t, p.msi, "Component") {
		components[r["Component"]] = r
	}
	exe, ok := files["mailsetup.exe"]
	if !ok {
		t.Fatalf("no mailsetup.exe in the File table: %v", files)
	}
	if dir := components[exe["Component_"]]["Directory_"]; dir != "INSTALLDIR" {
		t.Errorf("mailsetup.exe goes to %s", dir)
	}
	if p.exeSize > 0 && exe["FileSize"] != strconv.FormatInt(p.exeSize, 10) {
		t.Errorf("mailsetup.exe size %s, want %d", exe["FileSize"], p.exeSize)
	}
	for _, f := range []string{"LICENSE.txt", "README.txt"} {
		if _, ok := files[f]; !ok {
			t.Errorf("%s is not installed", f)
		}
	}

	// Everything the package writes to the registry is the user's, and
	// every component's key path is such a value, as Windows Installer
	// wants for per-user components in the profile.
	registry := map[string]map[string]string{}
	for _, r := range table(t, p.msi, "Registry") {
		registry[r["Registry"]] = r
		if r["Root"] != "1" {
			t.Errorf("registry value %s\\%s under root %s, want 1 (HKCU)", r["Key"], r["Name"], r["Root"])
		}
	}
	for id, c := range components {
		if _, ok := registry[c["KeyPath"]]; !ok {
			t.Errorf("component %s: key path %q is not an HKCU value", id, c["KeyPath"])
		}
	}
}

func TestMSIStartMenuShortcutAndUpgrades(t *testing.T) {
	p := build(t)
	shortcuts := table(t, p.msi, "Shortcut")
	if len(shortcuts) != 1 {
		t.Fatalf("%d shortcuts, want 1", len(shortcuts))
	}
	s := shortcuts[0]
	for k, v := range map[string]string{"Directory_": "ProgramMenuFolder", "Name": "mailsetup",
		"Target": "[INSTALLDIR]mailsetup.exe", "Icon_": "mailsetup.ico", "WkDir": "INSTALLDIR"} {
		if s[k] != v {
			t.Errorf("shortcut %s = %q, want %q", k, s[k], v)
		}
	}
	icons := table(t, p.msi, "Icon")
	if len(icons) != 1 || icons[0]["Name"] != "mailsetup.ico" {
		t.Errorf("Icon table %v", icons)
	}
	// A newer version replaces the old one instead of installing beside it.
	upgrades := table(t, p.msi, "Upgrade")
	if len(upgrades) == 0 || !strings.EqualFold(upgrades[0]["UpgradeCode"], upgradeCode) {
		t.Errorf("Upgrade table %v", upgrades)
	}
	found := false
	for _, r := range table(t, p.msi, "InstallExecuteSequence") {
		found = found || r["Action"] == "RemoveExistingProducts"
	}
	if !found {
		t.Error("no RemoveExistingProducts: an upgrade would leave the old version installed")
	}
}

func TestPortableZip(t *testing.T) {
	p := build(t)
	z, err := zip.OpenReader(p.zip)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	dir := "mailsetup-" + p.version + "/"
	got := map[string]*zip.File{}
	for _, f := range z.File {
		got[f.Name] = f
		if !strings.HasPrefix(f.Name, dir) {
			t.Errorf("%s lies outside %s", f.Name, dir)
		}
	}
	for _, name := range []string{"mailsetup.exe", "LICENSE.txt", "README.txt"} {
		f, ok := got[dir+name]
		if !ok {
			t.Errorf("the zip lacks %s%s", dir, name)
			continue
		}
		if !strings.HasSuffix(name, ".txt") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(r)
		r.Close()
		if lf, crlf := bytes.Count(text, []byte("\n")), bytes.Count(text, []byte("\r\n")); lf == 0 || lf != crlf {
			t.Errorf("%s: %d line ends, %d of them CRLF; Windows editors want CRLF", name, lf, crlf)
		}
	}
}
