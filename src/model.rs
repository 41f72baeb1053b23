//! The data types of a library: clippings, their article metadata, credits, tags, notes and highlights.

use std::collections::BTreeMap;

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
    /// The newspaper, magazine, broadcaster or site that published this copy, as the text
    /// names it (masthead, "© 2015 Arkansas Democrat-Gazette"). A wire that only supplied the
    /// story is not the publication.
    #[serde(default)]
    pub publication: Option<String>,
    /// Where each parsed field came from: its character range (start, end; counted in
    /// `char`s) in the article text. Empty for metadata not made by the parser.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<Field, (usize, usize)>,
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

/// The version of the clipping and library file formats this build writes and reads.
/// A file with a larger number was written by a newer Clipfile and is left alone.
pub const FORMAT_VERSION: u32 = 1;

/// A metadata field the reader may correct by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Headline,
    Deck,
    Dateline,
    DatelineSource,
    Section,
    Published,
    Publication,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Headline,
        Field::Deck,
        Field::Publication,
        Field::Dateline,
        Field::DatelineSource,
        Field::Section,
        Field::Published,
    ];

    /// The label shown next to the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::Headline => "Headline",
            Field::Deck => "Deck",
            Field::Dateline => "Dateline",
            Field::DatelineSource => "Wire",
            Field::Section => "Section",
            Field::Published => "Published",
            Field::Publication => "Publication",
        }
    }

    /// The parsed value of this field.
    pub fn get(self, meta: &ArticleMetadata) -> Option<&str> {
        match self {
            Field::Headline => meta.headline.as_deref(),
            Field::Deck => meta.deck.as_deref(),
            Field::Dateline => meta.dateline.as_deref(),
            Field::DatelineSource => meta.dateline_source.as_deref(),
            Field::Section => meta.section.as_deref(),
            Field::Published => meta.published.as_deref(),
            Field::Publication => meta.publication.as_deref(),
        }
    }

    fn slot(self, meta: &mut ArticleMetadata) -> &mut Option<String> {
        match self {
            Field::Headline => &mut meta.headline,
            Field::Deck => &mut meta.deck,
            Field::Dateline => &mut meta.dateline,
            Field::DatelineSource => &mut meta.dateline_source,
            Field::Section => &mut meta.section,
            Field::Published => &mut meta.published,
            Field::Publication => &mut meta.publication,
        }
    }
}

/// A reader's corrections of parsed fields. They are kept apart from the parse, so a re-parse
/// (after a parser upgrade) never loses them. `Some("")` means "cleared by the reader".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overrides {
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fields: std::collections::BTreeMap<Field, String>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The parsed metadata with the reader's corrections applied.
    pub fn apply(&self, parsed: &ArticleMetadata) -> ArticleMetadata {
        let mut meta = parsed.clone();
        for (field, value) in &self.fields {
            let value = value.trim();
            *field.slot(&mut meta) = (!value.is_empty()).then(|| value.to_string());
        }
        meta
    }
}

/// Highlight colors offered to the reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HighlightColor {
    #[default]
    Yellow,
    Green,
    Blue,
    Pink,
}

impl HighlightColor {
    pub const ALL: [HighlightColor; 4] = [
        HighlightColor::Yellow,
        HighlightColor::Green,
        HighlightColor::Blue,
        HighlightColor::Pink,
    ];

    pub fn name(self) -> &'static str {
        match self {
            HighlightColor::Yellow => "yellow",
            HighlightColor::Green => "green",
            HighlightColor::Blue => "blue",
            HighlightColor::Pink => "pink",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A highlighted passage, anchored the way W3C Web Annotation does it: the exact quote with the
/// text around it (TextQuoteSelector) and character offsets (TextPositionSelector) into the
/// clipping's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub id: String,
    pub quote: String,
    /// Up to 32 characters of text just before the quote.
    pub prefix: String,
    /// Up to 32 characters of text just after the quote.
    pub suffix: String,
    /// Offset of the quote's first character, in characters.
    pub start: usize,
    /// Offset just past the quote's last character, in characters.
    pub end: usize,
    pub color: HighlightColor,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub created: String,
    /// True when the quote could no longer be found in the text: kept, listed apart.
    #[serde(default)]
    pub orphan: bool,
    /// How the highlight was last anchored: where the quote was, elsewhere, approximately, or
    /// not at all (then `orphan` is true too).
    #[serde(default, skip_serializing_if = "AnchorState::is_exact")]
    pub anchor_state: AnchorState,
    /// The quote as the reader highlighted it, kept when re-anchoring changed `quote`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub original_quote: String,
    /// For an orphan: the best places the quote might be now, for the reader to choose from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<AnchorCandidate>,
    /// The id of the clipping this highlight was copied from (another version of the story).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copied_from: Option<String>,
}

/// How a highlight's quote was found when its text last changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorState {
    /// The quote is where it was made (or the text never changed).
    #[default]
    Exact,
    /// The same quote, elsewhere in the text.
    Moved,
    /// A passage that differs a little from the quote (a typo fixed, quotes made curly).
    Fuzzy,
    /// Not found, or found in two places that score alike: not placed.
    Orphan,
}

impl AnchorState {
    pub fn is_exact(&self) -> bool {
        *self == AnchorState::Exact
    }

    pub fn name(self) -> &'static str {
        match self {
            AnchorState::Exact => "exact",
            AnchorState::Moved => "moved",
            AnchorState::Fuzzy => "fuzzy",
            AnchorState::Orphan => "orphan",
        }
    }
}

/// A place an orphaned highlight's quote might be now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorCandidate {
    pub start: usize,
    pub end: usize,
    /// The text there.
    pub text: String,
    /// How well it matches, 0–100.
    pub score: u32,
}

/// One article in the library, as stored in `clippings/<id>.ron` beside its text in
/// `clippings/<id>.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clipping {
    pub format: u32,
    /// Hash of the normalised text: the same article imported twice has the same id.
    pub id: String,
    /// The name of the file it was imported from.
    pub source_name: String,
    /// The encoding the file was read in.
    pub encoding: String,
    /// When it was imported, ISO 8601 UTC.
    pub imported: String,
    /// Which parser produced `parsed`.
    pub parser_version: u32,
    /// What the parser found; the body paragraphs are not stored (the text is).
    pub parsed: ArticleMetadata,
    #[serde(default)]
    pub overrides: Overrides,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub highlights: Vec<Highlight>,
    /// Where a clipping from a news database's batch download came from, with the database
    /// fields the article metadata has no place for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<BatchSource>,
}

/// A news database whose batch downloads are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Database {
    LexisNexis,
    NexisUni,
    Factiva,
}

impl Database {
    pub fn name(self) -> &'static str {
        match self {
            Database::LexisNexis => "LexisNexis",
            Database::NexisUni => "Nexis Uni",
            Database::Factiva => "Factiva",
        }
    }
}

/// The database fields of an article imported from a batch download, as the database gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSource {
    pub database: Database,
    /// The database's own document id (Factiva's accession number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_id: Option<String>,
    /// The name of the batch file, and the article's place in it (1-based) of `total`.
    pub batch_file: String,
    pub position: usize,
    pub total: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// The length as the database gives it ("677 words").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
}

impl Clipping {
    /// Parsed metadata with the reader's corrections applied.
    pub fn metadata(&self) -> ArticleMetadata {
        self.overrides.apply(&self.parsed)
    }

    /// The value shown for one field: the override when there is one, else the parse.
    pub fn field(&self, field: Field) -> Option<&str> {
        match self.overrides.fields.get(&field) {
            Some(v) if v.trim().is_empty() => None,
            Some(v) => Some(v.trim()),
            None => field.get(&self.parsed),
        }
    }

    /// The headline to show in lists: the effective headline, else the file name.
    pub fn title(&self) -> &str {
        self.field(Field::Headline).unwrap_or(&self.source_name)
    }

    pub fn is_edited(&self, field: Field) -> bool {
        self.overrides.fields.contains_key(&field)
    }
}

/// A new highlight id: the time in nanoseconds, made unique within the process.
pub fn new_highlight_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let id = LAST
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(now.max(last + 1))
        })
        .map_or(now, |last| now.max(last + 1));
    format!("h{id:x}")
}

/// Format seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format_utc(secs)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The one normal form in which organization names are compared (filters, facets, exports):
/// "ASSOCIATED PRESS", "Associated PRess", "The Associated Press" and "AP" are one organization.
/// The name as printed stays in the record; this is only the key it is compared by.
pub fn organization_key(name: &str) -> String {
    let name: String = name.chars().filter(|&c| c != '.').collect();
    let mut words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '\u{2019}' | '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    let joined = words.join(" ");
    match joined.as_str() {
        "ap" | "associated press" | "the associated press" => "associated press".to_string(),
        "afp" | "agence france-presse" | "agence france presse" => {
            "agence france-presse".to_string()
        }
        "reuters" | "thomson reuters" | "reuters staff" => "reuters".to_string(),
        _ => joined,
    }
}

/// The name to show for an organization: the known wires in their usual form, anything else
/// as printed (trimmed).
pub fn organization_display(name: &str) -> String {
    match organization_key(name).as_str() {
        "associated press" => "Associated Press".to_string(),
        "agence france-presse" => "Agence France-Presse".to_string(),
        "reuters" => "Reuters".to_string(),
        _ => name.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// The id of a clipping (the hash of its text, see `library::clipping_id`), as the edit layer
/// and the app's actions name their target.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClipId(pub String);

/// The id of a highlight within its clipping (see [`new_highlight_id`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HighlightId(pub String);

macro_rules! string_id {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }
        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_string())
            }
        }
        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                $name(id.clone())
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }
    };
}
string_id!(ClipId);
string_id!(HighlightId);

impl Clipping {
    /// This clipping's id as the edit layer names it.
    pub fn clip_id(&self) -> ClipId {
        ClipId(self.id.clone())
    }
}

/// Whether two tags are the same tag: tags compare without regard to case ("Russia" is
/// "russia"), after [`normalize_tag`]. A clipping keeps the first spelling it was given.
pub fn same_tag(a: &str, b: &str) -> bool {
    tag_key(a) == tag_key(b)
}

/// The form in which tags are compared: normalized and lowercased.
pub fn tag_key(tag: &str) -> String {
    normalize_tag(tag).to_lowercase()
}

/// Tidy a tag as typed: trimmed, inner white space collapsed, no empty "/" levels.
pub fn normalize_tag(tag: &str) -> String {
    tag.split('/')
        .map(|level| level.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|level| !level.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formatting() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_448_582_400 + 3661), "2015-11-27T01:01:01Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn organization_names_share_one_key() {
        let key = organization_key("ASSOCIATED PRESS");
        for form in ["Associated PRess", "The Associated Press", "AP", "A.P."] {
            assert_eq!(organization_key(form), key, "{form}");
        }
        assert_ne!(organization_key("Press Association"), key);
        assert_eq!(
            organization_display("the associated press"),
            "Associated Press"
        );
        assert_eq!(
            organization_display("  Arkansas  Democrat-Gazette "),
            "Arkansas Democrat-Gazette"
        );
    }

    #[test]
    fn overrides_replace_and_clear() {
        let parsed = ArticleMetadata {
            headline: Some("Parsed".into()),
            deck: Some("Deck".into()),
            ..Default::default()
        };
        let mut o = Overrides::default();
        o.fields.insert(Field::Headline, " Fixed ".into());
        o.fields.insert(Field::Deck, String::new());
        o.fields.insert(Field::Section, "World".into());
        let m = o.apply(&parsed);
        assert_eq!(m.headline.as_deref(), Some("Fixed"));
        assert_eq!(m.deck, None);
        assert_eq!(m.section.as_deref(), Some("World"));
    }
}
