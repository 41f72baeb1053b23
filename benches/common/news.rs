//! A news-like generated corpus with known story versions, for the story-versions bench and
//! tests: many distinct stories drawn from a large Zipf-distributed vocabulary and name pool,
//! dated over sixteen years; for a share of stories several versions (wire copy printed by
//! several outlets with their own headline, byline and publication line, a trimmed copy, an
//! updated copy with a new top paragraph); and several different stories about one event
//! (same place, people, date and topic words, sometimes the same official statement), which
//! must not group. Deterministic for a seed; no network.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

use clipfile::sample::Rng;

/// Which story and event a generated clipping belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truth {
    pub story: u32,
    pub event: u32,
}

/// What kind of copy a generated clipping is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Original,
    Reprint,
    Trimmed,
    Updated,
}

/// One generated clipping: its file name, text and ground truth.
#[derive(Debug, Clone)]
pub struct Clip {
    pub name: String,
    pub text: String,
    pub truth: Truth,
    pub kind: Kind,
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "to", "and", "a", "in", "that", "for", "on", "said", "with", "was", "as", "at",
    "by", "he", "it", "from", "his", "have", "be", "has", "are", "an", "who", "they", "not", "had",
    "were", "but", "their", "will", "after", "this", "been", "which", "would", "more", "she",
    "her", "about", "its", "also", "or", "than", "over", "we", "one", "two", "when", "last",
    "could", "into", "out", "there", "up", "new", "all", "some", "other", "before", "while",
    "because", "during", "under", "since", "against", "between", "three", "most",
];
const TITLES: &[&str] = &[
    "Mayor",
    "Gov.",
    "Sen.",
    "Rep.",
    "Police Chief",
    "Minister",
    "President",
    "Judge",
    "Dr.",
    "Sheriff",
    "Prosecutor",
    "Commissioner",
];
const OUTLETS: &[&str] = &[
    "Arkansas Democrat-Gazette",
    "Austin Daily Herald",
    "The Vindicator",
    "KHQ",
    "ABC6",
    "WBRZ",
    "Star Tribune",
    "The Straits Times",
    "The Irish Times",
    "CBS Miami",
    "KTAR",
    "WCCO",
    "Daily Courier",
    "Evening Post",
    "Valley News",
    "Harbor Herald",
    "Northern Ledger",
    "Coastal Times",
    "River City Record",
    "Mountain Gazette",
];
const AGENCIES: &[(&str, &str)] = &[
    ("Associated Press", "(AP) \u{2014} "),
    ("Reuters", " (Reuters) - "),
    ("Agence France-Presse", " (AFP) - "),
];
const SECTIONS: &[&str] = &[
    "A Section",
    "World",
    "Business",
    "Metro",
    "Nation",
    "Page 1A",
];
const WEEKDAYS: &[&str] = &[
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Words, names and places, each list with Zipf weights over its order.
pub struct Lexicon {
    words: Zipf<String>,
    firsts: Zipf<String>,
    surnames: Zipf<String>,
    places: Zipf<String>,
    function: Zipf<&'static str>,
}

struct Zipf<T> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T> Zipf<T> {
    fn new(items: Vec<T>, s: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..items.len())
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { items, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &T {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let at = self.cumulative.partition_point(|&c| c < u);
        &self.items[at.min(self.items.len() - 1)]
    }

    /// A pick outside the `skip` most frequent (topic words: not "people" or "time").
    fn pick_rare(&self, rng: &mut Rng, skip: usize) -> &T {
        loop {
            let total = self.cumulative.last().copied().unwrap_or(1.0);
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
            let at = self.cumulative.partition_point(|&c| c < u);
            if at >= skip.min(self.items.len() - 1) {
                return &self.items[at.min(self.items.len() - 1)];
            }
        }
    }
}

/// `n` distinct pronounceable made-up words of 1 to `max_syllables` syllables.
fn coin(rng: &mut Rng, n: usize, max_syllables: usize, capital: bool) -> Vec<String> {
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
        "br", "ch", "cl", "cr", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr", "sp", "",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "ee", "y"];
    const CODAS: &[&str] = &[
        "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "rt",
    ];
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let syllables = 1 + rng.below(max_syllables);
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(rng.pick(ONSETS));
            w.push_str(rng.pick(VOWELS));
            w.push_str(rng.pick(CODAS));
        }
        if w.len() < 2 || !seen.insert(w.clone()) {
            continue;
        }
        if capital {
            let mut c = w.chars();
            w = c
                .next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default();
        }
        out.push(w);
    }
    out
}

impl Lexicon {
    /// 60,000 words, 600 first names, 30,000 surnames, 5,000 places.
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0x5eed_1e81);
        Lexicon {
            words: Zipf::new(coin(&mut rng, 60_000, 4, false), 1.0),
            firsts: Zipf::new(coin(&mut rng, 600, 2, true), 0.9),
            surnames: Zipf::new(coin(&mut rng, 30_000, 3, true), 0.8),
            places: Zipf::new(coin(&mut rng, 5_000, 3, true), 0.9),
            function: Zipf::new(FUNCTION_WORDS.to_vec(), 1.0),
        }
    }

    fn person(&self, rng: &mut Rng) -> Person {
        Person {
            first: self.firsts.pick(rng).clone(),
            last: self.surnames.pick(rng).clone(),
            title: (rng.below(3) == 0).then(|| rng.pick(TITLES).to_string()),
        }
    }
}

#[derive(Debug, Clone)]
struct Person {
    first: String,
    last: String,
    title: Option<String>,
}

impl Person {
    fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// What several stories about one event share.
struct Event {
    day: i64,
    place: String,
    people: Vec<Person>,
    topic: Vec<String>,
    /// What every story about the event may print: an official statement, the quotes of a
    /// press conference, a background paragraph from the wire.
    statement: String,
    shared_quotes: Vec<String>,
    background: String,
}

/// One story: what every version of it is printed from.
struct Story {
    headline: String,
    paragraphs: Vec<String>,
    agency: Option<usize>,
    author: Option<Person>,
    day: i64,
    place: String,
}

/// Writes sentences for an event.
struct Writer<'a> {
    lex: &'a Lexicon,
    event: &'a Event,
}

impl Writer<'_> {
    fn sentence(&self, rng: &mut Rng) -> String {
        let len = 10 + rng.below(18);
        let mut words: Vec<String> = Vec::with_capacity(len + 4);
        for _ in 0..len {
            let roll = rng.below(100);
            let w = if roll < 44 {
                self.lex.function.pick(rng).to_string()
            } else if roll < 50 {
                self.event.topic[rng.below(self.event.topic.len())].clone()
            } else if roll < 52 {
                self.event.people[rng.below(self.event.people.len())]
                    .last
                    .clone()
            } else if roll < 53 {
                self.lex.places.pick(rng).clone()
            } else if roll < 55 {
                (1 + rng.below(900)).to_string()
            } else {
                self.lex.words.pick(rng).clone()
            };
            words.push(w);
        }
        if rng.below(4) == 0 {
            words.push("on".into());
            words.push(WEEKDAYS[rng.below(7)].into());
        }
        let mut s = words.join(" ");
        if let Some(first) = s.get(0..1) {
            let upper = first.to_uppercase();
            s.replace_range(0..1, &upper);
        }
        s.push('.');
        s
    }

    fn paragraph(&self, rng: &mut Rng) -> String {
        if rng.below(5) == 0 {
            return self.quote(rng);
        }
        let n = 1 + rng.below(3);
        (0..n)
            .map(|_| self.sentence(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A quoted paragraph attributed to one of the event's people (or someone else).
    fn quote(&self, rng: &mut Rng) -> String {
        let p = if rng.below(4) == 0 {
            self.lex.person(rng)
        } else {
            self.event.people[rng.below(self.event.people.len())].clone()
        };
        let said = self.sentence(rng);
        let said = said.trim_end_matches('.');
        match (rng.below(3), &p.title) {
            (0, Some(t)) => format!("\u{201c}{said},\u{201d} said {t} {}.", p.full()),
            (0 | 1, _) => format!("\u{201c}{said},\u{201d} {} said.", p.full()),
            _ => format!("{} said: \u{201c}{said}.\u{201d}", p.full()),
        }
    }

    fn headline(&self, rng: &mut Rng) -> String {
        let mut words = vec![self.event.place.clone()];
        for _ in 0..3 + rng.below(5) {
            if rng.below(3) == 0 {
                words.push(self.event.topic[rng.below(self.event.topic.len())].clone());
            } else {
                words.push(self.lex.words.pick(rng).clone());
            }
        }
        let mut h = words.join(" ");
        if rng.below(3) == 0 {
            h.push_str(&format!(
                " {}",
                self.event.people[rng.below(self.event.people.len())].last
            ));
        }
        h
    }

    fn story(&self, rng: &mut Rng) -> Story {
        let mut paragraphs: Vec<String> = (0..8 + rng.below(11))
            .map(|_| self.paragraph(rng))
            .collect();
        // Different reporting on one event often prints the same official statement, quotes
        // from the same press conference and the same background paragraph.
        let mut shared = Vec::new();
        if rng.below(2) == 0 {
            shared.push(self.event.statement.clone());
        }
        for q in &self.event.shared_quotes {
            if rng.below(2) == 0 {
                shared.push(q.clone());
            }
        }
        if rng.below(2) == 0 {
            shared.push(self.event.background.clone());
        }
        for p in shared {
            let at = 1 + rng.below(paragraphs.len() - 1);
            paragraphs.insert(at, p);
        }
        Story {
            headline: self.headline(rng),
            paragraphs,
            agency: (rng.below(3) > 0).then(|| rng.below(AGENCIES.len())),
            author: (rng.below(2) == 0).then(|| self.lex.person(rng)),
            day: self.event.day + rng.below(2) as i64,
            place: self.event.place.clone(),
        }
    }
}

/// Civil date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, usize, usize) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as usize;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// How one outlet prints a story.
struct Print<'a> {
    headline: &'a str,
    paragraphs: &'a [String],
    outlet: &'a str,
    day: i64,
    straight_quotes: bool,
    pub_line_top: bool,
    byline: bool,
}

fn render(story: &Story, print: &Print, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(6000);
    let _ = writeln!(out, "{}\n", print.headline);
    if print.byline
        && let Some(a) = &story.author
    {
        let org = story.agency.map_or(print.outlet, |g| AGENCIES[g].0);
        let _ = writeln!(out, "By {}\n{org}\n", a.full());
    }
    let (y, m, d) = civil(print.day);
    if print.pub_line_top {
        let hour = 1 + rng.below(12);
        let minute = rng.below(60);
        let half = if rng.below(2) == 0 { "am" } else { "pm" };
        let weekday = WEEKDAYS[print.day.rem_euclid(7) as usize];
        let _ = writeln!(
            out,
            "Published {hour}:{minute:02} {half} {weekday}, {} {d}, {y}\n",
            MONTHS[m - 1]
        );
    }
    let dash = match story.agency {
        Some(g) => {
            let tag = AGENCIES[g].1;
            if tag.starts_with(' ') {
                tag.to_string()
            } else {
                format!(" {tag}")
            }
        }
        None => " \u{2014} ".to_string(),
    };
    for (i, p) in print.paragraphs.iter().enumerate() {
        let p = if print.straight_quotes {
            p.replace(['\u{201c}', '\u{201d}'], "\"")
        } else {
            p.clone()
        };
        if i == 0 {
            let _ = writeln!(out, "{}{dash}{p}\n", story.place.to_uppercase());
        } else {
            let _ = writeln!(out, "{p}\n");
        }
    }
    if !print.pub_line_top {
        let _ = writeln!(
            out,
            "{} on {m:02}/{d:02}/{y}\n",
            SECTIONS[rng.below(SECTIONS.len())]
        );
    }
    let _ = writeln!(out, "Copyright {y} {}. All rights reserved.", print.outlet);
    out
}

/// Generate about `count` clippings (exactly `count`: the last story's versions are cut).
/// `versions_percent` of stories are printed more than once; events have one to four stories.
pub fn generate(count: usize, seed: u64, lex: &Lexicon) -> Vec<Clip> {
    let mut rng = Rng::new(seed);
    let mut out: Vec<Clip> = Vec::with_capacity(count);
    let mut story_no = 0u32;
    let mut event_no = 0u32;
    let start = 14_610; // 2010-01-01
    let span = 16 * 365;
    while out.len() < count {
        let event = Event {
            day: start + rng.below(span) as i64,
            place: rng_place(lex, &mut rng),
            people: (0..2 + rng.below(3))
                .map(|_| lex.person(&mut rng))
                .collect(),
            topic: (0..6)
                .map(|_| lex.words.pick_rare(&mut rng, 300).clone())
                .collect(),
            statement: String::new(),
            shared_quotes: Vec::new(),
            background: String::new(),
        };
        let writer = Writer { lex, event: &event };
        let statement = writer.quote(&mut rng);
        let shared_quotes = (0..1 + rng.below(3))
            .map(|_| writer.quote(&mut rng))
            .collect();
        let background = (0..2)
            .map(|_| writer.sentence(&mut rng))
            .collect::<Vec<_>>()
            .join(" ");
        let event = Event {
            statement,
            shared_quotes,
            background,
            ..event
        };
        let writer = Writer { lex, event: &event };
        let stories = match rng.below(20) {
            0..=11 => 1,
            12..=16 => 2,
            17..=18 => 3,
            _ => 4,
        };
        for _ in 0..stories {
            let story = writer.story(&mut rng);
            let copies = if rng.below(100) < 30 {
                2 + [0, 0, 0, 1, 1, 2, 3, 4][rng.below(8)]
            } else {
                1
            };
            for copy in 0..copies {
                if out.len() >= count {
                    break;
                }
                let kind = if copy == 0 {
                    Kind::Original
                } else {
                    match rng.below(10) {
                        0..=4 => Kind::Reprint,
                        5..=7 => Kind::Trimmed,
                        _ => Kind::Updated,
                    }
                };
                let mut paragraphs = story.paragraphs.clone();
                let mut headline = story.headline.clone();
                let mut day = story.day;
                match kind {
                    Kind::Original => {}
                    Kind::Reprint => {
                        // The outlet's desk: its own headline, a paragraph or two cut, a few
                        // words changed to house style, sometimes a local paragraph.
                        headline = writer.headline(&mut rng);
                        day += rng.below(2) as i64;
                        for _ in 0..rng.below(3) {
                            if paragraphs.len() > 5 {
                                let at = 1 + rng.below(paragraphs.len() - 1);
                                paragraphs.remove(at);
                            }
                        }
                        edit_words(&mut paragraphs, lex, &mut rng, 2);
                        if rng.below(3) == 0 {
                            let at = 1 + rng.below(paragraphs.len() - 1);
                            paragraphs.insert(at, writer.paragraph(&mut rng));
                        }
                    }
                    Kind::Trimmed => {
                        let keep = (paragraphs.len() * (25 + rng.below(55)) / 100).max(3);
                        paragraphs.truncate(keep);
                        headline = writer.headline(&mut rng);
                    }
                    Kind::Updated => {
                        // A developing story: new top paragraphs, a paragraph or two of the
                        // old copy rewritten, more at the end.
                        for _ in 0..1 + rng.below(3) {
                            paragraphs.insert(0, writer.paragraph(&mut rng));
                        }
                        for _ in 0..1 + rng.below(2) {
                            let at = rng.below(paragraphs.len());
                            paragraphs[at] = writer.paragraph(&mut rng);
                        }
                        for _ in 0..rng.below(4) {
                            paragraphs.push(writer.paragraph(&mut rng));
                        }
                        edit_words(&mut paragraphs, lex, &mut rng, 1);
                        headline = writer.headline(&mut rng);
                        day += rng.below(2) as i64;
                    }
                }
                let print = Print {
                    headline: &headline,
                    paragraphs: &paragraphs,
                    outlet: OUTLETS[rng.below(OUTLETS.len())],
                    day,
                    straight_quotes: rng.below(2) == 0,
                    pub_line_top: rng.below(2) == 0,
                    byline: rng.below(3) > 0,
                };
                let text = render(&story, &print, &mut rng);
                out.push(Clip {
                    name: format!("news_{:07}.txt", out.len()),
                    text,
                    truth: Truth {
                        story: story_no,
                        event: event_no,
                    },
                    kind,
                });
            }
            story_no += 1;
        }
        event_no += 1;
    }
    // Shuffled, so versions do not arrive side by side (Fisher-Yates); names keep the order
    // of arrival.
    for i in (1..out.len()).rev() {
        let j = rng.below(i + 1);
        out.swap(i, j);
    }
    for (n, c) in out.iter_mut().enumerate() {
        c.name = format!("news_{n:07}.txt");
    }
    out
}

/// Change about `percent`% of the words to others (copy-desk edits).
fn edit_words(paragraphs: &mut [String], lex: &Lexicon, rng: &mut Rng, percent: usize) {
    for p in paragraphs.iter_mut() {
        let words: Vec<String> = p
            .split(' ')
            .map(|w| {
                if rng.below(100) < percent && w.chars().all(|c| c.is_ascii_lowercase()) {
                    lex.words.pick(rng).clone()
                } else {
                    w.to_string()
                }
            })
            .collect();
        *p = words.join(" ");
    }
}

fn rng_place(lex: &Lexicon, rng: &mut Rng) -> String {
    lex.places.pick(rng).clone()
}

/// Write the clippings into `dir` (one file each).
pub fn write(dir: &Path, clips: &[Clip]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for c in clips {
        std::fs::write(dir.join(&c.name), &c.text)?;
    }
    Ok(())
}

/// Pair counts of a grouping against the truth: pairs grouped that are one story (true
/// positives), pairs grouped that are not, pairs of one story not grouped, and pairs grouped
/// that are different stories on the same event (the hard false positives).
#[derive(Debug, Default, Clone, Copy)]
pub struct PairScore {
    pub true_pairs: u64,
    pub false_pairs: u64,
    pub missed_pairs: u64,
    pub same_event_false: u64,
    /// Pairs of different stories on one event (all of which should stay apart).
    pub same_event_pairs: u64,
}

impl PairScore {
    pub fn precision(&self) -> f64 {
        let grouped = self.true_pairs + self.false_pairs;
        if grouped == 0 {
            1.0
        } else {
            self.true_pairs as f64 / grouped as f64
        }
    }

    pub fn recall(&self) -> f64 {
        let should = self.true_pairs + self.missed_pairs;
        if should == 0 {
            1.0
        } else {
            self.true_pairs as f64 / should as f64
        }
    }
}

/// Score groups (each a list of indices into `truth`; ungrouped items in no group) against the
/// truth.
pub fn score(groups: &[Vec<usize>], truth: &[Truth]) -> PairScore {
    use std::collections::HashMap;
    let mut s = PairScore::default();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            group_of.insert(m, g);
        }
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let (ta, tb) = (truth[a], truth[b]);
                if ta.story == tb.story {
                    s.true_pairs += 1;
                } else {
                    s.false_pairs += 1;
                    if ta.event == tb.event {
                        s.same_event_false += 1;
                    }
                }
            }
        }
    }
    let mut by_story: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut by_event: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, t) in truth.iter().enumerate() {
        by_story.entry(t.story).or_default().push(i);
        by_event.entry(t.event).or_default().push(i);
    }
    for members in by_story.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let together =
                    matches!((group_of.get(&a), group_of.get(&b)), (Some(x), Some(y)) if x == y);
                if !together {
                    s.missed_pairs += 1;
                }
            }
        }
    }
    for members in by_event.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if truth[a].story != truth[b].story {
                    s.same_event_pairs += 1;
                }
            }
        }
    }
    s
}
