//! Safe file names made from headlines, and writing exported files into a folder.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{ExportError, ExportFile};
use crate::library::store::{sync_dir_of, write_temp};

/// Longest file name stem, in characters.
pub const MAX_STEM_CHARS: usize = 80;
/// Longest file name stem, in UTF-8 bytes (most file systems allow 255 bytes per name).
pub const MAX_STEM_BYTES: usize = 200;

/// Characters no file name may hold on Windows, macOS or Linux.
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "conin$", "conout$", "clock$", "com0", "com1", "com2", "com3",
    "com4", "com5", "com6", "com7", "com8", "com9", "com¹", "com²", "com³", "lpt0", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "lpt¹", "lpt²", "lpt³",
];

/// Invisible characters that could disguise a name (bidirectional overrides, zero-width marks).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A file name made from a headline: path separators, characters Windows forbids and control
/// characters become spaces, invisible characters are dropped, white space is collapsed,
/// leading dots and dashes and trailing dots and spaces are trimmed, device names (CON, NUL,
/// COM1...) get a `_`, the stem is cut to 80 characters (and 200 bytes) on a character
/// boundary, and an empty result becomes "untitled". The name is unique within `taken`, which
/// holds lower-cased names (Windows and macOS compare names case-insensitively): " (2)",
/// " (3)"... is appended as needed, and the name is added to it.
pub fn file_name_for(headline: &str, ext: &str, taken: &mut HashSet<String>) -> String {
    let stem = sanitize_stem(headline);
    let ext = sanitize_ext(ext);
    let with_ext = |stem: &str| {
        if ext.is_empty() {
            stem.to_string()
        } else {
            format!("{stem}.{ext}")
        }
    };
    let mut name = with_ext(&stem);
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = with_ext(&format!("{stem} ({n})"));
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

fn sanitize_stem(headline: &str) -> String {
    let cleaned: String = headline
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| {
            if c.is_control() || FORBIDDEN.contains(&c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut stem = trim_ends(&collapsed).to_string();
    if stem.chars().count() > MAX_STEM_CHARS || stem.len() > MAX_STEM_BYTES {
        let mut cut = String::new();
        for c in stem.chars() {
            if cut.chars().count() == MAX_STEM_CHARS || cut.len() + c.len_utf8() > MAX_STEM_BYTES {
                break;
            }
            cut.push(c);
        }
        stem = trim_ends(&cut).to_string();
    }
    if stem.is_empty() {
        stem = "untitled".to_string();
    }
    let device = stem
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_lowercase();
    if RESERVED.contains(&device.as_str()) {
        stem.push('_');
    }
    stem
}

fn trim_ends(s: &str) -> &str {
    s.trim_start_matches(|c: char| c == '.' || c == '-' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
}

fn sanitize_ext(ext: &str) -> String {
    let ext: String = ext
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .collect();
    ext.trim_matches('.').to_string()
}

/// Whether `name` is one plain file name (no folder, no "." or ".."; a leading dot is allowed,
/// as in "-o .notes.md").
fn is_plain_name(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(n)), None) if n == name
    ) && !name.contains(['/', '\\', '\0'])
}

/// Write `files` into `dir` (which must exist), each atomically: a temporary file in the same
/// folder, fsynced, renamed into place; the folder is synced at the end. Names must be plain file
/// names (as [`file_name_for`] makes them): nothing is ever written outside `dir`.
///
/// Without `force` no existing file is touched: when any target exists (even as a dangling
/// symbolic link) nothing is written and the first one is named in [`ExportError::Exists`]; a
/// file appearing meanwhile is not overwritten either (its name is claimed with an exclusive
/// create before the rename). With `force` existing files are replaced (a symbolic link is
/// replaced itself, never followed). Returns the written paths, in order. Names are checked
/// before anything is written; an I/O error partway leaves the files written before it (each
/// complete) and no temporary or empty placeholder file.
pub fn write_files(
    dir: &Path,
    files: &[ExportFile],
    force: bool,
) -> Result<Vec<PathBuf>, ExportError> {
    let mut seen = HashSet::new();
    for file in files {
        if !is_plain_name(&file.name) {
            return Err(ExportError::InvalidName(file.name.clone()));
        }
        if !seen.insert(file.name.to_lowercase()) {
            return Err(ExportError::DuplicateName(file.name.clone()));
        }
    }
    let meta = fs::metadata(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(ExportError::Io {
            path: dir.to_path_buf(),
            source: io::Error::new(io::ErrorKind::NotADirectory, "not a folder"),
        });
    }
    if !force {
        for file in files {
            let path = dir.join(&file.name);
            if fs::symlink_metadata(&path).is_ok() {
                return Err(ExportError::Exists(path));
            }
        }
    }
    let mut written = Vec::with_capacity(files.len());
    for file in files {
        let path = dir.join(&file.name);
        write_one(&path, file.contents.as_bytes(), force)?;
        written.push(path);
    }
    if let Some(first) = written.first() {
        sync_dir_of(first).map_err(|source| ExportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(written)
}

fn write_one(path: &Path, bytes: &[u8], force: bool) -> Result<(), ExportError> {
    let io_err = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !force {
        // Claim the name: fails if anything (a file, a link) is there.
        match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(ExportError::Exists(path.to_path_buf()));
            }
            Err(e) => return Err(io_err(e)),
        }
    }
    let result = write_temp(path, bytes, true).and_then(|tmp| {
        fs::rename(&tmp, path).inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })
    });
    if let Err(e) = result {
        if !force {
            let _ = fs::remove_file(path);
        }
        return Err(io_err(e));
    }
    Ok(())
}

/// The line that ends the generated part of a Markdown file: `export --update` rewrites what is
/// above it and keeps what the reader wrote below it.
pub const KEEP_BELOW: &str = "<!-- clipfile: the part above is rewritten on update; what you write below this line is kept -->";

/// What [`update_files`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateReport {
    /// Files written before (found by the clipping id in their front matter), rewritten.
    pub rewritten: Vec<PathBuf>,
    /// New files, for clippings not exported to this folder before.
    pub created: Vec<PathBuf>,
    /// Files of an earlier export without the marker line: left alone, so nothing the reader
    /// wrote in them is lost.
    pub skipped: Vec<PathBuf>,
}

/// The clipping id in a Markdown file's front matter (`id: "..."`), if it has one.
pub fn front_matter_id(md: &str) -> Option<String> {
    let rest = md.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    rest[..end].lines().find_map(|line| {
        let v = line.strip_prefix("id: ")?.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        (!v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric())).then(|| v.to_string())
    })
}

/// Update a folder exported before: each `(clipping id, file)` rewrites the Markdown file in
/// `dir` whose front matter names that id, keeping everything below its [`KEEP_BELOW`] line, or
/// is written as a new file (never over an existing one). Other files are never touched.
pub fn update_files(
    dir: &Path,
    files: &[(String, ExportFile)],
) -> Result<UpdateReport, ExportError> {
    fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let entries = fs::read_dir(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut by_id: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    let mut taken = HashSet::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        taken.insert(name.clone());
        let is_file = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if !is_file || !name.ends_with(".md") {
            continue;
        }
        if let Some(id) = fs::read_to_string(&path)
            .ok()
            .as_deref()
            .and_then(front_matter_id)
        {
            by_id.entry(id).or_insert(path);
        }
    }
    let mut report = UpdateReport::default();
    for (id, file) in files {
        if let Some(path) = by_id.get(id) {
            let old = fs::read_to_string(path).map_err(|source| ExportError::Io {
                path: path.clone(),
                source,
            })?;
            let Some(at) = old.find(KEEP_BELOW) else {
                report.skipped.push(path.clone());
                continue;
            };
            let kept = &old[at + KEEP_BELOW.len()..];
            let generated = file
                .contents
                .find(KEEP_BELOW)
                .map_or(file.contents.as_str(), |g| &file.contents[..g]);
            let contents = format!("{generated}{KEEP_BELOW}{kept}");
            if contents != old {
                write_one(path, contents.as_bytes(), true)?;
            }
            report.rewritten.push(path.clone());
        } else {
            let stem = file.name.strip_suffix(".md").unwrap_or(&file.name);
            let name = file_name_for(stem, "md", &mut taken);
            let path = dir.join(&name);
            write_one(&path, file.contents.as_bytes(), false)?;
            report.created.push(path);
        }
    }
    if let Some(first) = report.rewritten.first().or(report.created.first()) {
        sync_dir_of(first).map_err(|source| ExportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(headline: &str) -> String {
        file_name_for(headline, "md", &mut HashSet::new())
    }

    #[test]
    fn sanitises() {
        assert_eq!(name("a/b\\c:d*?\"<>|"), "a b c d.md");
        assert_eq!(name("CON"), "CON_.md");
        assert_eq!(name("nul.txt"), "nul.txt_.md");
        assert_eq!(name(".."), "untitled.md");
        assert_eq!(name(""), "untitled.md");
        assert_eq!(name(".hidden"), "hidden.md");
        assert_eq!(
            name("tab\tand\nnew\u{0}line\u{202E}"),
            "tab and new line.md"
        );
        assert_eq!(name("Ünïcödé 中文 title."), "Ünïcödé 中文 title.md");
    }

    #[test]
    fn limits_length_on_char_boundary() {
        let long = "é".repeat(300);
        let n = name(&long);
        let stem = n.trim_end_matches(".md");
        assert_eq!(stem.chars().count(), MAX_STEM_CHARS);
        let wide = "中".repeat(300);
        let stem = name(&wide);
        assert!(stem.len() <= MAX_STEM_BYTES + 3);
    }

    #[test]
    fn unique_case_insensitively() {
        let mut taken = HashSet::new();
        assert_eq!(file_name_for("News", "md", &mut taken), "News.md");
        assert_eq!(file_name_for("news", "md", &mut taken), "news (2).md");
        assert_eq!(file_name_for("News", "md", &mut taken), "News (3).md");
        assert_eq!(file_name_for("News", "html", &mut taken), "News.html");
    }

    #[test]
    fn plain_names() {
        assert!(is_plain_name("a.md"));
        assert!(is_plain_name(".hidden.md"));
        for bad in ["", ".", "..", "../a", "a/b", "/abs", "a\\b"] {
            assert!(!is_plain_name(bad), "{bad:?}");
        }
    }
}
