//go:build windows

// Command wintool asks Windows itself, under Wine in the tests, what a
// user's system would see:
//
//	wintool version EXE     the version sheet of EXE, as NAME=VALUE lines
//	wintool icons EXE       how many icons EXE carries
//	wintool addroot PEM     trust a CA certificate in the user's root store
//
// It is a test tool: the Wine prefix it runs in is a throw-away one.
package main

import (
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: wintool version|icons|addroot FILE")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "version":
		err = printVersion(os.Args[2])
	case "icons":
		err = printIcons(os.Args[2])
	case "addroot":
		err = addRoot(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wintool:", err)
		os.Exit(1)
	}
}

// versionStrings are the StringFileInfo values Explorer shows.
var versionStrings = []string{"ProductName", "ProductVersion", "FileVersion", "FileDescription",
	"CompanyName", "OriginalFilename", "InternalName", "LegalCopyright"}

// printVersion reads EXE's version resource with GetFileVersionInfo, as
// Explorer's Properties > Details does.
func printVersion(exe string) error {
	var zero windows.Handle
	size, err := windows.GetFileVersionInfoSize(exe, &zero)
	if err != nil {
		return fmt.Errorf("GetFileVersionInfoSize: %w", err)
	}
	info := make([]byte, size)
	if err := windows.GetFileVersionInfo(exe, 0, size, unsafe.Pointer(&info[0])); err != nil {
		return fmt.Errorf("GetFileVersionInfo: %w", err)
	}
	var fixed *windows.VS_FIXEDFILEINFO
	var n uint32
	if err := windows.VerQueryValue(unsafe.Pointer(&info[0]), `\`, unsafe.Pointer(&fixed), &n); err != nil {
		return fmt.Errorf("VerQueryValue fixed info: %w", err)
	}
	fmt.Printf("FixedFileVersion=%d.%d.%d.%d\n", fixed.FileVersionMS>>16, fixed.FileVersionMS&0xffff,
		fixed.FileVersionLS>>16, fixed.FileVersionLS&0xffff)
	var lang *[2]uint16
	if err := windows.VerQueryValue(unsafe.Pointer(&info[0]), `\VarFileInfo\Translation`, unsafe.Pointer(&lang), &n); err != nil || n < 4 {
		return fmt.Errorf("VerQueryValue translation: %v", err)
	}
	for _, name := range versionStrings {
		path := fmt.Sprintf(`\StringFileInfo\%04x%04x\%s`, lang[0], lang[1], name)
		var p *uint16
		if err := windows.VerQueryValue(unsafe.Pointer(&info[0]), path, unsafe.Pointer(&p), &n); err != nil {
			continue // absent
		}
		fmt.Printf("%s=%s\n", name, windows.UTF16PtrToString(p))
	}
	return nil
}

// printIcons counts EXE's icons with ExtractIconEx, the shell's own look-up.
func printIcons(exe string) error {
	name, err := windows.UTF16PtrFromString(exe)
	if err != nil {
		return err
	}
	extract := windows.NewLazySystemDLL("shell32.dll").NewProc("ExtractIconExW")
	const all = ^uintptr(0) // nIconIndex -1: return the number of icons
	n, _, _ := extract.Call(uintptr(unsafe.Pointer(name)), all, 0, 0, 0)
	fmt.Printf("icons=%d\n", n)
	return nil
}

// addRoot puts a PEM certificate into the current user's Root store, as a
// user who trusts a company CA would.
func addRoot(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return errors.New(file + ": no PEM certificate")
	}
	storeName, _ := syscall.UTF16PtrFromString("ROOT")
	store, err := windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM, 0, 0,
		windows.CERT_SYSTEM_STORE_CURRENT_USER, uintptr(unsafe.Pointer(storeName)))
	if err != nil {
		return fmt.Errorf("CertOpenStore: %w", err)
	}
	defer windows.CertCloseStore(store, 0)
	cert, err := windows.CertCreateCertificateContext(windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING,
		&block.Bytes[0], uint32(len(block.Bytes)))
	if err != nil {
		return fmt.Errorf("CertCreateCertificateContext: %w", err)
	}
	defer windows.CertFreeCertificateContext(cert)
	if err := windows.CertAddCertificateContextToStore(store, cert, windows.CERT_STORE_ADD_REPLACE_EXISTING, nil); err != nil {
		return fmt.Errorf("CertAddCertificateContextToStore: %w", err)
	}
	fmt.Println("added")
	return nil
}
