//! Export: snapshots of every format for the seed, escaping (HTML, YAML, CSV), the JSON and
//! CSL-JSON shapes, file names and writing files.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use clipfile::export::{self, ExportError, ExportFile, ExportItem, Format};
use clipfile::library::{Library, OpenMode, Outcome};
use clipfile::model::{Clipping, Credit, CreditRole, Field, Highlight, HighlightColor};
use clipfile::{parse, sample};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

const IMPORTED: &str = "2026-01-15T09:30:00Z";

/// The text highlights are anchored in: the body paragraphs joined by blank lines.
fn reading_text(text: &str) -> String {
    parse::parse_article(text).paragraphs.join("\n\n")
}

/// A highlight of `quote` (its first occurrence) with selectors computed from `doc`.
fn highlight(doc: &str, id: &str, quote: &str, color: HighlightColor) -> Highlight {
    let byte = doc
        .find(quote)
        .unwrap_or_else(|| panic!("{quote:?} not in the text"));
    let start = doc[..byte].chars().count();
    let end = start + quote.chars().count();
    let before: Vec<char> = doc[..byte].chars().collect();
    let prefix: String = before[before.len().saturating_sub(32)..].iter().collect();
    let suffix: String = doc[byte + quote.len()..].chars().take(32).collect();
    Highlight {
        id: id.into(),
        quote: quote.into(),
        prefix,
        suffix,
        start,
        end,
        color,
        comment: String::new(),
        tags: Vec::new(),
        created: "2026-01-15T10:00:00Z".into(),
        orphan: false,
        anchor_state: Default::default(),
        original_quote: String::new(),
        candidates: Vec::new(),
        copied_from: None,
    }
}

fn credit(name: &str, org: &str) -> Credit {
    Credit {
        name: name.into(),
        organization: Some(org.into()),
        role: CreditRole::Information,
        location: None,
    }
}

fn open(dir: &Path) -> Library {
    Library::open(dir, OpenMode::ReadWrite).expect("open library")
}

fn import(lib: &mut Library, name: &str, text: &str) -> String {
    match lib.import_text(name, text).expect("import") {
        Outcome::Imported { id, .. } => id,
        other => panic!("not imported: {other:?}"),
    }
}

/// The seed with what the finished parser finds in it (set here, so the snapshots do not move
/// with the placeholder parser), a reader's override, tags, Markdown notes and four highlights:
/// three in the text (added out of order) and one orphan.
fn seed(lib: &mut Library) -> Clipping {
    let id = import(lib, sample::SEED_NAME, sample::SEED_TEXT);
    let doc = reading_text(sample::SEED_TEXT);
    let mut h1 = highlight(
        &doc,
        "hl-0001",
        "Hollande and Putin agreed on increasing intelligence sharing",
        HighlightColor::Yellow,
    );
    h1.comment = "Concrete steps, finally.\nBut \"coordination\", not a coalition.".into();
    h1.tags = vec!["syria/diplomacy".into(), "intelligence".into()];
    let mut h2 = highlight(
        &doc,
        "hl-0002",
        "We agreed on a very important issue: To strike the terrorists only",
        HighlightColor::Green,
    );
    h2.tags = vec!["quotes".into()];
    let mut h3 = highlight(
        &doc,
        "hl-0003",
        "Russia will protect its warplanes from now on with long-range S-400 air defense missiles",
        HighlightColor::Blue,
    );
    h3.comment = "Escalation risk, see Turkey.".into();
    let h4 = Highlight {
        id: "hl-0004".into(),
        quote: "The presidents met for three hours".into(),
        prefix: "in Moscow. ".into(),
        suffix: " on Thursday".into(),
        start: 120,
        end: 154,
        color: HighlightColor::Pink,
        comment: "From an earlier version of the text".into(),
        tags: vec!["syria/diplomacy".into()],
        created: "2026-01-14T08:00:00Z".into(),
        orphan: true,
        anchor_state: clipfile::model::AnchorState::Orphan,
        original_quote: String::new(),
        candidates: Vec::new(),
        copied_from: None,
    };
    lib.update(&id, |c| {
        c.imported = IMPORTED.into();
        c.parsed.deck = Some("France, Russia still at odds on Assad staying in power".into());
        c.parsed.dateline = Some("MOSCOW".into());
        c.parsed.section = Some("A Section".into());
        c.parsed.published = Some("2015-11-27".into());
        c.parsed.contributors = vec![
            credit("Sylvie Corbet", "The Associated Press"),
            credit("Vladimir Isachenkov", "The Associated Press"),
            credit("Birgit Jennen", "Bloomberg News"),
            credit("Andrew Higgins", "The New York Times"),
        ];
        c.overrides.fields.insert(Field::Section, "World".into());
        c.tags = vec!["syria/diplomacy".into(), "france".into(), "to read".into()];
        c.notes = "## Why it matters\n\n- Paris attacks → *coalition* talks\n- Compare [[Turkey shoots down Su-24]]\n".into();
        c.highlights = vec![h3, h1, h4, h2];
    })
    .expect("update")
    .clone()
}

fn seed_export(format: Format) -> String {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let c = seed(&mut lib);
    let files = export::export(&[&c], format, false).expect("export");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, format!("clippings.{}", format.extension()));
    files[0].contents.clone()
}

#[test]
fn snapshot_seed_markdown() {
    insta::assert_snapshot!("seed_markdown", seed_export(Format::Markdown));
}

#[test]
fn snapshot_seed_html() {
    insta::assert_snapshot!("seed_html", seed_export(Format::Html));
}

#[test]
fn snapshot_seed_json() {
    insta::assert_snapshot!("seed_json", seed_export(Format::Json));
}

#[test]
fn snapshot_seed_csv() {
    insta::assert_snapshot!("seed_csv", seed_export(Format::Csv));
}

#[test]
fn snapshot_seed_csl() {
    insta::assert_snapshot!("seed_csl", seed_export(Format::Csl));
}

/// A second, small clipping with a byline, for combined exports and author handling.
fn bylined(lib: &mut Library) -> Clipping {
    let text = "Merkel's Cabinet backs Tornado mission\n\nBERLIN -- Germany plans to contribute Tornado surveillance planes, a frigate and aerial refueling.\n";
    let id = import(lib, "berlin.txt", text);
    lib.update(&id, |c| {
        c.imported = IMPORTED.into();
        c.parsed.authors = vec!["Ursula von der Leyen".into(), "Arne Delfs".into()];
        c.parsed.dateline = Some("BERLIN".into());
        c.parsed.published = Some("2015-11".into());
        c.tags = vec!["germany".into()];
    })
    .expect("update")
    .clone()
}

#[test]
fn snapshot_combined_markdown_of_two() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let a = seed(&mut lib);
    let b = bylined(&mut lib);
    let files = export::export(&[&a, &b], Format::Markdown, false).expect("export");
    assert_eq!(files.len(), 1);
    let md = &files[0].contents;
    // Each clipping's metadata is a fenced YAML block that parses.
    let blocks: Vec<&str> = md
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```\n").next())
        .collect();
    assert_eq!(blocks.len(), 2);
    for block in &blocks {
        let docs = YamlLoader::load_from_str(block).expect("yaml block");
        assert!(docs[0]["title"].as_str().is_some());
    }
    insta::assert_snapshot!("combined_markdown", md);
}

#[test]
fn split_export_names_files_from_headlines() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let a = seed(&mut lib);
    let id = import(&mut lib, "b.txt", "Another article\n\nBody text.\n");
    let b = lib
        .update(&id, |c| {
            c.overrides
                .fields
                .insert(Field::Headline, a.title().to_string());
        })
        .expect("update")
        .clone();
    for format in Format::ALL {
        let files = export::export(&[&a, &b], format, true).expect("export");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let ext = format.extension();
        if format == Format::Csv {
            // No header-only Readwise files for clippings without highlights.
            let with: Vec<bool> = [&a, &b].iter().map(|c| !c.highlights.is_empty()).collect();
            assert_eq!(
                names.len(),
                with.iter().filter(|w| **w).count(),
                "{names:?}"
            );
            continue;
        }
        assert_eq!(
            names,
            [
                format!("Joining forces against ISIS, 2 nations say.{ext}"),
                format!("Joining forces against ISIS, 2 nations say (2).{ext}"),
            ]
        );
    }
    assert!(
        export::export(&[], Format::Json, true)
            .expect("empty")
            .is_empty()
    );
}

#[test]
fn formats_by_name() {
    for format in Format::ALL {
        assert_eq!(Format::from_name(format.name()), Some(format));
        assert!(!format.label().is_empty());
    }
    assert_eq!(Format::from_name(" Markdown "), Some(Format::Markdown));
    assert_eq!("csl-json".parse::<Format>(), Ok(Format::Csl));
    assert_eq!(Format::from_name("docx"), None);
    assert_eq!(Format::Csl.extension(), "csl.json");
}

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

/// Every tag in `html`: the text between `<` and `>`.
fn tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(rest))
        .collect()
}

#[test]
fn html_escapes_all_user_and_article_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    // (The parser sets a paragraph holding `">` apart as leftover link markup, so the
    // highlighted payload sits in a paragraph of its own.)
    let text = format!(
        "Headline {SCRIPT} {IMG}\n\nBRUSSELS -- The mayor said {SCRIPT} was typed into the form, officials said.\n\nBody {IMG} 'single'.\n"
    );
    let id = import(&mut lib, &format!("{IMG}.txt"), &text);
    let doc = reading_text(&text);
    let mut h = highlight(&doc, IMG, SCRIPT, HighlightColor::Pink);
    h.comment = format!("comment {SCRIPT}\n{IMG}");
    h.tags = vec![SCRIPT.into(), IMG.into()];
    let c = lib
        .update(&id, |c| {
            c.notes = format!("notes {SCRIPT} {IMG}");
            c.tags = vec![SCRIPT.into(), IMG.into()];
            c.parsed.authors = vec![IMG.into()];
            c.parsed.contributors = vec![credit(SCRIPT, IMG)];
            c.overrides.fields.insert(Field::Deck, IMG.into());
            c.overrides.fields.insert(Field::Section, SCRIPT.into());
            c.highlights = vec![h];
        })
        .expect("update")
        .clone();
    let item = ExportItem::with_text(&c, &text);
    let html = export::render(&[item, item], Format::Html).expect("render");

    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img"), "{html}");
    assert!(!lower.contains("<link"));
    assert!(!lower.contains("url("));
    assert!(!lower.contains("@import"));
    let allowed = [
        "!doctype",
        "html",
        "div",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "article",
        "h1",
        "h2",
        "p",
        "dl",
        "dt",
        "dd",
        "ul",
        "li",
        "code",
        "span",
        "section",
        "figure",
        "blockquote",
        "figcaption",
        "strong",
        "em",
    ];
    for tag in tags(&html) {
        let name = tag
            .trim_start_matches('/')
            .split([' ', '\n'])
            .next()
            .unwrap_or_default()
            .to_lowercase();
        assert!(allowed.contains(&name.as_str()), "unexpected tag <{tag}>");
        // Attribute values are double-quoted and cannot hold a `"` (it is escaped): what is
        // outside the quotes are the tag and attribute names.
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
        let names: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        let names = names.to_lowercase();
        assert!(!names.contains(" on"), "event handler in <{tag}>");
        assert!(
            !names.contains("src") && !names.contains("href"),
            "resource in <{tag}>"
        );
    }
    // Every `onerror=` is inside escaped text.
    let escaped_img = "&lt;img src=x onerror=alert(1)&gt;";
    assert_eq!(
        html.matches("onerror=").count(),
        html.matches(escaped_img).count()
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("'single'"));
}

const NASTY_TITLE: &str = r#"Joining forces: "ISIS" #1 - say: yes"#;

fn front_matter(md: &str) -> Yaml {
    let rest = md
        .strip_prefix("---\n")
        .expect("front matter opens the file");
    let (yaml, _) = rest.split_once("\n---\n").expect("front matter closes");
    let mut docs = YamlLoader::load_from_str(yaml).expect("front matter is YAML");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn strings(y: &Yaml) -> Vec<String> {
    y.as_vec()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn markdown_front_matter_is_yaml_with_exact_values() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let id = import(&mut lib, "nasty.txt", "Plain headline\n\nBody.\n");
    let tags = vec![
        "syria/diplomacy".to_string(),
        "- leading dash".into(),
        "#hash".into(),
        "colon: yes".into(),
        "quote \"q\" 'a'".into(),
        "back\\slash".into(),
        "[flow], {map}".into(),
        "true".into(),
        "123".into(),
        "~".into(),
    ];
    let contributors = vec![
        credit("Sylvie Corbet", "The Associated Press"),
        Credit {
            name: "O'Brien: \"Jr\"".into(),
            organization: None,
            role: CreditRole::Reporting,
            location: Some("NAIROBI, Kenya\n--- #".into()),
        },
    ];
    let deck = "Line one\n---\n- two: 'x'\r\n\ttab \u{2028} end";
    let c = lib
        .update(&id, |c| {
            c.overrides
                .fields
                .insert(Field::Headline, NASTY_TITLE.into());
            c.overrides.fields.insert(Field::Deck, deck.into());
            c.tags = tags.clone();
            c.parsed.authors = vec!["- Dash Person".into(), "@at".into()];
            c.parsed.contributors = contributors.clone();
            c.parsed.published = Some("2015-11-27".into());
        })
        .expect("update")
        .clone();
    let files = export::export(&[&c], Format::Markdown, true).expect("export");
    let y = front_matter(&files[0].contents);
    assert_eq!(y["title"].as_str(), Some(NASTY_TITLE));
    // Overrides are trimmed by the model; the rest is exact.
    assert_eq!(y["deck"].as_str(), Some(deck.trim()));
    // Tags as Obsidian accepts them: one word each, never all digits, no leading `#`.
    let obsidian: Vec<String> = tags
        .iter()
        .map(|t| export::obsidian_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(strings(&y["tags"]), obsidian);
    for tag in strings(&y["tags"]) {
        assert!(
            !tag.starts_with('#') && !tag.contains([' ', '&', ',', ':', '"']),
            "{tag}"
        );
        assert!(!tag.chars().all(|c| c.is_ascii_digit()), "{tag}");
    }
    assert_eq!(strings(&y["authors"]), ["- Dash Person", "@at"]);
    assert_eq!(y["published"].as_str(), Some("2015-11-27"));
    assert_eq!(y["id"].as_str(), Some(c.id.as_str()));
    assert_eq!(y["source"].as_str(), Some("nasty.txt"));
    let credits = y["contributors"].as_vec().expect("contributors");
    assert_eq!(credits.len(), 2);
    // Strings Obsidian's properties can show: "Name (Organization)".
    assert_eq!(
        strings(&y["contributors"]),
        ["Sylvie Corbet (The Associated Press)", "O'Brien: \"Jr\""]
    );
    // The file is named from the title, without its colons and quotes.
    assert_eq!(files[0].name, "Joining forces ISIS #1 - say yes.md");
}

#[test]
fn json_carries_everything_as_web_annotations() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let c = seed(&mut lib);
    let json = export::render(
        &[ExportItem::with_text(&c, sample::SEED_TEXT)],
        Format::Json,
    )
    .expect("render");
    let v: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["version"], 1);
    let clip = &v["clippings"][0];
    assert_eq!(clip["id"], c.id.as_str());
    assert_eq!(clip["source"], sample::SEED_NAME);
    assert_eq!(clip["imported"], IMPORTED);
    assert_eq!(clip["title"], "Joining forces against ISIS, 2 nations say");
    assert_eq!(clip["metadata"]["section"], "World");
    assert_eq!(clip["parsed"]["section"], "A Section");
    assert_eq!(clip["overrides"]["section"], "World");
    assert_eq!(clip["metadata"]["contributors"][0]["name"], "Sylvie Corbet");
    assert_eq!(clip["metadata"]["contributors"][0]["role"], "information");
    assert_eq!(clip["tags"][0], "syria/diplomacy");
    assert_eq!(clip["notes"], c.notes.as_str());
    // `text` is the reading text the position selectors count in; the file is `raw_text`.
    assert_eq!(clip["text"], reading_text(sample::SEED_TEXT).as_str());
    assert_eq!(clip["raw_text"], sample::SEED_TEXT);
    let carried: Vec<char> = clip["text"].as_str().expect("text").chars().collect();
    for anno in clip["highlights"].as_array().expect("highlights") {
        let exact = anno["target"]["selector"][0]["exact"]
            .as_str()
            .expect("exact");
        let Some(pos) = anno["target"]["selector"].get(1) else {
            assert_eq!(
                anno["clipfile:orphan"], true,
                "only an orphan has no position"
            );
            continue;
        };
        let (start, end) = (
            pos["start"].as_u64().expect("start") as usize,
            pos["end"].as_u64().expect("end") as usize,
        );
        let at: String = carried[start..end].iter().collect();
        assert_eq!(at, exact, "text[start..end] == exact");
    }

    let annos = clip["highlights"].as_array().expect("highlights");
    assert_eq!(annos.len(), 4);
    // In text order, the orphan last.
    let starts: Vec<u64> = annos[..3]
        .iter()
        .map(|a| a["target"]["selector"][1]["start"].as_u64().expect("start"))
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    let first = &annos[0];
    let h1 = c.highlights.iter().find(|h| h.id == "hl-0001").expect("h1");
    assert_eq!(first["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(first["type"], "Annotation");
    assert_eq!(
        first["id"],
        format!("clipfile:{}/highlights/hl-0001", c.id).as_str()
    );
    assert_eq!(first["created"], "2026-01-15T10:00:00Z");
    assert_eq!(first["clipfile:color"], "yellow");
    let body = first["body"].as_array().expect("body");
    assert_eq!(body[0]["type"], "TextualBody");
    assert_eq!(body[0]["purpose"], "commenting");
    assert_eq!(body[0]["value"], h1.comment.as_str());
    assert_eq!(body[1]["purpose"], "tagging");
    assert_eq!(body[1]["value"], "syria/diplomacy");
    assert_eq!(body[2]["value"], "intelligence");
    let target = &first["target"];
    assert_eq!(target["source"], format!("clipfile:{}", c.id).as_str());
    assert_eq!(target["selector"][0]["type"], "TextQuoteSelector");
    assert_eq!(target["selector"][0]["exact"], h1.quote.as_str());
    assert_eq!(target["selector"][0]["prefix"], h1.prefix.as_str());
    assert_eq!(target["selector"][0]["suffix"], h1.suffix.as_str());
    assert_eq!(target["selector"][1]["type"], "TextPositionSelector");
    assert_eq!(target["selector"][1]["start"], h1.start);
    assert_eq!(target["selector"][1]["end"], h1.end);
    // The selectors point at the quote in the reading text.
    let doc = reading_text(sample::SEED_TEXT);
    let quoted: String = doc.chars().skip(h1.start).take(h1.end - h1.start).collect();
    assert_eq!(quoted, h1.quote);

    let orphan = &annos[3];
    assert_eq!(orphan["clipfile:orphan"], true);
    assert_eq!(orphan["clipfile:color"], "pink");
    assert_eq!(
        orphan["target"]["selector"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn csl_json_items() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let a = seed(&mut lib);
    let b = bylined(&mut lib);
    let id = import(&mut lib, "wire.txt", "Wire story\n\nBody.\n");
    let org_only = lib
        .update(&id, |c| {
            c.parsed.organizations = vec!["The Associated Press".into()];
            c.parsed.published = Some("Thursday".into());
        })
        .expect("update")
        .clone();
    let items = [&a, &b, &org_only].map(ExportItem::new);
    let csl = export::render(&items, Format::Csl).expect("render");
    let v: Value = serde_json::from_str(&csl).expect("valid JSON");
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 3);
    for item in items {
        assert_eq!(item["type"], "article-newspaper");
        assert!(item.get("container-title").is_none());
    }
    let seed_item = &items[0];
    assert_eq!(seed_item["id"], a.id.as_str());
    assert_eq!(seed_item["title"], a.title());
    assert_eq!(
        seed_item["issued"],
        serde_json::json!({"date-parts": [[2015, 11, 27]]})
    );
    assert_eq!(seed_item["section"], "World");
    assert_eq!(seed_item["note"], "Tags: syria/diplomacy, france, to read");
    assert!(seed_item.get("author").is_none(), "no byline, no author");

    assert_eq!(
        items[1]["author"],
        serde_json::json!([
            {"family": "Leyen", "given": "Ursula", "non-dropping-particle": "von der"},
            {"family": "Delfs", "given": "Arne"},
        ])
    );
    assert_eq!(
        items[1]["issued"],
        serde_json::json!({"date-parts": [[2015, 11]]})
    );
    assert_eq!(
        items[2]["author"],
        serde_json::json!([{"literal": "Associated Press"}])
    );
    assert_eq!(items[2]["issued"], serde_json::json!({"raw": "Thursday"}));

    let one = export::export(&[&b], Format::Csl, false).expect("export");
    assert_eq!(one[0].name, "clippings.csl.json");
    let author = &serde_json::from_str::<Value>(&one[0].contents).expect("json")[0]["author"][1];
    assert_eq!(author["given"], "Arne");
}

#[test]
fn csv_reads_back_exactly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    // The first highlight spans two paragraphs, so it holds new lines.
    let text = "A title, with \"quotes\"\n\nPARIS -- It began on Monday, officials said.\n\nHe said, \"yes, and\n\nno\" -- then left.\n\nSecond paragraph, plain.\n";
    let id = import(&mut lib, "csv.txt", text);
    let doc = reading_text(text);
    let mut h1 = highlight(
        &doc,
        "a",
        "He said, \"yes, and\n\nno\"",
        HighlightColor::Yellow,
    );
    h1.comment = "Comma, \"quote\"\nand a new line".into();
    let mut h2 = highlight(&doc, "b", "Second paragraph, plain.", HighlightColor::Green);
    h2.comment = "Tagged, too".into();
    h2.tags = vec!["syria/diplomacy".into(), "to read".into()];
    let mut h3 = highlight(&doc, "c", "then left", HighlightColor::Blue);
    h3.tags = vec!["only-tags".into()];
    let c = lib
        .update(&id, |c| {
            c.parsed.authors = vec!["Sylvie Corbet".into(), "Raf Casert".into()];
            c.parsed.published = Some("2015-11-27".into());
            c.notes = "Notes, with \"quotes\"\nand lines".into();
            c.highlights = vec![h2.clone(), h1.clone(), h3.clone()];
        })
        .expect("update")
        .clone();
    let files = export::export(&[&c], Format::Csv, false).expect("export");
    let mut reader = csv::Reader::from_reader(files[0].contents.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        [
            "Highlight",
            "Title",
            "Author",
            "URL",
            "Note",
            "Location",
            "Date"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    let expect = [
        (&h1, h1.comment.clone()),
        (&h3, ".only-tags".to_string()),
        (&h2, ".syria/diplomacy .to-read\nTagged, too".to_string()),
    ];
    for (row, (h, note)) in rows.iter().zip(expect) {
        assert_eq!(&row[0], h.quote);
        assert_eq!(&row[1], "A title, with \"quotes\"");
        assert_eq!(&row[2], "Sylvie Corbet, Raf Casert");
        assert_eq!(&row[3], "");
        assert_eq!(&row[4], note);
        // Location: the paragraph number when the text is at hand, else empty.
        assert!(row[5].is_empty() || row[5].parse::<usize>().is_ok_and(|n| n >= 1));
        // Date: when the highlight was made, not when the article was published.
        assert_eq!(&row[6], h.created);
    }
}

#[test]
fn csv_author_falls_back_to_contributor_then_organization() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let mut c = seed(&mut lib);
    let author = |c: &Clipping| {
        let csv = export::render(&[c.into()], Format::Csv).expect("csv");
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let row = r.records().next().expect("a row").expect("row");
        row[2].to_string()
    };
    assert_eq!(author(&c), "Sylvie Corbet");
    c.parsed.contributors.clear();
    c.parsed.organizations = vec!["Bloomberg News".into()];
    assert_eq!(author(&c), "Bloomberg News");
}

#[test]
fn file_names_are_safe_and_unique() {
    let mut taken = HashSet::new();
    let mut name = |h: &str| export::file_name_for(h, "md", &mut taken);
    assert_eq!(name("a/b\\c:d*?\"<>|"), "a b c d.md");
    assert_eq!(name("CON"), "CON_.md");
    assert_eq!(name("con.md"), "con.md_.md");
    assert_eq!(name("LPT1"), "LPT1_.md");
    assert_eq!(name(".."), "untitled.md");
    assert_eq!(name(""), "untitled (2).md");
    assert_eq!(name("   "), "untitled (3).md");
    assert_eq!(name("../../etc/passwd"), "etc passwd.md");
    assert_eq!(name(".bashrc"), "bashrc.md");
    assert_eq!(name("line\nbreak\u{0}\u{7}"), "line break.md");
    assert_eq!(name("evil\u{202E}dm.exe"), "evildm.exe.md");
    assert_eq!(name("Zürich: 北京 — Ελλάδα"), "Zürich 北京 — Ελλάδα.md");
    let long = "ab ".repeat(100);
    let n = name(&long);
    let stem = n.strip_suffix(".md").expect("ext");
    assert!(stem.chars().count() <= 80, "{n}");
    assert!(!stem.ends_with(' '));
    let n = name(&"€".repeat(300));
    assert!(n.len() <= 255, "{n}");
    assert!(n.ends_with(".md"));
    // Uniqueness is case-insensitive and per extension.
    assert_eq!(name("News"), "News.md");
    assert_eq!(name("NEWS"), "NEWS (2).md");
    assert_eq!(name("news"), "news (3).md");
    assert_eq!(
        export::file_name_for("News", "html", &mut taken),
        "News.html"
    );
    for n in &taken {
        assert!(!n.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']));
        assert!(!n.starts_with('.'));
        assert!(!n.chars().any(char::is_control));
    }
}

fn file(name: &str, contents: &str) -> ExportFile {
    ExportFile {
        name: name.into(),
        contents: contents.into(),
    }
}

/// Every entry of a folder, as sorted names.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn write_files_never_overwrites_without_force() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).expect("mkdir");
    fs::write(dir.join("b.md"), "mine").expect("write");
    let files = [file("a.md", "A"), file("b.md", "B"), file("c.md", "C")];

    match export::write_files(&dir, &files, false) {
        Err(ExportError::Exists(path)) => assert_eq!(path, dir.join("b.md")),
        other => panic!("expected Exists, got {other:?}"),
    }
    assert_eq!(listing(&dir), ["b.md"], "nothing written");
    assert_eq!(fs::read_to_string(dir.join("b.md")).expect("read"), "mine");

    let written = export::write_files(&dir, &files, true).expect("forced");
    assert_eq!(written, files.map(|f| dir.join(&f.name)));
    assert_eq!(
        listing(&dir),
        ["a.md", "b.md", "c.md"],
        "no temp files left"
    );
    assert_eq!(fs::read_to_string(dir.join("b.md")).expect("read"), "B");

    let more = [file("d.md", "D")];
    let written = export::write_files(&dir, &more, false).expect("new file");
    assert_eq!(written, [dir.join("d.md")]);
    assert_eq!(fs::read_to_string(dir.join("d.md")).expect("read"), "D");
}

#[test]
fn write_files_stays_inside_the_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).expect("mkdir");
    for bad in [
        "../evil.md",
        "sub/evil.md",
        "sub\\evil.md",
        "/tmp/evil.md",
        "..",
        ".",
        "",
    ] {
        let files = [file("ok.md", "fine"), file(bad, "evil")];
        for force in [false, true] {
            match export::write_files(&dir, &files, force) {
                Err(ExportError::InvalidName(name)) => assert_eq!(name, bad),
                other => panic!("{bad:?}: expected InvalidName, got {other:?}"),
            }
        }
    }
    assert!(listing(&dir).is_empty(), "nothing written at all");
    assert_eq!(listing(tmp.path()), ["out"], "nothing beside the folder");

    let twice = [file("Same.md", "1"), file("same.md", "2")];
    assert!(matches!(
        export::write_files(&dir, &twice, true),
        Err(ExportError::DuplicateName(_))
    ));
    assert!(matches!(
        export::write_files(&tmp.path().join("missing"), &[file("a.md", "")], true),
        Err(ExportError::Io { .. })
    ));
}

#[cfg(unix)]
#[test]
fn write_files_does_not_follow_links() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).expect("mkdir");
    let outside = tmp.path().join("outside.md");
    std::os::unix::fs::symlink(&outside, dir.join("a.md")).expect("symlink");
    let files = [file("a.md", "A")];
    assert!(matches!(
        export::write_files(&dir, &files, false),
        Err(ExportError::Exists(_))
    ));
    assert!(!outside.exists());
    export::write_files(&dir, &files, true).expect("forced");
    assert!(!outside.exists(), "the link was replaced, not followed");
    assert_eq!(fs::read_to_string(dir.join("a.md")).expect("read"), "A");
}

#[test]
fn exported_seed_files_write_and_read_back() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(&tmp.path().join("lib"));
    let c = seed(&mut lib);
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).expect("mkdir");
    let mut all = Vec::new();
    for format in Format::ALL {
        all.extend(export::export(&[&c], format, true).expect("export"));
    }
    let written = export::write_files(&dir, &all, false).expect("write");
    assert_eq!(written.len(), 5);
    for (path, f) in written.iter().zip(&all) {
        assert_eq!(fs::read_to_string(path).expect("read"), f.contents);
    }
}

/// Read the Markdown export back with a CommonMark parser: a comment or note holding a heading,
/// a rule, a block quote, a list or raw HTML stays inside its highlight's block quote.
#[test]
fn markdown_comments_stay_inside_their_block_for_commonmark() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let c = seed(&mut lib);
    let hostile = "# not a heading\n---\n> not a highlight\n- not a list\n<script>alert(1)</script>\n\nzz final line";
    let c = lib
        .update(&c.id, |c| {
            for h in &mut c.highlights {
                h.comment = hostile.into();
            }
            c.notes = hostile.into();
        })
        .expect("update")
        .clone();
    let md = &export::export(&[&c], Format::Markdown, true).expect("export")[0].contents;
    let mut depth = 0usize;
    let mut top_level_headings = Vec::new();
    let mut heading = None::<String>;
    // Front matter as Obsidian reads it: a YAML metadata block.
    for event in Parser::new_ext(md, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
            Event::Start(Tag::Heading { .. }) if depth == 0 => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) if depth == 0 => {
                top_level_headings.extend(heading.take());
            }
            Event::Text(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
                if t.contains("not a heading") || t.contains("not a list") || t.contains("zz final")
                {
                    assert!(depth >= 1, "comment text outside its block: {t}");
                }
            }
            Event::Rule => assert!(depth >= 1, "a rule outside a block quote"),
            // Only our own marker line is HTML (a comment).
            Event::Html(h) | Event::InlineHtml(h) => {
                assert_eq!(h.trim(), export::KEEP_BELOW, "raw HTML passed through");
            }
            _ => {}
        }
    }
    assert!(
        top_level_headings
            .iter()
            .all(|h| !h.contains("not a heading")),
        "{top_level_headings:?}"
    );
    // The front matter still reads as YAML.
    let y = front_matter(md);
    assert_eq!(y["id"].as_str(), Some(c.id.as_str()));
}

/// A validator for the parts of JSON Schema the vendored CSL schema uses: `type`, `enum`,
/// `required`, `properties`, `additionalProperties: false`, `items`, `minItems`, `maxItems`,
/// `anyOf` and local `$ref`s. Returns the problems found, each with its JSON path.
fn schema_errors(schema: &Value, root: &Value, v: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let target = r
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(root, |s, k| &s[k]))
            .unwrap_or(&Value::Null);
        return schema_errors(target, root, v, path, out);
    }
    if let Some(options) = schema["anyOf"].as_array() {
        let ok = options.iter().any(|o| {
            let mut errs = Vec::new();
            schema_errors(o, root, v, path, &mut errs);
            errs.is_empty()
        });
        if !ok {
            out.push(format!("{path}: matches none of anyOf"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let type_ok = |t: &str| match t {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    };
    if !types.is_empty() && !types.iter().any(|t| type_ok(t)) {
        out.push(format!("{path}: not of type {types:?}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(v)
    {
        out.push(format!("{path}: {v} not in enum"));
    }
    if let Some(items) = v.as_array() {
        if let Some(min) = schema["minItems"].as_u64()
            && (items.len() as u64) < min
        {
            out.push(format!("{path}: fewer than {min} items"));
        }
        if let Some(max) = schema["maxItems"].as_u64()
            && (items.len() as u64) > max
        {
            out.push(format!("{path}: more than {max} items"));
        }
        if schema.get("items").is_some() {
            for (i, item) in items.iter().enumerate() {
                schema_errors(&schema["items"], root, item, &format!("{path}[{i}]"), out);
            }
        }
    }
    if let Some(obj) = v.as_object() {
        for key in schema["required"].as_array().into_iter().flatten() {
            if let Some(k) = key.as_str()
                && !obj.contains_key(k)
            {
                out.push(format!("{path}: missing required {k}"));
            }
        }
        let props = schema["properties"].as_object();
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => schema_errors(s, root, val, &format!("{path}.{k}"), out),
                None if schema["additionalProperties"] == Value::Bool(false) => {
                    out.push(format!("{path}: unknown property {k}"))
                }
                None => {}
            }
        }
    }
}

#[test]
fn schema_validator_rejects_what_it_should() {
    let schema: Value =
        serde_json::from_str(include_str!("../schemas/csl-data.json")).expect("schema");
    let bad = serde_json::json!([
        {"id": "x", "type": "newspaper"},
        {"type": "article"},
        {"id": "y", "type": "article", "author": [{"family": 3}]},
        {"id": "z", "type": "article", "issued": {"date-parts": [[2015, 1, 2, 3]]}},
        {"id": "w", "type": "article", "container_title": "x"}
    ]);
    let mut errs = Vec::new();
    schema_errors(&schema, &schema, &bad, "$", &mut errs);
    assert_eq!(errs.len(), 5, "{errs:#?}");
}

/// CSL-JSON read back and validated against the vendored CSL data schema; the W3C annotations
/// of the JSON export checked for the keys the annotation model requires.
#[test]
fn csl_and_w3c_exports_validate_against_the_vendored_schemas() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let c = seed(&mut lib);
    let c = lib
        .update(&c.id, |c| {
            c.parsed.publication = Some("The Washington Times".into())
        })
        .expect("update")
        .clone();
    let schema: Value =
        serde_json::from_str(include_str!("../schemas/csl-data.json")).expect("schema");
    let csl: Value =
        serde_json::from_str(&export::export(&[&c], Format::Csl, false).expect("csl")[0].contents)
            .expect("CSL-JSON parses");
    let mut errs = Vec::new();
    schema_errors(&schema, &schema, &csl, "$", &mut errs);
    assert!(errs.is_empty(), "{errs:#?}");
    assert_eq!(csl[0]["container-title"], "The Washington Times");
    // The publication is carried into every export, not only the citation.
    for (format, shows) in [
        (Format::Markdown, "publication: \"The Washington Times\""),
        (
            Format::Html,
            "<dt>Publication</dt><dd>The Washington Times</dd>",
        ),
        (Format::Json, "\"publication\": \"The Washington Times\""),
    ] {
        let out = &export::export(&[&c], format, false).expect("export")[0].contents;
        assert!(out.contains(shows), "{format:?}: {out}");
    }

    let keys: Value =
        serde_json::from_str(include_str!("../schemas/w3c-annotation-keys.json")).expect("keys");
    let text = lib.text(&c.id).expect("text").to_string();
    let item = ExportItem::with_text(&c, &text);
    let json: Value = serde_json::from_str(&export::render(&[item], Format::Json).expect("json"))
        .expect("parses");
    let required = |kind: &str| -> Vec<String> {
        keys[kind]["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(|k| k.as_str().map(String::from))
            .collect()
    };
    let annos = json["clippings"][0]["highlights"]
        .as_array()
        .expect("annotations");
    assert!(!annos.is_empty());
    for anno in annos {
        for k in required("annotation") {
            assert!(anno.get(&k).is_some(), "annotation lacks {k}");
        }
        assert_eq!(anno["type"], "Annotation");
        for sel in anno["target"]["selector"].as_array().expect("selectors") {
            let kind = sel["type"].as_str().expect("selector type");
            for k in required(kind) {
                assert!(sel.get(&k).is_some(), "{kind} lacks {k}");
            }
        }
        for body in anno["body"].as_array().into_iter().flatten() {
            for k in required("TextualBody") {
                assert!(body.get(&k).is_some(), "body lacks {k}");
            }
        }
    }
}

/// An outside edit of `clippings/<id>.txt` while the library is open: `reload` (what the
/// watcher calls) picks up the text alone and re-anchors the highlights in it, so an export
/// right after carries current offsets.
#[test]
fn reload_picks_up_a_text_edit_and_reanchors() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(tmp.path());
    let c = seed(&mut lib);
    let txt = tmp.path().join("clippings").join(format!("{}.txt", c.id));
    let text = fs::read_to_string(&txt).expect("text");
    let edited = text.replacen("MOSCOW", "UPDATE: more detail.\n\nMOSCOW", 1);
    fs::write(&txt, &edited).expect("edit");
    assert_ne!(lib.reload(&c.id), clipfile::library::Reload::Unchanged);
    let now = lib.get(&c.id).expect("clipping").clone();
    let doc = reading_text(&edited);
    let carried: Vec<char> = doc.chars().collect();
    for h in now.highlights.iter().filter(|h| !h.orphan) {
        let at: String = carried[h.start..h.end].iter().collect();
        assert_eq!(at, h.quote);
    }
    // Saved: a fresh open sees the same anchors.
    drop(lib);
    let again = open(tmp.path());
    assert_eq!(
        again.get(&c.id).expect("clipping").highlights,
        now.highlights
    );
}
