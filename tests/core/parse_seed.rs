//! The product's seed article parses exactly.

use clipfile::model::{ArticleMetadata, Credit, CreditRole};
use clipfile::parse::parse_article;

const SEED: &str = include_str!("../../seeds/000_41805ab46882eb0b.txt");

const CAPTION: &str = "Russian President Vladimir Putin (right) and French President Francois Hollande meet in the Kremlin on Thursday in Moscow.";

fn seed() -> ArticleMetadata {
    parse_article(SEED)
}

#[test]
fn headline_and_deck() {
    let m = seed();
    assert_eq!(
        m.headline.as_deref(),
        Some("Joining forces against ISIS, 2 nations say")
    );
    assert_eq!(
        m.deck.as_deref(),
        Some("France, Russia still at odds on Assad staying in power")
    );
}

#[test]
fn one_caption_listed_once() {
    let m = seed();
    assert_eq!(m.captions, vec![CAPTION]);
    assert!(m.photo_credits.is_empty());
}

#[test]
fn dateline() {
    let m = seed();
    assert_eq!(m.dateline.as_deref(), Some("MOSCOW"));
    assert_eq!(m.dateline_source, None);
}

#[test]
fn contributors_in_order_with_their_organizations() {
    let m = seed();
    let groups: [(&str, &[&str]); 3] = [
        (
            "The Associated Press",
            &[
                "Sylvie Corbet",
                "Vladimir Isachenkov",
                "Nataliya Vasilyeva",
                "Raf Casert",
                "Kirsten Grieshaber",
                "Elena Becatoros",
            ],
        ),
        (
            "Bloomberg News",
            &["Birgit Jennen", "Patrick Donahue", "Arne Delfs"],
        ),
        ("The New York Times", &["Andrew Higgins", "James Kanter"]),
    ];
    let expected: Vec<Credit> = groups
        .iter()
        .flat_map(|(org, names)| {
            names.iter().map(move |n| Credit {
                name: n.to_string(),
                organization: Some(org.to_string()),
                role: CreditRole::Information,
                location: None,
            })
        })
        .collect();
    assert_eq!(expected.len(), 11);
    assert_eq!(m.contributors, expected);
    assert!(m.authors.is_empty());
    assert!(m.organizations.is_empty());
}

#[test]
fn section_and_date() {
    let m = seed();
    assert_eq!(m.section.as_deref(), Some("A Section"));
    assert_eq!(m.published.as_deref(), Some("2015-11-27"));
}

#[test]
fn boilerplate() {
    assert_eq!(seed().boilerplate, vec!["Upcoming Events"]);
}

#[test]
fn body_paragraphs() {
    let m = seed();
    assert!(
        m.paragraphs[0].starts_with("The presidents of France and Russia agreed"),
        "first paragraph: {:?}",
        m.paragraphs[0]
    );
    assert!(!m.paragraphs[0].contains("MOSCOW"));
    for p in &m.paragraphs {
        assert_ne!(p, CAPTION, "the caption is not body text");
        assert!(
            !p.starts_with("Information for this article"),
            "credit line in body"
        );
        assert!(!p.contains("A Section on"), "section line in body");
        assert_ne!(p, "Upcoming Events", "boilerplate in body");
        assert_ne!(p.as_str(), m.headline.as_deref().unwrap_or_default());
        assert_ne!(p.as_str(), m.deck.as_deref().unwrap_or_default());
    }
    assert!(
        m.paragraphs
            .last()
            .is_some_and(|p| p.starts_with("On Thursday, the Grand Mosque"))
    );
    // Every blank-line separated paragraph from the dateline to the last body paragraph.
    let blocks = SEED.split("\n\n").filter(|b| !b.trim().is_empty()).count();
    // headline, deck, caption block, credit, section line and boilerplate are not body.
    assert_eq!(m.paragraphs.len(), blocks - 6);
    let words: usize = m
        .paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    assert_eq!(m.word_count, words);
    assert!(m.word_count > 1000);
}

/// The seed's quotations, each with its speaker as the text names them (surnames resolved to
/// the full name printed earlier, "he said" to the previous speaker).
#[test]
fn quotes_and_speakers() {
    let m = seed();
    let quotes = clipfile::quotes::extract(&m.paragraphs);
    let got: Vec<(String, Option<String>)> = quotes
        .iter()
        .map(|q| {
            let start: String = q
                .text
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            (start, q.speaker.clone())
        })
        .collect();
    let want: Vec<(&str, Option<&str>)> = vec![
        // "Hollande said after the meeting", and the quote after it in the same paragraph.
        ("We agreed on", Some("Francois Hollande")),
        ("And we are", Some("Francois Hollande")),
        ("does not have", Some("Francois Hollande")),
        ("the Syrian president's", Some("Vladimir Putin")),
        ("natural ally", Some("Vladimir Putin")),
        ("enormously helpful.", Some("Barack Obama")),
        ("We view the", Some("Vladimir Putin")),
        ("We believe that", Some("Vladimir Putin")),
        ("if our partners", Some("Vladimir Putin")),
        ("fight this terrorist", Some("Francois Hollande")),
        ("thoughtlessly and rudely", Some("Vladimir Putin")),
        ("serious incident, obviously", Some("Francois Hollande")),
        ("It is crucial", Some("Francois Hollande")),
        ("The only goal", Some("Francois Hollande")),
        ("The government today", Some("Ursula von der Leyen")),
        ("We all joined", Some("Ursula von der Leyen")),
        ("be a very", Some("Francois Hollande")),
        ("on firm ground", Some("Frank-Walter Steinmeier")),
        ("We won't be", Some("Frank-Walter Steinmeier")),
        ("and other terrorist", Some("Frank-Walter Steinmeier")),
        ("likely", Some("Koen Geens")),
        ("possible and likely.", Some("Charles Michel")),
        ("good news,", Some("Rudi Vervoort")),
    ];
    let want: Vec<(String, Option<String>)> = want
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.map(str::to_string)))
        .collect();
    assert_eq!(got, want);
    // "However, he said, ..." follows Putin's quotes: the pronoun is his.
    let however = quotes
        .iter()
        .find(|q| q.text.starts_with("if our partners"));
    assert!(however.is_some_and(|q| q.sentence.starts_with("However, he said")));
    // Titles come off the name and are kept apart.
    let leyen = quotes
        .iter()
        .find(|q| q.text.starts_with("The government today"));
    assert_eq!(
        leyen.and_then(|q| q.title.as_deref()),
        Some("Defense Minister")
    );
    let vervoort = quotes.iter().find(|q| q.text.starts_with("good news"));
    assert_eq!(
        vervoort.and_then(|q| q.title.as_deref()),
        Some("president of the Brussels region")
    );
    // The ranges point at the quoted words in the reading text.
    let doc = clipfile::anchor::reading_text(&m);
    for q in &quotes {
        let at =
            clipfile::anchor::slice_chars(&doc, q.start, q.end).map(|t| t.replace("\n\n", " "));
        assert_eq!(at.as_deref(), Some(q.text.as_str()));
    }
}
