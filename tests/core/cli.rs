//! The command line on fresh libraries: every command, JSON shapes and exit codes.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn clipfile(lib: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clipfile"))
        .arg("--library")
        .arg(lib)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CLIPFILE_LIBRARY")
        // The search index goes beside the library, not into the user's cache folder.
        .env("CLIPFILE_CACHE_DIR", lib.with_extension("cache"))
        .output()
        .expect("run clipfile")
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn import_list_show_the_seed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    let out = clipfile(&lib, &["import", "seeds/"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Imported 1"));

    let list = json(&clipfile(&lib, &["list", "--json"]));
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["headline"],
        "Joining forces against ISIS, 2 nations say"
    );
    let id = rows[0]["id"].as_str().expect("id").to_string();

    let show = json(&clipfile(&lib, &["show", &id[..7], "--json"]));
    assert_eq!(show["id"], id.as_str());
    let meta = &show["metadata"];
    assert_eq!(
        meta["headline"],
        "Joining forces against ISIS, 2 nations say"
    );
    assert_eq!(
        meta["deck"],
        "France, Russia still at odds on Assad staying in power"
    );
    assert_eq!(meta["dateline"], "MOSCOW");
    assert_eq!(meta["section"], "A Section");
    assert_eq!(meta["published"], "2015-11-27");
    let contributors = meta["contributors"].as_array().expect("contributors");
    assert_eq!(contributors.len(), 11);
    assert_eq!(contributors[0]["name"], "Sylvie Corbet");
    assert_eq!(contributors[0]["organization"], "The Associated Press");
    assert_eq!(contributors[10]["organization"], "The New York Times");
    assert_eq!(show["parsed"]["headline"], meta["headline"]);
    assert!(show["tags"].as_array().expect("tags").is_empty());
    assert!(
        show["highlights"]
            .as_array()
            .expect("highlights")
            .is_empty()
    );
}

#[test]
fn tag_note_search_rm_restore() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    let corpus = tmp.path().join("gen");
    let out = Command::new(env!("CARGO_BIN_EXE_clipfile"))
        .arg("gen-corpus")
        .arg(&corpus)
        .args(["--count", "5", "--seed", "3"])
        .output()
        .expect("gen");
    assert!(out.status.success());
    assert!(
        clipfile(&lib, &["import", "seeds", corpus.to_str().expect("utf8")])
            .status
            .success()
    );
    let all = json(&clipfile(&lib, &["list", "--json"]));
    assert_eq!(all.as_array().expect("rows").len(), 6);
    let seed_id = all
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["source_name"] == "000_41805ab46882eb0b.txt")
        .and_then(|r| r["id"].as_str())
        .expect("seed id")
        .to_string();

    assert!(
        clipfile(
            &lib,
            &["tag", &seed_id, "+syria/diplomacy", "+russia", "-nothing"]
        )
        .status
        .success()
    );
    assert!(
        clipfile(&lib, &["tag", &seed_id, "-russia"])
            .status
            .success()
    );
    assert!(
        clipfile(&lib, &["note", &seed_id, "--set", "First thought"])
            .status
            .success()
    );
    assert!(
        clipfile(
            &lib,
            &["note", &seed_id, "--append", "Second, about Kremlin talks"]
        )
        .status
        .success()
    );
    let show = json(&clipfile(&lib, &["show", &seed_id, "--json"]));
    assert_eq!(show["tags"], serde_json::json!(["syria/diplomacy"]));
    assert_eq!(
        show["notes"],
        "First thought\n\nSecond, about Kremlin talks"
    );

    let by_tag = json(&clipfile(&lib, &["list", "--tag", "syria", "--json"]));
    assert_eq!(by_tag.as_array().expect("rows").len(), 1);
    let by_note = json(&clipfile(
        &lib,
        &["list", "--search", "KREMLIN TALKS", "--json"],
    ));
    assert_eq!(by_note[0]["id"], seed_id.as_str());
    let none = json(&clipfile(
        &lib,
        &["list", "--search", "zzzz-not-there", "--json"],
    ));
    assert!(none.as_array().expect("rows").is_empty());

    assert!(clipfile(&lib, &["rm", &seed_id[..8]]).status.success());
    assert_eq!(
        json(&clipfile(&lib, &["list", "--json"]))
            .as_array()
            .expect("rows")
            .len(),
        5
    );
    let trash = clipfile(&lib, &["trash"]);
    assert!(String::from_utf8_lossy(&trash.stdout).contains("Joining forces"));
    assert!(clipfile(&lib, &["restore", &seed_id[..8]]).status.success());
    assert_eq!(
        json(&clipfile(&lib, &["list", "--json"]))
            .as_array()
            .expect("rows")
            .len(),
        6
    );
    let show = json(&clipfile(&lib, &["show", &seed_id, "--json"]));
    assert_eq!(
        show["notes"],
        "First thought\n\nSecond, about Kremlin talks"
    );
}

#[test]
fn exit_codes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    // Usage errors exit 2.
    assert_eq!(clipfile(&lib, &["note", "abc"]).status.code(), Some(2));
    assert_eq!(clipfile(&lib, &["show"]).status.code(), Some(2));
    // An unknown id fails with 1 and says why.
    assert!(clipfile(&lib, &["import", "seeds"]).status.success());
    let out = clipfile(&lib, &["show", "ffff"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no clipping with id ffff"));
    // A partly failed import exits 1 and reports each failure.
    let png = tmp.path().join("x.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\nrest").expect("w");
    let out = clipfile(&lib, &["import", png.to_str().expect("utf8"), "seeds"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("x.png: skipped: not a text file: it looks like a PNG image"),
        "{stdout}"
    );
    assert!(stdout.contains("already in the library"), "{stdout}");
}

#[test]
fn inspect_prints_json_and_reports_bad_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let one = Command::new(env!("CARGO_BIN_EXE_clipfile"))
        .args(["inspect", "--json", "seeds/000_41805ab46882eb0b.txt"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    let v = json(&one);
    for key in [
        "headline",
        "deck",
        "captions",
        "dateline",
        "dateline_source",
        "authors",
        "contributors",
        "section",
        "published",
        "word_count",
        "boilerplate",
        "paragraphs",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(
        v["dateline_source"],
        Value::Null,
        "missing values are null, not \"\""
    );
    assert_eq!(v["published"], "2015-11-27");
    assert_eq!(v["contributors"][3]["name"], "Raf Casert");
    assert_eq!(v["contributors"][3]["role"], "information");
    assert_eq!(v["contributors"][3]["location"], Value::Null);

    let bin = tmp.path().join("photo.jpg");
    std::fs::write(&bin, b"\xff\xd8\xff\xe0\0\x10JFIF").expect("w");
    let out = Command::new(env!("CARGO_BIN_EXE_clipfile"))
        .arg("inspect")
        .arg("--json")
        .arg(&bin)
        .arg("seeds/000_41805ab46882eb0b.txt")
        .arg(tmp.path().join("missing.txt"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].contains("photo.jpg") && lines[0].contains("JPEG"),
        "{stderr}"
    );
    assert!(lines[1].contains("missing.txt"), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v.as_array().expect("array of the readable files").len(), 1);
}

#[test]
fn inspect_a_batch_prints_one_object_per_article() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("factiva.txt");
    std::fs::write(
        &path,
        clipfile::batch::samples::crlf(clipfile::batch::samples::FACTIVA),
    )
    .expect("write");
    let out = clipfile(
        tmp.path(),
        &["inspect", path.to_str().expect("utf-8"), "--json"],
    );
    let v = json(&out);
    let arts = v.as_array().expect("an array");
    assert_eq!(arts.len(), 2);
    assert_eq!(arts[0]["headline"], "Banks brace for tougher capital rules");
    assert_eq!(arts[0]["publication"], "Financial Times");
    assert_eq!(arts[0]["published"], "2010-01-11");
    assert_eq!(arts[0]["source"]["doc_id"], "FTFTA00020100111e61b0001x");
    assert_eq!(arts[0]["source"]["database"], "Factiva");
    assert_eq!(arts[0]["source"]["position"], 1);
    assert_eq!(arts[1]["headline"], "Retail sales rise in December");
    assert_eq!(arts[1]["source"]["page"], "A4");
    assert_eq!(arts[1]["tags"][0], "subject/Economic News");

    // A malformed document is reported by its number; the others are printed.
    let lexis = tmp.path().join("lexis.txt");
    std::fs::write(&lexis, clipfile::batch::samples::LEXIS).expect("write");
    let out = clipfile(
        tmp.path(),
        &["inspect", lexis.to_str().expect("utf-8"), "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("document 3 of 3 is malformed"));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(2));
}

/// An outside edit of a clipping's text: `show --json` reports where each highlight sits now,
/// moved, approximately, or orphaned with its candidates, and the re-anchoring is saved.
#[test]
fn outside_text_edit_reanchors_highlights() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let list = json(&clipfile(&lib, &["list", "--json"]));
    let id = list[0]["id"].as_str().expect("id").to_string();
    for quote in [
        "tighten cooperation",
        "Francois Hollande has been on a diplomatic drive",
        "natural ally",
        "thoughtlessly and rudely",
    ] {
        let out = clipfile(&lib, &["highlight", &id, "--quote", quote]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let txt = lib.join("clippings").join(format!("{id}.txt"));
    let text = std::fs::read_to_string(&txt).expect("text");
    let edited = text
        .replacen("MOSCOW --", "UPDATED: adds detail.\n\nMOSCOW --", 1)
        .replace("Francois Hollande has been", "François Hollande has been")
        .replace("\"natural ally\"", "\u{201C}natural ally\u{201D}")
        .replace("\"thoughtlessly and rudely\" destroyed", "destroyed");
    std::fs::write(&txt, edited).expect("edit");
    let show = json(&clipfile(&lib, &["show", &id, "--json"]));
    let hs = show["highlights"].as_array().expect("highlights");
    let by_quote = |q: &str| {
        hs.iter()
            .find(|h| h["quote"] == q || h["original_quote"] == q)
            .unwrap_or_else(|| panic!("{q} kept"))
    };
    let moved = by_quote("tighten cooperation");
    assert_eq!(moved["anchor_state"], "moved");
    let fuzzy = by_quote("Francois Hollande has been on a diplomatic drive");
    assert_eq!(fuzzy["anchor_state"], "fuzzy");
    assert_eq!(
        fuzzy["quote"],
        "François Hollande has been on a diplomatic drive"
    );
    assert_eq!(by_quote("natural ally")["anchor_state"], "moved");
    let orphan = by_quote("thoughtlessly and rudely");
    assert_eq!(orphan["anchor_state"], "orphan");
    assert_eq!(orphan["orphan"], true);
    // Offsets index the reading text the quote is now in.
    let body = json(&clipfile(&lib, &["show", &id, "--json"]));
    assert_eq!(body["highlights"], show["highlights"]);
    // A writing command saves the re-anchoring.
    assert!(clipfile(&lib, &["reparse"]).status.success());
    let ron =
        std::fs::read_to_string(lib.join("clippings").join(format!("{id}.ron"))).expect("ron");
    assert!(
        ron.contains("anchor_state: fuzzy") || ron.contains("anchor_state:fuzzy"),
        "{ron}"
    );
}

/// `export --format md --split -o VAULT --update` rewrites the files it wrote before (found by
/// clipping id), keeps what the reader wrote below the marker line, and touches nothing else.
#[test]
fn export_update_rewrites_its_files_and_keeps_the_readers_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    let vault = tmp.path().join("vault");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let id = json(&clipfile(&lib, &["list", "--json"]))[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let out = clipfile(
        &lib,
        &[
            "export",
            "--format",
            "md",
            "--split",
            "-o",
            vault.to_str().expect("utf8"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = std::fs::read_dir(&vault)
        .expect("vault")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("md file");
    // The reader renames the file, writes below the marker, and keeps a file of their own.
    let renamed = vault.join("My name for it.md");
    std::fs::rename(&file, &renamed).expect("rename");
    let mut md = std::fs::read_to_string(&renamed).expect("md");
    assert!(md.contains(clipfile::export::KEEP_BELOW));
    md.push_str("\nMy own thoughts, kept.\n");
    std::fs::write(&renamed, &md).expect("write");
    let own = vault.join("Other.md");
    std::fs::write(&own, "---\nid: \"ffffffffffffffff\"\n---\nmine\n").expect("own");
    let out = clipfile(
        &lib,
        &[
            "export",
            "--format",
            "md",
            "--split",
            "-o",
            vault.to_str().expect("utf8"),
            "--update",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(&renamed).expect("rewritten in place");
    assert!(after.ends_with("\nMy own thoughts, kept.\n"), "{after}");
    assert_eq!(
        clipfile::export::front_matter_id(&after).as_deref(),
        Some(id.as_str())
    );
    assert_eq!(
        std::fs::read_to_string(&own).expect("own"),
        "---\nid: \"ffffffffffffffff\"\n---\nmine\n"
    );
    let names: Vec<String> = std::fs::read_dir(&vault)
        .expect("vault")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "no new file for a clipping exported before: {names:?}"
    );
    // --update only for Markdown.
    let bad = clipfile(
        &lib,
        &[
            "export",
            "--format",
            "csv",
            "--split",
            "-o",
            vault.to_str().expect("utf8"),
            "--update",
        ],
    );
    assert!(!bad.status.success());
}

#[test]
fn versions_and_list_group_versions() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("lib");
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/articles");
    for name in [
        "25_hundreds-mourn-man-shot-minneapolis.txt",
        "60_funeral-slain-minneapolis-man-austin.txt",
        "61_jamar-clark-laid-to-rest-wcco.txt",
    ] {
        let path = format!("{corpus}/{name}");
        assert!(clipfile(&lib, &["import", &path]).status.success());
    }
    let listed = json(&clipfile(&lib, &["list", "--group-versions", "--json"]));
    let groups = listed.as_array().expect("array");
    assert_eq!(groups.len(), 2, "{listed}");
    let pair = groups
        .iter()
        .find(|g| g["versions"].as_array().is_some_and(|v| v.len() == 2))
        .expect("a group of two");
    assert!(
        pair["label"]
            .as_str()
            .is_some_and(|l| l.starts_with("2 versions: ")),
        "{pair}"
    );
    let id = pair["versions"][1]["id"].as_str().expect("id").to_string();
    let versions = json(&clipfile(&lib, &["versions", &id[..8], "--json"]));
    let versions = versions.as_array().expect("array");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["id"], id.as_str());
    assert_eq!(versions[0]["similarity"], 1.0);
    for v in versions {
        assert!(v["words"].as_u64().is_some_and(|w| w > 100), "{v}");
        assert!(v["headline"].is_string());
    }
}

/// Copy a library folder (its record and text files), as a second library to edit apart.
fn copy_library(from: &Path, to: &Path) {
    for dir in ["", "clippings", "trash"] {
        std::fs::create_dir_all(to.join(dir)).expect("mkdir");
        for entry in std::fs::read_dir(from.join(dir)).expect("read dir") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_file() && !name.starts_with(".clipfile.lock") {
                std::fs::copy(&path, to.join(dir).join(name)).expect("copy");
            }
        }
    }
}

/// The command line and the app make one edit through the same function: the same tag
/// changes give byte-identical records, case rule included.
#[test]
fn the_command_line_and_the_app_save_the_same_tag_edit() {
    use clipfile::ui::state::{Action, AppState};
    let tmp = tempfile::tempdir().expect("tmp");
    let by_cli = tmp.path().join("cli");
    let by_app = tmp.path().join("app");
    assert!(clipfile(&by_cli, &["import", "seeds/"]).status.success());
    let id = json(&clipfile(&by_cli, &["list", "--json"]))[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    copy_library(&by_cli, &by_app);
    let record = |root: &Path| {
        std::fs::read_to_string(root.join("clippings").join(format!("{id}.ron"))).expect("ron")
    };
    assert_eq!(record(&by_cli), record(&by_app));

    // "Russia", then "russia" (the same tag: kept as first spelled), then "Syria  Talks".
    for word in ["+Russia", "+russia", "+Syria  Talks"] {
        let out = clipfile(&by_cli, &["tag", &id, word]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    {
        let mut app = AppState::open(by_app.clone());
        app.apply(Action::Select(id.clone()));
        for tag in ["Russia", "russia", "Syria  Talks"] {
            app.apply(Action::AddTag(tag.into()));
        }
    }
    let saved = record(&by_cli);
    assert!(saved.contains("\"Russia\""), "{saved}");
    assert!(!saved.contains("\"russia\""), "{saved}");
    assert_eq!(saved, record(&by_app));

    // Removing ignores case the same way on both sides.
    assert!(clipfile(&by_cli, &["tag", &id, "-RUSSIA"]).status.success());
    {
        let mut app = AppState::open(by_app.clone());
        app.apply(Action::Select(id.clone()));
        app.apply(Action::RemoveTag("RUSSIA".into()));
    }
    assert!(!record(&by_cli).contains("\"Russia\""));
    assert_eq!(record(&by_cli), record(&by_app));
}

#[test]
fn field_corrections_and_tag_renames_from_the_command_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let id = json(&clipfile(&lib, &["list", "--json"]))[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let out = clipfile(&lib, &["field", &id, "published", "2015-11"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let show = json(&clipfile(&lib, &["show", &id, "--json"]));
    assert_eq!(show["metadata"]["published"], "2015-11");
    assert_eq!(show["parsed"]["published"], "2015-11-27");
    assert_eq!(show["edited_fields"][0], "Published");
    // Not a date: a usage error, nothing saved.
    let out = clipfile(&lib, &["field", &id, "published", "Nov 2015"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a date"));
    assert_eq!(
        clipfile(&lib, &["field", &id, "colour", "x"]).status.code(),
        Some(2)
    );
    assert!(
        clipfile(&lib, &["field", &id, "published", "--reset"])
            .status
            .success()
    );
    let show = json(&clipfile(&lib, &["show", &id, "--json"]));
    assert_eq!(show["metadata"]["published"], "2015-11-27");

    assert!(
        clipfile(&lib, &["tag", &id, "+Russia/Syria", "+news"])
            .status
            .success()
    );
    let out = clipfile(&lib, &["rename-tag", "russia", "ru"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("in 1 clipping"));
    let show = json(&clipfile(&lib, &["show", &id, "--json"]));
    assert_eq!(show["tags"], serde_json::json!(["news", "ru/Syria"]));
    // A tag no clipping carries: nothing matched.
    assert_eq!(
        clipfile(&lib, &["rename-tag", "nowhere", "x"])
            .status
            .code(),
        Some(1)
    );
}

/// Each kind of failure has its exit code, and the error is printed with its cause.
#[test]
fn exit_codes_say_what_failed_and_errors_show_their_cause() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    // No library to read: 3.
    let out = clipfile(&lib, &["list"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: there is no library"));
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let id = json(&clipfile(&lib, &["list", "--json"]))[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    // A quote that is not in the text: nothing matched, 1.
    let out = clipfile(
        &lib,
        &["highlight", &id, "--quote", "not in the article at all"],
    );
    assert_eq!(out.status.code(), Some(1));
    // Nothing to export: 1.
    let out = clipfile(
        &lib,
        &["export", "--format", "md", "--tag", "nope", "-o", "x.md"],
    );
    assert_eq!(out.status.code(), Some(1));
    // An export over an existing file without --force: 2, and the file is kept.
    let existing = tmp.path().join("there.md");
    std::fs::write(&existing, "mine").expect("w");
    let out = clipfile(
        &lib,
        &[
            "export",
            "--format",
            "md",
            "-o",
            existing.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&existing).expect("r"), "mine");
    // A library held by another process: 3, the lock error as the cause.
    let held = clipfile::library::Library::open(&lib, clipfile::library::OpenMode::ReadWrite)
        .expect("lock");
    let out = clipfile(&lib, &["tag", &id, "+x"]);
    drop(held);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: cannot open the library"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("caused by: ") && lines[1].contains("open in another Clipfile"),
        "{stderr}"
    );
    // The codes are in --help.
    let help = clipfile(&lib, &["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit codes:"));
}

/// `list --search` takes the query language through the index: ranked, a snippet with the
/// matching words marked, fields and dates; a malformed query says what is wrong and exits
/// nonzero; an edit outside the app is seen by the next command.
#[test]
fn list_search_uses_the_query_language_and_the_index() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let rows = json(&clipfile(
        &lib,
        &["list", "--search", "\"natural ally\"", "--json"],
    ));
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let snippet = rows[0]["snippet"].as_str().expect("snippet");
    assert!(snippet.contains("**natural ally**"), "{snippet}");
    let id = rows[0]["id"].as_str().expect("id").to_string();
    for (q, n) in [
        ("date:2015-11", 1),
        ("date:2016", 0),
        ("headline:nations", 1),
        ("headline:\"natural ally\"", 0),
        ("putin -hollande", 0),
        ("putin OR zzzzunknown", 1),
        ("NATUR*", 1),
        ("has:notes", 0),
        ("is:orphan", 0),
    ] {
        let rows = json(&clipfile(&lib, &["list", "--search", q, "--json"]));
        assert_eq!(rows.as_array().expect("rows").len(), n, "{q}");
    }
    let out = clipfile(&lib, &["list", "--search", "\"natural ally"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("never closed") && stderr.contains("character 1"),
        "{stderr}"
    );
    let out = clipfile(&lib, &["list", "--search", "date:nov"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
    // Edited outside the app: a note added by hand to the record is found.
    let ron = lib.join("clippings").join(format!("{id}.ron"));
    let record = std::fs::read_to_string(&ron).expect("read");
    let edited = record.replacen("notes: \"\"", "notes: \"Ask Quillby\"", 1);
    assert_ne!(record, edited, "the record has an empty notes field");
    std::fs::write(&ron, edited).expect("write");
    let rows = json(&clipfile(
        &lib,
        &["list", "--search", "note:quillby", "--json"],
    ));
    assert_eq!(rows.as_array().expect("rows").len(), 1);
    let shown = json(&clipfile(&lib, &["show", &id[..6], "--json"]));
    assert_eq!(shown["notes"], "Ask Quillby");
    // The index lives in the cache folder given, never in the library.
    assert!(lib.with_extension("cache").join("index").is_dir());
    assert!(
        !std::fs::read_dir(&lib)
            .expect("lib")
            .flatten()
            .any(|e| { e.file_name().to_string_lossy().ends_with(".sqlite") })
    );
    // --help names the operators.
    let help = clipfile(&lib, &["list", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("has:highlights"));
}

/// A clipping's text overwritten in place outside the app (same file, same size, the folder
/// untouched) is seen by the next `list --search`, though that command skips comparing
/// stamps when the folder's listing is the one it indexed last.
#[test]
fn list_search_sees_a_text_edited_in_place_outside_the_app() {
    use std::io::Write;
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let rows = json(&clipfile(&lib, &["list", "--search", "hollande", "--json"]));
    let id = rows[0]["id"].as_str().expect("id").to_string();
    // Twice: the second run finds the listing unchanged.
    assert_eq!(rows.as_array().expect("rows").len(), 1);
    let again = json(&clipfile(&lib, &["list", "--search", "hollande", "--json"]));
    assert_eq!(again, rows);
    let txt = lib.join("clippings").join(format!("{id}.txt"));
    let text = std::fs::read_to_string(&txt).expect("read");
    assert!(text.contains("Hollande"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&txt)
        .expect("open");
    file.write_all(text.replace("Hollande", "Quillbyx").as_bytes())
        .expect("write in place");
    // Its own modification time (an editor's write a moment later; set, not waited for).
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .expect("mtime");
    drop(file);
    let rows = json(&clipfile(&lib, &["list", "--search", "quillbyx", "--json"]));
    assert_eq!(rows.as_array().expect("rows").len(), 1, "{rows:?}");
    let rows = json(&clipfile(
        &lib,
        &["list", "--search", "text:hollande", "--json"],
    ));
    assert!(rows.as_array().expect("rows").is_empty(), "{rows:?}");
}

/// An import into a library whose index exists puts its clippings into the index as it
/// commits them: the index finds them before any refresh, and the next `list --search`
/// reads no record.
#[test]
fn an_import_updates_the_index_as_it_commits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    assert!(clipfile(&lib, &["list"]).status.success());
    let input = tmp.path().join("new");
    std::fs::create_dir(&input).expect("mkdir");
    for word in ["zebrafish", "quokka"] {
        let text = format!("The {word} report\n\nA {word} was seen in the harbour.\n");
        std::fs::write(input.join(format!("{word}.txt")), text).expect("write");
    }
    let out = clipfile(&lib, &["import", input.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cache = lib.with_extension("cache");
    let mut index = clipfile::index::Index::open_in(&lib, &cache).expect("index");
    let query = clipfile::query::parse("quokka OR zebrafish").expect("query");
    assert_eq!(
        index.search(&query).expect("search").len(),
        2,
        "before any refresh"
    );
    let r = index.refresh().expect("refresh");
    assert_eq!(
        (r.added, r.updated, r.touched, r.unchanged),
        (0, 0, 0, 3),
        "{r:?}"
    );
    drop(index);
    let rows = json(&clipfile(
        &lib,
        &["list", "--search", "headline:quokka", "--json"],
    ));
    assert_eq!(rows.as_array().expect("rows").len(), 1, "{rows:?}");
}

/// `list` reports a sync tool's conflict copy, as opening the library does.
#[test]
fn list_reports_conflict_copies() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let rows = json(&clipfile(&lib, &["list", "--json"]));
    let id = rows[0]["id"].as_str().expect("id").to_string();
    let dir = lib.join("clippings");
    std::fs::copy(
        dir.join(format!("{id}.ron")),
        dir.join(format!("{id}.sync-conflict-20240101-120000-ABC.ron")),
    )
    .expect("copy");
    // The first command finds the folder changed, the second unchanged (its digest alone is
    // taken): both say it once; so do `show` and `export`, which take it from the same listing.
    let out_path = tmp.path().join("out.md");
    let out_arg = out_path.to_string_lossy().into_owned();
    for args in [
        vec!["list"],
        vec!["list"],
        vec!["show", id.as_str()],
        vec![
            "export",
            "--format",
            "md",
            "--id",
            id.as_str(),
            "-o",
            out_arg.as_str(),
        ],
    ] {
        let out = clipfile(&lib, &args);
        assert!(out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.matches("conflict copy").count(),
            1,
            "{args:?}: {stderr}"
        );
    }
}

/// An index damaged where opening it does not look (its records' page) is built again by the
/// first command that meets the damage, which still answers; the next command finds it whole
/// and does not read the library around it.
#[test]
fn a_damaged_index_met_by_a_search_is_built_again_once() {
    use crate::index_damage::{damage_records, index_file};
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = tmp.path().join("L");
    assert!(clipfile(&lib, &["import", "seeds/"]).status.success());
    let before = json(&clipfile(&lib, &["list", "--search", "hollande", "--json"]));
    assert_eq!(before.as_array().expect("rows").len(), 1);
    damage_records(&index_file(&lib.with_extension("cache")));
    let out = clipfile(&lib, &["list", "--search", "hollande", "--json"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("building the search index again"),
        "{stderr}"
    );
    assert_eq!(json(&out), before);
    let out = clipfile(&lib, &["list", "--search", "hollande", "--json"]);
    assert_eq!(json(&out), before);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
