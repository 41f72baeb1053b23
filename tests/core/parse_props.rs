//! Property tests: the parser never panics and keeps its invariants on arbitrary text and on
//! real article lines shuffled and mutated.

use std::sync::LazyLock;

use clipfile::model::ArticleMetadata;
use clipfile::parse::parse_article;
use proptest::prelude::*;

/// Lines of every corpus article and the seed.
static CORPUS_LINES: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(root.join("tests/corpus/articles"))
        .expect("corpus directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.push(root.join("seeds/000_41805ab46882eb0b.txt"));
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .expect("read article")
                .split('\n')
                .map(str::to_string)
                .collect()
        })
        .collect()
});

fn check_invariants(m: &ArticleMetadata) -> Result<(), TestCaseError> {
    let mut strings: Vec<&str> = Vec::new();
    strings.extend(
        [
            &m.headline,
            &m.deck,
            &m.dateline,
            &m.dateline_source,
            &m.section,
            &m.published,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str),
    );
    for list in [
        &m.captions,
        &m.photo_credits,
        &m.authors,
        &m.organizations,
        &m.paragraphs,
        &m.boilerplate,
    ] {
        strings.extend(list.iter().map(String::as_str));
    }
    for c in &m.contributors {
        strings.push(&c.name);
        strings.extend(c.organization.as_deref());
        strings.extend(c.location.as_deref());
    }
    for s in strings {
        prop_assert!(!s.trim().is_empty(), "empty output string in {m:?}");
    }
    for c in &m.captions {
        prop_assert!(
            !m.paragraphs.iter().any(|p| p == c.trim()),
            "caption {c:?} is also a body paragraph"
        );
    }
    let words: usize = m
        .paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    prop_assert_eq!(m.word_count, words);
    if let Some(d) = &m.published {
        let b = d.as_bytes();
        prop_assert!(
            b.len() == 10 && b[4] == b'-' && b[7] == b'-',
            "published {d:?} is not ISO"
        );
    }
    let mut authors = m.authors.clone();
    authors.sort();
    authors.dedup();
    prop_assert_eq!(authors.len(), m.authors.len(), "authors are distinct");
    Ok(())
}

/// One edit of a list of lines.
#[derive(Debug, Clone)]
enum Edit {
    Drop(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Insert(usize, usize, String),
    Blank(usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Drop),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (
            any::<usize>(),
            any::<usize>(),
            "(\\PC|[—–-]|\\(|\\)|:|\\||©|°|\\n){1,8}"
        )
            .prop_map(|(l, c, s)| Edit::Insert(l, c, s)),
        any::<usize>().prop_map(Edit::Blank),
    ]
}

fn apply(lines: &mut Vec<String>, edit: &Edit) {
    if lines.is_empty() {
        return;
    }
    let n = lines.len();
    match edit {
        Edit::Drop(i) => {
            lines.remove(i % n);
        }
        Edit::Duplicate(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Edit::Swap(a, b) => lines.swap(a % n, b % n),
        Edit::Insert(i, c, s) => {
            let line = &mut lines[i % n];
            let boundaries: Vec<usize> = line
                .char_indices()
                .map(|(k, _)| k)
                .chain(std::iter::once(line.len()))
                .collect();
            let at = boundaries[c % boundaries.len()];
            line.insert_str(at, s);
        }
        Edit::Blank(i) => lines.insert(i % n, String::new()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        check_invariants(&parse_article(&s))?;
    }

    #[test]
    fn arbitrary_lines(lines in prop::collection::vec("\\PC{0,80}", 0..40)) {
        check_invariants(&parse_article(&lines.join("\n")))?;
    }

    #[test]
    fn long_lines(line in "\\PC{2000,6000}", repeat in 1usize..4) {
        let text = vec![line; repeat].join("\n");
        check_invariants(&parse_article(&text))?;
    }

    #[test]
    fn article_like_fragments(parts in prop::collection::vec(prop_oneof![
        Just("By ".to_string()),
        Just("(AP) — ".to_string()),
        Just("MOSCOW -- ".to_string()),
        Just("Nov. 27, 2015".to_string()),
        Just("(Reporting by ".to_string()),
        Just("; Editing by ".to_string()),
        Just(" contributed to this report.".to_string()),
        Just(" reported from ".to_string()),
        Just("Information for this article was contributed by ".to_string()),
        Just(" of The Associated Press".to_string()),
        Just("Copyright 2015 ".to_string()),
        Just("— ".to_string()),
        Just("photo".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        "[A-Z][a-z]{1,8} [A-Z][a-z]{1,8}",
        "\\PC{0,20}",
    ], 0..40)) {
        check_invariants(&parse_article(&parts.concat()))?;
    }

    #[test]
    fn corpus_lines_mutated(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit_strategy(), 0..12),
    ) {
        let mut lines = file.get(&CORPUS_LINES).clone();
        for e in &edits {
            apply(&mut lines, e);
        }
        check_invariants(&parse_article(&lines.join("\n")))?;
    }

    #[test]
    fn corpus_lines_shuffled_across_files(
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..60),
    ) {
        let lines: Vec<&str> = picks
            .iter()
            .filter_map(|(f, l)| {
                let file = f.get(&CORPUS_LINES);
                (!file.is_empty()).then(|| l.get(file).as_str())
            })
            .collect();
        check_invariants(&parse_article(&lines.join("\n")))?;
    }
}

#[test]
fn parse_is_deterministic_on_corpus() {
    for lines in CORPUS_LINES.iter() {
        let text = lines.join("\n");
        assert_eq!(parse_article(&text), parse_article(&text));
    }
}
