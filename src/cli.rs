//! The command line: the same core as the app, for scripting, tests and benchmarks.

use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::library::edit::{self, EditError};
use crate::library::import::{MAX_FILE_BYTES, read_text_file};
use crate::library::{Library, LibraryError, OpenMode, Outcome, plural};
use crate::model::{ArticleMetadata, ClipId, Clipping, Credit, Field};
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
    about = "A desktop clipping manager for newspaper and magazine article texts.\n\nWith no command, opens the window (and imports any FILEs given).",
    after_help = EXIT_CODES_HELP
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
    /// Rename a tag (and the tags under it) on every clipping and highlight; renaming into
    /// an existing tag merges the two
    RenameTag { from: String, to: String },
    /// Set or append to a clipping's notes
    Note(NoteArgs),
    /// Correct a parsed field (headline, deck, publication, dateline, wire, section,
    /// published), or drop the correction with --reset
    Field(FieldArgs),
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
pub struct FieldArgs {
    id: String,
    /// headline, deck, publication, dateline, wire, section or published
    field: String,
    /// The corrected value ("" clears the field; published dates are ISO: 2014, 2014-11,
    /// 2014-11-05)
    #[arg(required_unless_present = "reset", conflicts_with = "reset")]
    value: Option<String>,
    /// Show the parsed value again
    #[arg(long)]
    reset: bool,
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
    root_of(cli_value).map_err(|e| e.to_string())
}

fn root_of(cli_value: Option<PathBuf>) -> Result<PathBuf, CliError> {
    cli_value
        .or_else(crate::library::default_root)
        .ok_or(CliError::NoHome)
}

/// The exit codes of the command line, as `--help` and the README list them.
pub mod exit {
    /// All went well.
    pub const OK: u8 = 0;
    /// Nothing matched (an unknown id, a quote not in the text, an export that selects
    /// nothing), or some of several items failed, each reported.
    pub const NOTHING: u8 = 1;
    /// Usage: bad arguments or a bad query (an ambiguous id prefix, a date that is not one).
    pub const USAGE: u8 = 2;
    /// The library cannot be opened: missing, locked by another Clipfile, not writable.
    pub const LIBRARY: u8 = 3;
    /// A record cannot be read (damaged, or written by a newer Clipfile) and is left as it is.
    pub const UNREADABLE: u8 = 4;
    /// Reading or writing a file failed (a full disk, no permission).
    pub const IO: u8 = 5;
}

/// The exit codes, for `--help`.
pub const EXIT_CODES_HELP: &str = "Exit codes:
  0  all went well
  1  nothing matched, or some of several items failed (each is reported)
  2  usage: bad arguments or a bad query (an ambiguous id, a date that is not one)
  3  the library cannot be opened (missing, locked by another Clipfile, read-only)
  4  a record cannot be read (damaged, or from a newer Clipfile); it is left untouched
  5  reading or writing a file failed";

/// Why a command failed. [`CliError::exit_code`] says which exit code it gives; `main`
/// prints it with its causes.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("no home folder found: give the library with --library DIR")]
    NoHome,
    #[error("there is no library at {}", .0.display())]
    NoLibrary(PathBuf),
    #[error("cannot open the library {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: LibraryError,
    },
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error("the search {text:?} cannot be read")]
    Query {
        text: String,
        #[source]
        source: crate::query::QueryError,
    },
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// Nothing matched: the message says what was looked for.
    #[error("{0}")]
    NotFound(String),
    #[error("{} in the trash cannot be read and {}", plural(*.0, "entry", "entries"), if *.0 == 1 { "is" } else { "are" })]
    UnreadableTrash(usize),
    #[error("cannot read {what}")]
    Input {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to {}", path.display())]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn library_code(e: &LibraryError) -> u8 {
    match e {
        LibraryError::Folder { .. }
        | LibraryError::Locked { .. }
        | LibraryError::LinkedFolder(_)
        | LibraryError::ReadOnly => exit::LIBRARY,
        LibraryError::Write { .. }
        | LibraryError::Read { .. }
        | LibraryError::Serialize(_)
        | LibraryError::Thread(_) => exit::IO,
        LibraryError::NotFound(_)
        | LibraryError::NotInTrash(_)
        | LibraryError::AlreadyInTrash(_) => exit::NOTHING,
        LibraryError::Ambiguous { .. } => exit::USAGE,
        LibraryError::Unreadable(_)
        | LibraryError::UnknownFields { .. }
        | LibraryError::Text { .. } => exit::UNREADABLE,
    }
}

impl CliError {
    /// The process's exit code for this error (see [`exit`]).
    pub fn exit_code(&self) -> u8 {
        use crate::export::ExportError;
        match self {
            CliError::Usage(_) | CliError::NoHome => exit::USAGE,
            CliError::NoLibrary(_) | CliError::Open { .. } => exit::LIBRARY,
            CliError::Library(e) => library_code(e),
            CliError::Edit(e) => match e {
                EditError::Library(e) | EditError::Stopped { source: e, .. } => library_code(e),
                EditError::NoHighlight { .. } => exit::NOTHING,
                EditError::EmptyTag | EditError::InvalidField(_) | EditError::NoPassage { .. } => {
                    exit::USAGE
                }
            },
            CliError::Export(e) => match e {
                ExportError::Io { .. } | ExportError::Csv(_) => exit::IO,
                ExportError::Exists(_)
                | ExportError::InvalidName(_)
                | ExportError::DuplicateName(_)
                | ExportError::InsideLibrary(_) => exit::USAGE,
                ExportError::Text(e) => library_code(e),
            },
            CliError::NotFound(_) => exit::NOTHING,
            CliError::Query { .. } => exit::USAGE,
            CliError::Index(_) => exit::IO,
            CliError::UnreadableTrash(_) => exit::UNREADABLE,
            CliError::Input { .. } | CliError::Output { .. } => exit::IO,
        }
    }
}

/// Run one command. `Ok(true)`: all went well; `Ok(false)`: nothing matched or some of several
/// items failed, each reported on standard error already (exit code 1).
pub fn run(command: Command, library: Option<PathBuf>) -> Result<bool, CliError> {
    match command {
        Command::Inspect { files, json } => Ok(inspect(&files, json)),
        Command::GenCorpus { out, count, seed } => crate::sample::write_corpus(&out, count, seed)
            .map(|n| {
                say!("wrote {n} articles to {}", out.display());
                true
            })
            .map_err(|source| CliError::Output { path: out, source }),
        command => with_library(command, library),
    }
}

fn with_library(command: Command, library: Option<PathBuf>) -> Result<bool, CliError> {
    let root = root_of(library)?;
    let mode = match command {
        Command::List(_) | Command::Show { .. } | Command::Export(_) | Command::Versions { .. } => {
            OpenMode::ReadOnly
        }
        Command::Trash { empty: false } => OpenMode::ReadOnly,
        _ => OpenMode::ReadWrite,
    };
    if mode == OpenMode::ReadOnly && !root.exists() {
        return Err(CliError::NoLibrary(root));
    }
    // These read the derived index and only the records they print (see `crate::index`).
    match &command {
        Command::List(args) if !args.group_versions => return list_indexed(&root, args),
        Command::Show { id, json } => return show_indexed(&root, id, *json),
        Command::Export(args) => return export_indexed(&root, args),
        _ => {}
    }
    // Opening re-anchors every clipping's highlights in its current text (`Library::reanchor`,
    // as the app does): `show` and `export` never print stale anchors.
    let mut lib = Library::open(&root, mode).map_err(|source| CliError::Open {
        path: root.clone(),
        source,
    })?;
    for problem in lib.problems() {
        eprintln!("clipfile: warning: {problem}");
    }
    match command {
        Command::Import { paths, json } => import(&mut lib, paths, json),
        Command::List(args) => list_versions(&lib, &args),
        Command::Versions { id, json } => {
            let c = lib.resolve(&id)?;
            versions(&lib, &c.id.clone(), json);
            Ok(true)
        }
        Command::Show { id, json } => {
            let clipping = lib.resolve(&id)?;
            show(&lib, clipping, json)?;
            Ok(true)
        }
        Command::Tag { id, changes } => {
            let id = lib.resolve(&id)?.clip_id();
            let changes: Vec<edit::TagChange> =
                changes.iter().map(|w| edit::TagChange::parse(w)).collect();
            let _undo = edit::change_tags(&mut lib, &id, &changes)?;
            let tags = lib.get(id.as_str()).map(|c| c.tags.join(", "));
            say!("{}: {}", short_id(id.as_str(), 8), tags.unwrap_or_default());
            Ok(true)
        }
        Command::RenameTag { from, to } => {
            let changed = edit::rename_tag(&mut lib, &from, &to)?;
            say!(
                "renamed {from} to {} in {}",
                crate::model::normalize_tag(&to),
                plural(changed.len(), "clipping", "clippings")
            );
            // No clipping carried the tag: nothing matched.
            Ok(!changed.is_empty())
        }
        Command::Note(args) => {
            let id = lib.resolve(&args.id)?.clip_id();
            let _undo = match (&args.set, &args.append) {
                (Some(text), _) => edit::set_notes(&mut lib, &id, &note_text(text)?)?,
                (None, Some(text)) => edit::append_notes(&mut lib, &id, text)?,
                (None, None) => return Err(CliError::Usage("give --set or --append".into())),
            };
            Ok(true)
        }
        Command::Field(args) => {
            let id = lib.resolve(&args.id)?.clip_id();
            let field = parse_field(&args.field)?;
            let _undo = match (&args.value, args.reset) {
                (_, true) => edit::reset_field(&mut lib, &id, field)?,
                (Some(value), false) => edit::set_field(&mut lib, &id, field, value)?,
                (None, false) => {
                    return Err(CliError::Usage("give a VALUE, or --reset".into()));
                }
            };
            let now = lib.get(id.as_str()).and_then(|c| c.field(field));
            say!("{}: {}", field.label(), now.unwrap_or("-"));
            Ok(true)
        }
        Command::Highlight(args) => {
            let id = lib.resolve(&args.id)?.clip_id();
            let new = new_highlight(&lib, &id, &args)?;
            let (hid, _undo) = edit::add_highlight(&mut lib, &id, new)?;
            say!("{hid}");
            Ok(true)
        }
        Command::Export(args) => export_indexed(&root, &args),
        Command::SaveLoop { folder } => save_loop(&mut lib, folder),
        Command::Rm { ids } => each(&ids, |id| {
            let id = lib.resolve(id)?.clip_id();
            let c = edit::trash(&mut lib, &id)?;
            say!("moved to trash: {} {}", short_id(id.as_str(), 8), c.title());
            Ok(())
        }),
        Command::Restore { ids } => each(&ids, |id| {
            let c = edit::restore(&mut lib, id)?;
            say!("restored: {} {}", short_id(&c.id, 8), c.title());
            Ok(())
        }),
        Command::Trash { empty: true } => {
            let emptied = lib.empty_trash()?;
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
            match emptied.kept.len() {
                0 => Ok(true),
                n => Err(CliError::UnreadableTrash(n)),
            }
        }
        Command::Trash { empty: false } => {
            let mut unreadable = 0;
            for entry in lib.trashed() {
                match &entry.record {
                    Ok(c) => say!("{}  {}", short_id(&entry.id, 12), c.title()),
                    Err(reason) => {
                        say!("{}  (cannot be read)", short_id(&entry.id, 12));
                        eprintln!("clipfile: {}: {reason}", entry.id);
                        unreadable += 1;
                    }
                }
            }
            match unreadable {
                0 => Ok(true),
                n => Err(CliError::UnreadableTrash(n)),
            }
        }
        Command::Reparse => {
            let n = lib.reparse()?;
            say!(
                "{n} of {} changed",
                plural(lib.len(), "clipping", "clippings")
            );
            Ok(true)
        }
        Command::Inspect { .. } | Command::GenCorpus { .. } => Ok(true),
    }
}

/// A field by its label ("published", "wire") or its name ("dateline_source").
fn parse_field(name: &str) -> Result<Field, CliError> {
    let key = name.trim().to_lowercase().replace(['_', '-', ' '], "");
    Field::ALL
        .into_iter()
        .find(|f| f.label().to_lowercase() == key || format!("{f:?}").to_lowercase() == key)
        .ok_or_else(|| {
            let names: Vec<String> = Field::ALL
                .iter()
                .map(|f| f.label().to_lowercase())
                .collect();
            CliError::Usage(format!("unknown field {name:?}: use {}", names.join(", ")))
        })
}

/// The first `n` characters of an id (all of it when shorter): ids read from files are not
/// trusted to have any length.
fn short_id(id: &str, n: usize) -> &str {
    id.char_indices().nth(n).map_or(id, |(at, _)| &id[..at])
}

/// `--set -` reads the notes from standard input, as Unix tools do.
fn note_text(arg: &str) -> Result<String, CliError> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|source| {
        CliError::Input {
            what: "the notes from standard input".into(),
            source,
        }
    })?;
    Ok(text)
}

fn save_loop(lib: &mut Library, folder: PathBuf) -> Result<bool, CliError> {
    let summary = lib.import_blocking(vec![folder], |_| {})?;
    say!("imported {}", summary.imported());
    let ids: Vec<ClipId> = lib.clippings().map(Clipping::clip_id).collect();
    for round in 0u64.. {
        for id in &ids {
            let _undo = edit::set_notes(lib, id, &format!("note {round}"))?;
            say!("{id} {round}");
        }
    }
    Ok(true)
}

/// `export`: the clippings chosen through the index (by query or by id), then only their
/// records read.
fn export_indexed(root: &Path, args: &ExportArgs) -> Result<bool, CliError> {
    let (ids, report): (Vec<String>, _) = if args.id.is_empty() {
        let query = index_query(args.search.as_deref(), &args.tag)?;
        let (lines, report) = ask_fresh(root, |index| index.search_lines(&query))?;
        (lines.iter().map(|l| l.id().to_string()).collect(), report)
    } else {
        let (found, report) = ask_fresh(root, |index| {
            args.id
                .iter()
                .map(|id| resolved(index, id))
                .collect::<Result<Vec<_>, _>>()
        })?;
        (found.into_iter().collect::<Result<_, _>>()?, report)
    };
    let lib = open_only(root, &ids, report.conflicts)?;
    let clippings: Vec<&Clipping> = ids.iter().filter_map(|id| lib.get(id)).collect();
    export(&lib, &clippings, args)
}

fn export(lib: &Library, clippings: &[&Clipping], args: &ExportArgs) -> Result<bool, CliError> {
    if clippings.is_empty() {
        return Err(CliError::NotFound(
            "no clipping matches: nothing to export".into(),
        ));
    }
    if args.update {
        if args.format != crate::export::Format::Markdown {
            return Err(CliError::Usage(
                "--update works with --format md --split".into(),
            ));
        }
        let report = crate::export::update_markdown_folder(lib, clippings, &args.output)?;
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
    )?;
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

/// The highlight `highlight` asks for: where its quote is in the clipping's reading text.
fn new_highlight(
    lib: &Library,
    id: &ClipId,
    args: &HighlightArgs,
) -> Result<edit::NewHighlight, CliError> {
    let color = crate::model::HighlightColor::from_name(&args.color).ok_or_else(|| {
        CliError::Usage(format!(
            "unknown color {:?}: use yellow, green, blue or pink",
            args.color
        ))
    })?;
    let doc = edit::reading_text(lib, id)?;
    let found = crate::anchor::occurrences(&doc, &args.quote);
    let (start, end) = match (found.as_slice(), args.occurrence) {
        ([], _) => {
            return Err(CliError::NotFound(
                "the quote does not occur in the clipping's text".into(),
            ));
        }
        ([one], None | Some(1)) => *one,
        (many, None) => {
            return Err(CliError::Usage(format!(
                "the quote occurs {} times; choose one with --occurrence 1..{}",
                many.len(),
                many.len()
            )));
        }
        (many, Some(n)) => *many
            .get(n.wrapping_sub(1))
            .ok_or_else(|| CliError::Usage(format!("there are only {} occurrences", many.len())))?,
    };
    Ok(edit::NewHighlight {
        start,
        end,
        color,
        comment: args.comment.clone().unwrap_or_default(),
        tags: args.tag.clone(),
    })
}

/// Run `f` on each id, reporting each failure; true when none failed. With one id its failure
/// is the command's.
fn each(ids: &[String], mut f: impl FnMut(&str) -> Result<(), CliError>) -> Result<bool, CliError> {
    if let [id] = ids {
        f(id)?;
        return Ok(true);
    }
    let mut ok = true;
    for id in ids {
        if let Err(e) = f(id) {
            eprintln!("clipfile: {id}: {}", error_chain(&e));
            ok = false;
        }
    }
    Ok(ok)
}

/// An error with its causes on one line ("a: b"), each cause that the message before it
/// does not already end with.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    for cause in causes(e) {
        out.push_str(": ");
        out.push_str(&cause);
    }
    out
}

/// The causes of an error worth printing: each cause's message, skipping one that the
/// message before it already ends with ("cannot save x: No space left" caused by "No space
/// left" adds nothing).
pub fn causes(e: &dyn std::error::Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut last = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !last.ends_with(&text) {
            out.push(text.clone());
        }
        last = text;
        source = cause.source();
    }
    out
}

fn import(lib: &mut Library, paths: Vec<PathBuf>, json: bool) -> Result<bool, CliError> {
    let interactive = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let summary = lib.import_blocking(paths, |p| {
        if interactive {
            eprint!("\r{}/{} {:40.40}", p.done(), p.total(), p.current());
        }
    })?;
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
fn index_query(search: Option<&str>, tags: &[String]) -> Result<crate::query::Query, CliError> {
    let text = search.unwrap_or_default();
    let mut query = crate::query::parse(text).map_err(|source| CliError::Query {
        text: text.to_string(),
        source,
    })?;
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

/// `ask` answered by a fresh index ([`crate::index::Index::answer_fresh`]), and the refresh's
/// report; its problems are printed as warnings. An index that cannot be opened, refreshed or
/// asked is reported and the whole library read into one in memory instead: slower, same
/// results.
fn ask_fresh<R>(
    root: &Path,
    ask: impl Fn(&crate::index::Index) -> Result<R, crate::index::IndexError>,
) -> Result<(R, crate::index::Refresh), CliError> {
    use crate::index::{Index, IndexError};
    let answered = match Index::open(root).and_then(|mut index| index.answer_fresh(&ask)) {
        // Damaged where only a question meets it: built again once, not read around on
        // every command.
        Err(e) if e.is_damage() => {
            eprintln!("clipfile: warning: {e}; building the search index again");
            Index::open_anew(root).and_then(|mut index| index.answer_fresh(&ask))
        }
        other => other,
    };
    let (answer, report) = match answered {
        Ok(done) => done,
        Err(IndexError::Query(e)) => return Err(IndexError::Query(e).into()),
        Err(e) => {
            eprintln!("clipfile: warning: {e}; reading the whole library instead");
            let mut index = Index::in_memory(root)?;
            let report = index.refresh()?;
            (ask(&index)?, report)
        }
    };
    for problem in &report.problems {
        eprintln!("clipfile: warning: {problem}");
    }
    Ok((answer, report))
}

/// The library read-only with only these clippings loaded; its other problems (settings,
/// sync conflict copies) reported as warnings. `conflicts`: the folder's sync conflict
/// copies, as the index's refresh just listed them (the folder is not listed again).
fn open_only(
    root: &Path,
    ids: &[String],
    conflicts: Vec<crate::library::LoadProblem>,
) -> Result<Library, CliError> {
    let opened = Library::open_only_listed(root, ids, conflicts);
    let lib = opened.map_err(|source| CliError::Open {
        path: root.to_path_buf(),
        source,
    })?;
    for problem in lib.problems() {
        eprintln!("clipfile: warning: {problem}");
    }
    Ok(lib)
}

/// An id or a unique prefix of one, through the index: the id, or what is wrong with it.
fn resolved(
    index: &crate::index::Index,
    id: &str,
) -> Result<Result<String, CliError>, crate::index::IndexError> {
    let prefix = id.trim().to_ascii_lowercase();
    Ok(match index.resolve(&prefix)? {
        Some(Ok(id)) => Ok(id),
        Some(Err(count)) => Err(LibraryError::Ambiguous { prefix, count }.into()),
        None => Err(LibraryError::NotFound(prefix).into()),
    })
}

/// `show` through the index: only the one record is read.
fn show_indexed(root: &Path, id: &str, json: bool) -> Result<bool, CliError> {
    let (found, report) = ask_fresh(root, |index| resolved(index, id))?;
    let id = found?;
    let lib = open_only(root, std::slice::from_ref(&id), report.conflicts)?;
    let clipping = lib
        .get(&id)
        .ok_or_else(|| LibraryError::NotFound(id.clone()))?;
    show(&lib, clipping, json)?;
    Ok(true)
}

/// `list` through the index: no record is read, the rows come from the index. The library's
/// folder is listed once, by the refresh (which also finds the sync conflict copies opening
/// the library would report); its settings are checked as opening it would.
fn list_indexed(root: &Path, args: &ListArgs) -> Result<bool, CliError> {
    let query = index_query(args.search.as_deref(), &args.tag)?;
    let warn = |conflicts: &[crate::library::LoadProblem]| {
        for problem in crate::library::settings_problem(root)
            .iter()
            .chain(conflicts)
        {
            eprintln!("clipfile: warning: {problem}");
        }
    };
    if args.json {
        let (hits, report) = ask_fresh(root, |index| index.search(&query))?;
        warn(&report.conflicts);
        let rows: Vec<Value> = hits.iter().map(index_row).collect();
        print_json(&Value::Array(rows));
        return Ok(true);
    }
    let (lines, report) = ask_fresh(root, |index| index.search_lines(&query))?;
    warn(&report.conflicts);
    // One write per buffer, not per line (standard output flushes every line itself).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    for hit in lines {
        let date = hit.published().unwrap_or("          ");
        let mut line = write!(out, "{}  {date}  {}", short_id(hit.id(), 12), hit.title());
        let mut tags = hit.tags();
        if let Some(first) = tags.next() {
            line = line.and_then(|()| write!(out, "  [{first}"));
            for tag in tags {
                line = line.and_then(|()| write!(out, ", {tag}"));
            }
            line = line.and_then(|()| write!(out, "]"));
        }
        line = line.and_then(|()| writeln!(out));
        if let Some(snippet) = &hit.snippet {
            line = line.and_then(|()| writeln!(out, "      {snippet}"));
        }
        // A closed pipe (`clipfile list | head`): nothing more to say.
        if line.is_err() {
            return Ok(true);
        }
    }
    let _ = out.flush();
    Ok(true)
}

/// `list --group-versions`: the whole library (the story versions need every clipping), the
/// hits chosen through the index.
fn list_versions(lib: &Library, args: &ListArgs) -> Result<bool, CliError> {
    let query = index_query(args.search.as_deref(), &args.tag)?;
    let (lines, _) = ask_fresh(lib.root(), |index| index.search_lines(&query))?;
    let hits: Vec<&Clipping> = lines.iter().filter_map(|l| lib.get(l.id())).collect();
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

/// Print one clipping; its text that cannot be read is the command's error.
fn show(lib: &Library, c: &Clipping, json: bool) -> Result<(), LibraryError> {
    let text = lib.text(&c.id)?;
    let text = &*text;
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
        return Ok(());
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
    Ok(())
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

/// True when every file could be inspected (each failure is reported).
fn inspect(files: &[PathBuf], json: bool) -> bool {
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
    ok
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
    // Buffered: standard output would write each line of the pretty JSON on its own.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let _ = serde_json::to_writer_pretty(&mut stdout, value);
    let _ = writeln!(stdout);
    let _ = stdout.flush();
}
