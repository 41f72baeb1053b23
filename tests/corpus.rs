//! Runs the parser over the labelled corpus (`tests/corpus/articles/*.txt` with
//! `tests/corpus/expected.json`, see `tests/corpus/README.md`) and checks per-field accuracy.
//!
//! Run with `cargo test --test corpus -- --nocapture` to see the accuracy table and every
//! mismatch.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clipfile::model::ArticleMetadata;
use clipfile::parse::parse_article;
use serde_json::Value;

const FIELDS: &[&str] = &[
    "headline",
    "deck",
    "dateline",
    "dateline_source",
    "byline_authors",
    "contributors",
    "section",
    "date",
    "captions",
    "photo_credits",
    "credited_organizations",
];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn opt(v: Option<&String>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.trim().to_string()))
}

fn list(v: &[String]) -> Value {
    Value::Array(
        v.iter()
            .map(|s| Value::String(s.trim().to_string()))
            .collect(),
    )
}

fn trimmed(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.trim().to_string()),
        Value::Array(a) => Value::Array(a.iter().map(trimmed).collect()),
        other => other.clone(),
    }
}

/// The parser's value for a field, in the shape of `expected.json`. For contributors the
/// location is included only where the label gives one.
fn actual(field: &str, m: &ArticleMetadata, expected: &Value) -> Value {
    match field {
        "headline" => opt(m.headline.as_ref()),
        "deck" => opt(m.deck.as_ref()),
        "dateline" => opt(m.dateline.as_ref()),
        "dateline_source" => opt(m.dateline_source.as_ref()),
        "byline_authors" => list(&m.authors),
        "section" => opt(m.section.as_ref()),
        "date" => opt(m.published.as_ref()),
        "captions" => list(&m.captions),
        "photo_credits" => list(&m.photo_credits),
        "credited_organizations" => list(&m.organizations),
        "contributors" => {
            let wants_location = |k: usize| {
                expected
                    .as_array()
                    .and_then(|a| a.get(k))
                    .and_then(|c| c.get("location"))
                    .is_some()
            };
            Value::Array(
                m.contributors
                    .iter()
                    .enumerate()
                    .map(|(k, c)| {
                        let mut o = serde_json::Map::new();
                        o.insert("name".into(), Value::String(c.name.trim().to_string()));
                        o.insert("organization".into(), opt(c.organization.as_ref()));
                        o.insert("role".into(), Value::String(c.role.as_str().to_string()));
                        if wants_location(k) {
                            o.insert("location".into(), opt(c.location.as_ref()));
                        }
                        Value::Object(o)
                    })
                    .collect(),
            )
        }
        _ => Value::Null,
    }
}

#[test]
fn corpus_accuracy() {
    let dir = corpus_dir();
    let expected_text =
        std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json");
    let expected: Vec<Value> = serde_json::from_str(&expected_text).expect("parse expected.json");
    assert!(!expected.is_empty(), "expected.json lists no files");

    let mut right: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for entry in &expected {
        let file = entry["file"].as_str().expect("file name");
        let text = std::fs::read_to_string(dir.join("articles").join(file)).expect("read article");
        let m = parse_article(&text);
        for &field in FIELDS {
            let want = trimmed(entry.get(field).unwrap_or(&Value::Null));
            let got = actual(field, &m, &want);
            *total.entry(field).or_default() += 1;
            if got == want {
                *right.entry(field).or_default() += 1;
            } else {
                mismatches.push(format!(
                    "{file}: {field}\n    expected {want}\n    got      {got}"
                ));
            }
        }
    }

    println!("\n{:<24} {:>7} {:>9}", "field", "right", "accuracy");
    let (mut all_right, mut all_total) = (0, 0);
    let mut weak = Vec::new();
    for &field in FIELDS {
        let r = right.get(field).copied().unwrap_or(0);
        let t = total.get(field).copied().unwrap_or(0);
        all_right += r;
        all_total += t;
        let acc = r as f64 / t as f64;
        println!(
            "{field:<24} {:>7} {:>8.1}%",
            format!("{r}/{t}"),
            acc * 100.0
        );
        if acc < 0.8 {
            weak.push(field);
        }
    }
    let overall = all_right as f64 / all_total as f64;
    println!(
        "{:<24} {:>7} {:>8.1}%",
        "overall",
        format!("{all_right}/{all_total}"),
        overall * 100.0
    );
    println!("\nmismatches ({}):", mismatches.len());
    for m in &mismatches {
        println!("  {m}");
    }

    assert!(
        overall >= 0.9,
        "overall accuracy {:.1}% is below 90%",
        overall * 100.0
    );
    assert!(weak.is_empty(), "fields below 80%: {weak:?}");
}
