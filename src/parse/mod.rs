//! Article text in, metadata out.
//!
//! The parser works in stages:
//! 1. [`lines::split_units`] cuts the text into units: printed lines, or paragraphs where the
//!    text is hard-wrapped at a fixed width.
//! 2. A first pass marks units that need no context: web boilerplate, copyright footers, photo
//!    labels and credit-only lines, captions printed twice in a row, captions sharing a block
//!    with a credit line, and everything from the start of a comment section on.
//! 3. A single forward pass walks the rest through three phases: before the headline (section
//!    labels, mastheads, date lines), the header (deck, bylines, organization lines, date lines,
//!    captions, the dateline) and the body (paragraphs, credit lines, trailing labels).
//!
//! Every step is a constant number of scans of each unit (regexes are compiled once and run in
//! linear time), so the whole parse is linear in the length of the text.

mod captions;
mod credits;
mod dateline;
mod dates;
mod lines;
mod publication;
pub(crate) mod vocab;

#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::HashSet;

use std::collections::BTreeMap;

use crate::model::{ArticleMetadata, Credit, CreditRole, Field};
use captions::PhotoLine;
use credits::Byline;
use dateline::Dateline;
use lines::{Unit, ends_terminal, normalize_ws, word_count_upto};
use publication::Evidence;

/// Bumped whenever the parser's output may change, so `clipfile reparse` knows what is stale.
pub const PARSER_VERSION: u32 = 4;

/// Parses an article's text (already decoded, LF line endings) into its metadata.
///
/// Pure and total: never panics, and runs in time linear in the length of `text`.
pub fn parse_article(text: &str) -> ArticleMetadata {
    // An article of a news database's batch download: its database fields over this parse.
    if let Some(meta) = crate::batch::parse_stored(text) {
        return meta;
    }
    let units = lines::split_units(text);
    let (mut meta, spans) = Parser::new(&units).run();
    meta.sources = char_ranges(text, spans);
    meta
}

/// Byte ranges of `text` as character ranges, in one walk over the text up to the last of them.
fn char_ranges(
    text: &str,
    spans: BTreeMap<Field, (usize, usize)>,
) -> BTreeMap<Field, (usize, usize)> {
    let mut offsets: Vec<usize> = spans.values().flat_map(|&(a, b)| [a, b]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut chars = BTreeMap::new();
    let (mut byte, mut count) = (0, 0);
    for off in offsets {
        let off = text.floor_char_boundary(off.min(text.len()));
        count += text[byte..off].chars().count();
        byte = off;
        chars.insert(off, count);
    }
    let at = |b: usize| {
        chars
            .get(&text.floor_char_boundary(b.min(text.len())))
            .copied()
            .unwrap_or(0)
    };
    spans
        .into_iter()
        .map(|(f, (a, b))| (f, (at(a), at(b))))
        .collect()
}

/// What the first pass knows about a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unknown,
    Boiler,
    Copyright,
    /// First print of a caption printed two or three times in a row.
    CaptionHead,
    /// A repeated print of the caption before it.
    CaptionCopy,
    /// A caption sharing a small block with a photo credit line.
    BlockCaption,
    /// A photo label or credit-only line.
    Photo,
    /// Already used by an earlier unit.
    Consumed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    PreHeadline,
    Header,
    Body,
}

struct Parser<'u, 'a> {
    units: &'u [Unit<'a>],
    kind: Vec<Kind>,
    /// Per block: a widget block of short label lines.
    widget_block: Vec<bool>,
    out: ArticleMetadata,
    phase: Phase,
    captions_seen: HashSet<String>,
    orgs_seen: HashSet<String>,
    credits_seen: HashSet<Credit>,
    authors_seen: HashSet<String>,
    /// Byte length of the longest name in `authors_seen`: longer text is never looked up.
    longest_author: usize,
    source_org: Option<String>,
    /// Contributors of the byline just read, waiting for an organization line.
    pending_affiliation: Vec<usize>,
    deck_allowed: bool,
    expect_caption: bool,
    dateline_done: bool,
    /// The publication named so far, with how strongly the text names it.
    publication: Option<(Evidence, String)>,
    /// The unit being read.
    cur: usize,
    /// Byte range in the text of the unit each field was taken from.
    spans: BTreeMap<Field, (usize, usize)>,
    /// Datelines already looked for, by unit: the header and the first-pass block rules ask
    /// about the same units again, and a dateline match is one of the costlier regex runs.
    datelines: RefCell<Vec<Option<Option<Dateline>>>>,
}

impl<'u, 'a> Parser<'u, 'a> {
    fn new(units: &'u [Unit<'a>]) -> Self {
        Parser {
            units,
            kind: vec![Kind::Unknown; units.len()],
            widget_block: Vec::new(),
            out: ArticleMetadata::default(),
            phase: Phase::PreHeadline,
            captions_seen: HashSet::new(),
            orgs_seen: HashSet::new(),
            credits_seen: HashSet::new(),
            authors_seen: HashSet::new(),
            longest_author: 0,
            source_org: None,
            pending_affiliation: Vec::new(),
            deck_allowed: false,
            expect_caption: false,
            dateline_done: false,
            publication: None,
            cur: 0,
            spans: BTreeMap::new(),
            datelines: RefCell::new(vec![None; units.len()]),
        }
    }

    fn text(&self, i: usize) -> &'u str {
        &self.units[i].text
    }

    /// [`dateline::parse_dateline`] of unit `i`, computed once.
    fn dateline(&self, i: usize) -> Option<Dateline> {
        let mut cache = self.datelines.borrow_mut();
        match cache.get_mut(i) {
            Some(slot) => slot
                .get_or_insert_with(|| dateline::parse_dateline(self.text(i)))
                .clone(),
            None => dateline::parse_dateline(self.text(i)),
        }
    }

    fn run(mut self) -> (ArticleMetadata, BTreeMap<Field, (usize, usize)>) {
        self.premark();
        for i in 0..self.units.len() {
            self.cur = i;
            self.step(i);
        }
        self.finish()
    }

    /// Remembers that `field` came from the unit being read.
    fn mark(&mut self, field: Field) {
        if let Some(u) = self.units.get(self.cur) {
            self.spans.insert(field, u.span);
        }
    }

    /// Remembers that `field` came from `part`, a piece of the unit being read (the whole unit
    /// where the unit is joined from several lines).
    fn mark_part(&mut self, field: Field, part: &str) {
        let Some(u) = self.units.get(self.cur) else {
            return;
        };
        let whole: &str = &u.text;
        let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        let span = match u.text {
            std::borrow::Cow::Borrowed(_) if start <= whole.len() => (
                u.span.0 + start,
                (u.span.0 + start + part.len()).min(u.span.1),
            ),
            _ => u.span,
        };
        self.spans.insert(field, span);
    }

    /// The first pass: everything that can be decided from a unit and its neighbours alone.
    fn premark(&mut self) {
        let n = self.units.len();
        for i in 0..n {
            self.cur = i;
            let t = self.text(i);
            self.kind[i] = if vocab::is_copyright(t) {
                Kind::Copyright
            } else if let Some(name) = publication::promo_line(t) {
                self.offer_publication(Evidence::Footer, name);
                Kind::Boiler
            } else if vocab::is_boilerplate(t) {
                Kind::Boiler
            } else if captions::photo_line(t).is_some() {
                Kind::Photo
            } else {
                Kind::Unknown
            };
        }
        // Images saved as Markdown: the alt text is the caption; a plain print of it right
        // after is its copy.
        for i in 0..n {
            if self.kind[i] != Kind::Unknown {
                continue;
            }
            let Some(alt) = captions::md_image(self.text(i)) else {
                continue;
            };
            if alt.is_empty() {
                self.kind[i] = Kind::Boiler;
                continue;
            }
            self.kind[i] = Kind::CaptionHead;
            if let Some(j) = (i + 1 < n).then_some(i + 1)
                && self.kind[j] == Kind::Unknown
                && normalize_ws(self.text(j)) == normalize_ws(alt)
            {
                self.kind[j] = Kind::CaptionCopy;
            }
        }
        // A comment section runs to the end of the text.
        if let Some(start) = (2..n).find(|&i| vocab::is_comment_marker(self.text(i))) {
            self.kind[start..].fill(Kind::Boiler);
        }
        // Captions printed two or three times in a row.
        let mut i = 0;
        while i + 1 < n {
            // A lede printed twice ("CITY (AP) - ..." as teaser and as first paragraph) is
            // not a caption.
            if self.kind[i] == Kind::Unknown
                && self.kind[i + 1] == Kind::Unknown
                && same_print(self.text(i), self.text(i + 1))
                && self.dateline(i).is_none()
            {
                // The print that carries its credit ("...PHOTO: AGENCY") is the caption.
                let credited = self.text(i + 1).len() > self.text(i).len()
                    && captions::label_credit(self.text(i + 1)).is_some();
                self.kind[i] = Kind::CaptionHead;
                self.kind[i + 1] = Kind::CaptionCopy;
                if credited {
                    self.kind.swap(i, i + 1);
                }
                let mut j = i + 2;
                if j < n && self.kind[j] == Kind::Unknown && same_print(self.text(i), self.text(j))
                {
                    self.kind[j] = Kind::CaptionCopy;
                    j += 1;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        // Per block: captions beside a credit line, and widget blocks of short labels.
        let blocks = self.units.last().map_or(0, |u| u.block + 1);
        self.widget_block = vec![false; blocks];
        let mut start = 0;
        while start < n {
            let b = self.units[start].block;
            let mut end = start;
            while end < n && self.units[end].block == b {
                end += 1;
            }
            self.mark_block(start, end);
            start = end;
        }
    }

    fn mark_block(&mut self, start: usize, end: usize) {
        let len = end - start;
        let b = self.units[start].block;
        if len >= 4 {
            let all_short = (start..end).all(|k| {
                let t = self.text(k);
                !vocab::ends_sentence(t) && word_count_upto(t, 5) <= 5
            });
            let any_boiler = (start..end).any(|k| self.kind[k] == Kind::Boiler);
            self.widget_block[b] = all_short && any_boiler;
        }
        if (2..=3).contains(&len) {
            let has_credit = (start..end).any(|k| {
                self.kind[k] == Kind::Photo
                    && matches!(
                        captions::photo_line(self.text(k)),
                        Some(PhotoLine::Credit(_))
                    )
            });
            if has_credit {
                for k in start..end {
                    let t = self.text(k);
                    if self.kind[k] == Kind::Unknown
                        && credits::parse_byline(t).is_none()
                        && self.dateline(k).is_none()
                        && word_count_upto(t, 3) >= 3
                    {
                        self.kind[k] = Kind::BlockCaption;
                    }
                }
            }
        }
    }

    /// The next unit after `i` that is not boilerplate or already used.
    fn next_content(&self, i: usize) -> Option<usize> {
        (i + 1..self.units.len()).find(|&j| {
            !matches!(
                self.kind[j],
                Kind::Boiler | Kind::Copyright | Kind::Consumed | Kind::CaptionCopy
            )
        })
    }

    fn step(&mut self, i: usize) {
        let t = self.text(i);
        let kind = self.kind[i];
        if matches!(
            kind,
            Kind::Boiler | Kind::Copyright | Kind::Consumed | Kind::CaptionCopy
        ) {
            match kind {
                Kind::Boiler => self.boiler(t),
                Kind::Copyright => {
                    let orgs = vocab::copyright_orgs(t);
                    if let Some(name) = publication::from_copyright(&orgs) {
                        self.offer_publication(Evidence::Footer, name);
                    }
                    for org in orgs {
                        self.add_org(org);
                    }
                    self.boiler(t);
                }
                _ => {}
            }
            return;
        }
        let deck_allowed = std::mem::take(&mut self.deck_allowed);
        match kind {
            Kind::Photo => match captions::photo_line(t) {
                Some(PhotoLine::Label) => {
                    self.boiler(t);
                    self.expect_caption = true;
                }
                Some(PhotoLine::Credit(c)) => {
                    self.out.photo_credits.push(c);
                    self.expect_caption = self.units[i].block_len == 1;
                }
                None => {}
            },
            Kind::CaptionHead if self.phase == Phase::PreHeadline && headline_candidate(t) => {
                self.set_headline(t);
            }
            Kind::CaptionHead | Kind::BlockCaption => {
                self.expect_caption = false;
                self.add_caption(t);
            }
            _ => {
                let expect = std::mem::take(&mut self.expect_caption);
                loop {
                    let handled = match self.phase {
                        Phase::PreHeadline => self.pre_headline(i),
                        Phase::Header => self.header(i, deck_allowed, expect),
                        Phase::Body => {
                            self.body(i, expect);
                            true
                        }
                    };
                    if handled {
                        break;
                    }
                }
            }
        }
    }

    /// Before the headline: mastheads, section labels, date lines, widget blocks.
    fn pre_headline(&mut self, i: usize) -> bool {
        let t = self.text(i);
        if self.widget_block[self.units[i].block] {
            self.boiler(t);
            return true;
        }
        if let Some(d) = dates::date_line(t, false) {
            self.set_date(d);
            return true;
        }
        if let Some(b) = credits::parse_byline(t) {
            self.add_byline(b, t, CreditRole::Byline);
            return true;
        }
        // A byline is not the headline a masthead or section label stands above.
        let next_is_headline = self.next_content(i).is_some_and(|j| {
            self.kind[j] != Kind::Photo
                && headline_candidate(self.text(j))
                && credits::parse_byline(self.text(j)).is_none()
        });
        if next_is_headline && (vocab::is_masthead(t) || publication::is_station_name(t)) {
            self.offer_publication(Evidence::NameLine, normalize_ws(t));
            self.boiler(t);
            return true;
        }
        if next_is_headline && section_label(t) {
            self.set_section(normalize_ws(t));
            return true;
        }
        if let Some(p) = dates::page_label(t) {
            self.set_section(p);
            return true;
        }
        // "Business News" / "November 3, 2015" / headline: a short label above a date line
        // that stands above the headline is the section.
        if word_count_upto(t, 4) <= 3
            && section_like(t)
            && let Some(j) = self.next_content(i)
            && dates::date_line(self.text(j), false).is_some()
            && self.next_content(j).is_some_and(|k| {
                let h = self.text(k);
                self.kind[k] == Kind::Unknown
                    && headline_candidate(h)
                    && credits::parse_byline(h).is_none()
                    && dates::date_line(h, false).is_none()
            })
        {
            self.set_section(normalize_ws(t));
            return true;
        }
        if headline_candidate(t) {
            // "Breaking: X" printed above "X".
            if let Some(j) = self.next_content(i)
                && self.kind[j] == Kind::Unknown
            {
                let u = self.text(j);
                if t.len() > u.len() && t.ends_with(u) {
                    let prefix = t[..t.len() - u.len()].trim_end();
                    if prefix.ends_with([':', '|', '-', '–', '—'])
                        && word_count_upto(prefix, 4) <= 4
                    {
                        self.boiler(t);
                        self.kind[j] = Kind::Consumed;
                        self.cur = j;
                        self.set_headline(u);
                        self.cur = i;
                        return true;
                    }
                }
            }
            self.set_headline(t);
            return true;
        }
        self.phase = Phase::Body;
        false
    }

    /// Between the headline and the body: deck, bylines, credits, dates, captions, dateline.
    fn header(&mut self, i: usize, deck_allowed: bool, expect: bool) -> bool {
        let t = self.text(i);
        let pending = std::mem::take(&mut self.pending_affiliation);
        if let Some(d) = self.dateline(i) {
            self.apply_dateline(t, d);
            return true;
        }
        if let Some(b) = credits::parse_byline(t) {
            self.add_byline(b, t, CreditRole::Byline);
            return true;
        }
        // "By [Jane Roe](https://...)": a Markdown byline reads as its link texts.
        if t.len() <= 600
            && t.contains("](")
            && let Some(b) = credits::parse_byline(&clean_paragraph(t))
        {
            self.add_byline(b, t, CreditRole::Byline);
            return true;
        }
        if let Some(b) = credits::name_org_byline(t) {
            self.add_byline(b, t, CreditRole::Byline);
            return true;
        }
        // A name alone, then its organization, title, date or reading time in the same block
        // ("Jane Roe" / "Associated Press").
        if vocab::is_person_name(t, 2)
            && word_count_upto(t, 5) <= 4
            && !vocab::is_org_like(t)
            && !publication::is_wire(t)
            && self.units.get(i + 1).is_some_and(|u| {
                let next = &u.text;
                u.block == self.units[i].block
                    && (self.kind[i + 1] == Kind::Boiler
                        || is_org_line(next)
                        || vocab::is_title_line(next)
                        || dates::date_line(next, false).is_some())
            })
        {
            let b = Byline::Persons {
                names: vec![normalize_ws(t)],
                organization: None,
            };
            self.add_byline(b, t, CreditRole::Byline);
            return true;
        }
        if credits::is_email_line(t) {
            self.boiler(t);
            self.pending_affiliation = pending;
            return true;
        }
        if let Some((b, k)) = credits::byline_then_dateline(t)
            && let Some(d) = dateline::parse_dateline(&t[k..])
        {
            self.add_byline(b, &t[..k], CreditRole::Byline);
            self.apply_dateline(&t[k..], d);
            return true;
        }
        if vocab::is_title_line(t) {
            self.boiler(t);
            self.pending_affiliation = pending;
            return true;
        }
        if let Some(org) = credits::source_line(t) {
            self.source_org.get_or_insert_with(|| org.clone());
            self.add_org(org);
            return true;
        }
        // "Special to The Courier" under a byline: the paper the writer wrote for.
        if let Some(paper) = credits::special_to(t)
            && !pending.is_empty()
        {
            let paper = normalize_ws(paper);
            if let Some(name) = publication::from_byline_org(&paper) {
                self.offer_publication(Evidence::NameLine, name);
            }
            for k in pending {
                if let Some(c) = self.out.contributors.get_mut(k) {
                    c.organization = Some(paper.clone());
                }
            }
            return true;
        }
        if is_org_line(t) {
            let org = vocab::org_without_title(t);
            if let Some(name) = publication::from_byline_org(&vocab::org_without_staff(&org)) {
                self.offer_publication(Evidence::NameLine, name);
            }
            if pending.is_empty() {
                self.add_org(vocab::org_without_staff(&org));
            } else {
                for k in pending {
                    if let Some(c) = self.out.contributors.get_mut(k) {
                        c.organization = Some(org.clone());
                    }
                }
            }
            return true;
        }
        // A caption that says so ("FILE PHOTO: ... October 2, 2015.") is no date line.
        if captions::has_caption_cue(t) {
            self.add_caption(t);
            return true;
        }
        if let Some(d) = dates::date_line(t, false) {
            self.set_date(d);
            if let Some(s) = dates::section_at_end(t) {
                self.set_section(s);
            }
            // "Posted on November 3, 2015 by Jane Roe".
            if let Some(k) = t.rfind(" by ")
                && let Some(b) = credits::parse_byline(&t[k + 1..])
            {
                self.add_byline(b, &t[k + 1..], CreditRole::Byline);
            }
            return true;
        }
        if let Some(b) = credits::names_in_place(t)
            && self
                .next_content(i)
                .is_some_and(|j| dates::date_line(self.text(j), false).is_some())
        {
            self.add_byline(b, t, CreditRole::Byline);
            return true;
        }
        if self.trailing_labels(t) {
            return true;
        }
        if expect || is_caption_like(t, true) {
            self.add_caption(t);
            return true;
        }
        if let Some(place) = dateline::lone_place(t)
            && self
                .next_content(i)
                .is_some_and(|j| self.kind[j] == Kind::Unknown && self.dateline(j).is_none())
        {
            self.out.dateline = Some(place);
            self.mark(Field::Dateline);
            self.dateline_done = true;
            self.phase = Phase::Body;
            return true;
        }
        if deck_allowed && self.deck_ok(i) {
            self.out.deck =
                Some(normalize_ws(credits::strip_emphasis(t))).filter(|d| !d.is_empty());
            self.mark(Field::Deck);
            return true;
        }
        self.phase = Phase::Body;
        false
    }

    /// Whether the unit right after the headline is a deck: a short line that is not a
    /// sentence, or any short paragraph that still stands before the byline or dateline.
    fn deck_ok(&self, i: usize) -> bool {
        let t = self.text(i);
        let words = word_count_upto(t, 40);
        if words == 0 || words > 40 || t.ends_with(':') {
            return false;
        }
        if !ends_terminal(t) && words <= 30 {
            return true;
        }
        let Some(j) = self.next_content(i) else {
            return false;
        };
        match self.kind[j] {
            Kind::CaptionHead | Kind::BlockCaption | Kind::Photo => true,
            Kind::Unknown => {
                let u = self.text(j);
                credits::parse_byline(u).is_some()
                    || self.dateline(j).is_some()
                    || is_org_line(u)
                    || credits::source_line(u).is_some()
                    || dates::date_line(u, false).is_some()
                    || dateline::lone_place(u).is_some()
            }
            _ => false,
        }
    }

    /// Section and date labels that may stand anywhere ("A Section on 11/27/2015", "Page 1A").
    fn trailing_labels(&mut self, t: &str) -> bool {
        if let Some((section, date)) = dates::section_on_date(t) {
            self.set_section(section);
            self.set_date(date);
            return true;
        }
        if let Some(p) = dates::page_label(t) {
            self.set_section(p);
            return true;
        }
        false
    }

    fn body(&mut self, i: usize, expect: bool) {
        let t = self.text(i);
        if !self.dateline_done && self.out.paragraphs.is_empty() {
            if let Some(d) = self.dateline(i) {
                self.apply_dateline(t, d);
                return;
            }
            if let Some(place) = dateline::lone_place(t)
                && self
                    .next_content(i)
                    .is_some_and(|j| self.kind[j] == Kind::Unknown)
            {
                self.out.dateline = Some(place);
                self.mark(Field::Dateline);
                self.dateline_done = true;
                return;
            }
        }
        if let Some(cs) = credits::information(t) {
            self.add_credits(cs);
            return;
        }
        if let Some(b) = credits::parse_byline(t) {
            self.add_byline(b, t, CreditRole::ItemByline);
            return;
        }
        if let Some(c) = credits::signoff(t) {
            self.add_credits(vec![c]);
            return;
        }
        if let Some((cs, orgs)) = credits::contributed(t) {
            self.add_credits(cs);
            for org in orgs {
                self.add_org(org);
            }
            return;
        }
        if let Some(cs) = credits::reported(t) {
            self.add_credits(cs);
            return;
        }
        if expect || is_caption_like(t, false) {
            self.add_caption(t);
            return;
        }
        if self.trailing_labels(t) {
            return;
        }
        if let Some(d) = dates::date_line(t, true) {
            self.set_date(d);
            return;
        }
        if let Some(org) = credits::source_line(t) {
            self.add_org(org);
            return;
        }
        if let Some(org) = vocab::wire_blurb_org(t) {
            self.add_org(org);
            self.boiler(t);
            return;
        }
        if self.is_author_bio(t) {
            self.boiler(t);
            return;
        }
        self.paragraph(t);
    }

    /// An author's name alone, or a paragraph about them ("Name is a reporter ..."), after the
    /// body.
    fn is_author_bio(&self, t: &str) -> bool {
        if self.authors_seen.is_empty() || t.len() > 3000 {
            return false;
        }
        if t.len() <= self.longest_author && self.authors_seen.contains(t) {
            return true;
        }
        // The first " is " in the first 80 bytes, where it can follow a known name at all.
        let head = &t[..t.floor_char_boundary(80.min(self.longest_author + 4))];
        lines::literal!(IS, " is ");
        IS.find(head)
            .is_some_and(|k| self.authors_seen.contains(&t[..k]))
    }

    /// A body paragraph, with credits printed at its end taken off.
    fn paragraph(&mut self, t: &str) {
        let mut end = t.len();
        if let Some((cs, start)) = credits::reuters(t) {
            self.add_credits(cs);
            end = start;
        }
        if let Some((org, start)) = credits::source_tail(&t[..end]) {
            self.add_org(org);
            end = start;
        }
        let p = clean_paragraph(&t[..end]);
        if self.publication.is_none()
            && let Some(name) = publication::self_reference(&p)
        {
            self.offer_publication(Evidence::SelfReference, name);
        }
        if !p.is_empty() {
            self.dateline_done = true;
            self.out.paragraphs.push(p);
        }
    }

    /// Keeps `name` as the publication unless stronger or earlier evidence named one.
    fn offer_publication(&mut self, evidence: Evidence, name: String) {
        if self.publication.as_ref().is_none_or(|(e, _)| evidence < *e) && !name.is_empty() {
            self.publication = Some((evidence, name));
            self.mark(Field::Publication);
        }
    }

    fn apply_dateline(&mut self, t: &str, d: Dateline) {
        if let Some(s) = &d.source
            && publication::is_call_letters(s)
        {
            self.offer_publication(Evidence::Dateline, s.clone());
        }
        self.out.dateline = Some(d.place).filter(|p| !p.is_empty());
        self.out.dateline_source = d.source.filter(|s| !s.is_empty());
        let head = t.get(..d.rest).unwrap_or(t);
        self.mark_part(Field::Dateline, head);
        if self.out.dateline_source.is_some() {
            self.mark_part(Field::DatelineSource, head);
        }
        if let Some(date) = d.date {
            self.set_date(date);
        }
        self.dateline_done = true;
        self.phase = Phase::Body;
        self.paragraph(t.get(d.rest..).unwrap_or(""));
    }

    fn set_headline(&mut self, t: &str) {
        let h = normalize_ws(strip_md_heading(t));
        if h.is_empty() {
            return;
        }
        if let Some(section) = headline_section(&h) {
            self.set_section(section);
        }
        self.out.headline = Some(h);
        self.mark(Field::Headline);
        self.phase = Phase::Header;
        self.deck_allowed = true;
    }

    fn set_section(&mut self, s: String) {
        if self.out.section.is_none() && !s.is_empty() {
            self.out.section = Some(s);
            self.mark(Field::Section);
        }
    }

    fn set_date(&mut self, d: String) {
        if self.out.published.is_none() && !d.is_empty() {
            self.out.published = Some(d);
            self.mark(Field::Published);
        }
    }

    fn boiler(&mut self, t: &str) {
        let b = normalize_ws(t);
        if !b.is_empty() {
            self.out.boilerplate.push(b);
        }
    }

    fn add_org(&mut self, org: String) {
        let org = normalize_ws(&org);
        if !org.is_empty() && self.orgs_seen.insert(org.clone()) {
            self.out.organizations.push(org);
        }
    }

    fn add_caption(&mut self, t: &str) {
        let text = captions::md_image(t)
            .or_else(|| captions::strip_template(t))
            .or_else(|| captions::labelled_caption(t))
            .unwrap_or(t)
            .trim();
        if text.is_empty() || !self.captions_seen.insert(text.to_string()) {
            return;
        }
        if let Some(c) = captions::trailing_credit(text, true) {
            self.out.photo_credits.push(c);
        }
        self.out.captions.push(text.to_string());
    }

    /// Adds a credit unless the same credit is already listed; its index in the contributors.
    fn add_credit(&mut self, c: Credit) -> Option<usize> {
        if c.name.is_empty() || !self.credits_seen.insert(c.clone()) {
            return None;
        }
        self.out.contributors.push(c);
        Some(self.out.contributors.len() - 1)
    }

    fn add_credits(&mut self, cs: Vec<Credit>) {
        for c in cs {
            self.add_credit(c);
        }
    }

    fn add_byline(&mut self, b: Byline, t: &str, role: CreditRole) {
        let org = match &b {
            Byline::Organization(org) => Some(org),
            Byline::Persons { organization, .. } => organization.as_ref(),
        };
        if self.phase != Phase::Body
            && let Some(name) = org.and_then(|o| publication::from_byline_org(o))
        {
            self.offer_publication(Evidence::NameLine, name);
        }
        match b {
            Byline::Organization(org) => self.add_org(org),
            Byline::Persons {
                names,
                organization,
            } => {
                let mut pending = Vec::new();
                for name in names {
                    if role == CreditRole::Byline && self.authors_seen.insert(name.clone()) {
                        self.longest_author = self.longest_author.max(name.len());
                        self.out.authors.push(name.clone());
                    }
                    let credit = Credit {
                        name,
                        organization: organization.clone(),
                        role,
                        location: None,
                    };
                    if let Some(k) = self.add_credit(credit)
                        && organization.is_none()
                    {
                        pending.push(k);
                    }
                }
                if self.phase != Phase::Body {
                    self.pending_affiliation = pending;
                }
            }
        }
        if self.phase != Phase::Body
            && let Some(d) = dates::find_date(t)
        {
            self.set_date(d);
        }
    }

    fn finish(mut self) -> (ArticleMetadata, BTreeMap<Field, (usize, usize)>) {
        // A wire's story that cites "a Springfield Courier analysis" cites another paper: the
        // body's self-reference counts only in copy no wire is credited for.
        let wire_copy = self
            .out
            .dateline_source
            .as_deref()
            .is_some_and(publication::is_wire)
            || self
                .out
                .organizations
                .iter()
                .any(|o| publication::is_wire(o))
            || self
                .out
                .contributors
                .iter()
                .any(|c| c.organization.as_deref().is_some_and(publication::is_wire));
        if wire_copy && matches!(self.publication, Some((Evidence::SelfReference, _))) {
            self.publication = None;
        }
        self.out.publication = self.publication.take().map(|(_, name)| name);
        if let Some(org) = self.source_org.take() {
            for c in &mut self.out.contributors {
                if c.role == CreditRole::Byline && c.organization.is_none() {
                    c.organization = Some(org.clone());
                }
            }
        }
        if !self.out.captions.is_empty() {
            let captions: HashSet<String> =
                self.out.captions.iter().map(|c| normalize_ws(c)).collect();
            // Hashing a whole paragraph costs more than the lookup; most differ in length.
            let lengths: HashSet<usize> = captions.iter().map(String::len).collect();
            self.out
                .paragraphs
                .retain(|p| !(lengths.contains(&p.len()) && captions.contains(p)));
        }
        if self.out.deck.is_none()
            && let Some(h) = &self.out.headline
            && let Some((head, deck)) = split_run_in_deck(h, &self.out.paragraphs)
        {
            self.out.headline = Some(head);
            self.out.deck = Some(deck);
            if let Some(&span) = self.spans.get(&Field::Headline) {
                self.spans.insert(Field::Deck, span);
            }
        }
        // Paragraphs are normalized: words are separated by single spaces.
        self.out.word_count = self
            .out
            .paragraphs
            .iter()
            .map(|p| memchr::memchr_iter(b' ', p.as_bytes()).count() + usize::from(!p.is_empty()))
            .sum();
        let out = &self.out;
        self.spans
            .retain(|&f, _| f.get(out).is_some_and(|v| !v.is_empty()));
        (self.out, self.spans)
    }
}

/// Whether `b` repeats caption `a`: the same text, or the same text with a short tail such as
/// " | License Photo".
fn same_print(a: &str, b: &str) -> bool {
    if a.len() < 12 {
        return false;
    }
    if a == b {
        return true;
    }
    b.len() > a.len()
        && b.len() - a.len() <= 40
        && b.starts_with(a)
        && (b[a.len()..]
            .trim_start()
            .starts_with(['|', '-', '–', '—', '('])
            || captions::label_credit(&b[a.len()..]).is_some())
}

fn strip_md_heading(t: &str) -> &str {
    if t.starts_with('#') {
        t.trim_start_matches('#').trim()
    } else {
        t
    }
}

/// Whether a line can be a headline: a short line that is not a sentence.
fn headline_candidate(t: &str) -> bool {
    let h = strip_md_heading(t);
    h.len() <= 300
        && !vocab::ends_sentence(h)
        && (1..=30).contains(&word_count_upto(h, 30))
        && h.chars().any(char::is_alphabetic)
        && h.chars().next().is_some_and(|c| {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'')
        })
}

/// A section label printed above the headline: one word ("World") or a few capitals
/// ("UNITED STATES NEWS").
fn section_label(t: &str) -> bool {
    let words = word_count_upto(t, 3);
    (1..=3).contains(&words)
        && t.len() <= 40
        && !ends_terminal(t)
        && !t.chars().any(|c| c.is_ascii_digit())
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && (words == 1 || !t.chars().any(char::is_lowercase))
}

/// A label of capitalized words without digits or sentence ends ("Business News").
fn section_like(t: &str) -> bool {
    !ends_terminal(t)
        && t.len() <= 40
        && t.split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || w == "&")
        && !t.chars().any(|c| c.is_ascii_digit())
}

/// The section printed in capitals before a dash at the start of a headline ("WORLD – ...").
fn headline_section(h: &str) -> Option<String> {
    // `str::split_once` with a string pattern builds a searcher on every call.
    lines::literal!(EN_DASH, " – ");
    lines::literal!(EM_DASH, " — ");
    lines::literal!(HYPHEN, " - ");
    lines::literal!(BAR, " | ");
    let (head, rest) = [(&EN_DASH, 5), (&EM_DASH, 5), (&HYPHEN, 3), (&BAR, 3)]
        .into_iter()
        .find_map(|(sep, len)| {
            let k = sep.find(h)?;
            Some((h.get(..k)?, h.get(k + len..)?))
        })?;
    let words = word_count_upto(head, 3);
    let stop = [
        "BREAKING",
        "UPDATE",
        "UPDATED",
        "WATCH",
        "VIDEO",
        "LIVE",
        "EXCLUSIVE",
        "PHOTOS",
    ];
    ((1..=3).contains(&words)
        && head.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !head.chars().any(|c| c.is_lowercase() || c.is_ascii_digit())
        && rest.chars().any(char::is_lowercase)
        && !stop.iter().any(|s| head.trim().eq_ignore_ascii_case(s)))
    .then(|| normalize_ws(head))
}

/// An organization-only credit line ("The Associated Press", "Reuters Staff").
fn is_org_line(t: &str) -> bool {
    !ends_terminal(t) && word_count_upto(t, 5) <= 5 && vocab::is_org_like(t)
}

fn is_caption_like(t: &str, lenient: bool) -> bool {
    // The word count last: a trailing credit is rare, and looking for it costs no more.
    captions::strip_template(t).is_some()
        || captions::labelled_caption(t).is_some()
        || captions::has_caption_cue(t)
        || (t.len() <= 3000
            && captions::trailing_credit(t, lenient).is_some()
            && word_count_upto(t, 5) >= 5)
}

/// Normalizes a body paragraph: markdown links become their text, white space collapses.
fn clean_paragraph(t: &str) -> String {
    use std::sync::LazyLock;
    static MD_LINK: LazyLock<regex::Regex> = LazyLock::new(|| {
        vocab::re(r"(?P<img>!?)\[(?P<t>[^\[\]]*)\]\((?:https?://|www\.)[^()\s]+\)")
    });
    lines::literal!(LINK_MIDDLE, "](");
    if LINK_MIDDLE.is_in(t) {
        // Links become their text; images inside a paragraph go (their caption is elsewhere).
        normalize_ws(&MD_LINK.replace_all(t, |c: &regex::Captures<'_>| {
            if c["img"].is_empty() {
                c["t"].to_string()
            } else {
                String::new()
            }
        }))
    } else {
        normalize_ws(t)
    }
}

/// A headline with a run-in deck ("Held back to get ahead ... timing Critics warn delaying
/// kindergarten ..."): a long headline where a capitalized common word follows a lower-case
/// word without punctuation. The word counts as common when the body never capitalizes it in
/// mid-sentence (so "Russia" or "Obama" never split a headline).
fn split_run_in_deck(h: &str, body: &[String]) -> Option<(String, String)> {
    // `split(' ')` gives one word more than there are spaces.
    if memchr::memchr_iter(b' ', h.as_bytes()).count() < 13 {
        return None;
    }
    let words: Vec<&str> = h.split(' ').collect();
    if words.len() < 14 {
        return None;
    }
    for k in 4..words.len().saturating_sub(3) {
        let prev = words[k - 1];
        let w = words[k];
        let next = words[k + 1];
        let prev_ok = prev.chars().all(char::is_lowercase) && !vocab::is_function_word(prev);
        let mut chars = w.chars();
        let w_ok = chars.next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 2
            && chars.all(char::is_lowercase)
            && !vocab::is_calendar_word(w);
        let next_ok = next.chars().next().is_some_and(char::is_lowercase);
        if prev_ok && w_ok && next_ok && !capitalized_mid_sentence(w, body) {
            return Some((words[..k].join(" "), words[k..].join(" ")));
        }
    }
    None
}

/// Whether the body capitalizes `w` after a lower-case word (a proper noun).
fn capitalized_mid_sentence(w: &str, body: &[String]) -> bool {
    let mut budget = 200_000usize;
    for p in body {
        let p = if p.len() > budget {
            &p[..p.floor_char_boundary(budget)]
        } else {
            p.as_str()
        };
        budget = budget.saturating_sub(p.len());
        for (k, _) in p.match_indices(w) {
            let after = p[k + w.len()..].chars().next();
            if after.is_some_and(char::is_alphabetic) {
                continue;
            }
            let before = p[..k].strip_suffix(' ').and_then(|s| s.chars().next_back());
            if before.is_some_and(|c| c.is_lowercase() || c == ',') {
                return true;
            }
        }
        if budget == 0 {
            break;
        }
    }
    false
}
