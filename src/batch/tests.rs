use super::*;
use crate::decode::decode;

type Article = Result<(usize, String, ArticleMetadata, BatchSource), Malformed>;

/// Every article of a batch, decoded from bytes as an import would: (number, text, metadata,
/// source) or the malformed report.
fn articles(bytes: &[u8]) -> (Database, Vec<Article>) {
    let decoded = decode(bytes).expect("decodes");
    let batch = split(&decoded.text).expect("a batch");
    let out = batch
        .articles
        .iter()
        .map(|a| {
            let a = a.clone()?;
            let (db, fields) = read(&a.text).expect("fields");
            let meta = crate::parse::parse_article(&a.text);
            let source = source_of(db, &fields, "batch", a.number, batch.total);
            Ok((a.number, a.text, meta, source))
        })
        .collect();
    (batch.database, out)
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn check_lexis(bytes: &[u8]) {
    let (db, arts) = articles(bytes);
    assert_eq!(db, Database::LexisNexis);
    assert_eq!(arts.len(), 3);
    let Ok((n, text, m, src)) = &arts[0] else {
        panic!("first: {:?}", arts[0])
    };
    assert_eq!(*n, 1);
    assert!(
        !text.contains("DOCUMENTS") && !text.contains("Download Request"),
        "{text}"
    );
    assert_eq!(m.headline, s("Holyrood election date set for May"));
    assert_eq!(m.publication, s("The Guardian (London)"));
    assert_eq!(m.published, s("2010-01-11"));
    assert_eq!(m.authors, strings(&["Severin Carrell"]));
    assert_eq!(m.section, s("HOME NEWS"));
    assert_eq!(m.dateline, s("Edinburgh"));
    assert_eq!(m.deck, None);
    assert_eq!(m.paragraphs.len(), 2, "{:?}", m.paragraphs);
    assert!(m.paragraphs[0].starts_with("The Scottish parliament"));
    assert!(
        m.boilerplate
            .iter()
            .any(|b| b == "LOAD-DATE: January 12, 2010")
    );
    assert!(
        m.boilerplate
            .iter()
            .any(|b| b == "Copyright 2010 Guardian Newspapers Limited")
    );
    assert_eq!(src.page, s("6"));
    assert_eq!(src.edition, s("Edition 1; Scotland"));
    assert_eq!(src.length, s("677 words"));
    assert_eq!(src.language, s("ENGLISH"));
    assert_eq!(src.subjects, strings(&["ELECTIONS", "POLITICS"]));
    assert_eq!(
        src.places,
        strings(&["EDINBURGH, SCOTLAND", "UNITED KINGDOM"])
    );
    assert_eq!(src.doc_id, None);
    assert_eq!((src.position, src.total), (1, 3));
    assert_eq!(
        tags_of(src),
        strings(&[
            "subject/Elections",
            "subject/Politics",
            "place/Edinburgh, Scotland",
            "place/United Kingdom"
        ])
    );

    let Ok((n, _, m, src)) = &arts[1] else {
        panic!("second: {:?}", arts[1])
    };
    assert_eq!(*n, 2);
    assert_eq!(
        m.headline,
        s("Zürich bank hires José Müller as chief economist")
    );
    assert_eq!(m.publication, s("The Times (London)"));
    assert_eq!(m.published, s("2010-02-03"));
    assert!(m.authors.is_empty(), "{:?}", m.authors);
    assert_eq!(m.section, s("BUSINESS"));
    assert_eq!(m.dateline, None);
    assert_eq!(
        m.deck,
        s("The hire ends a six-month search for a successor")
    );
    assert_eq!(m.paragraphs.len(), 2);
    assert!(m.paragraphs[1].contains("Søren Ødegaard"));
    assert_eq!(src.page, s("41"));
    assert_eq!(src.edition, None);
    assert_eq!(src.length, s("312 words"));
    assert_eq!(src.language, s("ENGLISH"));
    assert!(src.subjects.is_empty() && src.places.is_empty());

    assert_eq!(arts[2].as_ref().err().map(|m| m.number), Some(3));
}

#[test]
fn lexis_plain_text_in_every_encoding() {
    use samples::*;
    check_lexis(LEXIS.as_bytes());
    check_lexis(crlf(LEXIS).as_bytes());
    check_lexis(&utf8_bom(LEXIS));
    check_lexis(&windows_1252(LEXIS));
}

#[test]
fn the_same_document_has_the_same_text_in_two_batches() {
    // Another download: other cover, other numbering, the Times article first.
    let second = samples::LEXIS
        .find("                              2 of 3")
        .expect("doc 2");
    let third = samples::LEXIS
        .find("                              3 of 3")
        .expect("doc 3");
    let other = format!(
        "Download Request: All Documents\nTerms: zurich\n\n                              1 of 1 DOCUMENT\n{}",
        &samples::LEXIS[second + 48..third]
    );
    let a = split(samples::LEXIS).expect("batch");
    let b = split(&other).expect("batch");
    let a2 = a.articles[1].as_ref().expect("ok");
    let b1 = b.articles[0].as_ref().expect("ok");
    assert_eq!(
        crate::library::clipping_id(&a2.text),
        crate::library::clipping_id(&b1.text)
    );
}

#[test]
fn nexis_uni_docx() {
    let (db, arts) = articles(&samples::nexis_docx());
    assert_eq!(db, Database::NexisUni);
    assert_eq!(arts.len(), 2);
    let Ok((_, text, m, src)) = &arts[0] else {
        panic!("{:?}", arts[0])
    };
    assert!(!text.contains("Job Number"), "{text}");
    assert_eq!(m.headline, s("Ärzte warnen vor Hitzewelle"));
    assert_eq!(m.publication, s("Süddeutsche Zeitung"));
    assert_eq!(m.published, s("2021-03-05"));
    assert_eq!(m.authors, strings(&["Jörg Häring", "Anne-Sophie Lefèvre"]));
    assert_eq!(m.section, s("PANORAMA"));
    assert_eq!(m.dateline, s("MÜNCHEN"));
    assert_eq!(m.paragraphs.len(), 2, "{:?}", m.paragraphs);
    assert!(m.boilerplate.iter().any(|b| b == "End of Document"));
    assert_eq!(src.page, s("12"));
    assert_eq!(src.edition, s("Bayern Edition"));
    assert_eq!(src.length, s("420 words"));
    assert_eq!(src.language, s("GERMAN"));
    assert_eq!(src.subjects, strings(&["HEAT WAVES", "PUBLIC HEALTH"]));
    assert_eq!(
        src.places,
        strings(&["MUNICH, GERMANY", "BAVARIA, GERMANY"])
    );
    assert_eq!((src.position, src.total), (1, 2));

    let Ok((_, _, m, src)) = &arts[1] else {
        panic!("{:?}", arts[1])
    };
    assert_eq!(m.headline, s("Port strike ends after three days"));
    assert_eq!(m.publication, s("The Irish Times"));
    assert_eq!(m.published, s("2021-03-06"));
    assert!(m.authors.is_empty());
    assert_eq!(m.section, None);
    assert_eq!(m.paragraphs.len(), 1);
    assert_eq!(src.page, None);
    assert_eq!(src.edition, None);
    assert_eq!(src.length, s("150 words"));
    assert_eq!(src.language, s("ENGLISH"));
    assert!(src.subjects.is_empty() && src.places.is_empty());
}

fn check_factiva(bytes: &[u8]) {
    let (db, arts) = articles(bytes);
    assert_eq!(db, Database::Factiva);
    assert_eq!(arts.len(), 2);
    let Ok((_, text, m, src)) = &arts[0] else {
        panic!("{:?}", arts[0])
    };
    assert!(text.starts_with("HD"), "{text}");
    assert_eq!(m.headline, s("Banks brace for tougher capital rules"));
    assert_eq!(m.publication, s("Financial Times"));
    assert_eq!(m.published, s("2010-01-11"));
    assert_eq!(m.authors, strings(&["Ángela Núñez"]));
    assert_eq!(m.section, s("Companies"));
    assert_eq!(m.dateline, None);
    assert_eq!(m.paragraphs.len(), 3, "{:?}", m.paragraphs);
    assert!(m.paragraphs[1].starts_with("IN 2009, the banks"));
    assert!(m.boilerplate.iter().any(|b| b.starts_with("CO ")));
    assert_eq!(src.doc_id, s("FTFTA00020100111e61b0001x"));
    assert_eq!(src.page, s("17"));
    assert_eq!(src.edition, s("London Ed1"));
    assert_eq!(src.length, s("540 words"));
    assert_eq!(src.language, s("English"));
    assert_eq!(src.subjects, strings(&["Funding/Capital", "Content Types"]));
    assert_eq!(src.places, strings(&["Europe", "United Kingdom"]));
    assert!(tags_of(src).contains(&"subject/Funding-Capital".to_string()));

    let Ok((_, _, m, src)) = &arts[1] else {
        panic!("{:?}", arts[1])
    };
    assert_eq!(m.headline, s("Retail sales rise in December"));
    assert_eq!(m.publication, s("The Wall Street Journal"));
    assert_eq!(m.published, s("2010-01-12"));
    assert!(m.authors.is_empty());
    assert_eq!(m.section, None);
    assert_eq!(m.paragraphs.len(), 2);
    assert_eq!(src.doc_id, s("J000000020100112e61c0000a"));
    assert_eq!(src.page, s("A4"));
    assert_eq!(src.edition, None);
    assert_eq!(src.length, s("210 words"));
    assert_eq!(src.subjects, strings(&["Economic News"]));
    assert_eq!(src.places, strings(&["United States"]));
}

#[test]
fn factiva_text_and_rtf() {
    use samples::*;
    check_factiva(FACTIVA.as_bytes());
    check_factiva(crlf(FACTIVA).as_bytes());
    check_factiva(&windows_1252(FACTIVA));
    check_factiva(&utf8_bom(FACTIVA));
    check_factiva(factiva_rtf().as_bytes());
}

#[test]
fn ordinary_articles_are_not_batches() {
    assert!(split(crate::sample::SEED_TEXT).is_none());
    assert!(split("In brief\n\nLENGTH: of the bridge is 40 m.\n").is_none());
    assert!(parse_stored("HD is a format.\n\nThe text goes on.").is_none());
}

#[test]
fn dates_sections_and_lists() {
    assert_eq!(
        parse_date("January 11, 2010 Monday").as_deref(),
        Some("2010-01-11")
    );
    assert_eq!(parse_date("11 January 2010").as_deref(), Some("2010-01-11"));
    assert_eq!(parse_date("Sept. 3, 2015").as_deref(), Some("2015-09-03"));
    assert_eq!(parse_date("Copyright 2010 Guardian"), None);
    assert_eq!(parse_date("Holyrood election date set"), None);
    assert_eq!(section_and_page("FEATURES; Pg. 6"), (s("FEATURES"), s("6")));
    assert_eq!(section_and_page("NEWS"), (s("NEWS"), None));
    assert_eq!(list_values("A (90%); B (1%); A"), strings(&["A", "B"]));
}

#[test]
fn factiva_full_article_layout_without_codes() {
    for bytes in [
        samples::FACTIVA_FULL.as_bytes().to_vec(),
        samples::windows_1252(samples::FACTIVA_FULL),
    ] {
        let (db, arts) = articles(&bytes);
        assert_eq!(db, Database::Factiva);
        assert_eq!(arts.len(), 2);
        let Ok((_, text, m, src)) = &arts[0] else {
            panic!("{:?}", arts[0])
        };
        assert!(text.starts_with("Banks brace"), "{text}");
        assert_eq!(m.headline, s("Banks brace for tougher capital rules"));
        assert_eq!(m.publication, s("Financial Times"));
        assert_eq!(m.published, s("2010-01-11"));
        assert_eq!(m.authors, strings(&["Ángela Núñez"]));
        assert_eq!(m.section, None);
        assert_eq!(m.paragraphs.len(), 2, "{:?}", m.paragraphs);
        assert_eq!(src.doc_id, s("FTFTA00020100111e61b0001x"));
        assert_eq!(src.page, s("17"));
        assert_eq!(src.edition, s("London Ed1"));
        assert_eq!(src.length, s("540 words"));
        assert_eq!(src.language, s("English"));

        let Ok((_, _, m, src)) = &arts[1] else {
            panic!("{:?}", arts[1])
        };
        assert_eq!(m.headline, s("Retail sales rise in December"));
        assert_eq!(m.publication, s("The Wall Street Journal"));
        assert_eq!(m.published, s("2010-01-12"));
        assert!(m.authors.is_empty());
        assert_eq!(m.paragraphs.len(), 1);
        assert_eq!(src.doc_id, s("J000000020100112e61c0000a"));
        assert_eq!((src.page.clone(), src.edition.clone()), (None, None));
        assert_eq!(src.length, s("210 words"));
        assert_eq!(src.language, s("English"));
    }
}

#[test]
fn a_lexis_article_is_known_by_two_labels_each_opening_a_line() {
    let two = "Harbour fees rise\n\nBYLINE: Ann Lee\nSECTION: BUSINESS; Pg. 4\n\nThe port said.";
    assert!(lexis::looks_like(two));
    // One label is a sentence that happens to start so, not a record.
    let one = "Harbour fees rise\n\nSECTION: BUSINESS\n\nThe port said fees rise.";
    assert!(!lexis::looks_like(one));
    // The same label twice counts once.
    let same = "Fees\nSECTION: A\nSECTION: B\n\nText.";
    assert!(!lexis::looks_like(same));
    // A label inside a line, or on the first line (no line before it), is not a label line.
    let inside = "BYLINE: Ann Lee\nThe memo read LENGTH: 300 words and SECTION: A.";
    assert!(!lexis::looks_like(inside));
    let first_and_next = "BYLINE: Ann Lee\nLENGTH: 300 words\nLANGUAGE: ENGLISH";
    assert!(lexis::looks_like(first_and_next));
}

#[test]
fn a_text_without_any_batch_mark_is_no_batch_whatever_else_it_holds() {
    // Lines that look like a database's fields, but no document marks: not a batch.
    let text = "HD harbour\nBYLINE: Ann Lee\nSECTION: BUSINESS\n\nBody\n\nThe port said.\n";
    assert!(split(text).is_none());
    // With the marks, the same fields make one.
    let lexis = "1 of 1 DOCUMENT\n\nHarbour fees rise\n\nBYLINE: Ann Lee\nSECTION: BUSINESS\n\nLENGTH: 40 words\n\nThe port said fees rise.\n";
    assert!(split(lexis).is_some());
}
