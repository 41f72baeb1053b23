//! The command line: the same core as the app, for scripting, tests and benchmarks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};

use crate::library::import::{MAX_FILE_BYTES, read_text_file};
use crate::library::{Library, LibraryError, OpenMode, Outcome, plural};
use crate::model::{ArticleMetadata, Clipping, Credit};
use crate::parse;

/// Print a line to standard output, ignoring a closed pipe (`clipfile list | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[derive(Debug, Parser)]
#[command(
    name = "clipfile",
    version,
    about = "A desktop clipping manager for newspaper and magazine article texts.\n\nWith no command, opens the window (and imports any FILEs given)."
)]
pub struct Cli {
    /// The library folder [default: the platform's data folder]
    #[arg(long, global = true, env = "CLIPFILE_LIBRARY", value_name = "DIR")]
    pub library: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files or folders to import when the window opens
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse article files and print their metadata, without touching any library
    Inspect {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// One JSON object per file (an array for several files)
        #[arg(long)]
        json: bool,
    },
    /// Import files and folders (recursively) into the library
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the outcomes as JSON
        #[arg(long)]
        json: bool,
    },
    /// List clippings, best match first
    #[command(after_help = format!("Search queries: {}", crate::query::HELP))]
    List(ListArgs),
    /// Show one clipping (an id or a unique prefix of one)
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// List the versions of a clipping's story: the same story printed by other outlets,
    /// updated, retitled or trimmed
    Versions {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Add (+TAG) and remove (-TAG) tags
    Tag {
        id: String,
        #[arg(required = true, allow_hyphen_values = true, value_name = "+TAG|-TAG")]
        changes: Vec<String>,
    },
    /// Set or append to a clipping's notes
    Note(NoteArgs),
    /// Highlight a passage of a clipping (the quote must occur in its text)
    Highlight(HighlightArgs),
    /// Export clippings with their notes and highlights
    #[command(after_help = format!("Search queries: {}", crate::query::HELP))]
    Export(ExportArgs),
    /// Move clippings to the trash
    Rm {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Bring clippings back from the trash
    Restore {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// List the trash, or empty it
    Trash {
        /// Delete everything in the trash for good
        #[arg(long)]
        empty: bool,
    },
    /// Parse every clipping again (after an upgrade); your corrections are kept
    Reparse,
    /// Import a folder, then save notes on every clipping in a loop, printing "ID N" after
    /// each save is durable (developer tool for the crash trials)
    #[command(hide = true)]
    SaveLoop { folder: PathBuf },
    /// Write N generated article files (developer tool for tests and benchmarks)
    #[command(hide = true)]
    GenCorpus {
        out: PathBuf,
        #[arg(long, default_value_t = 100)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only clippings with this tag (repeatable; all must match)
    #[arg(long)]
    tag: Vec<String>,
    /// Only clippings matching this query, best match first (case and accents never matter;
    /// the syntax is below)
    #[arg(long, value_name = "QUERY")]
    search: Option<String>,
    /// Fold the versions of each story into one group (each group lists its clippings)
    #[arg(long)]
    group_versions: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    id: String,
    /// Replace the notes ("-" reads them from standard input)
    #[arg(long, conflicts_with = "append", required_unless_present = "append")]
    set: Option<String>,
    /// Add a paragraph to the notes
    #[arg(long)]
    append: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// md, html, json, csv (Readwise) or csl (CSL-JSON)
    #[arg(long, value_parser = parse_format)]
    format: crate::export::Format,
    /// Only clippings with this tag (repeatable)
    #[arg(long)]
    tag: Vec<String>,
    /// Only clippings matching this query (the syntax is below)
    #[arg(long, value_name = "QUERY")]
    search: Option<String>,
    /// Only these clippings (ids or unique prefixes; repeatable)
    #[arg(long)]
    id: Vec<String>,
    /// One file per clipping, in the folder given by -o
    #[arg(long)]
    split: bool,
    /// The file to write (or, with --split, the folder)
    #[arg(short, long, value_name = "PATH")]
    output: PathBuf,
    /// Replace files that already exist
    #[arg(long)]
    force: bool,
    /// With --format md --split: rewrite the files exported to the folder before (found by
    /// clipping id), keeping what you wrote below their marker line; never touch other files
    #[arg(long, requires = "split", conflicts_with = "force")]
    update: bool,
}

fn parse_color(name: &str) -> Result<String, String> {
    crate::model::HighlightColor::from_name(name)
        .map(|_| name.to_string())
        .ok_or_else(|| format!("unknown color {name:?}: use yellow, green, blue or pink"))
}

fn parse_format(name: &str) -> Result<crate::export::Format, String> {
    crate::export::Format::from_name(name)
        .ok_or_else(|| format!("unknown format {name:?}: use md, html, json, csv or csl"))
}

#[derive(Debug, Args)]
pub struct HighlightArgs {
    id: String,
    /// The exact passage to highlight
    #[arg(long)]
    quote: String,
    /// yellow, green, blue or pink
    #[arg(long, default_value = "yellow", value_parser = parse_color)]
    color: String,
    /// A comment on the passage
    #[arg(long)]
    comment: Option<String>,
    /// Which occurrence, when the quote occurs more than once (1 is the first)
    #[arg(long)]
    occurrence: Option<usize>,
    /// Tags for the highlight (repeatable)
    #[arg(long)]
    tag: Vec<String>,
}

/// The library folder: `--library`/`CLIPFILE_LIBRARY`, else the platform default.
pub fn library_root(cli_value: Option<PathBuf>) -> Result<PathBuf, String> {
    cli_value
        .or_else(crate::library::default_root)
        .ok_or_else(|| "no home folder found: give the library with --library DIR".to_string())
}

/// Run one command; the exit code is 0 when all went well, 1 when something failed.
pub fn run(command: Command, library: Option<PathBuf>) -> ExitCode {
    let result = match command {
        Command::Inspect { files, json } => return inspect(&files, json),
        Command::GenCorpus { out, count, seed } => crate::sample::write_corpus(&out, count, seed)
            .map(|n| {
                say!("wrote {n} articles to {}", out.display());
                true
            })
            .map_err(|e| format!("cannot write to {}: {e}", out.display())),
        command => with_library(command, library),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("clipfile: {message}");
            ExitCode::from(1)
        }
    }
}

fn with_library(command: Command, library: Option<PathBuf>) -> Result<bool, String> {
    let root = library_root(library)?;
    let mode = match command {
        Command::List(_) | Command::Show { .. } | Command::Export(_) | Command::Versions { .. } => {
            OpenMode::ReadOnly
        }
        Command::Trash { empty: false } => OpenMode::ReadOnly,
        _ => OpenMode::ReadWrite,
    };
    if mode == OpenMode::ReadOnly && !root.exists() {
        return Err(format!("there is no library at {}", root.display()));
    }
    // These read the derived index and only the records they print (see `crate::index`).
    match &command {
        Command::List(args) if !args.group_versions => return list_indexed(&root, args),
        Command::Show { id, json } => return show_indexed(&root, id, *json),
        Command::Export(args) => return export_indexed(&root, args),
        _ => {}
    }
    let mut lib = Library::open(&root, mode).map_err(|e| e.to_string())?;
    for problem in lib.problems() {
        eprintln!("clipfile: warning: {problem}");
    }
    let err = |e: LibraryError| e.to_string();
    match command {
        Command::Import { paths, json } => import(&mut lib, paths, json),
        Command::List(args) => list_versions(&lib, &args),
        Command::Versions { id, json } => {
            let c = lib.resolve(&id).map_err(|e| e.to_string())?;
            versions(&lib, &c.id.clone(), json);
            Ok(true)
        }
        Command::Show { id, json } => {
            let clipping = lib.resolve(&id).map_err(err)?;
            show(&lib, clipping, json);
            Ok(true)
        }
        Command::Tag { id, changes } => {
            let id = lib.resolve(&id).map_err(err)?.id.clone();
            let clipping = lib
                .update(&id, |c| apply_tag_changes(&mut c.tags, &changes))
                .map_err(err)?;
            say!("{}: {}", short_id(&id, 8), clipping.tags.join(", "));
            Ok(true)
        }
        Command::Note(args) => {
            let id = lib.resolve(&args.id).map_err(err)?.id.clone();
            let set = args.set.as_deref().map(note_text).transpose()?;
            lib.update(&id, |c| match (&set, &args.append) {
                (Some(text), _) => c.notes = text.clone(),
                (None, Some(text)) if c.notes.trim().is_empty() => c.notes = text.clone(),
                (None, Some(text)) => {
                    c.notes = format!("{}\n\n{text}", c.notes.trim_end());
                }
                (None, None) => {}
            })
            .map_err(err)?;
            Ok(true)
        }
        Command::Highlight(args) => {
            let id = lib.resolve(&args.id).map_err(err)?.id.clone();
            let highlight = make_highlight(&lib, &id, &args)?;
            let hid = highlight.id.clone();
            lib.update(&id, |c| {
                c.highlights.push(highlight);
                c.highlights.sort_by_key(|h| (h.orphan, h.start, h.end));
            })
            .map_err(err)?;
            say!("{hid}");
            Ok(true)
        }
        Command::Export(args) => export_indexed(&root, &args),
        Command::SaveLoop { folder } => save_loop(&mut lib, folder),
        Command::Rm { ids } => each(&ids, |id| {
            let id = lib.resolve(id)?.id.clone();
            let c = lib.trash(&id)?;
            say!("moved to trash: {} {}", short_id(&id, 8), c.title());
            Ok(())
        }),
        Command::Restore { ids } => each(&ids, |id| {
            let c = lib.restore(id)?;
            say!("restored: {} {}", short_id(&c.id, 8), c.title());
            Ok(())
        }),
        Command::Trash { empty: true } => {
            let emptied = lib.empty_trash().map_err(err)?;
            say!(
                "deleted {} from the trash",
                plural(emptied.removed, "clipping", "clippings")
            );
            for entry in &emptied.kept {
                if let Err(reason) = &entry.record {
                    eprintln!(
                        "clipfile: {}: cannot be read, left in the trash: {reason}",
                        entry.id
                    );
                }
            }
            Ok(emptied.kept.is_empty())
        }
        Command::Trash { empty: false } => {
            let mut ok = true;
            for entry in lib.trashed() {
                match &entry.record {
                    Ok(c) => say!("{}  {}", short_id(&entry.id, 12), c.title()),
                    Err(reason) => {
                        say!("{}  (cannot be read)", short_id(&entry.id, 12));
                        eprintln!("clipfile: {}: {reason}", entry.id);
                        ok = false;
                    }
                }
            }
            Ok(ok)
        }
        Command::Reparse => {
            let n = lib.reparse().map_err(err)?;
            say!(
                "{n} of {} changed",
                plural(lib.len(), "clipping", "clippings")
            );
            Ok(true)
        }
        Command::Inspect { .. } | Command::GenCorpus { .. } => Ok(true),
    }
}

/// The first `n` characters of an id (all of it when shorter): ids read from files are not
/// trusted to have any length.
fn short_id(id: &str, n: usize) -> &str {
    id.char_indices().nth(n).map_or(id, |(at, _)| &id[..at])
}

/// `--set -` reads the notes from standard input, as Unix tools do.
fn note_text(arg: &str) -> Result<String, String> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| format!("cannot read the notes from standard input: {e}"))?;
    Ok(text)
}

fn save_loop(lib: &mut Library, folder: PathBuf) -> Result<bool, String> {
    let summary = lib
        .import_blocking(vec![folder], |_| {})
        .map_err(|e| e.to_string())?;
    say!("imported {}", summary.imported());
    let ids: Vec<String> = lib.clippings().map(|c| c.id.clone()).collect();
    for round in 0u64.. {
        for id in &ids {
            lib.update(id, |c| c.notes = format!("note {round}"))
                .map_err(|e| e.to_string())?;
            say!("{id} {round}");
        }
    }
    Ok(true)
}

/// `export`: the clippings chosen through the index (by query or by id), then only their
/// records read.
fn export_indexed(root: &Path, args: &ExportArgs) -> Result<bool, String> {
    let index = fresh_index(root)?;
    let ids: Vec<String> = if args.id.is_empty() {
        let query = index_query(args.search.as_deref(), &args.tag)?;
        index
            .search(&query)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|h| h.row.id)
            .collect()
    } else {
        args.id
            .iter()
            .map(|id| resolve_indexed(&index, id))
            .collect::<Result<_, _>>()?
    };
    let lib = open_only(root, &ids)?;
    let clippings: Vec<&Clipping> = ids.iter().filter_map(|id| lib.get(id)).collect();
    export(&lib, &clippings, args)
}

fn export(lib: &Library, clippings: &[&Clipping], args: &ExportArgs) -> Result<bool, String> {
    if clippings.is_empty() {
        return Err("no clipping matches: nothing to export".into());
    }
    if args.update {
        if args.format != crate::export::Format::Markdown {
            return Err("--update works with --format md --split".into());
        }
        let report = crate::export::update_markdown_folder(lib, clippings, &args.output)
            .map_err(|e| e.to_string())?;
        for path in report.rewritten.iter().chain(&report.created) {
            say!("{}", path.display());
        }
        for path in &report.skipped {
            eprintln!(
                "left alone (no marker line, so it may hold your own text): {}",
                path.display()
            );
        }
        eprintln!(
            "Updated {} and created {} file(s) in {}",
            report.rewritten.len(),
            report.created.len(),
            args.output.display()
        );
        return Ok(true);
    }
    let written = crate::export::export_to_path(
        lib,
        clippings,
        args.format,
        args.split,
        &args.output,
        args.force,
    )
    .map_err(|e| e.to_string())?;
    for path in &written {
        say!("{}", path.display());
    }
    eprintln!(
        "exported {} to {}",
        plural(clippings.len(), "clipping", "clippings"),
        plural(written.len(), "file", "files")
    );
    Ok(true)
}

fn make_highlight(
    lib: &Library,
    id: &str,
    args: &HighlightArgs,
) -> Result<crate::model::Highlight, String> {
    let color = crate::model::HighlightColor::from_name(&args.color).ok_or_else(|| {
        format!(
            "unknown color {:?}: use yellow, green, blue or pink",
            args.color
        )
    })?;
    let text = lib
        .text(id)
        .ok_or_else(|| format!("the text of {id} cannot be read"))?;
    let doc = crate::anchor::reading_text(&parse::parse_article(text));
    let found = crate::anchor::occurrences(&doc, &args.quote);
    let (start, end) = match (found.as_slice(), args.occurrence) {
        ([], _) => return Err("the quote does not occur in the clipping's text".into()),
        ([one], None | Some(1)) => *one,
        (many, None) => {
            return Err(format!(
                "the quote occurs {} times; choose one with --occurrence 1..{}",
                many.len(),
                many.len()
            ));
        }
        (many, Some(n)) => *many
            .get(n.wrapping_sub(1))
            .ok_or_else(|| format!("there are only {} occurrences", many.len()))?,
    };
    let hid = crate::model::new_highlight_id();
    let mut h = crate::anchor::new_highlight(&doc, start, end, color, hid, crate::model::now_utc())
        .ok_or("the quote is empty")?;
    h.comment = args.comment.clone().unwrap_or_default();
    h.tags = args
        .tag
        .iter()
        .map(|t| crate::model::normalize_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    Ok(h)
}

/// Run `f` on each id, reporting each failure; true when none failed.
fn each(
    ids: &[String],
    mut f: impl FnMut(&str) -> Result<(), LibraryError>,
) -> Result<bool, String> {
    let mut ok = true;
    for id in ids {
        if let Err(e) = f(id) {
            eprintln!("clipfile: {id}: {e}");
            ok = false;
        }
    }
    Ok(ok)
}

/// Apply "+tag" / "-tag" words (a bare word adds) to a tag list, keeping it sorted and unique.
pub fn apply_tag_changes(tags: &mut Vec<String>, changes: &[String]) {
    for change in changes {
        let (add, name) = match change.strip_prefix('-') {
            Some(name) => (false, name),
            None => (true, change.strip_prefix('+').unwrap_or(change)),
        };
        let name = crate::model::normalize_tag(name);
        if name.is_empty() {
            continue;
        }
        if add {
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                tags.push(name);
            }
        } else {
            tags.retain(|t| !t.eq_ignore_ascii_case(&name));
        }
    }
    tags.sort();
}

fn import(lib: &mut Library, paths: Vec<PathBuf>, json: bool) -> Result<bool, String> {
    let interactive = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let summary = lib
        .import_blocking(paths, |p| {
            if interactive {
                eprint!("\r{}/{} {:40.40}", p.done(), p.total(), p.current());
            }
        })
        .map_err(|e| e.to_string())?;
    if interactive {
        eprintln!();
    }
    if json {
        let rows: Vec<Value> = summary
            .reports
            .iter()
            .map(|r| {
                let (status, id, reason) = match &r.outcome {
                    Outcome::Imported { id, .. } => ("imported", Some(id), None),
                    Outcome::Duplicate { id, .. } => ("duplicate", Some(id), None),
                    Outcome::Skipped(reason) => ("skipped", None, Some(reason.to_string())),
                };
                json!({"path": r.path.display().to_string(), "status": status, "id": id, "reason": reason})
            })
            .collect();
        print_json(&Value::Array(rows));
    } else {
        for r in &summary.reports {
            say!("{}: {}", r.path.display(), r.outcome.describe());
        }
        say!("{}", summary.headline());
    }
    Ok(summary.skipped() == 0)
}

/// The query of `--search` and `--tag`s (each tag one more clause), or what is wrong with it.
fn index_query(search: Option<&str>, tags: &[String]) -> Result<crate::query::Query, String> {
    let text = search.unwrap_or_default();
    let mut query = crate::query::parse(text)
        .map_err(|e| format!("the search {text:?} cannot be read: {e}"))?;
    for tag in tags {
        let name = tag.trim().trim_end_matches('/').to_lowercase();
        if name.is_empty() {
            continue;
        }
        query.clauses.push(crate::query::Clause {
            alternatives: vec![crate::query::Literal {
                negated: false,
                term: crate::query::Term::Tag {
                    name,
                    prefix: false,
                },
                at: 0,
            }],
        });
    }
    Ok(query)
}

/// The library's derived index, brought up to date (the records it cannot read are reported
/// as warnings). When the cache folder cannot be used, an index in memory is built instead:
/// slower, same results.
fn fresh_index(root: &Path) -> Result<crate::index::Index, String> {
    use crate::index::Index;
    let refreshed = Index::open(root).and_then(|mut index| index.refresh().map(|r| (index, r)));
    let (index, report) = match refreshed {
        Ok(done) => done,
        Err(e) => {
            eprintln!("clipfile: warning: {e}; reading the whole library instead");
            let mut index = Index::in_memory(root).map_err(|e| e.to_string())?;
            let report = index.refresh().map_err(|e| e.to_string())?;
            (index, report)
        }
    };
    for problem in &report.problems {
        eprintln!("clipfile: warning: {problem}");
    }
    Ok(index)
}

/// The library read-only with only these clippings loaded; its other problems (settings,
/// sync conflict copies) reported as warnings.
fn open_only(root: &Path, ids: &[String]) -> Result<Library, String> {
    let lib = Library::open_only(root, ids).map_err(|e| e.to_string())?;
    for problem in lib.problems() {
        eprintln!("clipfile: warning: {problem}");
    }
    Ok(lib)
}

/// An id or a unique prefix of one, through the index.
fn resolve_indexed(index: &crate::index::Index, id: &str) -> Result<String, String> {
    let prefix = id.trim().to_ascii_lowercase();
    match index.resolve(&prefix).map_err(|e| e.to_string())? {
        Some(Ok(id)) => Ok(id),
        Some(Err(count)) => Err(LibraryError::Ambiguous { prefix, count }.to_string()),
        None => Err(LibraryError::NotFound(prefix).to_string()),
    }
}

/// `show` through the index: only the one record is read.
fn show_indexed(root: &Path, id: &str, json: bool) -> Result<bool, String> {
    let index = fresh_index(root)?;
    let id = resolve_indexed(&index, id)?;
    let lib = open_only(root, std::slice::from_ref(&id))?;
    let clipping = lib
        .get(&id)
        .ok_or_else(|| LibraryError::NotFound(id.clone()).to_string())?;
    show(&lib, clipping, json);
    Ok(true)
}

/// `list` through the index: no record is read, the rows come from the index.
fn list_indexed(root: &Path, args: &ListArgs) -> Result<bool, String> {
    let query = index_query(args.search.as_deref(), &args.tag)?;
    let index = fresh_index(root)?;
    open_only(root, &[])?;
    let hits = index.search(&query).map_err(|e| e.to_string())?;
    if args.json {
        let rows: Vec<Value> = hits.iter().map(index_row).collect();
        print_json(&Value::Array(rows));
    } else {
        for hit in hits {
            let row = &hit.row;
            let date = row.published.as_deref().unwrap_or("          ");
            let tags = if row.tags.is_empty() {
                String::new()
            } else {
                format!("  [{}]", row.tags.join(", "))
            };
            say!("{}  {date}  {}{tags}", short_id(&row.id, 12), row.title());
            if let Some(snippet) = &hit.snippet {
                say!("      {snippet}");
            }
        }
    }
    Ok(true)
}

/// `list --group-versions`: the whole library (the story versions need every clipping), the
/// hits chosen through the index.
fn list_versions(lib: &Library, args: &ListArgs) -> Result<bool, String> {
    let query = index_query(args.search.as_deref(), &args.tag)?;
    let index = fresh_index(lib.root())?;
    let hits = index.search(&query).map_err(|e| e.to_string())?;
    let hits: Vec<&Clipping> = hits.iter().filter_map(|h| lib.get(&h.row.id)).collect();
    list_grouped(lib, &hits, args.json);
    Ok(true)
}

/// A row of `list --json` from the index, and the snippet of a full-text search with the
/// matching words between `**`.
fn index_row(hit: &crate::index::Hit) -> Value {
    let row = &hit.row;
    let mut value = json!({
        "id": row.id,
        "headline": row.headline,
        "published": row.published,
        "dateline": row.dateline,
        "section": row.section,
        "source_name": row.source_name,
        "imported": row.imported,
        "tags": row.tags,
        "highlights": row.highlights,
    });
    if let (Some(snippet), Value::Object(map)) = (&hit.snippet, &mut value) {
        map.insert("snippet".into(), json!(snippet));
    }
    value
}

/// The hits folded by story: each group (in the order of its best hit) with its versions; a
/// clipping without versions is a group of one.
fn list_grouped(lib: &Library, hits: &[&Clipping], json: bool) {
    let mut index = crate::versions::LibraryVersions::of(lib);
    let mut seen = std::collections::HashSet::new();
    let mut groups: Vec<Vec<crate::versions::VersionInfo>> = Vec::new();
    for c in hits {
        if seen.contains(c.id.as_str()) {
            continue;
        }
        let group = crate::versions::versions_of(&mut index, lib, &c.id);
        seen.extend(group.iter().map(|v| v.id.clone()));
        groups.push(group);
    }
    if json {
        let rows: Vec<Value> = groups
            .iter()
            .map(|g| {
                json!({
                    "label": crate::versions::group_label(g),
                    "versions": g,
                })
            })
            .collect();
        print_json(&Value::Array(rows));
        return;
    }
    for g in &groups {
        if g.len() > 1 {
            say!("{}", crate::versions::group_label(g));
        }
        for v in g {
            let indent = if g.len() > 1 { "  " } else { "" };
            let date = v.published.as_deref().unwrap_or("          ");
            say!("{indent}{}  {date}  {}", short_id(&v.id, 12), v.headline);
        }
    }
}

fn versions(lib: &Library, id: &str, json: bool) {
    let mut index = crate::versions::LibraryVersions::of(lib);
    let group = crate::versions::versions_of(&mut index, lib, id);
    if json {
        print_json(&json!(group));
        return;
    }
    for v in &group {
        let sim = v
            .similarity
            .map_or(String::from("   "), |s| format!("{:3.0}%", s * 100.0));
        say!(
            "{}  {sim}  {}  {:>5} words  {}  {}",
            short_id(&v.id, 12),
            v.published.as_deref().unwrap_or("          "),
            v.words,
            v.publication.as_deref().unwrap_or("-"),
            v.headline
        );
    }
}

fn show(lib: &Library, c: &Clipping, json: bool) {
    let text = lib.text(&c.id).map(|t| &**t).unwrap_or("");
    let body = parse::parse_article(text);
    if json {
        let edited: Vec<&str> = c.overrides.fields.keys().map(|f| f.label()).collect();
        print_json(&json!({
            "id": c.id,
            "source_name": c.source_name,
            "encoding": c.encoding,
            "imported": c.imported,
            "parser_version": c.parser_version,
            "metadata": metadata_json(&c.metadata(), body.paragraphs.len()),
            "parsed": metadata_json(&c.parsed, body.paragraphs.len()),
            "edited_fields": edited,
            "tags": c.tags,
            "notes": c.notes,
            "highlights": c.highlights.iter().map(|h| {
                let mut v = serde_json::to_value(h).unwrap_or_default();
                v["anchor_state"] = json!(h.anchor_state.name());
                v
            }).collect::<Vec<_>>(),
            "source": c.source,
        }));
        return;
    }
    let meta = c.metadata();
    say!("{}", c.title());
    if let Some(deck) = &meta.deck {
        say!("{deck}");
    }
    say!();
    let line = |label: &str, value: Option<&str>| {
        if let Some(v) = value {
            say!("{label:>12}: {v}");
        }
    };
    line("id", Some(&c.id));
    line("dateline", meta.dateline.as_deref());
    line("wire", meta.dateline_source.as_deref());
    line("section", meta.section.as_deref());
    line("published", meta.published.as_deref());
    line("source", Some(&c.source_name));
    line("imported", Some(&c.imported));
    if !meta.authors.is_empty() {
        line("by", Some(&meta.authors.join(", ")));
    }
    for credit in &meta.contributors {
        say!("{:>12}: {}", credit.role.as_str(), credit_line(credit));
    }
    if !c.tags.is_empty() {
        line("tags", Some(&c.tags.join(", ")));
    }
    for caption in &meta.captions {
        say!("     caption: {caption}");
    }
    say!(
        "{:>12}: {} words, {} min",
        "length",
        meta.word_count,
        meta.reading_minutes()
    );
    if !c.notes.is_empty() {
        say!("\n{}", c.notes);
    }
}

fn credit_line(c: &Credit) -> String {
    let mut s = c.name.clone();
    if let Some(org) = &c.organization {
        s.push_str(&format!(" ({org})"));
    }
    if let Some(loc) = &c.location {
        s.push_str(&format!(" in {loc}"));
    }
    s
}

/// The metadata keys of `inspect --json` and `show --json`. Missing values are null.
pub fn metadata_json(meta: &ArticleMetadata, paragraphs: usize) -> Value {
    json!({
        "headline": meta.headline,
        "deck": meta.deck,
        "captions": meta.captions,
        "photo_credits": meta.photo_credits,
        "dateline": meta.dateline,
        "dateline_source": meta.dateline_source,
        "authors": meta.authors,
        "organizations": meta.organizations,
        "contributors": meta.contributors,
        "section": meta.section,
        "published": meta.published,
        "publication": meta.publication,
        "word_count": meta.word_count,
        "reading_minutes": meta.reading_minutes(),
        "boilerplate": meta.boilerplate,
        "paragraphs": paragraphs,
    })
}

fn inspect(files: &[PathBuf], json: bool) -> ExitCode {
    let mut ok = true;
    let mut out = Vec::new();
    for path in files {
        match read_text_file(path, MAX_FILE_BYTES) {
            Ok(decoded) => {
                if let Some(batch) = crate::batch::split(&decoded.text) {
                    ok &= inspect_batch(path, &decoded, &batch, json, &mut out);
                    continue;
                }
                let meta = parse::parse_article(&decoded.text);
                if json {
                    let mut value = metadata_json(&meta, meta.paragraphs.len());
                    if let Value::Object(map) = &mut value {
                        map.insert("file".into(), json!(path.display().to_string()));
                        map.insert("encoding".into(), json!(decoded.encoding));
                    }
                    out.push(value);
                } else {
                    print_inspect(path, &meta);
                }
            }
            Err(reason) => {
                eprintln!("clipfile: {}: {reason}", path.display());
                ok = false;
            }
        }
    }
    if json {
        match <[Value; 1]>::try_from(out) {
            Ok([one]) if files.len() == 1 => print_json(&one),
            Ok([one]) => print_json(&Value::Array(vec![one])),
            Err(many) => print_json(&Value::Array(many)),
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `inspect` of a batch download: one object (or one report) per article; a malformed
/// document is reported on stderr by its number. False when one was malformed.
fn inspect_batch(
    path: &Path,
    decoded: &crate::decode::Decoded,
    batch: &crate::batch::BatchFile,
    json: bool,
    out: &mut Vec<Value>,
) -> bool {
    let mut ok = true;
    let name = crate::library::import::file_name(path);
    for article in &batch.articles {
        let article = match article {
            Ok(a) => a,
            Err(m) => {
                eprintln!(
                    "clipfile: {}: document {} of {} is malformed: {}",
                    path.display(),
                    m.number,
                    batch.total,
                    m.reason
                );
                ok = false;
                continue;
            }
        };
        let meta = parse::parse_article(&article.text);
        let source = crate::batch::read(&article.text)
            .map(|(db, f)| crate::batch::source_of(db, &f, &name, article.number, batch.total));
        if json {
            let mut value = metadata_json(&meta, meta.paragraphs.len());
            if let Value::Object(map) = &mut value {
                map.insert("file".into(), json!(path.display().to_string()));
                map.insert("encoding".into(), json!(decoded.encoding));
                map.insert(
                    "id".into(),
                    json!(crate::library::clipping_id(&article.text)),
                );
                if let Some(source) = &source {
                    map.insert("source".into(), json!(source));
                    map.insert("tags".into(), json!(crate::batch::tags_of(source)));
                }
            }
            out.push(value);
        } else {
            let label = format!(
                "{} (document {} of {})",
                path.display(),
                article.number,
                batch.total
            );
            print_inspect(Path::new(&label), &meta);
            if let Some(source) = &source {
                say!("{:>16}: {}", "database", source.database.name());
                for (k, v) in [
                    ("document id", &source.doc_id),
                    ("page", &source.page),
                    ("edition", &source.edition),
                    ("length", &source.length),
                    ("language", &source.language),
                ] {
                    say!("{k:>16}: {}", v.as_deref().unwrap_or("-"));
                }
                say!("{:>16}: {}", "subjects", source.subjects.join("; "));
                say!("{:>16}: {}", "places", source.places.join("; "));
            }
        }
    }
    ok
}

fn print_inspect(path: &Path, meta: &ArticleMetadata) {
    say!("== {}", path.display());
    let show =
        |label: &str, v: &Option<String>| say!("{label:>16}: {}", v.as_deref().unwrap_or("-"));
    show("headline", &meta.headline);
    show("deck", &meta.deck);
    show("dateline", &meta.dateline);
    show("wire", &meta.dateline_source);
    show("section", &meta.section);
    show("published", &meta.published);
    show("publication", &meta.publication);
    say!("{:>16}: {}", "authors", meta.authors.join(", "));
    for c in &meta.contributors {
        say!("{:>16}: {}", c.role.as_str(), credit_line(c));
    }
    for c in &meta.captions {
        say!("{:>16}: {c}", "caption");
    }
    for b in &meta.boilerplate {
        say!("{:>16}: {b}", "boilerplate");
    }
    say!(
        "{:>16}: {} paragraphs, {} words",
        "body",
        meta.paragraphs.len(),
        meta.word_count
    );
}

fn print_json(value: &Value) {
    let mut stdout = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut stdout, value);
    let _ = writeln!(stdout);
}
