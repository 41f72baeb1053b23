//! Exporting clippings with their metadata, credits, tags, notes and highlights: Markdown
//! (Obsidian/Logseq front matter), a printable HTML page, JSON with W3C Web Annotations,
//! Readwise CSV and CSL-JSON for reference managers.
//!
//! Rendering is pure: [`export`] turns clippings into named file contents. Only
//! [`write_files`] touches the disk.

mod csl;
mod csv;
mod html;
mod json;
mod markdown;
mod names;
mod quotes;

use std::path::PathBuf;

use crate::model::{ArticleMetadata, Clipping, Highlight};

pub use markdown::obsidian_tag;
pub use names::{
    KEEP_BELOW, UpdateReport, file_name_for, front_matter_id, update_files, write_files,
};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown with YAML front matter (Obsidian, Logseq).
    Markdown,
    /// One self-contained printable HTML page.
    Html,
    /// Everything, highlights as W3C Web Annotations.
    Json,
    /// Readwise's CSV import layout, one row per highlight.
    Csv,
    /// CSL-JSON items for reference managers (Zotero, pandoc-citeproc).
    Csl,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::Html,
        Format::Json,
        Format::Csv,
        Format::Csl,
    ];

    /// The format for a short name as typed on the command line ("md", "html", "json", "csv",
    /// "csl"; a few spellings more), case-insensitive.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            "csv" | "readwise" => Some(Format::Csv),
            "csl" | "csl-json" | "csljson" | "csl.json" => Some(Format::Csl),
            _ => None,
        }
    }

    /// The short name `from_name` accepts.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Csl => "csl",
        }
    }

    /// The file name extension, without the dot. CSL-JSON uses the double extension
    /// "csl.json" so it never collides with the JSON export.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Csl => "csl.json",
        }
    }

    /// The label shown to the reader.
    pub fn label(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown (Obsidian, Logseq)",
            Format::Html => "HTML page (printable)",
            Format::Json => "JSON (W3C Web Annotations)",
            Format::Csv => "CSV (Readwise import)",
            Format::Csl => "CSL-JSON (citations)",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::from_name(s).ok_or_else(|| {
            format!("unknown export format {s:?}: use one of md, html, json, csv, csl")
        })
    }
}

/// One clipping to export, with its text when the export should carry it (Markdown, HTML and
/// JSON then include the article text; CSV and CSL-JSON never do).
#[derive(Debug, Clone, Copy)]
pub struct ExportItem<'a> {
    pub clipping: &'a Clipping,
    pub text: Option<&'a str>,
}

impl<'a> ExportItem<'a> {
    pub fn new(clipping: &'a Clipping) -> Self {
        ExportItem {
            clipping,
            text: None,
        }
    }

    pub fn with_text(clipping: &'a Clipping, text: &'a str) -> Self {
        ExportItem {
            clipping,
            text: Some(text),
        }
    }
}

impl<'a> From<&'a Clipping> for ExportItem<'a> {
    fn from(clipping: &'a Clipping) -> Self {
        ExportItem::new(clipping)
    }
}

/// A rendered file: its name (a plain file name, no folders) and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub contents: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0} already exists; choose another folder or allow overwriting")]
    Exists(PathBuf),
    #[error("{0:?} is not a plain file name")]
    InvalidName(String),
    #[error("two exported files would both be named {0:?}")]
    DuplicateName(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("{0} is inside the library folder; export somewhere else")]
    InsideLibrary(PathBuf),
    /// A clipping's text could not be read: nothing is exported.
    #[error(transparent)]
    Text(#[from] crate::library::LibraryError),
}

/// The base name of a combined export ("clippings.md").
pub const COMBINED_STEM: &str = "clippings";

/// Export clippings: one file for all (`split == false`, named "clippings.<ext>") or one per
/// clipping (`split == true`, named from the headline, unique within the export).
pub fn export(
    clippings: &[&Clipping],
    format: Format,
    split: bool,
) -> Result<Vec<ExportFile>, ExportError> {
    let items: Vec<ExportItem<'_>> = clippings.iter().map(|c| ExportItem::new(c)).collect();
    export_items(&items, format, split)
}

/// [`export`] for items that may carry their text.
pub fn export_items(
    items: &[ExportItem<'_>],
    format: Format,
    split: bool,
) -> Result<Vec<ExportFile>, ExportError> {
    if !split {
        return Ok(vec![ExportFile {
            name: format!("{COMBINED_STEM}.{}", format.extension()),
            contents: render(items, format)?,
        }]);
    }
    let mut taken = std::collections::HashSet::new();
    items
        .iter()
        // A Readwise CSV of a clipping without highlights would be a header alone.
        .filter(|item| format != Format::Csv || !item.clipping.highlights.is_empty())
        .map(|item| {
            Ok(ExportFile {
                name: file_name_for(item.clipping.title(), format.extension(), &mut taken),
                contents: render(std::slice::from_ref(item), format)?,
            })
        })
        .collect()
}

/// One document holding all the items.
pub fn render(items: &[ExportItem<'_>], format: Format) -> Result<String, ExportError> {
    Ok(match format {
        Format::Markdown => markdown::render(items),
        Format::Html => html::render(items),
        Format::Json => json::render(items),
        Format::Csv => csv::render(items)?,
        Format::Csl => csl::render(items),
    })
}

/// Highlights in reading order: by position in the text, orphans (no longer found in the text)
/// after all the others.
pub fn ordered_highlights(clipping: &Clipping) -> (Vec<&Highlight>, Vec<&Highlight>) {
    let mut all: Vec<&Highlight> = clipping.highlights.iter().collect();
    all.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
    all.into_iter().partition(|h| !h.orphan)
}

/// The names to credit as the author: the byline, else the first contributor, else the
/// organizations, else the wire.
pub fn author_line(meta: &ArticleMetadata) -> String {
    if !meta.authors.is_empty() {
        meta.authors.join(", ")
    } else if let Some(first) = meta.contributors.first() {
        first.name.clone()
    } else if !meta.organizations.is_empty() {
        meta.organizations.join(", ")
    } else {
        meta.dateline_source.clone().unwrap_or_default()
    }
}

/// A tag as one word (Readwise ".tag", Markdown "#tag"): letters, digits, `-`, `_` and `/`
/// kept, anything else (spaces, punctuation) turned into `-`.
pub(crate) fn tag_word(tag: &str) -> String {
    let mut word = String::new();
    for c in tag.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '/') {
            word.push(c);
        } else if !word.ends_with('-') {
            word.push('-');
        }
    }
    word.trim_matches('-').to_string()
}

/// Export `clippings` from `lib` to `path`: with `split`, one file per clipping into the folder
/// `path` (created if missing); otherwise one file at `path`. Markdown, HTML and JSON carry the
/// article text. Never overwrites unless `force`.
pub fn export_to_path(
    lib: &crate::library::Library,
    clippings: &[&Clipping],
    format: Format,
    split: bool,
    path: &std::path::Path,
    force: bool,
) -> Result<Vec<PathBuf>, ExportError> {
    // Never into the library: an export there would overwrite or pose as library files.
    if lib.holds_path(path) {
        return Err(ExportError::InsideLibrary(path.to_path_buf()));
    }
    let texts = texts_of(lib, clippings)?;
    let items = items_with_text(clippings, &texts);
    let mut files = export_items(&items, format, split)?;
    let dir = if split {
        std::fs::create_dir_all(path).map_err(|source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        path.to_path_buf()
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| ExportError::InvalidName(path.display().to_string()))?;
        if let Some(file) = files.first_mut() {
            file.name = name;
        }
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => {
                // A single file into a folder that does not exist yet: make the folder.
                std::fs::create_dir_all(p).map_err(|source| ExportError::Io {
                    path: p.to_path_buf(),
                    source,
                })?;
                p.to_path_buf()
            }
            _ => PathBuf::from("."),
        }
    };
    write_files(&dir, &files, force)
}

/// `export --format md --split --update`: rewrite the Markdown files exported to `dir` before
/// (found by clipping id), keeping what the reader wrote below the marker line; add files for
/// clippings new to the folder; touch nothing else.
pub fn update_markdown_folder(
    lib: &crate::library::Library,
    clippings: &[&Clipping],
    dir: &std::path::Path,
) -> Result<UpdateReport, ExportError> {
    let texts = texts_of(lib, clippings)?;
    let items = items_with_text(clippings, &texts);
    let files = export_items(&items, Format::Markdown, true)?;
    let pairs: Vec<(String, ExportFile)> =
        clippings.iter().map(|c| c.id.clone()).zip(files).collect();
    update_files(dir, &pairs)
}

/// The texts of the clippings to export, read from the library (in parallel); one that cannot
/// be read stops the export with its reason.
fn texts_of(
    lib: &crate::library::Library,
    clippings: &[&Clipping],
) -> Result<Vec<std::sync::Arc<str>>, ExportError> {
    use rayon::prelude::*;
    let reader = lib.text_reader();
    clippings
        .par_iter()
        .map(|c| {
            reader
                .read(&c.id)
                .map_err(|reason| crate::library::LibraryError::Text {
                    path: reader.path(&c.id),
                    reason,
                })
                .map_err(ExportError::from)
        })
        .collect()
}

/// The clippings to export, each with its text.
fn items_with_text<'a>(
    clippings: &[&'a Clipping],
    texts: &'a [std::sync::Arc<str>],
) -> Vec<ExportItem<'a>> {
    clippings
        .iter()
        .zip(texts)
        .map(|(c, text)| ExportItem::with_text(c, text))
        .collect()
}
