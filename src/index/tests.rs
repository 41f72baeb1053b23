//! Tests of the index over small libraries made here: operators, refresh after outside edits, damaged and foreign index files.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::*;
use crate::library::{Library, OpenMode, Outcome};
use crate::model::{HighlightColor, new_highlight_id};

const A: &str = "Putin and Hollande meet in Moscow\n\nA natural ally in the fight\n\nMOSCOW (AP) — President François Hollande said France sees Russia as a natural ally against the Islamic State.\n\nThe two leaders spoke for three hours.\n";
const B: &str = "Brussels station blast\n\nInvestigators search the suburbs\n\nBRUSSELS (Reuters) — An explosion hit the Maelbeek metro station. The natural gas main was not involved, officials said.\n\nAllied governments sent condolences.\n";
const C: &str = "Kelp farms grow off Zanzibar\n\nA new crop for island farmers\n\nZANZIBAR — Farmers in Zanzibar are planting kelp, a crop that needs no fertilizer.\n\nPrices for kelp rose this year.\n";

struct Fixture {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
    cache: std::path::PathBuf,
    ids: Vec<String>,
}

fn import(lib: &mut Library, name: &str, text: &str) -> String {
    match lib.import_text(name, text).expect("import") {
        Outcome::Imported { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

fn highlight(lib: &Library, id: &str, quote: &str) -> crate::model::Highlight {
    let text = lib.text(id).expect("text");
    let doc = crate::anchor::reading_text(&crate::parse::parse_article(&text));
    let (start, end) = crate::anchor::occurrences(&doc, quote)[0];
    crate::anchor::new_highlight(
        &doc,
        start,
        end,
        HighlightColor::Yellow,
        new_highlight_id(),
        "2024-01-01T00:00:00Z".into(),
    )
    .expect("highlight")
}

/// Three clippings: A (2015-11-27, tagged syria/diplomacy, a highlight with a comment, notes),
/// B (2016-03-22, tagged belgium, a highlight that is not in the text: an orphan), C (no date,
/// no annotations).
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let cache = tmp.path().join("cache");
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    let a = import(&mut lib, "a.txt", A);
    let b = import(&mut lib, "b.txt", B);
    let c = import(&mut lib, "c.txt", C);
    let mut h = highlight(&lib, &a, "natural ally against the Islamic State");
    h.comment = "Compare with the Elysee readout".into();
    h.tags = vec!["claims".into()];
    lib.update(&a, |c| {
        c.tags = vec!["syria/diplomacy".into(), "Russia".into()];
        c.notes = "Ask Okafor about the coalition".into();
        c.highlights.push(h);
        c.overrides
            .fields
            .insert(Field::Published, "2015-11-27".into());
        c.overrides
            .fields
            .insert(Field::Publication, "The Quillby Courier".into());
    })
    .expect("annotate a");
    let mut orphan = highlight(&lib, &b, "Maelbeek metro station");
    orphan.quote = "a sentence this article never had in it".into();
    orphan.prefix = "xxxxxxxxxxxxxxxxxxxx".into();
    orphan.suffix = "yyyyyyyyyyyyyyyyyyyy".into();
    lib.update(&b, |c| {
        c.tags = vec!["belgium".into()];
        c.highlights.push(orphan);
        c.overrides
            .fields
            .insert(Field::Published, "2016-03-22".into());
    })
    .expect("annotate b");
    drop(lib);
    // Opening for writing re-anchors (B's highlight becomes an orphan) and saves: settle that
    // here, so the tests see only their own edits.
    drop(Library::open(&root, OpenMode::ReadWrite).expect("reopen"));
    Fixture {
        _tmp: tmp,
        root,
        cache,
        ids: vec![a, b, c],
    }
}

fn open(f: &Fixture) -> Index {
    let mut index = Index::open_in(&f.root, &f.cache).expect("index");
    index.refresh().expect("refresh");
    index
}

/// The ids found for a query, in rank order, shortened to "a", "b", "c". The lines a listing
/// prints ([`Index::search_lines`]) are checked against the whole rows on the way.
fn find(index: &Index, f: &Fixture, q: &str) -> Vec<&'static str> {
    let query = crate::query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    let hits = index.search(&query).unwrap_or_else(|e| panic!("{q}: {e}"));
    let lines = index
        .search_lines(&query)
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    let as_line = |h: &Hit| {
        let tags: Vec<String> = h.row.tags.clone();
        let row = &h.row;
        (
            row.id.clone(),
            row.published.clone(),
            row.title().to_string(),
            tags,
            h.snippet.clone(),
        )
    };
    let of_line = |l: &Line| {
        let tags: Vec<String> = l.tags().map(str::to_string).collect();
        (
            l.id().to_string(),
            l.published().map(str::to_string),
            l.title().to_string(),
            tags,
            l.snippet.clone(),
        )
    };
    assert_eq!(
        lines.iter().map(of_line).collect::<Vec<_>>(),
        hits.iter().map(as_line).collect::<Vec<_>>(),
        "{q}: the lines say what the rows say"
    );
    hits.iter()
        .map(|h| match f.ids.iter().position(|id| *id == h.row.id) {
            Some(0) => "a",
            Some(1) => "b",
            Some(2) => "c",
            _ => "?",
        })
        .collect()
}

fn sorted(mut v: Vec<&'static str>) -> Vec<&'static str> {
    v.sort();
    v
}

#[test]
fn each_operator_returns_what_it_says() {
    let f = fixture();
    let index = open(&f);
    assert_eq!(index.len().expect("len"), 3);
    // Empty: everything, newest published first, the undated last.
    assert_eq!(find(&index, &f, ""), vec!["b", "a", "c"]);
    // Every word must match.
    assert_eq!(sorted(find(&index, &f, "natural")), vec!["a", "b"]);
    assert_eq!(find(&index, &f, "natural hollande"), vec!["a"]);
    assert!(find(&index, &f, "natural zanzibar").is_empty());
    // The exact phrase: B has "natural gas", not "natural ally".
    assert_eq!(find(&index, &f, "\"natural ally\""), vec!["a"]);
    assert!(find(&index, &f, "\"ally natural\"").is_empty());
    // -word.
    assert_eq!(find(&index, &f, "natural -hollande"), vec!["b"]);
    assert_eq!(sorted(find(&index, &f, "-hollande")), vec!["b", "c"]);
    assert_eq!(find(&index, &f, "-\"natural ally\" -kelp"), vec!["b"]);
    // OR.
    assert_eq!(sorted(find(&index, &f, "kelp OR maelbeek")), vec!["b", "c"]);
    assert_eq!(find(&index, &f, "farmers kelp OR maelbeek"), vec!["c"]);
    // word*: "allied" and "ally" both start with "all".
    assert_eq!(sorted(find(&index, &f, "all*")), vec!["a", "b"]);
    assert!(find(&index, &f, "allx*").is_empty());
    // Fields.
    assert_eq!(find(&index, &f, "headline:zanzibar"), vec!["c"]);
    assert_eq!(find(&index, &f, "text:hours"), vec!["a"]);
    assert_eq!(find(&index, &f, "note:okafor"), vec!["a"]);
    assert!(find(&index, &f, "headline:okafor").is_empty());
    assert_eq!(find(&index, &f, "comment:elysee"), vec!["a"]);
    assert_eq!(find(&index, &f, "publication:quillby"), vec!["a"]);
    assert_eq!(find(&index, &f, "dateline:brussels"), vec!["b"]);
    assert_eq!(find(&index, &f, "org:reuters"), vec!["b"]);
    assert_eq!(find(&index, &f, "headline:\"kelp farms\""), vec!["c"]);
    // A highlight's quote and tags are searched as plain words too.
    assert_eq!(find(&index, &f, "claims"), vec!["a"]);
    // tag: with its hierarchy.
    assert_eq!(find(&index, &f, "tag:syria"), vec!["a"]);
    assert_eq!(find(&index, &f, "tag:syria/diplomacy"), vec!["a"]);
    assert!(find(&index, &f, "tag:syr").is_empty());
    assert_eq!(find(&index, &f, "tag:syr*"), vec!["a"]);
    assert!(find(&index, &f, "tag:syria/war").is_empty());
    assert_eq!(find(&index, &f, "tag:RUSSIA"), vec!["a"]);
    assert_eq!(
        sorted(find(&index, &f, "tag:russia OR tag:belgium")),
        vec!["a", "b"]
    );
    assert_eq!(find(&index, &f, "-tag:belgium kelp"), vec!["c"]);
    // Dates.
    assert_eq!(find(&index, &f, "date:2015-11"), vec!["a"]);
    assert_eq!(find(&index, &f, "date:2015"), vec!["a"]);
    assert_eq!(find(&index, &f, "date:2015-11-27"), vec!["a"]);
    assert!(find(&index, &f, "date:2015-12").is_empty());
    assert_eq!(find(&index, &f, "date:2015-01..2016-06"), vec!["b", "a"]);
    assert_eq!(find(&index, &f, "date:2016.."), vec!["b"]);
    assert_eq!(find(&index, &f, "date:..2015-12"), vec!["a"]);
    assert_eq!(find(&index, &f, "-date:2015"), sorted(vec!["b", "c"]));
    // has: and is:
    assert_eq!(find(&index, &f, "has:highlights"), vec!["b", "a"]);
    assert_eq!(find(&index, &f, "has:notes"), vec!["a"]);
    assert_eq!(find(&index, &f, "is:orphan"), vec!["b"]);
    assert_eq!(find(&index, &f, "-has:highlights"), vec!["c"]);
    // speaker: the quotation is checked, not only the word: A names Hollande but quotes
    // nobody.
    assert!(find(&index, &f, "speaker:hollande").is_empty());
}

#[test]
fn speaker_finds_the_clipping_quoting_someone_not_the_one_naming_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let quoting = {
        let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
        let quoting = import(
            &mut lib,
            "a.txt",
            "Dam opens\n\nMayor Lena Okafor cut the ribbon in Quillby.\n\n\"It took nine years,\" Okafor said.\n",
        );
        import(
            &mut lib,
            "b.txt",
            "Dam criticised\n\nCritics of Lena Okafor met in Quillby.\n\n\"It is too late,\" said Ama Mensah.\n",
        );
        quoting
    };
    let mut index = Index::open_in(&root, &tmp.path().join("cache")).expect("index");
    index.refresh().expect("refresh");
    let hits = |q: &str| -> Vec<String> {
        let query = crate::query::parse(q).expect("parse");
        index
            .search(&query)
            .expect("search")
            .into_iter()
            .map(|h| h.row.id)
            .collect()
    };
    assert_eq!(hits("speaker:okafor"), vec![quoting.clone()]);
    assert_eq!(hits("dam speaker:okaf"), vec![quoting]);
    assert_eq!(hits("okafor").len(), 2);
    assert_eq!(hits("speaker:mensah").len(), 1);
    assert!(hits("speaker:quillby").is_empty());
}

#[test]
fn results_are_ranked_and_carry_a_marked_snippet() {
    let f = fixture();
    let index = open(&f);
    // "zanzibar" in C's headline and text beats a clipping with it in a note only.
    let query = crate::query::parse("kelp").expect("parse");
    let hits = index.search(&query).expect("search");
    assert_eq!(hits.len(), 1);
    let snippet = hits[0].snippet.as_deref().expect("snippet");
    assert!(
        snippet.contains("**kelp**") || snippet.contains("**Kelp**"),
        "{snippet}"
    );
    // A's deck holds the word (and its text twice), B's text once: A first.
    assert_eq!(find(&index, &f, "natural"), vec!["a", "b"]);
    // A headline hit ranks above a text-only hit: "zanzibar" is in C's headline (and text),
    // "allied" in B's text only.
    assert_eq!(find(&index, &f, "allied OR zanzibar"), vec!["c", "b"]);
    // A filter-only query has no snippet.
    let query = crate::query::parse("tag:belgium").expect("parse");
    assert!(index.search(&query).expect("search")[0].snippet.is_none());
    // Each hit gets its own row's snippet, also when the words match rows the other terms
    // leave out (the snippets come from one pass over every row the words match).
    for (q, id, word) in [
        ("natural", 0, "natural"),
        ("natural", 1, "natural"),
        ("natural date:2016", 1, "natural"),
        ("natural -maelbeek", 0, "natural"),
        ("farmers OR maelbeek", 1, "maelbeek"),
        ("farmers OR maelbeek", 2, "farmers"),
    ] {
        let query = crate::query::parse(q).expect("parse");
        let hits = index.search(&query).expect("search");
        let hit = hits
            .iter()
            .find(|h| h.row.id == f.ids[id])
            .unwrap_or_else(|| panic!("{q}: {hits:?}"));
        let snippet = hit.snippet.as_deref().expect("snippet").to_lowercase();
        assert!(snippet.contains(&format!("**{word}**")), "{q}: {snippet}");
    }
}

/// The app's search (ids, with the first rows' snippets made while the order is put
/// together) gives the order and the snippets of the full search, for each kind of query: a
/// word, a filter left to SQL, a negation, alternatives, a speaker (whose quotations are
/// checked after the order), a filter alone (no snippets), and more rows asked than found.
#[test]
fn the_apps_search_gives_the_full_searchs_order_and_snippets() {
    let f = fixture();
    let mut index = open(&f);
    {
        let mut lib = Library::open(&f.root, OpenMode::ReadWrite).expect("open");
        for i in 0..12 {
            import(
                &mut lib,
                &format!("n{i}.txt"),
                &format!(
                    "Harbour report {i}\n\nThe natural harbour at Quillby {}.\n\n\"The natural thing is to dredge,\" Okafor said.\n",
                    "natural ".repeat(i % 4)
                ),
            );
        }
    }
    index.refresh().expect("refresh");
    for q in [
        "natural",
        "natural date:2016",
        "natural -maelbeek",
        "farmers OR maelbeek OR harbour",
        "natural speaker:okafor",
        "tag:belgium",
        "\"natural harbour\"",
        "-has:notes",
        "-has:highlights",
        "has:notes OR -tag:belgium",
        "-has:notes OR -date:2016",
        "has:highlights OR is:orphan",
        "tag:syria* -is:orphan",
        "-tag:syria -date:2015..2016",
        "date:2015..2016 OR has:notes",
        "natural -has:notes",
        "natural -tag:belgium OR has:notes",
        "harbour -date:2015 -is:orphan",
    ] {
        let query = crate::query::parse(q).expect("parse");
        let full = index.search(&query).expect("search");
        for first in [0, 3, 100] {
            let (ranked, snippets) = index
                .search_ids_with_snippets(&query, first)
                .expect("search ids");
            let ids: Vec<String> = ranked.ids.iter().map(|id| id.to_string()).collect();
            let want: Vec<String> = full.iter().map(|h| h.row.id.clone()).collect();
            assert_eq!(ids, want, "{q}");
            let got: Vec<(usize, String)> = snippets;
            let want: Vec<(usize, String)> = full
                .iter()
                .take(first)
                .enumerate()
                .filter_map(|(p, h)| h.snippet.clone().map(|s| (p, s)))
                .collect();
            assert_eq!(got, want, "{q}, {first} rows");
        }
    }
}

#[test]
fn case_and_accents_do_not_matter() {
    let f = fixture();
    let index = open(&f);
    for q in ["francois", "FRANÇOIS", "François", "fRaNcOiS", "francois*"] {
        assert_eq!(find(&index, &f, q), vec!["a"], "{q}");
    }
    assert_eq!(find(&index, &f, "ÉLYSÉE"), vec!["a"]);
    assert_eq!(find(&index, &f, "\"NATURAL ALLY\""), vec!["a"]);
}

#[test]
fn outside_edits_additions_and_removals_are_seen_on_the_next_refresh() {
    let f = fixture();
    let mut index = open(&f);
    assert!(find(&index, &f, "pemba").is_empty());
    // Edited by another process (here: the library opened again and a note saved).
    {
        let mut lib = Library::open(&f.root, OpenMode::ReadWrite).expect("open");
        lib.update(&f.ids[2], |c| c.notes = "Pemba channel farms".into())
            .expect("note");
    }
    let r = index.refresh().expect("refresh");
    assert_eq!((r.updated, r.added, r.removed), (1, 0, 0), "{r:?}");
    assert_eq!(find(&index, &f, "pemba"), vec!["c"]);
    // The text edited by hand: the record's stat is the same, the text's is not.
    let txt = f.root.join("clippings").join(format!("{}.txt", f.ids[2]));
    let text = fs::read_to_string(&txt).expect("read");
    fs::write(&txt, text.replace("fertilizer", "seaweedcompost")).expect("write");
    index.refresh().expect("refresh");
    assert_eq!(find(&index, &f, "seaweedcompost"), vec!["c"]);
    assert!(find(&index, &f, "fertilizer").is_empty());
    // Touched without a change: read and hashed, not indexed again.
    let ron = f.root.join("clippings").join(format!("{}.ron", f.ids[0]));
    let bytes = fs::read(&ron).expect("read");
    fs::write(&ron, &bytes).expect("rewrite");
    let r = index.refresh().expect("refresh");
    assert_eq!((r.updated, r.touched), (0, 1), "{r:?}");
    // Nothing changed: nothing read.
    let r = index.refresh().expect("refresh");
    assert_eq!((r.updated, r.touched, r.unchanged), (0, 0, 3), "{r:?}");
    // Added by another process.
    let d = {
        let mut lib = Library::open(&f.root, OpenMode::ReadWrite).expect("open");
        import(
            &mut lib,
            "d.txt",
            "Ferry sinks off Pemba\n\nA ferry sank in the channel.\n",
        )
    };
    let r = index.refresh().expect("refresh");
    assert_eq!(r.added, 1, "{r:?}");
    let query = crate::query::parse("ferry").expect("parse");
    let hits = index.search(&query).expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].row.id, d);
    // Removed outside (deleted by hand).
    fs::remove_file(f.root.join("clippings").join(format!("{d}.ron"))).expect("rm");
    fs::remove_file(f.root.join("clippings").join(format!("{d}.txt"))).expect("rm");
    let r = index.refresh().expect("refresh");
    assert_eq!(r.removed, 1, "{r:?}");
    assert!(find(&index, &f, "ferry").is_empty());
    // Moved to the trash by another process.
    {
        let mut lib = Library::open(&f.root, OpenMode::ReadWrite).expect("open");
        lib.trash(&f.ids[1]).expect("trash");
    }
    index.refresh().expect("refresh");
    assert!(find(&index, &f, "maelbeek").is_empty());
    assert_eq!(index.len().expect("len"), 2);
}

#[test]
fn an_unreadable_record_is_reported_and_left_out_until_fixed() {
    let f = fixture();
    let mut index = open(&f);
    let ron = f.root.join("clippings").join(format!("{}.ron", f.ids[2]));
    let good = fs::read(&ron).expect("read");
    fs::write(&ron, b"(format: 1, id: \"garbage").expect("damage");
    let r = index.refresh().expect("refresh");
    assert_eq!(r.problems.len(), 1, "{r:?}");
    assert!(r.problems[0].path.ends_with(format!("{}.ron", f.ids[2])));
    assert!(find(&index, &f, "kelp").is_empty());
    // Still reported on the next refresh, never trusted as indexed.
    assert_eq!(index.refresh().expect("refresh").problems.len(), 1);
    // A link in place of a record is never followed.
    let link = f.root.join("clippings").join("00000000000000bb.ron");
    std::os::unix::fs::symlink(&ron, &link).expect("ln");
    let r = index.refresh().expect("refresh");
    assert!(
        r.problems
            .iter()
            .any(|p| p.path == link && p.reason.contains("symbolic link")),
        "{r:?}"
    );
    fs::remove_file(&link).expect("rm");
    fs::write(&ron, good).expect("fix");
    let r = index.refresh().expect("refresh");
    assert!(r.problems.is_empty(), "{r:?}");
    assert_eq!(find(&index, &f, "kelp"), vec!["c"]);
}

#[path = "../../tests/common/index_damage.rs"]
mod index_damage;

fn index_file(f: &Fixture) -> std::path::PathBuf {
    index_path(&fs::canonicalize(&f.root).expect("canonical"), &f.cache)
}

#[test]
fn a_truncated_or_garbage_index_file_is_rebuilt() {
    let f = fixture();
    let first = open(&f);
    let path = index_file(&f);
    assert_eq!(first.path(), path);
    drop(first);
    let len = fs::metadata(&path).expect("index file").len();
    assert!(len > 8192, "{len}");
    // Cut short.
    let bytes = fs::read(&path).expect("read");
    fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
    let index = Index::open_in(&f.root, &f.cache).expect("reopen");
    assert!(index.rebuilt);
    let mut index = index;
    index.refresh().expect("refresh");
    assert_eq!(find(&index, &f, "kelp"), vec!["c"]);
    drop(index);
    // Garbage.
    fs::write(&path, vec![0x5a; 40_000]).expect("garbage");
    let mut index = Index::open_in(&f.root, &f.cache).expect("reopen");
    assert!(index.rebuilt);
    index.refresh().expect("refresh");
    assert_eq!(sorted(find(&index, &f, "natural")), vec!["a", "b"]);
    drop(index);
    // Empty file.
    fs::write(&path, b"").expect("empty");
    let mut index = Index::open_in(&f.root, &f.cache).expect("reopen");
    index.refresh().expect("refresh");
    assert_eq!(index.len().expect("len"), 3);
    drop(index);
    // A good index is kept.
    let index = Index::open_in(&f.root, &f.cache).expect("reopen");
    assert!(!index.rebuilt);
}

#[test]
fn damage_met_only_by_a_search_is_said_and_mended_by_starting_anew() {
    let f = fixture();
    drop(open(&f));
    // The records table's page made garbage: the file opens and its meta table reads.
    index_damage::damage_records(&index_damage::index_file(&f.cache));
    let index = Index::open_in(&f.root, &f.cache).expect("opens");
    assert!(!index.rebuilt, "opening does not see this damage");
    let query = crate::query::parse("kelp").expect("query");
    let err = index
        .search(&query)
        .expect_err("the search meets the damage");
    assert!(err.is_damage(), "{err}");
    drop(index);
    let mut index = Index::open_anew_in(&f.root, &f.cache).expect("anew");
    assert!(index.rebuilt);
    index.refresh().expect("refresh");
    assert_eq!(find(&index, &f, "kelp"), vec!["c"]);
    // Kept from then on.
    assert!(!Index::open_in(&f.root, &f.cache).expect("reopen").rebuilt);
    // Not damage: a malformed query, no cache folder.
    let malformed = crate::query::parse("\"never closed").expect_err("malformed");
    assert!(!IndexError::Query(malformed).is_damage());
    assert!(!IndexError::NoCacheDir.is_damage());
}

#[test]
fn an_index_made_anew_by_another_process_is_damage_to_one_still_open() {
    let f = fixture();
    let old = open(&f);
    assert_eq!(find(&old, &f, "kelp"), vec!["c"]);
    // Another process found it damaged and made both files anew (and filled them).
    let mut anew = Index::open_anew_in(&f.root, &f.cache).expect("anew");
    anew.refresh().expect("refresh");
    // The old one's SQLite file is the removed one, its full text would read the new
    // folder's: it is damage, not an answer mixing the two.
    let query = crate::query::parse("kelp").expect("query");
    let err = old.search(&query).expect_err("not read across");
    assert!(err.is_damage(), "{err}");
    assert_eq!(find(&anew, &f, "kelp"), vec!["c"]);
}

#[test]
fn only_garbled_or_foreign_full_text_files_are_damage() {
    use std::sync::Arc;
    use tantivy::TantivyError as E;
    use tantivy::directory::error::OpenReadError;
    let io = |kind| Arc::new(io::Error::from(kind));
    let text = |source| IndexError::Text {
        path: "x".into(),
        source,
    };
    let damage = [
        E::DataCorruption(tantivy::error::DataCorruption::comment_only("cut short")),
        E::IoError(io(io::ErrorKind::UnexpectedEof)),
        E::IoError(io(io::ErrorKind::InvalidData)),
    ];
    for e in damage {
        assert!(text(e).is_damage());
    }
    // Not mended by building again: the file could not be opened, or was just merged away.
    let not = [
        E::IoError(io(io::ErrorKind::PermissionDenied)),
        E::OpenReadError(OpenReadError::IoError {
            io_error: io(io::ErrorKind::PermissionDenied),
            filepath: "seg.idx".into(),
        }),
        E::OpenReadError(OpenReadError::FileDoesNotExist("seg.idx".into())),
        E::Poisoned,
        E::InvalidArgument("x".into()),
    ];
    for e in not {
        assert!(!text(e).is_damage());
    }
}

#[test]
fn a_missing_damaged_or_foreign_full_text_folder_is_rebuilt() {
    let f = fixture();
    drop(open(&f));
    let folder = super::text::folder_of(&index_file(&f));
    assert!(folder.join("meta.json").is_file());
    let reopen = || {
        let mut index = Index::open_in(&f.root, &f.cache).expect("reopen");
        let rebuilt = index.rebuilt;
        index.refresh().expect("refresh");
        assert_eq!(find(&index, &f, "kelp"), vec!["c"]);
        assert_eq!(sorted(find(&index, &f, "natural")), vec!["a", "b"]);
        rebuilt
    };
    // Its commit file is garbage.
    fs::write(folder.join("meta.json"), b"{ not json").expect("garbage");
    assert!(reopen());
    // Gone.
    fs::remove_dir_all(&folder).expect("rm");
    assert!(reopen());
    // A folder made with another index file (its token is not this file's).
    let other = tempfile::tempdir().expect("tmp");
    let foreign = other.path().join("foreign.text");
    drop(super::text::TextIndex::create(&foreign, "someone-else").expect("foreign"));
    fs::remove_dir_all(&folder).expect("rm");
    fs::rename(&foreign, &folder).expect("move in");
    assert!(reopen());
    // A good pair is kept.
    assert!(!reopen());
}

#[test]
fn an_old_format_index_is_rebuilt() {
    let f = fixture();
    drop(open(&f));
    let path = index_file(&f);
    let conn = Connection::open(&path).expect("open");
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema'", [])
        .expect("age");
    drop(conn);
    let mut index = Index::open_in(&f.root, &f.cache).expect("reopen");
    assert!(index.rebuilt);
    index.refresh().expect("refresh");
    assert_eq!(index.len().expect("len"), 3);
    // A file that is a database, but not one of ours.
    drop(index);
    fs::remove_file(&path).expect("rm");
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("CREATE TABLE other (x)")
        .expect("foreign");
    drop(conn);
    let index = Index::open_in(&f.root, &f.cache).expect("reopen");
    assert!(index.rebuilt);
}

/// How SQLite would answer the statements of a query of one filter: the app's (the filter's
/// clippings, unordered) and the command line's (every field, in the library's order).
fn query_plan(index: &Index, q: &str) -> String {
    let query = crate::query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    let lit = &query.clauses[0].alternatives[0];
    [sql::positive_rowids(lit), sql::plan(&query)]
        .iter()
        .map(|plan| statement_plan(index, plan))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn statement_plan(index: &Index, plan: &sql::Plan) -> String {
    let mut stmt = index
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {}", plan.sql))
        .expect("explain");
    let rows = stmt
        .query_map(rusqlite::params_from_iter(plan.params.iter()), |r| {
            r.get::<_, String>(3)
        })
        .expect("plan");
    rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("; ")
}

#[test]
fn the_annotation_filters_read_only_the_annotated_clippings() {
    let f = fixture();
    let index = open(&f);
    for (q, uses) in [
        ("has:highlights", "records_with_highlights"),
        ("has:notes", "records_with_notes"),
        ("is:orphan", "records_with_orphans"),
    ] {
        let plan = query_plan(&index, q);
        assert_eq!(plan.matches(uses).count(), 2, "{q}: {plan}");
    }
    assert_eq!(find(&index, &f, "has:highlights"), vec!["b", "a"]);
    assert_eq!(find(&index, &f, "-has:highlights"), vec!["c"]);
    assert_eq!(find(&index, &f, "has:notes"), vec!["a"]);
    assert_eq!(find(&index, &f, "is:orphan"), vec!["b"]);
    assert_eq!(find(&index, &f, "natural has:notes"), vec!["a"]);
}

#[test]
fn an_index_of_the_version_before_is_brought_up_to_date_in_place() {
    let f = fixture();
    let token = open(&f).token.clone();
    let path = index_file(&f);
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "DROP INDEX records_with_highlights; DROP INDEX records_with_notes; DROP INDEX records_with_orphans;
         UPDATE meta SET value = '3' WHERE key = 'schema';",
    )
    .expect("make it version 3");
    drop(conn);
    // A look that only reads takes it as it is.
    let rows = Index::peek_in(&f.root, &f.cache).expect("peek");
    assert_eq!(rows.len(), 3);
    let schema = |path: &Path| -> String {
        let conn = Connection::open(path).expect("open");
        conn.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get(0)
        })
        .expect("schema")
    };
    assert_eq!(schema(&path), "3");
    // Opened for writing, it gets the filters' indexes and keeps everything else.
    let mut index = Index::open_in(&f.root, &f.cache).expect("reopen");
    assert!(!index.rebuilt);
    assert_eq!(index.token, token);
    assert_eq!(schema(&path), SCHEMA_VERSION.to_string());
    assert!(query_plan(&index, "has:notes").contains("records_with_notes"));
    let refreshed = index.refresh().expect("refresh");
    assert_eq!(refreshed.added + refreshed.updated, 0, "nothing read again");
    assert_eq!(find(&index, &f, "has:notes"), vec!["a"]);
}

#[test]
fn two_libraries_never_share_an_index() {
    let f = fixture();
    let other_root = f._tmp.path().join("other");
    {
        let mut lib = Library::open(&other_root, OpenMode::ReadWrite).expect("open");
        import(&mut lib, "x.txt", "Kelp prices fall\n\nKelp fell.\n");
    }
    let one = open(&f);
    let mut two = Index::open_in(&other_root, &f.cache).expect("other");
    two.refresh().expect("refresh");
    assert_ne!(one.path(), two.path());
    assert_eq!(two.len().expect("len"), 1);
    assert_eq!(one.len().expect("len"), 3);
    // The same library by another path (a link to it) is the same library.
    let link = f._tmp.path().join("link");
    std::os::unix::fs::symlink(&f.root, &link).expect("ln");
    let same = Index::open_in(&link, &f.cache).expect("link");
    assert_eq!(same.path(), one.path());
    drop((one, two, same));
    // One library's index file put in the other's place is foreign: rebuilt, not trusted.
    let other_path = index_path(&fs::canonicalize(&other_root).expect("c"), &f.cache);
    fs::copy(index_file(&f), &other_path).expect("copy");
    let mut two = Index::open_in(&other_root, &f.cache).expect("other");
    assert!(two.rebuilt);
    two.refresh().expect("refresh");
    assert_eq!(two.len().expect("len"), 1);
}

#[test]
fn the_in_memory_index_builds_whole() {
    let f = fixture();
    let mut index = Index::in_memory(&f.root).expect("memory");
    let r = index.refresh().expect("refresh");
    assert_eq!(r.added, 3);
    assert_eq!(find(&index, &f, "tag:syria"), vec!["a"]);
    assert!(Path::new(":memory:") == index.path());
}

#[test]
fn ids_resolve_by_prefix() {
    let f = fixture();
    let index = open(&f);
    let a = &f.ids[0];
    assert_eq!(index.resolve(a).expect("resolve"), Some(Ok(a.clone())));
    assert_eq!(
        index.resolve(&a[..8]).expect("resolve"),
        Some(Ok(a.clone()))
    );
    assert_eq!(index.resolve("zzzz").expect("resolve"), None);
    assert_eq!(index.resolve("").expect("resolve"), None);
}

/// Overwrite a file in place (same file, same size, no rename, so the folder does not change)
/// and give it a modification time of its own, as an editor writing in place would (set here,
/// so that the test does not depend on the clock's tick).
fn edit_in_place(path: &Path, from: &str, to: &str) {
    use std::io::Write;
    assert_eq!(from.len(), to.len(), "an edit that keeps the size");
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open for writing");
    file.write_all(text.replace(from, to).as_bytes())
        .expect("write");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    file.set_modified(later).expect("mtime");
}

#[test]
fn an_edit_in_place_is_seen_though_the_folder_did_not_change() {
    let f = fixture();
    let mut index = open(&f);
    let r = index.refresh().expect("refresh");
    assert!(
        r.listing_unchanged,
        "nothing changed: no stamp compared {r:?}"
    );
    assert_eq!((r.unchanged, r.updated), (3, 0));
    let dir = f.root.join("clippings");
    let txt = dir.join(format!("{}.txt", f.ids[2]));
    let before = (
        fs::metadata(&dir).expect("dir").modified().expect("mtime"),
        fs::metadata(&txt).expect("txt").ino(),
    );
    edit_in_place(&txt, "fertilizer", "seaweedmix");
    let after = (
        fs::metadata(&dir).expect("dir").modified().expect("mtime"),
        fs::metadata(&txt).expect("txt").ino(),
    );
    assert_eq!(
        before, after,
        "the folder and the file's inode are unchanged"
    );
    let r = index.refresh().expect("refresh");
    assert!(!r.listing_unchanged);
    assert_eq!(r.updated, 1, "{r:?}");
    assert_eq!(find(&index, &f, "seaweedmix"), vec!["c"]);
    assert!(find(&index, &f, "fertilizer").is_empty());
    // The record edited in place too (its notes), seen the same way.
    let ron = dir.join(format!("{}.ron", f.ids[0]));
    edit_in_place(&ron, "Ask Okafor", "Ask Mbeki ");
    let r = index.refresh().expect("refresh");
    assert_eq!(r.updated, 1, "{r:?}");
    assert_eq!(find(&index, &f, "note:mbeki"), vec!["a"]);
    assert!(find(&index, &f, "note:okafor").is_empty());
    assert!(index.refresh().expect("refresh").listing_unchanged);
}

#[test]
fn a_record_that_cannot_be_read_keeps_the_listing_from_being_trusted() {
    let f = fixture();
    let mut index = open(&f);
    let ron = f.root.join("clippings").join(format!("{}.ron", f.ids[2]));
    let good = fs::read(&ron).expect("read");
    fs::write(&ron, b"(format: 1, id: \"garbage").expect("damage");
    for _ in 0..2 {
        let r = index.refresh().expect("refresh");
        assert!(!r.listing_unchanged);
        assert_eq!(r.problems.len(), 1, "reported on every refresh: {r:?}");
    }
    fs::write(&ron, good).expect("fix");
    index.refresh().expect("refresh");
    assert!(index.refresh().expect("refresh").listing_unchanged);
    assert_eq!(find(&index, &f, "kelp"), vec!["c"]);
}

#[test]
fn sync_conflict_copies_are_reported_not_indexed() {
    let f = fixture();
    let dir = f.root.join("clippings");
    let copy = dir.join(format!(
        "{}.sync-conflict-20240101-120000-ABCDEFG.ron",
        f.ids[0]
    ));
    fs::copy(dir.join(format!("{}.ron", f.ids[0])), &copy).expect("copy");
    let mut index = Index::open_in(&f.root, &f.cache).expect("index");
    for _ in 0..2 {
        let r = index.refresh().expect("refresh");
        assert_eq!(r.conflicts.len(), 1, "{r:?}");
        assert_eq!(r.conflicts[0].path, copy);
        assert!(r.problems.is_empty());
    }
    assert_eq!(index.len().expect("len"), 3);
}

/// Import the folder `input` into the fixture's library, its index in the fixture's cache
/// folder: how many clippings were imported, once the import is done.
fn import_with_index(f: &Fixture, input: std::path::PathBuf) -> usize {
    let lib = Library::open(&f.root, OpenMode::ReadWrite).expect("open");
    let ctx = crate::library::import::ImportContext {
        clippings_dir: f.root.join("clippings"),
        known: lib.clippings().map(|c| (c.id.clone(), false)).collect(),
        blocked: HashSet::new(),
        max_bytes: crate::library::import::MAX_FILE_BYTES,
        library_root: f.root.clone(),
        known_docs: HashMap::new(),
        batch_tags: false,
        index_cache: Some(f.cache.clone()),
    };
    let job = crate::library::import::spawn(vec![input], ctx).expect("import");
    let mut imported = 0;
    while let Ok(msg) = job.recv() {
        match msg {
            crate::library::ImportMsg::File {
                imported: Some(_), ..
            } => imported += 1,
            crate::library::ImportMsg::Done { .. } => break,
            _ => {}
        }
    }
    imported
}

#[test]
fn an_import_adds_its_clippings_to_the_index_as_it_commits_them() {
    let f = fixture();
    let mut index = open(&f);
    let input = f.root.with_file_name("input");
    fs::create_dir(&input).expect("mkdir");
    for (i, word) in ["zebrafish", "quokka", "axolotl"].iter().enumerate() {
        let text = format!("A {word} story\n\nThe {word} was seen again, report {i} says.\n");
        fs::write(input.join(format!("{i}.txt")), text).expect("write");
    }
    let imported = import_with_index(&f, input);
    assert_eq!(imported, 3);
    // Found without a refresh: the import put them in.
    assert_eq!(find(&index, &f, "quokka").len(), 1);
    assert_eq!(find(&index, &f, "headline:axolotl").len(), 1);
    // The next refresh reads none of them again.
    let r = index.refresh().expect("refresh");
    assert_eq!((r.added, r.updated, r.touched), (0, 0, 0), "{r:?}");
    assert_eq!(r.unchanged, 6);
    assert!(index.refresh().expect("refresh").listing_unchanged);
    // The clippings were stamped with what their files held when written, not read back: a
    // text edited in place after the import (its size kept) is read again by the next refresh.
    let quokka = index
        .search(&crate::query::parse("quokka").expect("query"))
        .expect("search");
    let txt = f
        .root
        .join("clippings")
        .join(format!("{}.txt", quokka[0].row.id));
    edit_in_place(&txt, "quokka was", "numbat was");
    let r = index.refresh().expect("refresh");
    assert_eq!(r.updated, 1, "{r:?}");
    assert_eq!(find(&index, &f, "numbat").len(), 1);
}

#[test]
fn an_import_of_several_chunks_indexes_every_clipping_by_the_time_it_is_done() {
    // More files than one commit chunk and one index batch (a chunk in the unit tests): the
    // index thread gets them in several messages and commits the index while the import runs.
    let f = fixture();
    let mut index = open(&f);
    let input = f.root.with_file_name("many");
    fs::create_dir(&input).expect("mkdir");
    let n = 300;
    for i in 0..n {
        let text =
            format!("Report number {i} on the harbour\n\nThe harbour pilots met {i} ships.\n");
        fs::write(input.join(format!("{i}.txt")), text).expect("write");
    }
    let imported = import_with_index(&f, input);
    assert_eq!(imported, n);
    // Every one found without a refresh, and the next refresh reads none of them again.
    let query = crate::query::parse("harbour pilots").expect("query");
    assert_eq!(index.search(&query).expect("search").len(), n);
    let r = index.refresh().expect("refresh");
    assert_eq!((r.added, r.updated, r.touched), (0, 0, 0), "{r:?}");
    assert_eq!(r.unchanged, n + 3);
}

#[test]
fn an_import_into_a_library_without_an_index_makes_none() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let cache = tmp.path().join("cache");
    let input = tmp.path().join("input");
    fs::create_dir(&input).expect("mkdir");
    fs::write(input.join("a.txt"), A).expect("write");
    let lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    let ctx = crate::library::import::ImportContext {
        clippings_dir: root.join("clippings"),
        known: HashMap::new(),
        blocked: HashSet::new(),
        max_bytes: crate::library::import::MAX_FILE_BYTES,
        library_root: root.clone(),
        known_docs: HashMap::new(),
        batch_tags: false,
        index_cache: Some(cache.clone()),
    };
    let job = crate::library::import::spawn(vec![input], ctx).expect("import");
    while let Ok(msg) = job.recv() {
        if matches!(msg, crate::library::ImportMsg::Done { .. }) {
            break;
        }
    }
    drop(lib);
    assert_eq!(
        fs::read_dir(root.join("clippings")).expect("dir").count(),
        2
    );
    assert!(
        !cache.exists(),
        "no index made for a library never searched"
    );
}

#[test]
fn a_peek_reads_an_existing_index_and_creates_or_mends_nothing() {
    let f = fixture();
    // No index yet: nothing to show, and nothing is created.
    assert_eq!(Index::peek_in(&f.root, &f.cache), None);
    assert!(!f.cache.join("index").exists());
    let path = open(&f).path().to_path_buf();
    let rows = Index::peek_in(&f.root, &f.cache).expect("rows");
    let mut ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let mut want: Vec<&str> = f.ids.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(ids, want);
    assert!(
        rows.iter()
            .any(|r| r.title() == "Putin and Hollande meet in Moscow")
    );
    // A damaged index is not trusted, and left for the next real open to rebuild.
    fs::write(&path, b"not a database at all, just some words").expect("spoil");
    assert_eq!(Index::peek_in(&f.root, &f.cache), None);
    assert_eq!(
        fs::read(&path).expect("still there"),
        b"not a database at all, just some words"
    );
}

#[test]
fn a_filter_asked_of_the_hits_only_gives_what_it_gives_over_every_clipping() {
    let f = fixture();
    let index = open(&f);
    let every: Vec<i64> = index.order().expect("order").rowids.clone();
    assert_eq!(every.len(), 3);
    for q in [
        "tag:sea",
        "-tag:sea",
        "has:highlights",
        "has:notes OR kelp",
        "date:2015",
        "-kelp",
        "-has:highlights OR -kelp",
        "-has:notes OR kelp",
    ] {
        let query = crate::query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let clause = &query.clauses[0];
        let all = index.clause_set(clause, None).expect("all");
        let holds = |m: &Membership, among: &[i64]| -> Vec<bool> {
            among.iter().map(|r| m.holds(*r)).collect()
        };
        let some = index.clause_set(clause, Some(&every)).expect("some");
        assert_eq!(holds(&some, &every), holds(&all, &every), "{q}");
        for one in &every {
            let asked = std::slice::from_ref(one);
            let just = index.clause_set(clause, Some(asked)).expect("one");
            assert_eq!(holds(&just, asked), holds(&all, asked), "{q}");
        }
    }
}

#[test]
fn rank_keys_sort_higher_scores_first_then_earlier_places() {
    let hits: Vec<(f32, u32)> = vec![
        (1.5, 7),
        (-2.0, 1),
        (0.0, 3),
        (12.25, 9),
        (1.5, 2),
        (-0.0, 4),
        (f32::MIN_POSITIVE, 0),
        (-2.0, 0),
        (3.0e9, 5),
    ];
    let mut expected = hits.clone();
    expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut keys: Vec<u64> = hits.iter().map(|&(s, p)| rank_key(s, p)).collect();
    keys.sort_unstable();
    let places: Vec<usize> = keys.iter().map(|&k| place_of_key(k)).collect();
    let want: Vec<usize> = expected.iter().map(|&(_, p)| p as usize).collect();
    assert_eq!(places, want);
}

#[test]
fn phrases_in_the_text_match_only_words_side_by_side_in_order() {
    let f = fixture();
    let index = open(&f);
    // Two, three and four words, across punctuation and case.
    assert_eq!(find(&index, &f, "text:\"the natural\""), vec!["b"]);
    assert_eq!(find(&index, &f, "\"sees russia as\""), vec!["a"]);
    assert_eq!(find(&index, &f, "\"against the Islamic State\""), vec!["a"]);
    assert_eq!(find(&index, &f, "\"station. The natural gas\""), vec!["b"]);
    // The words are there, but not side by side, or not in this order.
    assert!(find(&index, &f, "\"islamic ally\"").is_empty());
    assert!(find(&index, &f, "\"state islamic the\"").is_empty());
    assert!(find(&index, &f, "\"russia natural ally\"").is_empty());
    // Through the grams of common words (`the islamic`): a common word left out, or one
    // put in where the text has none, is no match.
    assert_eq!(find(&index, &f, "\"the islamic state\""), vec!["a"]);
    assert!(find(&index, &f, "\"against islamic state\"").is_empty());
    assert!(find(&index, &f, "\"against the the islamic\"").is_empty());
    // Words and prefixes still read the text's own words.
    assert_eq!(find(&index, &f, "text:islam*"), vec!["a"]);
    assert_eq!(find(&index, &f, "text:explosion"), vec!["b"]);
}

#[test]
fn permute_puts_each_item_in_its_place_where_it_is() {
    let mut items: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
    // Two cycles (0 -> 3 -> 1 -> 0, 2 <-> 4).
    let kept = permute(&mut items, &[3, 0, 4, 1, 2]);
    assert_eq!(kept, 5);
    assert_eq!(items, ["d", "a", "e", "b", "c"]);

    // A place named twice keeps its first, an out-of-range one is ignored, and what is not
    // named comes after what is.
    let mut items: Vec<u32> = (0..6).collect();
    let kept = permute(&mut items, &[5, 2, 5, 9, 0]);
    assert_eq!(kept, 3);
    assert_eq!(&items[..3], [5, 2, 0]);
    let mut rest = items[3..].to_vec();
    rest.sort_unstable();
    assert_eq!(rest, [1, 3, 4]);

    // Every permutation of four places.
    let places = [0usize, 1, 2, 3];
    for a in places {
        for b in places {
            for c in places {
                for d in places {
                    let order = [a, b, c, d];
                    let mut seen = [false; 4];
                    if order.iter().any(|&i| std::mem::replace(&mut seen[i], true)) {
                        continue;
                    }
                    let mut items = vec!['w', 'x', 'y', 'z'];
                    let want: Vec<char> = order.iter().map(|&i| items[i]).collect();
                    assert_eq!(permute(&mut items, &order), 4);
                    assert_eq!(items, want, "{order:?}");
                }
            }
        }
    }
}

#[test]
fn a_fresh_answer_is_asked_beside_the_check_and_again_after_a_change() {
    let f = fixture();
    let mut index = open(&f);
    let query = crate::query::parse("kelp").expect("query");
    let ids = |hits: &[Line]| hits.iter().map(|h| h.id().to_string()).collect::<Vec<_>>();
    let (hits, r) = index
        .answer_fresh(|i| i.search_lines(&query))
        .expect("answer");
    assert!(r.listing_unchanged, "{r:?}");
    assert_eq!((r.unchanged, r.updated), (3, 0));
    assert_eq!(ids(&hits), vec![f.ids[2].clone()]);

    // An edit in place (same size, same inode, the folder untouched): the first answer is
    // not trusted, the index is refreshed and asked again.
    let txt = f.root.join("clippings").join(format!("{}.txt", f.ids[2]));
    edit_in_place(&txt, "kelp, a crop", "wrak, a crop");
    let again = crate::query::parse("wrak").expect("query");
    let (hits, r) = index
        .answer_fresh(|i| i.search_lines(&again))
        .expect("answer");
    assert!(!r.listing_unchanged);
    assert_eq!(r.updated, 1, "{r:?}");
    assert_eq!(ids(&hits), vec![f.ids[2].clone()]);
    let (_, r) = index
        .answer_fresh(|i| i.search_lines(&again))
        .expect("answer");
    assert!(r.listing_unchanged, "settled: {r:?}");

    // A clipping added outside, and a query the index cannot parse: the error, not a rebuild.
    let dir = f.root.join("clippings");
    fs::copy(
        dir.join(format!("{}.txt", f.ids[2])),
        dir.join("00000000000000aa.txt"),
    )
    .expect("copy");
    let record = fs::read_to_string(dir.join(format!("{}.ron", f.ids[2]))).expect("read");
    fs::write(
        dir.join("00000000000000aa.ron"),
        record.replace(&f.ids[2], "00000000000000aa"),
    )
    .expect("write");
    let (hits, r) = index
        .answer_fresh(|i| i.search_lines(&again))
        .expect("answer");
    assert_eq!(r.added, 1, "{r:?}");
    assert_eq!(hits.len(), 2);
    let failed = index.answer_fresh(|_| -> Result<(), IndexError> {
        Err(IndexError::Query(
            crate::query::parse("date:").expect_err("malformed"),
        ))
    });
    assert!(matches!(failed, Err(IndexError::Query(_))), "{failed:?}");

    // Asked once when nothing changed, twice when something did (the first answer was of the
    // index as it stood); another error on an unchanged folder is the caller's to report.
    let asked = std::cell::Cell::new(0);
    let count = |_: &Index| -> Result<(), IndexError> {
        asked.set(asked.get() + 1);
        Ok(())
    };
    index.answer_fresh(count).expect("answer");
    assert_eq!(asked.get(), 1);
    fs::remove_file(dir.join("00000000000000aa.ron")).expect("remove");
    let (_, r) = index.answer_fresh(count).expect("answer");
    assert_eq!((asked.get(), r.removed), (3, 1), "{r:?}");
    let failed = index.answer_fresh(|_| -> Result<(), IndexError> {
        Err(IndexError::Library {
            path: f.root.clone(),
            source: std::io::Error::other("a disk error"),
        })
    });
    assert!(
        matches!(failed, Err(IndexError::Library { .. })),
        "{failed:?}"
    );
}
