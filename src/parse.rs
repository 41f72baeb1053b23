//! Article text in, metadata out (pure functions, no I/O).
//! PLACEHOLDER while the real parser is built on the `parser` branch.

use crate::model::ArticleMetadata;

/// Bumped whenever the parser's output may change, so `reparse` knows what is stale.
pub const PARSER_VERSION: u32 = 1;

pub fn parse_article(text: &str) -> ArticleMetadata {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    ArticleMetadata {
        headline: paragraphs.first().cloned(),
        word_count: paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum(),
        paragraphs,
        ..Default::default()
    }
}
