//! Whether a Chinese font is installed. eframe's `system_fonts` lookup finds one on demand, but
//! when there is none egui would draw boxes; the window says so once instead, with the fix.

use std::path::Path;

/// Directories where Linux, macOS and Windows keep fonts.
const FONT_DIRS: [&str; 6] = [
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "/System/Library/Fonts",
    "/Library/Fonts",
    "C:\\Windows\\Fonts",
];

/// File-name fragments of common CJK fonts (Noto/Source Han, WenQuanYi, YaHei, PingFang, …).
const CJK_NAMES: [&str; 9] = [
    "cjk",
    "sourcehan",
    "wqy",
    "yahei",
    "msyh",
    "pingfang",
    "simsun",
    "simhei",
    "droidsansfallback",
];

fn has_cjk(dir: &Path, depth: u8) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            return depth > 0 && has_cjk(&path, depth - 1);
        }
        let name = e
            .file_name()
            .to_string_lossy()
            .to_lowercase()
            .replace(['-', '_', ' '], "");
        CJK_NAMES.iter().any(|n| name.contains(n))
    })
}

/// True when some installed font file looks like a CJK font.
pub fn cjk_font_installed() -> bool {
    let home = std::env::var("HOME").unwrap_or_default();
    FONT_DIRS.iter().any(|d| has_cjk(Path::new(&d.replace('~', &home)), 4))
}
