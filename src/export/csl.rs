//! CSL-JSON items (citeproc, Zotero, pandoc) for the clippings.

use serde_json::{Map, Value, json};

use super::ExportItem;
use crate::model::Clipping;

pub(super) fn render(items: &[ExportItem<'_>]) -> String {
    let list: Vec<Value> = items.iter().map(|i| item(i.clipping)).collect();
    format!("{:#}\n", Value::Array(list))
}

/// One `article-newspaper` item: the publication as container title, the byline as authors
/// (organizations when there is no byline), section, page and URL where known.
pub(super) fn item(c: &Clipping) -> Value {
    let meta = c.metadata();
    let mut it = Map::new();
    it.insert("id".into(), json!(c.id));
    it.insert("type".into(), json!("article-newspaper"));
    it.insert("title".into(), json!(c.title()));
    let authors: Vec<Value> = if !meta.authors.is_empty() {
        meta.authors.iter().map(|n| csl_name(n)).collect()
    } else {
        // Organizations once each, in their normal form ("ASSOCIATED PRESS", "The Associated
        // Press" are one literal).
        let mut seen = std::collections::HashSet::new();
        meta.organizations
            .iter()
            .filter(|o| seen.insert(crate::model::organization_key(o)))
            .map(|o| json!({"literal": crate::model::organization_display(o)}))
            .collect()
    };
    if !authors.is_empty() {
        it.insert("author".into(), Value::Array(authors));
    }
    if let Some(published) = &meta.published {
        let issued = match date_parts(published) {
            Some(parts) => json!({"date-parts": [parts]}),
            None => json!({"raw": published}),
        };
        it.insert("issued".into(), issued);
    }
    if let Some(publication) = &meta.publication {
        it.insert("container-title".into(), json!(publication));
    }
    if let Some(section) = &meta.section {
        it.insert("section".into(), json!(section));
        // "Page 1A", "A1": the page is the part with a digit.
        if let Some(page) = section
            .split_whitespace()
            .find(|w| w.chars().any(|c| c.is_ascii_digit()))
        {
            it.insert("page".into(), json!(page));
        }
    }
    if let Some(url) = source_url(c) {
        it.insert("URL".into(), json!(url));
    }
    if !c.tags.is_empty() {
        it.insert("keyword".into(), json!(c.tags.join(", ")));
        it.insert("note".into(), json!(format!("Tags: {}", c.tags.join(", "))));
    }
    Value::Object(it)
}

/// The article's address where known: a clipping imported from a web address keeps it as its
/// source name.
fn source_url(c: &Clipping) -> Option<&str> {
    let s = c.source_name.trim();
    (s.starts_with("https://") || s.starts_with("http://")).then_some(s)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as CSL date parts.
fn date_parts(iso: &str) -> Option<Vec<u32>> {
    let parts: Vec<&str> = iso.trim().split('-').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    let valid = parts[0].len() == 4
        && nums.get(1).is_none_or(|m| (1..=12).contains(m))
        && nums.get(2).is_none_or(|d| (1..=31).contains(d));
    valid.then_some(nums)
}

const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];

/// A person's name as CSL: the last word the family name, lower-case particles before it
/// ("von der") the non-dropping particle, the rest the given names; "Jr."/"III" a suffix. One
/// word is a family name alone.
pub fn csl_name(name: &str) -> Value {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let (main, comma_suffix) = match name.split_once(", ") {
        Some((m, s)) if SUFFIXES.contains(&s.to_lowercase().as_str()) => (m.to_string(), Some(s)),
        _ => (name.clone(), None),
    };
    let mut words: Vec<&str> = main.split(' ').filter(|w| !w.is_empty()).collect();
    let mut suffix = comma_suffix.map(str::to_string);
    if suffix.is_none()
        && words.len() > 2
        && words
            .last()
            .is_some_and(|w| SUFFIXES.contains(&w.to_lowercase().as_str()))
    {
        suffix = words.pop().map(str::to_string);
    }
    let mut out = Map::new();
    match words.as_slice() {
        [] => {
            out.insert("literal".into(), json!(name));
        }
        [only] => {
            out.insert("family".into(), json!(only));
        }
        [given @ .., family] => {
            let is_particle = |w: &&&str| w.chars().next().is_some_and(char::is_lowercase);
            let particles = given.iter().rev().take_while(is_particle).count();
            if particles == given.len() {
                // "de la Cruz" alone: all of it is the family name.
                out.insert("family".into(), json!(main));
            } else {
                let (given, particle) = given.split_at(given.len() - particles);
                out.insert("family".into(), json!(family));
                out.insert("given".into(), json!(given.join(" ")));
                if !particle.is_empty() {
                    out.insert("non-dropping-particle".into(), json!(particle.join(" ")));
                }
            }
        }
    }
    if let Some(s) = suffix {
        out.insert("suffix".into(), json!(s));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            csl_name("Sylvie Corbet"),
            json!({"family": "Corbet", "given": "Sylvie"})
        );
        assert_eq!(
            csl_name("Ursula von der Leyen"),
            json!({"family": "Leyen", "given": "Ursula", "non-dropping-particle": "von der"})
        );
        assert_eq!(
            csl_name("Frank-Walter Steinmeier"),
            json!({"family": "Steinmeier", "given": "Frank-Walter"})
        );
        assert_eq!(
            csl_name("Martin Luther King, Jr."),
            json!({"family": "King", "given": "Martin Luther", "suffix": "Jr."})
        );
        assert_eq!(csl_name("Madonna"), json!({"family": "Madonna"}));
    }

    #[test]
    fn dates() {
        assert_eq!(date_parts("2015-11-27"), Some(vec![2015, 11, 27]));
        assert_eq!(date_parts("2015-11"), Some(vec![2015, 11]));
        assert_eq!(date_parts("2015"), Some(vec![2015]));
        assert_eq!(date_parts("Nov. 27"), None);
        assert_eq!(date_parts("2015-13-01"), None);
    }
}
