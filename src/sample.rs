//! Generated article texts in the shapes of real clippings, for tests and benchmarks, plus the
//! built-in sample clipping.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The seed article, built into the binary for the "Load sample clipping" button.
pub const SEED_NAME: &str = "000_41805ab46882eb0b.txt";
pub const SEED_TEXT: &str = include_str!("../seeds/000_41805ab46882eb0b.txt");

/// A small deterministic random number generator (SplitMix64): the same seed, the same corpus.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const FIRST: &[&str] = &[
    "Sylvie", "Vladimir", "Nataliya", "Raf", "Kirsten", "Elena", "Birgit", "Patrick", "Arne",
    "Andrew", "James", "Maria", "Kevin", "Joshua", "Fred", "Thomas", "Amina", "Lorne", "Hiroko",
    "Carlos", "Priya", "Ngozi", "Samuel", "Ingrid",
];
const LAST: &[&str] = &[
    "Corbet",
    "Isachenkov",
    "Vasilyeva",
    "Casert",
    "Grieshaber",
    "Becatoros",
    "Jennen",
    "Donahue",
    "Delfs",
    "Higgins",
    "Kanter",
    "Freking",
    "Benton",
    "Lambert",
    "Robertson",
    "Okafor",
    "Cook",
    "Tanaka",
    "Mendes",
    "Raman",
    "Adeyemi",
    "Lindqvist",
    "Moreau",
    "Novak",
];
const ORGS: &[&str] = &[
    "The Associated Press",
    "Bloomberg News",
    "The New York Times",
    "The Washington Post",
    "Reuters",
    "Los Angeles Times",
];
const PLACES: &[&str] = &[
    "MOSCOW",
    "BRUSSELS",
    "TOKYO",
    "WASHINGTON",
    "NAIROBI, Kenya",
    "LITTLE ROCK, Ark.",
    "BAMAKO, Mali",
    "MANCHESTER, England",
    "MUMBAI",
    "PARIS",
    "BERLIN",
    "SEOUL, South Korea",
];
const SUBJECTS: &[&str] = &[
    "Lawmakers",
    "Officials",
    "The presidents",
    "Police",
    "Investors",
    "Residents",
    "Regulators",
    "Negotiators",
    "Doctors",
    "Farmers",
    "Teachers",
    "Researchers",
];
const VERBS: &[&str] = &[
    "agreed",
    "warned",
    "announced",
    "rejected",
    "debated",
    "approved",
    "questioned",
    "welcomed",
    "delayed",
    "reported",
];
const OBJECTS: &[&str] = &[
    "a new budget plan",
    "closer cooperation on security",
    "the proposed trade agreement",
    "an inquiry into the spending",
    "emergency aid for the region",
    "stricter rules for banks",
    "a ceasefire along the border",
    "the reopening of schools",
    "plans for a new railway line",
    "higher taxes on imports",
];
const CLAUSES: &[&str] = &[
    "after weeks of talks",
    "despite strong objections from the opposition",
    "according to officials familiar with the matter",
    "in a statement released on Thursday",
    "as protesters gathered outside",
    "amid growing concern over prices",
    "two days after the vote",
    "while markets remained calm",
];
const SECTIONS: &[&str] = &[
    "A Section",
    "World",
    "Business",
    "Metro",
    "Sports",
    "Page 1A",
];
const BOILERPLATE: &[&str] = &[
    "Upcoming Events",
    "Advertisement",
    "RELATED ARTICLE",
    "Share this article",
    "Comments",
    "Sign up for our newsletter",
];

fn name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{} {} {} {}.",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(CLAUSES)
    )
}

fn names_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One generated article of about `target_bytes` bytes; `n` makes it unique.
pub fn article(rng: &mut Rng, n: usize, target_bytes: usize) -> String {
    let mut out = String::with_capacity(target_bytes + 1024);
    let headline = format!(
        "{} {} {} ({n})",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS)
    );
    let _ = writeln!(out, "{headline}\n");
    if rng.chance(50) {
        let _ = writeln!(out, "{} {}\n", rng.pick(SUBJECTS), rng.pick(CLAUSES));
    }
    if rng.chance(60) {
        let caption = format!(
            "{} and {} meet in {} on Thursday.",
            name(rng),
            name(rng),
            rng.pick(PLACES)
        );
        let _ = writeln!(out, "{caption}\n{caption}\n");
    }
    if rng.chance(40) {
        let authors: Vec<String> = (0..1 + rng.below(2)).map(|_| name(rng)).collect();
        let _ = writeln!(out, "By {}\n{}\n", names_list(&authors), rng.pick(ORGS));
    }
    let place = rng.pick(PLACES);
    let dash = match rng.below(4) {
        0 => " -- ".to_string(),
        1 => " (AP) \u{2014} ".to_string(),
        2 => format!(", Jan {} (Reuters) - ", 1 + rng.below(28)),
        _ => " \u{2014} ".to_string(),
    };
    let _ = writeln!(out, "{place}{dash}{}\n", sentence(rng));
    while out.len() < target_bytes {
        let sentences = 2 + rng.below(3);
        let para: Vec<String> = (0..sentences).map(|_| sentence(rng)).collect();
        let _ = writeln!(out, "{}\n", para.join(" "));
    }
    match rng.below(3) {
        0 => {
            let groups: Vec<String> = (0..1 + rng.below(3))
                .map(|_| {
                    let people: Vec<String> = (0..1 + rng.below(3)).map(|_| name(rng)).collect();
                    format!("{} of {}", names_list(&people), rng.pick(ORGS))
                })
                .collect();
            let text = match groups.as_slice() {
                [one] => one.clone(),
                [init @ .., last] => format!("{}; and by {last}", init.join("; by ")),
                [] => String::new(),
            };
            let _ = writeln!(
                out,
                "Information for this article was contributed by {text}.\n"
            );
        }
        1 => {
            let _ = writeln!(out, "{} contributed to this report.\n", name(rng));
        }
        _ => {}
    }
    if rng.chance(70) {
        let _ = writeln!(
            out,
            "{} on {:02}/{:02}/{}\n",
            rng.pick(SECTIONS),
            1 + rng.below(12),
            1 + rng.below(28),
            2005 + rng.below(20)
        );
    }
    if rng.chance(50) {
        let _ = writeln!(out, "{}", rng.pick(BOILERPLATE));
    }
    out
}

/// Write `count` generated articles (about 6 KB each) into `dir`; returns how many.
pub fn write_corpus(dir: &Path, count: usize, seed: u64) -> io::Result<usize> {
    fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    for n in 0..count {
        let size = 4000 + rng.below(4000);
        fs::write(
            dir.join(format!("article_{n:06}.txt")),
            article(&mut rng, n, size),
        )?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_repeatable_and_varied() {
        let a = article(&mut Rng::new(7), 1, 6000);
        let b = article(&mut Rng::new(7), 1, 6000);
        let c = article(&mut Rng::new(8), 1, 6000);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.len() >= 6000 && a.len() < 8000, "{}", a.len());
    }
}
