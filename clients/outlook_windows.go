package clients

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// regKey is a registry key to read: a root, a path below it and the
// registry view (64- or 32-bit) to read it in.
type regKey struct {
	root registry.Key
	path string
	view uint32 // registry.WOW64_64KEY, WOW64_32KEY or 0 (the process's own)
}

// outlookPlaces are where FindOutlook looks; tests point them at a
// scratch key.
type outlookPlaces struct {
	// appPaths are the App Paths keys, in the order the shell reads them
	// (the user's before the machine's); OUTLOOK.EXE is looked up below each.
	appPaths []regKey
	// packages lists the user's installed packaged apps; the new Outlook
	// is Microsoft.OutlookForWindows_<version>_<arch>__<publisher id>.
	packages regKey
	// preferences holds classic Outlook's UseNewOutlook switch.
	preferences regKey
	// aliases is the folder of app execution aliases, where the new
	// Outlook puts olk.exe.
	aliases string
}

const appPathsPath = `Software\Microsoft\Windows\CurrentVersion\App Paths`

// systemPlaces are the real places. The App Paths key of the machine is
// read in both registry views: a 32-bit Office on 64-bit Windows may
// register itself in the 32-bit one.
func systemPlaces() outlookPlaces {
	return outlookPlaces{
		appPaths: []regKey{
			{registry.CURRENT_USER, appPathsPath, 0},
			{registry.LOCAL_MACHINE, appPathsPath, registry.WOW64_64KEY},
			{registry.LOCAL_MACHINE, appPathsPath, registry.WOW64_32KEY},
		},
		packages: regKey{registry.CURRENT_USER,
			`Software\Classes\Local Settings\Software\Microsoft\Windows\CurrentVersion\AppModel\Repository\Packages`, 0},
		preferences: regKey{registry.CURRENT_USER, `Software\Microsoft\Office\16.0\Outlook\Preferences`, 0},
		aliases:     filepath.Join(os.Getenv("LOCALAPPDATA"), "Microsoft", "WindowsApps"),
	}
}

// FindOutlook reports which Outlooks are installed for this user. A
// missing key is no error: it means no such Outlook.
func FindOutlook() (Outlook, error) { return systemPlaces().find() }

func (p outlookPlaces) find() (Outlook, error) {
	var o Outlook
	for _, k := range p.appPaths {
		path, err := appPath(k, "OUTLOOK.EXE")
		if err != nil {
			return o, err
		}
		if path != "" {
			o.Classic = path
			break
		}
	}
	o.New = p.newOutlookInstalled()
	o.PrefersNew = dword(p.preferences, "UseNewOutlook") == 1
	return o, nil
}

// appPath reads the default value of k\exe, the program's full path, and
// returns it when that file exists. Absent keys and files give "".
func appPath(k regKey, exe string) (string, error) {
	key, err := registry.OpenKey(k.root, k.path+`\`+exe, registry.QUERY_VALUE|k.view)
	if errors.Is(err, registry.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer key.Close()
	value, kind, err := key.GetStringValue("")
	if errors.Is(err, registry.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if kind == registry.EXPAND_SZ {
		if value, err = registry.ExpandString(value); err != nil {
			return "", err
		}
	}
	// Some installers write the path in quotes.
	value = strings.Trim(strings.TrimSpace(value), `"`)
	if fi, err := os.Stat(value); err != nil || fi.IsDir() {
		return "", nil // a stale registration: the program is gone
	}
	return value, nil
}

// newOutlookInstalled looks for the new Outlook's package registration,
// then for its olk.exe execution alias.
func (p outlookPlaces) newOutlookInstalled() bool {
	if key, err := registry.OpenKey(p.packages.root, p.packages.path, registry.ENUMERATE_SUB_KEYS|p.packages.view); err == nil {
		names, _ := key.ReadSubKeyNames(-1)
		key.Close()
		for _, n := range names {
			if strings.HasPrefix(strings.ToLower(n), "microsoft.outlookforwindows_") {
				return true
			}
		}
	}
	if p.aliases != "" {
		// An execution alias is a reparse point that Stat cannot follow.
		if _, err := os.Lstat(filepath.Join(p.aliases, "olk.exe")); err == nil {
			return true
		}
	}
	return false
}

// dword reads a DWORD value, 0 when absent.
func dword(k regKey, name string) uint64 {
	key, err := registry.OpenKey(k.root, k.path, registry.QUERY_VALUE|k.view)
	if err != nil {
		return 0
	}
	defer key.Close()
	v, _, err := key.GetIntegerValue(name)
	if err != nil {
		return 0
	}
	return v
}

// OutlookRunning reports whether classic Outlook (OUTLOOK.EXE) runs in
// this session, from the system's process list.
func OutlookRunning() (bool, error) { return processRunning("OUTLOOK.EXE") }

func processRunning(exe string) (bool, error) {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return false, err
	}
	defer windows.CloseHandle(snap)
	var entry windows.ProcessEntry32
	entry.Size = uint32(unsafe.Sizeof(entry))
	for err = windows.Process32First(snap, &entry); err == nil; err = windows.Process32Next(snap, &entry) {
		if strings.EqualFold(windows.UTF16ToString(entry.ExeFile[:]), exe) {
			return true, nil
		}
	}
	if errors.Is(err, windows.ERROR_NO_MORE_FILES) {
		return false, nil
	}
	return false, err
}

// startOutlook runs outlook.exe /importprf prf and lets it go on alone.
func startOutlook(outlook, prf string) error {
	cmd := exec.Command(outlook, "/importprf", prf)
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
