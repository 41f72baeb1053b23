//! Every change a reader can make to a library's records, written once for the app and the command line.
//!
//! Each function changes one or more clippings through [`Library::save`] (atomic, on disk) and
//! returns what undo needs: the records as they were ([`Changed::before`]), which
//! [`put_back`] saves again. Neither the app nor the command line edits a record itself.
//!
//! Tags follow one rule everywhere: they are tidied with [`normalize_tag`] and compare without
//! regard to case ([`same_tag`]); a clipping keeps the spelling it was first given, and a
//! clipping's tags are kept sorted.

use crate::anchor;
use crate::library::{Library, LibraryError, plural};
use crate::model::{
    ClipId, Clipping, Field, Highlight, HighlightColor, HighlightId, normalize_tag, same_tag,
    tag_key,
};
use crate::parse;

/// Why an edit was not made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// A change to several clippings stopped at a failed save; the clippings before it were
    /// saved and `before` holds them as they were (for undo).
    #[error("{} changed, then the next could not be saved", plural(before.len(), "clipping was", "clippings were"))]
    Stopped {
        before: Vec<Clipping>,
        #[source]
        source: LibraryError,
    },
    #[error("the tag is empty")]
    EmptyTag,
    #[error("clipping {clip} has no highlight {highlight}")]
    NoHighlight {
        clip: ClipId,
        highlight: HighlightId,
    },
    #[error("{0}")]
    InvalidField(String),
    /// The characters given for a highlight are outside the text, or only white space.
    #[error("characters {start}..{end} are not a passage of the text")]
    NoPassage { start: usize, end: usize },
}

/// What an edit changed: the records as they were before, for undo. Empty when nothing
/// changed (the tag was there already, the notes were the same).
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct Changed {
    pub before: Vec<Clipping>,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        self.before.is_empty()
    }

    /// How many clippings changed.
    pub fn len(&self) -> usize {
        self.before.len()
    }
}

/// Change each clipping of `ids` through `change` and save those that changed. A clipping not
/// in the library is skipped. On a failed save the ones saved before it stay saved and the
/// error ([`EditError::Stopped`] when there were some) carries them.
fn change(
    lib: &mut Library,
    ids: &[ClipId],
    mut change: impl FnMut(&mut Clipping) -> Result<(), EditError>,
) -> Result<Changed, EditError> {
    let mut before = Vec::new();
    for id in ids {
        let Some(old) = lib.get(id.as_str()).cloned() else {
            if ids.len() == 1 {
                return Err(LibraryError::NotFound(id.to_string()).into());
            }
            continue;
        };
        let mut new = old.clone();
        change(&mut new)?;
        if new == old {
            continue;
        }
        save_step(lib, new, old, &mut before)?;
    }
    Ok(Changed { before })
}

/// Save `new` and remember `old` for undo; when the save fails, what was saved before it is
/// carried in the error ([`EditError::Stopped`]) so the caller can still undo it.
fn save_step(
    lib: &mut Library,
    new: Clipping,
    old: Clipping,
    before: &mut Vec<Clipping>,
) -> Result<(), EditError> {
    if let Err(source) = lib.save(new) {
        return Err(if before.is_empty() {
            source.into()
        } else {
            EditError::Stopped {
                before: std::mem::take(before),
                source,
            }
        });
    }
    before.push(old);
    Ok(())
}

fn change_one(
    lib: &mut Library,
    id: &ClipId,
    f: impl FnOnce(&mut Clipping) -> Result<(), EditError>,
) -> Result<Changed, EditError> {
    let mut f = Some(f);
    change(lib, std::slice::from_ref(id), |c| match f.take() {
        Some(f) => f(c),
        None => Ok(()),
    })
}

/// Save records as they were before an edit (undo, and redo of an undo). Returns the records
/// as they were just before this, so the step can be reversed again. Records whose clipping
/// is gone (trashed since) are skipped.
pub fn put_back(lib: &mut Library, records: Vec<Clipping>) -> Result<Changed, EditError> {
    let mut before = Vec::new();
    for record in records {
        let Some(now) = lib.get(&record.id).cloned() else {
            continue;
        };
        save_step(lib, record, now, &mut before)?;
    }
    Ok(Changed { before })
}

// --- tags -----------------------------------------------------------------------------------

/// Add a tag to a list unless the list has it (in any case); keeps the list sorted. True when
/// it was added.
pub fn add_tag_to(tags: &mut Vec<String>, tag: &str) -> bool {
    let tag = normalize_tag(tag);
    if tag.is_empty() || tags.iter().any(|t| same_tag(t, &tag)) {
        return false;
    }
    tags.push(tag);
    tags.sort();
    true
}

/// Take a tag (in any case) out of a list. True when it was there.
pub fn remove_tag_from(tags: &mut Vec<String>, tag: &str) -> bool {
    let len = tags.len();
    tags.retain(|t| !same_tag(t, tag));
    tags.len() != len
}

/// A "+tag" / "-tag" word of the command line (a bare word adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagChange {
    Add(String),
    Remove(String),
}

impl TagChange {
    pub fn parse(word: &str) -> TagChange {
        match word.strip_prefix('-') {
            Some(name) => TagChange::Remove(name.to_string()),
            None => TagChange::Add(word.strip_prefix('+').unwrap_or(word).to_string()),
        }
    }
}

/// Add a tag to each clipping of `ids`.
pub fn add_tag(lib: &mut Library, ids: &[ClipId], tag: &str) -> Result<Changed, EditError> {
    if normalize_tag(tag).is_empty() {
        return Err(EditError::EmptyTag);
    }
    change(lib, ids, |c| {
        add_tag_to(&mut c.tags, tag);
        Ok(())
    })
}

/// Take a tag off each clipping of `ids`.
pub fn remove_tag(lib: &mut Library, ids: &[ClipId], tag: &str) -> Result<Changed, EditError> {
    change(lib, ids, |c| {
        remove_tag_from(&mut c.tags, tag);
        Ok(())
    })
}

/// Add and remove tags of one clipping in one save, in the order given. Empty tags are skipped.
pub fn change_tags(
    lib: &mut Library,
    id: &ClipId,
    changes: &[TagChange],
) -> Result<Changed, EditError> {
    change_one(lib, id, |c| {
        for change in changes {
            match change {
                TagChange::Add(tag) => add_tag_to(&mut c.tags, tag),
                TagChange::Remove(tag) => remove_tag_from(&mut c.tags, tag),
            };
        }
        Ok(())
    })
}

/// `tag` renamed: `from` itself becomes `to`, and a tag under it ("from/child") moves under
/// `to` ("to/child"). Levels compare without regard to case. None when `tag` is neither.
pub fn renamed_tag(tag: &str, from: &str, to: &str) -> Option<String> {
    let levels: Vec<&str> = tag.split('/').collect();
    let from = normalize_tag(from);
    let from_levels: Vec<&str> = from.split('/').collect();
    if from.is_empty() || levels.len() < from_levels.len() {
        return None;
    }
    let matches = levels
        .iter()
        .zip(&from_levels)
        .all(|(a, b)| a.to_lowercase() == b.to_lowercase());
    if !matches {
        return None;
    }
    let rest = &levels[from_levels.len()..];
    Some(if rest.is_empty() {
        to.to_string()
    } else {
        format!("{to}/{}", rest.join("/"))
    })
}

/// Rename in a tag list; a renamed tag that meets one already there (in any case) merges into
/// it, spelled as renamed. True when anything changed.
fn rename_in(tags: &mut Vec<String>, from: &str, to: &str) -> bool {
    let mut merged: std::collections::BTreeMap<String, (String, bool)> = Default::default();
    let mut any = false;
    for tag in tags.iter() {
        let (tag, renamed) = match renamed_tag(tag, from, to) {
            Some(new) => {
                any = true;
                (new, true)
            }
            None => (tag.clone(), false),
        };
        match merged.entry(tag_key(&tag)) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert((tag, renamed));
            }
            std::collections::btree_map::Entry::Occupied(mut e) => {
                if renamed && !e.get().1 {
                    e.insert((tag, renamed));
                }
            }
        }
    }
    if !any {
        return false;
    }
    let mut out: Vec<String> = merged.into_values().map(|(t, _)| t).collect();
    out.sort();
    *tags = out;
    true
}

/// Rename a tag (and the tags under it) across the library, on clippings and their
/// highlights; renaming into a tag that exists merges the two. The tag's color moves with it
/// (unless `to` has its own).
pub fn rename_tag(lib: &mut Library, from: &str, to: &str) -> Result<Changed, EditError> {
    let to = normalize_tag(to);
    let from = normalize_tag(from);
    if to.is_empty() || from.is_empty() {
        return Err(EditError::EmptyTag);
    }
    if to == from {
        return Ok(Changed::default());
    }
    let ids: Vec<ClipId> = lib
        .clippings()
        .filter(|c| {
            c.tags.iter().any(|t| renamed_tag(t, &from, &to).is_some())
                || c.highlights
                    .iter()
                    .any(|h| h.tags.iter().any(|t| renamed_tag(t, &from, &to).is_some()))
        })
        .map(Clipping::clip_id)
        .collect();
    let changed = change(lib, &ids, |c| {
        rename_in(&mut c.tags, &from, &to);
        for h in &mut c.highlights {
            rename_in(&mut h.tags, &from, &to);
        }
        Ok(())
    })?;
    if let Some(color) = lib.settings().tag_colors.get(&from).copied() {
        lib.update_settings(|s| {
            s.tag_colors.remove(&from);
            s.tag_colors.entry(to.clone()).or_insert(color);
        })
        .map_err(|source| EditError::Stopped {
            before: changed.before.clone(),
            source,
        })?;
    }
    Ok(changed)
}

/// Set or clear a tag's color in the library settings.
pub fn set_tag_color(
    lib: &mut Library,
    tag: &str,
    color: Option<[u8; 3]>,
) -> Result<(), EditError> {
    lib.update_settings(|s| match color {
        Some(rgb) => {
            s.tag_colors.insert(tag.to_string(), rgb);
        }
        None => {
            s.tag_colors.remove(tag);
        }
    })?;
    Ok(())
}

// --- notes and fields -------------------------------------------------------------------------

/// Replace a clipping's notes.
pub fn set_notes(lib: &mut Library, id: &ClipId, notes: &str) -> Result<Changed, EditError> {
    change_one(lib, id, |c| {
        c.notes = notes.to_string();
        Ok(())
    })
}

/// Add a paragraph to a clipping's notes.
pub fn append_notes(lib: &mut Library, id: &ClipId, text: &str) -> Result<Changed, EditError> {
    change_one(lib, id, |c| {
        c.notes = if c.notes.trim().is_empty() {
            text.to_string()
        } else {
            format!("{}\n\n{text}", c.notes.trim_end())
        };
        Ok(())
    })
}

/// Why a value typed for a field cannot be kept, in words for the reader. Published dates are
/// ISO: YYYY, YYYY-MM or YYYY-MM-DD with a real month and day.
pub fn validate_field(field: Field, value: &str) -> Result<(), String> {
    if field != Field::Published || value.trim().is_empty() {
        return Ok(());
    }
    let value = value.trim();
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let wrong = || {
        format!(
            "\u{201c}{value}\u{201d} is not a date: write the year, year and month, or full date as 2014, 2014-11 or 2014-11-05"
        )
    };
    if parts.len() > 3 || !digits(parts[0], 4) || parts[1..].iter().any(|p| !digits(p, 2)) {
        return Err(wrong());
    }
    let year: u32 = parts[0].parse().map_err(|_| wrong())?;
    if let Some(month) = parts.get(1) {
        let month: u32 = month.parse().map_err(|_| wrong())?;
        if !(1..=12).contains(&month) {
            return Err(format!("{value}: the month must be 01 to 12"));
        }
        if let Some(day) = parts.get(2) {
            let day: u32 = day.parse().map_err(|_| wrong())?;
            let leap =
                year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if !(1..=days).contains(&day) {
                return Err(format!("{value}: that month has days 01 to {days}"));
            }
        }
    }
    Ok(())
}

/// Correct a parsed field (an empty value clears it); the parse itself is kept.
pub fn set_field(
    lib: &mut Library,
    id: &ClipId,
    field: Field,
    value: &str,
) -> Result<Changed, EditError> {
    validate_field(field, value).map_err(EditError::InvalidField)?;
    change_one(lib, id, |c| {
        c.overrides.fields.insert(field, value.trim().to_string());
        Ok(())
    })
}

/// Drop the correction of a field: the parsed value shows again.
pub fn reset_field(lib: &mut Library, id: &ClipId, field: Field) -> Result<Changed, EditError> {
    change_one(lib, id, |c| {
        c.overrides.fields.remove(&field);
        Ok(())
    })
}

// --- trash ------------------------------------------------------------------------------------

/// Move a clipping to the trash; [`restore`] undoes it. Returns the record trashed.
pub fn trash(lib: &mut Library, id: &ClipId) -> Result<Clipping, EditError> {
    Ok(lib.trash(id.as_str())?)
}

/// Bring a clipping back from the trash (an id or a unique prefix of one).
pub fn restore(lib: &mut Library, id: &str) -> Result<Clipping, EditError> {
    Ok(lib.restore(id)?.clone())
}

// --- highlights -------------------------------------------------------------------------------

/// The text highlights of a clipping are anchored in: its body paragraphs joined.
pub fn reading_text(lib: &Library, id: &ClipId) -> Result<String, EditError> {
    let text = lib.text(id.as_str())?;
    Ok(anchor::reading_text(&parse::parse_article(&text)))
}

/// The one order of a clipping's highlights: placed ones by position, orphans last.
fn sort_highlights(highlights: &mut [Highlight]) {
    highlights.sort_by_key(|h| (h.orphan, h.start, h.end));
}

/// A highlight to make over characters of the reading text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewHighlight {
    pub start: usize,
    pub end: usize,
    pub color: HighlightColor,
    pub comment: String,
    pub tags: Vec<String>,
}

/// Highlight the characters `start..end` of the clipping's reading text ([`reading_text`]).
/// Returns the new highlight's id.
pub fn add_highlight(
    lib: &mut Library,
    id: &ClipId,
    new: NewHighlight,
) -> Result<(HighlightId, Changed), EditError> {
    let doc = reading_text(lib, id)?;
    let hid = crate::model::new_highlight_id();
    let mut h = anchor::new_highlight(
        &doc,
        new.start,
        new.end,
        new.color,
        hid.clone(),
        crate::model::now_utc(),
    )
    .filter(|h| h.start < h.end)
    .ok_or(EditError::NoPassage {
        start: new.start,
        end: new.end,
    })?;
    h.comment = new.comment;
    for tag in &new.tags {
        add_tag_to(&mut h.tags, tag);
    }
    let changed = add_highlights(lib, id, vec![h])?;
    Ok((HighlightId(hid), changed))
}

/// Add made highlights (copies from another version of the story) to a clipping.
pub fn add_highlights(
    lib: &mut Library,
    id: &ClipId,
    highlights: Vec<Highlight>,
) -> Result<Changed, EditError> {
    change_one(lib, id, |c| {
        c.highlights.extend(highlights);
        sort_highlights(&mut c.highlights);
        Ok(())
    })
}

/// Change one highlight of a clipping.
pub fn change_highlight(
    lib: &mut Library,
    id: &ClipId,
    hid: &HighlightId,
    f: impl FnOnce(&mut Highlight),
) -> Result<Changed, EditError> {
    change_one(lib, id, |c| {
        let h = c
            .highlights
            .iter_mut()
            .find(|h| h.id == hid.as_str())
            .ok_or_else(|| EditError::NoHighlight {
                clip: id.clone(),
                highlight: hid.clone(),
            })?;
        f(h);
        Ok(())
    })
}

pub fn set_highlight_color(
    lib: &mut Library,
    id: &ClipId,
    hid: &HighlightId,
    color: HighlightColor,
) -> Result<Changed, EditError> {
    change_highlight(lib, id, hid, |h| h.color = color)
}

pub fn set_highlight_comment(
    lib: &mut Library,
    id: &ClipId,
    hid: &HighlightId,
    comment: &str,
) -> Result<Changed, EditError> {
    change_highlight(lib, id, hid, |h| h.comment = comment.to_string())
}

pub fn add_highlight_tag(
    lib: &mut Library,
    id: &ClipId,
    hid: &HighlightId,
    tag: &str,
) -> Result<Changed, EditError> {
    if normalize_tag(tag).is_empty() {
        return Err(EditError::EmptyTag);
    }
    change_highlight(lib, id, hid, |h| {
        add_tag_to(&mut h.tags, tag);
    })
}

pub fn remove_highlight_tag(
    lib: &mut Library,
    id: &ClipId,
    hid: &HighlightId,
    tag: &str,
) -> Result<Changed, EditError> {
    change_highlight(lib, id, hid, |h| {
        remove_tag_from(&mut h.tags, tag);
    })
}

/// Delete a highlight.
pub fn remove_highlight(
    lib: &mut Library,
    id: &ClipId,
    hid: &HighlightId,
) -> Result<Changed, EditError> {
    change_one(lib, id, |c| {
        let len = c.highlights.len();
        c.highlights.retain(|h| h.id != hid.as_str());
        if c.highlights.len() == len {
            return Err(EditError::NoHighlight {
                clip: id.clone(),
                highlight: hid.clone(),
            });
        }
        Ok(())
    })
}

/// Re-attach a highlight (an orphan) to the characters `start..end` of the reading text.
pub fn attach_highlight(
    lib: &mut Library,
    id: &ClipId,
    hid: &HighlightId,
    start: usize,
    end: usize,
) -> Result<Changed, EditError> {
    let doc = reading_text(lib, id)?;
    change_one(lib, id, |c| {
        let h = c
            .highlights
            .iter_mut()
            .find(|h| h.id == hid.as_str())
            .ok_or_else(|| EditError::NoHighlight {
                clip: id.clone(),
                highlight: hid.clone(),
            })?;
        if !anchor::attach(&doc, h, start, end) {
            return Err(EditError::NoPassage { start, end });
        }
        sort_highlights(&mut c.highlights);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_compare_without_case_and_keep_the_first_spelling() {
        let mut tags = vec!["Russia".to_string()];
        assert!(!add_tag_to(&mut tags, "russia"));
        assert!(!add_tag_to(&mut tags, "  RUSSIA "));
        assert_eq!(tags, ["Russia"]);
        assert!(add_tag_to(&mut tags, "economy"));
        assert_eq!(tags, ["Russia", "economy"]);
        assert!(remove_tag_from(&mut tags, "ECONOMY"));
        assert_eq!(tags, ["Russia"]);
        assert!(!add_tag_to(&mut tags, " / "));
    }

    #[test]
    fn renaming_moves_children_and_merges_with_the_new_spelling() {
        assert_eq!(
            renamed_tag("Russia/Syria", "russia", "ru"),
            Some("ru/Syria".into())
        );
        assert_eq!(renamed_tag("russian", "russia", "ru"), None);
        assert_eq!(renamed_tag("russia", "russia/syria", "x"), None);
        let mut tags = vec!["a".to_string(), "B".to_string(), "b/c".to_string()];
        assert!(rename_in(&mut tags, "a", "b"));
        assert_eq!(tags, ["b", "b/c"]);
        assert!(!rename_in(&mut tags, "zzz", "y"));
    }

    #[test]
    fn tag_words_of_the_command_line() {
        assert_eq!(TagChange::parse("+a"), TagChange::Add("a".into()));
        assert_eq!(TagChange::parse("a"), TagChange::Add("a".into()));
        assert_eq!(TagChange::parse("-a"), TagChange::Remove("a".into()));
    }

    #[test]
    fn published_dates_are_iso_and_real() {
        for ok in ["2014", "2014-11", "2014-11-05", "2016-02-29", ""] {
            assert!(validate_field(Field::Published, ok).is_ok(), "{ok}");
        }
        for bad in [
            "Nov 2014",
            "14-11-05",
            "2014-13",
            "2015-02-29",
            "2014-11-5",
            "2014/11",
        ] {
            assert!(validate_field(Field::Published, bad).is_err(), "{bad}");
        }
        assert!(validate_field(Field::Headline, "Nov 2014").is_ok());
    }

    fn library_with_sample() -> (tempfile::TempDir, Library, ClipId) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut lib =
            Library::open(dir.path(), crate::library::OpenMode::ReadWrite).expect("open library");
        let id = match lib.import_text(crate::sample::SEED_NAME, crate::sample::SEED_TEXT) {
            Ok(crate::library::Outcome::Imported { id, .. }) => ClipId(id),
            other => panic!("sample not imported: {other:?}"),
        };
        (dir, lib, id)
    }

    #[test]
    fn an_edit_returns_the_record_before_and_put_back_restores_it() {
        let (_dir, mut lib, id) = library_with_sample();
        let original = lib.get(id.as_str()).cloned().expect("imported");
        let changed = add_tag(&mut lib, std::slice::from_ref(&id), "Russia").expect("tagged");
        assert_eq!(changed.before, std::slice::from_ref(&original));
        // The same tag in another case changes nothing.
        let again = add_tag(&mut lib, std::slice::from_ref(&id), "russia").expect("no-op");
        assert!(again.is_empty());
        let tagged = lib.get(id.as_str()).cloned().expect("there");
        assert_eq!(tagged.tags, ["Russia"]);
        let redo = put_back(&mut lib, changed.before).expect("undone");
        assert_eq!(redo.before, [tagged]);
        assert_eq!(lib.get(id.as_str()), Some(&original));
    }

    #[test]
    fn highlights_are_added_in_text_order_and_missing_ones_are_errors() {
        let (_dir, mut lib, id) = library_with_sample();
        let new = |start, end| NewHighlight {
            start,
            end,
            tags: vec!["Quote".into(), "quote".into()],
            ..Default::default()
        };
        let (late, _) = add_highlight(&mut lib, &id, new(40, 60)).expect("late");
        let (early, _) = add_highlight(&mut lib, &id, new(0, 10)).expect("early");
        let c = lib.get(id.as_str()).expect("there");
        let order: Vec<&str> = c.highlights.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(order, [early.as_str(), late.as_str()]);
        assert_eq!(c.highlights[0].tags, ["Quote"]);
        let gone = HighlightId::from("h-nope");
        assert!(matches!(
            set_highlight_color(&mut lib, &id, &gone, HighlightColor::Blue),
            Err(EditError::NoHighlight { .. })
        ));
        assert!(matches!(
            add_highlight(&mut lib, &id, new(5, 5)),
            Err(EditError::NoPassage { .. })
        ));
        let removed = remove_highlight(&mut lib, &id, &early).expect("removed");
        assert_eq!(removed.len(), 1);
        assert_eq!(lib.get(id.as_str()).map(|c| c.highlights.len()), Some(1));
    }

    #[test]
    fn a_wrong_date_is_refused_before_anything_is_saved() {
        let (_dir, mut lib, id) = library_with_sample();
        let before = lib.get(id.as_str()).cloned();
        assert!(matches!(
            set_field(&mut lib, &id, Field::Published, "Nov 2014"),
            Err(EditError::InvalidField(_))
        ));
        assert_eq!(lib.get(id.as_str()).cloned(), before);
        let changed = set_field(&mut lib, &id, Field::Published, " 2014-11 ").expect("set");
        assert_eq!(changed.len(), 1);
        assert_eq!(
            lib.get(id.as_str()).and_then(|c| c.field(Field::Published)),
            Some("2014-11")
        );
        let reset = reset_field(&mut lib, &id, Field::Published).expect("reset");
        assert_eq!(reset.len(), 1);
        assert_eq!(lib.get(id.as_str()).cloned(), before);
    }

    #[test]
    fn renaming_a_tag_reaches_every_clipping_and_its_color() {
        let (_dir, mut lib, id) = library_with_sample();
        let tagged = change_tags(
            &mut lib,
            &id,
            &[TagChange::parse("+Russia/Syria"), TagChange::parse("+news")],
        )
        .expect("tagged");
        assert_eq!(tagged.len(), 1);
        set_tag_color(&mut lib, "russia", Some([1, 2, 3])).expect("color");
        let changed = rename_tag(&mut lib, "russia", "ru").expect("renamed");
        assert_eq!(changed.len(), 1);
        assert_eq!(
            lib.get(id.as_str()).map(|c| c.tags.clone()),
            Some(vec!["news".to_string(), "ru/Syria".to_string()])
        );
        assert_eq!(lib.settings().tag_colors.get("ru"), Some(&[1, 2, 3]));
        assert!(!lib.settings().tag_colors.contains_key("russia"));
        assert!(matches!(
            rename_tag(&mut lib, "news", " "),
            Err(EditError::EmptyTag)
        ));
    }
}
