package clients

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"
)

// These tests use the real registry and process list: on Windows, and in
// make test under Wine. They write only below a scratch key of their own
// (HKCU\Software\mailsetup-test\…), except TestFindOutlookInTheRealKeys,
// which runs only in the harness's throw-away Wine prefix (MAILSETUP_WINE).

// scratch returns places below a fresh scratch key and an empty alias
// folder, removed when the test ends.
func scratch(t *testing.T) outlookPlaces {
	t.Helper()
	base := fmt.Sprintf(`Software\mailsetup-test\%s-%d`, t.Name(), time.Now().UnixNano())
	t.Cleanup(func() {
		deleteTree(t, registry.CURRENT_USER, base)
		registry.DeleteKey(registry.CURRENT_USER, `Software\mailsetup-test`) // only when empty
	})
	return outlookPlaces{
		appPaths:    []regKey{{registry.CURRENT_USER, base + `\App Paths`, 0}},
		packages:    regKey{registry.CURRENT_USER, base + `\Packages`, 0},
		preferences: regKey{registry.CURRENT_USER, base + `\Preferences`, 0},
		aliases:     tempDir(t),
	}
}

func createKey(t *testing.T, root registry.Key, path string) registry.Key {
	t.Helper()
	k, _, err := registry.CreateKey(root, path, registry.ALL_ACCESS)
	if err != nil {
		t.Fatalf("creating %s: %v", path, err)
	}
	return k
}

func deleteTree(t *testing.T, root registry.Key, path string) {
	k, err := registry.OpenKey(root, path, registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return
	}
	names, _ := k.ReadSubKeyNames(-1)
	k.Close()
	for _, n := range names {
		deleteTree(t, root, path+`\`+n)
	}
	if err := registry.DeleteKey(root, path); err != nil {
		t.Errorf("removing %s: %v", path, err)
	}
}

// registerOutlook writes an App Paths entry for OUTLOOK.EXE whose default
// value is value, of type kind.
func registerOutlook(t *testing.T, k regKey, value string, kind uint32) {
	t.Helper()
	key := createKey(t, k.root, k.path+`\OUTLOOK.EXE`)
	defer key.Close()
	var err error
	if kind == registry.EXPAND_SZ {
		err = key.SetExpandStringValue("", value)
	} else {
		err = key.SetStringValue("", value)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := key.SetStringValue("Path", filepath.Dir(value)); err != nil {
		t.Fatal(err)
	}
}

// fakeOutlookExe copies this test binary to DIR\Microsoft Office\OUTLOOK.EXE.
func fakeOutlookExe(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tempDir(t), "Microsoft Office", "root", "Office16")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "OUTLOOK.EXE")
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestFindOutlook(t *testing.T) {
	exe := fakeOutlookExe(t)
	t.Setenv("MAILSETUP_TEST_OFFICE", filepath.Dir(exe))
	tests := []struct {
		name    string
		setup   func(t *testing.T, p outlookPlaces)
		want    func(exe string) Outlook
		canPRF  error
		comment string
	}{
		{"nothing installed", func(*testing.T, outlookPlaces) {}, func(string) Outlook { return Outlook{} }, ErrNoOutlook, ""},
		{"classic Outlook", func(t *testing.T, p outlookPlaces) {
			registerOutlook(t, p.appPaths[0], exe, registry.SZ)
		}, func(exe string) Outlook { return Outlook{Classic: exe} }, nil, ""},
		{"classic Outlook, quoted path with a variable", func(t *testing.T, p outlookPlaces) {
			registerOutlook(t, p.appPaths[0], `"%MAILSETUP_TEST_OFFICE%\OUTLOOK.EXE"`, registry.EXPAND_SZ)
		}, func(exe string) Outlook { return Outlook{Classic: exe} }, nil, ""},
		{"stale registration", func(t *testing.T, p outlookPlaces) {
			registerOutlook(t, p.appPaths[0], filepath.Join(tempDir(t), "gone", "OUTLOOK.EXE"), registry.SZ)
		}, func(string) Outlook { return Outlook{} }, ErrNoOutlook, ""},
		{"only the new Outlook (package)", func(t *testing.T, p outlookPlaces) {
			createKey(t, p.packages.root, p.packages.path+`\Microsoft.OutlookForWindows_1.2025.1105.0_x64__8wekyb3d8bbwe`).Close()
		}, func(string) Outlook { return Outlook{New: true} }, ErrOnlyNewOutlook, ""},
		{"only the new Outlook (execution alias)", func(t *testing.T, p outlookPlaces) {
			if err := os.WriteFile(filepath.Join(p.aliases, "olk.exe"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, func(string) Outlook { return Outlook{New: true} }, ErrOnlyNewOutlook, ""},
		{"both, new one preferred", func(t *testing.T, p outlookPlaces) {
			registerOutlook(t, p.appPaths[0], exe, registry.SZ)
			createKey(t, p.packages.root, p.packages.path+`\Microsoft.OutlookForWindows_1.2025.1105.0_x64__8wekyb3d8bbwe`).Close()
			k := createKey(t, p.preferences.root, p.preferences.path)
			defer k.Close()
			if err := k.SetDWordValue("UseNewOutlook", 1); err != nil {
				t.Fatal(err)
			}
		}, func(exe string) Outlook { return Outlook{Classic: exe, New: true, PrefersNew: true} }, nil, ""},
		{"other packages only", func(t *testing.T, p outlookPlaces) {
			createKey(t, p.packages.root, p.packages.path+`\Microsoft.WindowsCalculator_11.0.0.0_x64__8wekyb3d8bbwe`).Close()
		}, func(string) Outlook { return Outlook{} }, ErrNoOutlook, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scratch(t)
			tt.setup(t, p)
			got, err := p.find()
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.want(exe); got != want {
				t.Errorf("find() = %+v, want %+v", got, want)
			}
			if err := got.CanImportPRF(); !errors.Is(err, tt.canPRF) {
				t.Errorf("CanImportPRF() = %v, want %v", err, tt.canPRF)
			}
		})
	}
}

func writePRF(t *testing.T) string {
	t.Helper()
	// A space in the path: Outlook must get it as one argument.
	dir := filepath.Join(tempDir(t), "My Exports")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	prf := filepath.Join(dir, "alice@example.test.prf")
	if err := os.WriteFile(prf, []byte("[General]\r\nCustom=1\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return prf
}

func TestImportPRFStartsOutlook(t *testing.T) {
	if running, _ := OutlookRunning(); running {
		t.Skip("an Outlook is running on this machine")
	}
	o := Outlook{Classic: fakeOutlookExe(t)}
	prf := writePRF(t)
	record := filepath.Join(tempDir(t), "args.json")
	t.Setenv(fakeOutlookEnv, "record="+record)
	if err := ImportPRF(o, prf); err != nil {
		t.Fatal(err)
	}
	var args []string
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, err := os.ReadFile(record)
		if err == nil && json.Unmarshal(data, &args) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Outlook was not started (no arguments recorded)")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if want := []string{"/importprf", prf}; !reflect.DeepEqual(args, want) {
		t.Errorf("Outlook got %q, want %q", args, want)
	}
}

func TestImportPRFRefuses(t *testing.T) {
	prf := writePRF(t)
	classic := Outlook{Classic: fakeOutlookExe(t)}
	tests := []struct {
		name string
		o    Outlook
		prf  string
		want error
	}{
		{"only new Outlook", Outlook{New: true}, prf, ErrOnlyNewOutlook},
		{"no Outlook", Outlook{}, prf, ErrNoOutlook},
		{"relative path", classic, "alice.prf", nil},
		{"missing file", classic, filepath.Join(tempDir(t), "missing.prf"), os.ErrNotExist},
	}
	for _, tt := range tests {
		err := ImportPRF(tt.o, tt.prf)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: ImportPRF = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// An open Outlook ignores /importprf: ImportPRF must say so instead.
func TestImportPRFWhileOutlookRuns(t *testing.T) {
	if running, _ := OutlookRunning(); running {
		t.Skip("an Outlook is running on this machine")
	}
	exe := fakeOutlookExe(t)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), fakeOutlookEnv+"=wait")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		running, err := OutlookRunning()
		if err != nil {
			t.Fatal(err)
		}
		if running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("OutlookRunning() stays false while OUTLOOK.EXE runs")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := ImportPRF(Outlook{Classic: exe}, writePRF(t)); !errors.Is(err, ErrOutlookRunning) {
		t.Errorf("ImportPRF while Outlook runs = %v, want ErrOutlookRunning", err)
	}
}

// The real App Paths key, written only in the harness's throw-away prefix.
func TestFindOutlookInTheRealKeys(t *testing.T) {
	if os.Getenv("MAILSETUP_WINE") == "" {
		t.Skip("writes HKCU's App Paths: only in the test harness's Wine prefix")
	}
	exe := fakeOutlookExe(t)
	real := systemPlaces()
	registerOutlook(t, real.appPaths[0], exe, registry.SZ)
	t.Cleanup(func() { deleteTree(t, registry.CURRENT_USER, appPathsPath+`\OUTLOOK.EXE`) })
	o, err := FindOutlook()
	if err != nil {
		t.Fatal(err)
	}
	if o.Classic != exe {
		t.Errorf("FindOutlook().Classic = %q, want %q", o.Classic, exe)
	}
}
