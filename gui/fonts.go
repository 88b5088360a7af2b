package gui

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
)

// cjkFonts are the regular and bold faces for Chinese text; bold may be
// nil (the regular face is used), regular nil means none was found.
type cjkFonts struct {
	regular, bold fyne.Resource
}

// envCJKFont names a font file (TTF, OTF or a TTC collection) to use for
// Chinese text; "none" turns the CJK font off.
const envCJKFont = "MAILSETUP_CJK_FONT"

// cjkSource is where a system keeps a CJK font: a regular and a bold
// file, and the family to take from a collection for each script.
type cjkSource struct {
	regular, bold string
	hans, hant    string // family names inside a collection; "" = the first face
}

// cjkSources lists CJK fonts of common systems, best first.
func cjkSources() []cjkSource {
	switch runtime.GOOS {
	case "windows":
		dir := filepath.Join(os.Getenv("WINDIR"), "Fonts")
		if os.Getenv("WINDIR") == "" {
			dir = `C:\Windows\Fonts`
		}
		return []cjkSource{
			{regular: filepath.Join(dir, "msyh.ttc"), bold: filepath.Join(dir, "msyhbd.ttc"), hans: "Microsoft YaHei UI", hant: "Microsoft YaHei UI"},
			{regular: filepath.Join(dir, "msjh.ttc"), bold: filepath.Join(dir, "msjhbd.ttc"), hans: "Microsoft JhengHei UI", hant: "Microsoft JhengHei UI"},
			{regular: filepath.Join(dir, "Deng.ttf"), bold: filepath.Join(dir, "Dengb.ttf")},
			{regular: filepath.Join(dir, "simhei.ttf")},
		}
	case "darwin":
		return []cjkSource{
			{regular: "/System/Library/Fonts/PingFang.ttc", hans: "PingFang SC", hant: "PingFang TC"},
			{regular: "/System/Library/Fonts/Hiragino Sans GB.ttc", hans: "Hiragino Sans GB", hant: "Hiragino Sans GB"},
			{regular: "/System/Library/Fonts/Supplemental/Arial Unicode.ttf"},
		}
	}
	var out []cjkSource
	for _, dir := range []string{"/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk",
		"/usr/share/fonts/noto", "/usr/share/fonts/opentype/noto-cjk"} {
		out = append(out, cjkSource{regular: filepath.Join(dir, "NotoSansCJK-Regular.ttc"), bold: filepath.Join(dir, "NotoSansCJK-Bold.ttc"),
			hans: "Noto Sans CJK SC", hant: "Noto Sans CJK TC"})
	}
	return append(out,
		cjkSource{regular: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", hans: "WenQuanYi Micro Hei", hant: "WenQuanYi Micro Hei"},
		cjkSource{regular: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", hans: "WenQuanYi Zen Hei", hant: "WenQuanYi Zen Hei"},
		cjkSource{regular: "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"},
		cjkSource{regular: "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf"},
	)
}

// findCJKFonts returns the first CJK font found for lang (zh-Hans or zh-Hant).
func findCJKFonts(lang string) cjkFonts {
	sources := cjkSources()
	switch p := os.Getenv(envCJKFont); p {
	case "":
	case "none":
		return cjkFonts{}
	default:
		sources = append([]cjkSource{{regular: p}}, sources...)
	}
	for _, s := range sources {
		family := s.hans
		if lang == "zh-Hant" {
			family = s.hant
		}
		regular := loadFace(s.regular, family)
		if regular == nil {
			continue
		}
		return cjkFonts{regular: regular, bold: loadFace(s.bold, family)}
	}
	return cjkFonts{}
}

// maxFontFile keeps a wrong path from loading something huge.
const maxFontFile = 64 << 20

// loadFace reads the face of family from a font file or collection (the
// first face when family is "" or absent) as a single-font resource, the
// only kind fyne parses. nil when the file is missing or unusable.
func loadFace(path, family string) fyne.Resource {
	if path == "" {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxFontFile {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	loaders, err := opentype.NewLoaders(f)
	if err != nil || len(loaders) == 0 {
		return nil
	}
	pick := loaders[0]
	for _, ld := range loaders {
		if d, _ := font.Describe(ld, nil); family != "" && strings.EqualFold(d.Family, family) {
			pick = ld
			break
		}
	}
	data, err := singleFont(pick)
	if err != nil {
		return nil
	}
	if _, err := font.ParseTTF(bytes.NewReader(data)); err != nil {
		return nil // refuse what fyne would fail on at every text
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if family != "" {
		name = strings.ReplaceAll(family, " ", "")
	}
	return fyne.NewStaticResource(name+".otf", data)
}

// singleFont writes one face of a font as a standalone sfnt file: the
// header, the table directory, then each table, 4-byte aligned.
func singleFont(ld *opentype.Loader) ([]byte, error) {
	tags := ld.Tables() // sorted, as the directory must be
	n := len(tags)
	if n == 0 || n > 256 {
		return nil, errors.New("font: no tables")
	}
	tables := make([][]byte, n)
	size := 12 + 16*n
	for i, tag := range tags {
		t, err := ld.RawTable(tag)
		if err != nil {
			return nil, err
		}
		tables[i] = t
		size += (len(t) + 3) &^ 3
	}
	version := uint32(0x00010000)
	if ld.HasTable(opentype.MustNewTag("CFF ")) || ld.HasTable(opentype.MustNewTag("CFF2")) {
		version = 0x4F54544F // "OTTO"
	}
	out := make([]byte, 12+16*n, size)
	be := binary.BigEndian
	pow := 1 << (bits.Len(uint(n)) - 1) // largest power of two ≤ n
	be.PutUint32(out[0:], version)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], uint16(pow*16))
	be.PutUint16(out[8:], uint16(bits.Len(uint(pow))-1))
	be.PutUint16(out[10:], uint16(n*16-pow*16))
	for i, tag := range tags {
		rec := out[12+16*i:]
		be.PutUint32(rec[0:], uint32(tag))
		be.PutUint32(rec[4:], tableChecksum(tables[i]))
		be.PutUint32(rec[8:], uint32(len(out)))
		be.PutUint32(rec[12:], uint32(len(tables[i])))
		out = append(out, tables[i]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}

// tableChecksum is the sfnt checksum: the sum of the big-endian words,
// the last one padded with zeros.
func tableChecksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	var last [4]byte
	copy(last[:], b)
	return sum + binary.BigEndian.Uint32(last[:])
}
