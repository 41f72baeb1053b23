//! The data types of a library: clippings, their article metadata, credits, tags, notes and highlights.

use serde::{Deserialize, Serialize};

/// Why a person is credited on an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditRole {
    /// Named in the byline ("By A and B").
    Byline,
    /// "Reporting by A in CITY".
    Reporting,
    /// "Editing by C".
    Editing,
    /// "Information for this article was contributed by ...".
    Information,
    /// "... contributed to this report".
    Contributed,
    /// "X reported from Y."
    Reported,
    /// The byline of one item inside a multi-item story ("The Latest").
    ItemByline,
    /// The sign-off of one item inside a multi-item story.
    ItemSignoff,
}

impl CreditRole {
    /// The label used in the JSON output and in the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            CreditRole::Byline => "byline",
            CreditRole::Reporting => "reporting",
            CreditRole::Editing => "editing",
            CreditRole::Information => "information",
            CreditRole::Contributed => "contributed",
            CreditRole::Reported => "reported",
            CreditRole::ItemByline => "item_byline",
            CreditRole::ItemSignoff => "item_signoff",
        }
    }
}

/// A person credited on an article, tied to their own organization where the text says so.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Credit {
    pub name: String,
    pub organization: Option<String>,
    pub role: CreditRole,
    pub location: Option<String>,
}

/// Everything the parser takes from an article's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMetadata {
    pub headline: Option<String>,
    pub deck: Option<String>,
    /// Distinct photo captions, in order of first appearance, each whole as printed.
    pub captions: Vec<String>,
    /// Credit-only photo lines ("AP file photo", "Photo by Josh Snyder").
    pub photo_credits: Vec<String>,
    /// The place words of the dateline, as printed ("NAIROBI, Kenya").
    pub dateline: Option<String>,
    /// The wire tag of the dateline ("AP", "Reuters").
    pub dateline_source: Option<String>,
    /// People named in the byline.
    pub authors: Vec<String>,
    /// Organizations credited without a person ("By Associated Press").
    pub organizations: Vec<String>,
    /// Every credited person, in order.
    pub contributors: Vec<Credit>,
    /// A section or page label printed in the text ("A Section", "Page 1A").
    pub section: Option<String>,
    /// The article's date (ISO), only where the text states it with a year.
    pub published: Option<String>,
    /// The article body, one entry per paragraph.
    pub paragraphs: Vec<String>,
    /// Web boilerplate separated from the body, kept so nothing is lost.
    pub boilerplate: Vec<String>,
    pub word_count: usize,
}

impl ArticleMetadata {
    /// Minutes to read the body at 230 words a minute, at least one for any text.
    pub fn reading_minutes(&self) -> usize {
        if self.word_count == 0 {
            0
        } else {
            self.word_count.div_ceil(230)
        }
    }
}
