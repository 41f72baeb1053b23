//! Annotating and exporting in the real app, driven headless through egui_kittest: highlight a
//! selection, comment, recolor, remove and undo; tags with autocomplete, tag filters, renaming
//! a tag across clippings; notes surviving a restart; an export from the dialog.

use std::path::Path;
use std::time::Duration;

use clipfile::model::HighlightColor;
use clipfile::sample;
use clipfile::ui::ClipfileApp;
use clipfile::ui::app::{NOTES_DEBOUNCE, Prefs};
use clipfile::ui::state::Action;
use egui::text::{CCursor, CCursorRange};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::support::{self, import_and_wait};

fn harness(root: &Path) -> Harness<'static, ClipfileApp> {
    support::harness(root, egui::vec2(1280.0, 900.0), Prefs::default())
}

/// A harness with the sample clipping loaded and selected.
fn with_seed(root: &Path) -> Harness<'static, ClipfileApp> {
    let mut h = harness(root);
    h.run_steps(1);
    h.get_by_label("Load sample clipping").click();
    h.run_steps(3);
    h
}

fn reading_text(h: &mut Harness<'static, ClipfileApp>) -> String {
    h.state_mut().state.reading().expect("reading").text.clone()
}

fn selected(h: &Harness<'static, ClipfileApp>) -> clipfile::model::Clipping {
    h.state()
        .state
        .selected_clipping()
        .expect("selected")
        .clone()
}

/// Select characters `start..end` of the reader's text, as a mouse drag would.
fn select_in_reader(h: &mut Harness<'static, ClipfileApp>, start: usize, end: usize) {
    let id = egui::Id::unique(("reader_body", selected(h).id.as_str()));
    h.ctx.memory_mut(|m| m.request_focus(id));
    h.run_steps(1);
    let mut state = egui::text_edit::TextEditState::load(&h.ctx, id).unwrap_or_default();
    state.cursor.set_char_range(Some(CCursorRange::two(
        CCursor::new(start),
        CCursor::new(end),
    )));
    state.store(&h.ctx, id);
    h.run_steps(2);
}

fn char_range_of(text: &str, quote: &str) -> (usize, usize) {
    let byte = text.find(quote).expect("quote in text");
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

const QUOTE: &str = "tighten cooperation in the fight against the Islamic State group";

#[test]
fn highlight_a_selection_then_comment_recolor_remove_and_undo() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = with_seed(&tmp.path().join("lib"));
    let text = reading_text(&mut h);
    let (start, end) = char_range_of(&text, QUOTE);
    select_in_reader(&mut h, start, end);
    assert_eq!(h.state().state.text_selection, Some((start, end)));

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::H);
    h.run_steps(3);
    let c = selected(&h);
    assert_eq!(c.highlights.len(), 1);
    let hl = &c.highlights[0];
    assert_eq!(hl.quote, QUOTE);
    assert_eq!((hl.start, hl.end), (start, end));
    assert!(
        hl.prefix.ends_with("and Russia agreed Thursday to "),
        "{:?}",
        hl.prefix
    );
    assert_eq!(hl.prefix.chars().count(), 32);
    assert!(text[..].contains(&format!("{}{}{}", hl.prefix, hl.quote, hl.suffix)));
    assert_eq!(hl.suffix.chars().count(), 32);
    assert_eq!(hl.color, HighlightColor::Yellow);
    // Listed in the detail panel, and opened for editing.
    h.get_by_label("Highlights (1)");
    assert_eq!(
        h.state().state.open_highlight.as_deref(),
        Some(hl.id.as_str())
    );

    // Comment.
    let comment = h.get_by_label("Comment");
    comment.focus();
    h.run_steps(1);
    h.get_by_label("Comment")
        .type_text("Cooperation, not a coalition.");
    h.run_steps(1);
    h.get_by_label("Save comment").click();
    h.run_steps(3);
    assert_eq!(
        selected(&h).highlights[0].comment,
        "Cooperation, not a coalition."
    );
    h.get_by_label("Cooperation, not a coalition.");

    // Recolor.
    h.get_by_label("Color blue").click();
    h.run_steps(3);
    assert_eq!(selected(&h).highlights[0].color, HighlightColor::Blue);

    // Remove, then undo with Ctrl+Z.
    h.get_by_label("Remove highlight").click();
    h.run_steps(3);
    assert!(selected(&h).highlights.is_empty());
    h.get_by_label("Highlights (0)");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    let back = selected(&h);
    assert_eq!(back.highlights.len(), 1);
    assert_eq!(back.highlights[0].color, HighlightColor::Blue);
    assert_eq!(back.highlights[0].comment, "Cooperation, not a coalition.");
    // Redo removes it again.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_steps(3);
    assert!(selected(&h).highlights.is_empty());
}

#[test]
fn the_toolbar_highlights_the_kept_selection_in_a_color() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = with_seed(&tmp.path().join("lib"));
    let text = reading_text(&mut h);
    let (start, end) = char_range_of(&text, "Syrian President Bashar Assad");
    select_in_reader(&mut h, start, end);
    // Clicking the button takes focus from the text; the selection is kept all the same.
    h.get_by_label("Highlight in pink").click();
    h.run_steps(3);
    let c = selected(&h);
    assert_eq!(c.highlights.len(), 1);
    assert_eq!(c.highlights[0].quote, "Syrian President Bashar Assad");
    assert_eq!(c.highlights[0].color, HighlightColor::Pink);
    // It is on disk.
    let ron = std::fs::read_to_string(
        tmp.path()
            .join("lib/clippings")
            .join(format!("{}.ron", c.id)),
    )
    .expect("ron");
    assert!(ron.contains("Syrian President Bashar Assad"));
}

fn write_article(dir: &Path, name: &str, headline: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("{headline}\n\nPARIS -- Officials met on Monday to talk about {headline}.\n\nMore words follow here.\n"),
    )
    .expect("w");
    path
}

#[test]
fn tags_autocomplete_filter_and_rename_across_clippings() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = write_article(tmp.path(), "a.txt", "Talks on Syria resume");
    let b = write_article(tmp.path(), "b.txt", "Kremlin hosts French president");
    let c = write_article(tmp.path(), "c.txt", "Markets close higher");
    let mut h = harness(&tmp.path().join("lib"));
    h.run_steps(1);
    import_and_wait(&mut h, vec![a, b, c]);

    h.get_all_by_label("Talks on Syria resume")
        .next()
        .expect("row")
        .click();
    h.run_steps(2);
    let field = h.get_by_label("Add tag");
    field.focus();
    h.run_steps(1);
    h.get_by_label("Add tag").type_text("syria/diplomacy");
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(selected(&h).tags, ["syria/diplomacy"]);

    // Autocomplete: typing part of it on another clipping offers the existing tag.
    h.get_all_by_label("Kremlin hosts French president")
        .next()
        .expect("row")
        .click();
    h.run_steps(2);
    h.get_by_label("Add tag").focus();
    h.run_steps(1);
    h.get_by_label("Add tag").type_text("diplo");
    h.run_steps(2);
    h.get_by_label("syria/diplomacy").click();
    h.run_steps(3);
    assert_eq!(selected(&h).tags, ["syria/diplomacy"]);

    // The tag list counts it twice; clicking it filters the list to those two.
    h.get_by_label("syria/diplomacy 2").click();
    h.run_steps(3);
    assert_eq!(h.state_mut().state.visible().len(), 2);
    assert!(h.query_by_label("Markets close higher").is_none());
    // A parent tag matches its children.
    h.state_mut().apply(Action::ClearFilters);
    h.state_mut().apply(Action::ToggleTagFilter("syria".into()));
    assert_eq!(h.state_mut().state.visible().len(), 2);
    h.state_mut().apply(Action::ClearFilters);
    h.run_steps(2);

    // Rename across both clippings from the tag's context menu.
    h.get_by_label("syria/diplomacy 2").click_secondary();
    h.run_steps(2);
    h.get_by_label("Rename or merge…").click();
    h.run_steps(2);
    let field = h.get_by_label("New tag name");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("New tag name")
        .type_text("middle-east/syria");
    h.run_steps(1);
    h.get_by_label("Rename").click();
    h.run_steps(3);
    let lib = h.state().state.library().expect("lib");
    let tagged: Vec<&str> = lib
        .clippings()
        .filter(|c| c.tags == ["middle-east/syria"])
        .map(|c| c.title())
        .collect();
    assert_eq!(tagged.len(), 2, "{tagged:?}");
    assert!(
        lib.clippings()
            .all(|c| !c.tags.contains(&"syria/diplomacy".to_string()))
    );
    h.get_by_label("middle-east/syria 2");

    // Several selected with Ctrl-click are tagged at once.
    h.get_all_by_label("Markets close higher")
        .next()
        .expect("row")
        .click();
    h.run_steps(1);
    h.get_all_by_label("Talks on Syria resume")
        .next()
        .expect("row")
        .click_modifiers(egui::Modifiers::COMMAND);
    h.run_steps(2);
    assert_eq!(h.state().state.multi.len(), 2);
    h.state_mut().apply(Action::AddTag("batch".into()));
    let lib = h.state().state.library().expect("lib");
    assert_eq!(
        lib.clippings()
            .filter(|c| c.tags.contains(&"batch".to_string()))
            .count(),
        2
    );
}

#[test]
fn a_note_survives_rebuilding_the_app_from_disk() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    {
        let mut h = with_seed(&root);
        let notes = h.get_by_label("Your notes");
        notes.focus();
        h.run_steps(1);
        h.get_by_label("Your notes")
            .type_text("Compare with the **Bloomberg** version.");
        h.run_steps(2);
        assert_eq!(
            h.state().annotations.notes.text,
            "Compare with the **Bloomberg** version."
        );
        h.get_by_label("Editing…");
        // Saved by itself a moment after the last keystroke.
        std::thread::sleep(NOTES_DEBOUNCE + Duration::from_millis(100));
        h.run_steps(2);
        h.get_by_label("Saved");
    }
    let mut h = harness(&root);
    h.run_steps(3);
    let lib = h.state().state.library().expect("lib");
    let seed = lib.clippings().next().expect("seed");
    assert_eq!(seed.notes, "Compare with the **Bloomberg** version.");
    assert_eq!(
        seed.title(),
        sample::SEED_TEXT.lines().next().expect("line")
    );
}

#[test]
fn export_from_the_dialog_into_a_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let mut h = with_seed(&tmp.path().join("lib"));
    h.state_mut().apply(Action::AddTag("syria".into()));
    h.run_steps(1);
    h.get_by_label("Export…").click();
    h.run_steps(2);
    h.get_by_label("Markdown (Obsidian, Logseq)").click();
    h.run_steps(1);
    let target = out.join("seed.md");
    let field = h.get_by_label("Export to");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Export to")
        .type_text(target.to_str().expect("utf8"));
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::Button, "Export")
        .click();
    h.run_steps(3);
    let md = std::fs::read_to_string(&target).expect("exported file");
    assert!(
        md.starts_with("---\ntitle: \"Joining forces against ISIS, 2 nations say\""),
        "{md}"
    );
    assert!(md.contains("syria"));
    let notice = h.state().state.notice().cloned().expect("notice").text;
    assert!(
        notice.starts_with("Exported 1 clipping as Markdown"),
        "{notice}"
    );

    // Exporting again asks before replacing.
    h.get_by_label("Export…").click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Export")
        .click();
    h.run_steps(2);
    h.get_by_label("Replace").click();
    h.run_steps(2);
    assert!(h.state().export.is_none());
}

// ---- Issue 19 ----

#[test]
fn a_selection_snaps_to_whole_words_and_escape_closes_the_highlight() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = with_seed(&tmp.path().join("lib"));
    let text = reading_text(&mut h);
    // "ghten cooperat": the middle of two words.
    let (start, end) = char_range_of(&text, "ghten cooperat");
    select_in_reader(&mut h, start, end);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::H);
    h.run_steps(3);
    let quotes: Vec<String> = selected(&h)
        .highlights
        .iter()
        .map(|x| x.quote.clone())
        .collect();
    assert_eq!(quotes, ["tighten cooperation"]);
    assert!(h.state().state.open_highlight.is_some());
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(
        h.state().state.open_highlight.is_none(),
        "Escape closes the highlight"
    );
    // Removing it says so and offers Undo; the notice offers no old import report.
    let hid = selected(&h).highlights[0].id.clone();
    h.state_mut().apply(Action::RemoveHighlight(hid));
    h.run_steps(2);
    h.get_by_label("Removed the highlight");
    h.get_by_label("Undo").click();
    h.run_steps(2);
    assert_eq!(selected(&h).highlights.len(), 1);
    assert!(h.query_by_label("Show details").is_none());
}

#[test]
fn the_tag_tree_nests_children_counts_them_and_shows_rename() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    {
        let mut lib =
            clipfile::library::Library::open(&root, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        lib.import_text("a.txt", "Talks in Damascus\n\nRussia and Syria met.\n")
            .expect("a");
        lib.import_text("b.txt", "Talks in Ankara\n\nRussia and Turkey met.\n")
            .expect("b");
        let ids: Vec<String> = lib.clippings().map(|c| c.id.clone()).collect();
        lib.update(&ids[0], |c| c.tags = vec!["russia/syria".into()])
            .expect("tag");
        lib.update(&ids[1], |c| c.tags = vec!["russia/turkey".into()])
            .expect("tag");
    }
    let mut h = harness(&root);
    h.run_steps(3);
    // "russia" is there as a parent, counting both clippings under it.
    h.get_by_label("russia 2");
    h.get_by_label("russia/syria 1");
    h.get_by_label("russia/turkey 1");
    // Rename is one visible button away; its field takes the keyboard at once.
    h.get_by_label("Actions for russia/syria").click();
    h.run_steps(2);
    h.get_by_label("Rename or merge…").click();
    h.run_steps(3);
    h.input_mut()
        .events
        .push(egui::Event::Text("middle-east/syria".into()));
    h.run_steps(2);
    h.get_by_label("Rename").click();
    h.run_steps(3);
    assert_eq!(
        h.state().state.notice().map(|n| n.text.clone()).as_deref(),
        Some("Renamed tag russia/syria to middle-east/syria in 1 clipping")
    );
    h.get_by_label("middle-east 1");
    h.get_by_label("russia 1");
}

/// An orphaned highlight is re-attached with one click: select the passage, "Attach here".
#[test]
fn orphan_is_attached_to_the_selection_with_one_click() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = with_seed(&tmp.path().join("lib"));
    let text = reading_text(&mut h);
    let (start, end) = char_range_of(&text, QUOTE);
    select_in_reader(&mut h, start, end);
    h.state_mut()
        .apply(Action::HighlightSelection(HighlightColor::Yellow));
    h.run_steps(2);
    // The quote is rewritten out of recognition: an orphan.
    let id = selected(&h).id.clone();
    h.state_mut().apply(Action::OpenHighlight(None));
    if let Some(lib) = h.state_mut().state.library.as_mut() {
        lib.update(&id, |c| {
            let hl = &mut c.highlights[0];
            hl.quote = "a passage that was never in this article at all".into();
            hl.orphan = true;
            hl.anchor_state = clipfile::model::AnchorState::Orphan;
        })
        .expect("update");
    }
    h.run_steps(2);
    assert!(selected(&h).highlights[0].orphan);
    let target = "intensifying their airstrikes against the Islamic State";
    let (s, e) = char_range_of(&text, target);
    select_in_reader(&mut h, s, e);
    // The orphan's buttons sit below the fold of the detail panel: scroll them into view first
    // (the scroll animates over a few frames).
    h.get_by_label("Attach here").scroll_to_me();
    h.run_steps(10);
    h.get_by_label("Attach here").click();
    h.run_steps(2);
    let hl = selected(&h).highlights[0].clone();
    assert!(!hl.orphan);
    assert_eq!(hl.quote, target);
    assert_eq!(hl.anchor_state, clipfile::model::AnchorState::Moved);
    assert_eq!(
        hl.original_quote,
        "a passage that was never in this article at all"
    );
}

/// A single-file export into a folder that does not exist yet creates it; the HTML renders the
/// Markdown notes (no raw `**`) and shows captions once.
#[test]
fn export_into_a_new_folder_renders_markdown_notes_in_html() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = with_seed(&tmp.path().join("lib"));
    let id = h.state().state.selected.clone().expect("selected");
    h.state_mut().apply(Action::SetNotes {
        id,
        text: "**Compare** with <b>last</b> week".into(),
    });
    h.run_steps(1);
    h.get_by_label("Export…").click();
    h.run_steps(2);
    h.get_by_label("HTML page (printable)").click();
    h.run_steps(1);
    let target = tmp.path().join("not").join("yet").join("seed.html");
    h.get_by_label("Export to").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Export to")
        .type_text(target.to_str().expect("utf8"));
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::Button, "Export")
        .click();
    h.run_steps(3);
    let html = std::fs::read_to_string(&target).expect("exported into the new folder");
    assert!(html.contains("<strong>Compare</strong>"), "{html}");
    assert!(!html.contains("**Compare**"));
    assert!(html.contains("&lt;b&gt;last&lt;/b&gt;"));
    let caption =
        "Russian President Vladimir Putin (right) and French President Francois Hollande meet";
    assert_eq!(html.matches(caption).count(), 1, "caption once");
}
