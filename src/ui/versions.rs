//! Story versions in the app: the "Fold versions" toggle of the list, the Versions section of
//! the detail panel and the side-by-side comparison window with the words added and removed
//! marked (the version index itself is kept by `state::versions`).

use super::commands::Commands;
use super::state::{Action, AppState};
use crate::model::Clipping;
use crate::versions::Change;

/// The "Fold versions" toggle above the list.
pub fn fold_toggle(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    let command = super::commands::UiCommand::ToggleFoldVersions;
    let mut fold = state.versions.fold;
    if ui
        .checkbox(&mut fold, command.label())
        .on_hover_text(command.tooltip())
        .changed()
    {
        commands.action(Action::FoldVersions(fold));
    }
}

/// The Versions section of the detail panel: the other versions of the clipping's story with
/// publication, date, length and similarity (click to open), Compare, and Copy highlights.
pub fn show_in_detail(
    ui: &mut egui::Ui,
    state: &AppState,
    clipping: &Clipping,
    commands: &mut Commands,
) {
    let Some(lib) = state.library() else {
        return;
    };
    let list = state.versions.selected_versions();
    if list.first().is_none_or(|v| v.id != clipping.id) {
        return;
    }
    if list.len() < 2 {
        return;
    }
    ui.separator();
    ui.strong(format!("Versions ({})", list.len()));
    let mut action = None;
    for v in list.iter().skip(1) {
        let Some(other) = lib.get(&v.id) else {
            continue;
        };
        ui.horizontal_wrapped(|ui| {
            let name = v.publication.clone().unwrap_or_else(|| v.headline.clone());
            if ui
                .link(name)
                .on_hover_text(format!("Open “{}”", v.headline))
                .clicked()
            {
                action = Some(Action::Select(v.id.clone()));
            }
            let mut facts = Vec::new();
            if let Some(date) = &v.published {
                facts.push(date.clone());
            }
            facts.push(format!("{} words", v.words));
            if let Some(s) = v.similarity {
                facts.push(format!("{:.0}% alike", s * 100.0));
            }
            ui.weak(facts.join(" · "));
        });
        ui.horizontal(|ui| {
            if ui
                .small_button("Compare")
                .on_hover_text("Show the two versions side by side, changes marked")
                .clicked()
            {
                action = Some(Action::CompareVersions(Some((
                    v.id.clone(),
                    clipping.id.clone(),
                ))));
            }
            let live = other.highlights.iter().filter(|h| !h.orphan).count();
            if live > 0
                && ui
                    .small_button(format!(
                        "Copy {} to this version",
                        crate::library::plural(live, "highlight", "highlights")
                    ))
                    .on_hover_text("Anchor that version's highlights here, marked as copied")
                    .clicked()
            {
                action = Some(Action::CopyHighlightsFrom(v.id.clone()));
            }
        });
    }
    if let Some(action) = action {
        commands.action(action);
    }
}

/// The side-by-side window: the older version on the left with removed words struck through,
/// the newer on the right with added words marked.
pub fn compare_window(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    let Some((old, new)) = state.versions.compare.clone() else {
        return;
    };
    let Some(lib) = state.library() else {
        return;
    };
    let title = |id: &str| {
        lib.get(id).map_or(String::new(), |c| {
            c.field(crate::model::Field::Publication)
                .unwrap_or(c.title())
                .to_string()
        })
    };
    let (left_title, right_title) = (title(&old), title(&new));
    let Some(diff) = state.versions.compare_diff() else {
        return;
    };
    let mut open = true;
    egui::Window::new("Compare versions")
        .open(&mut open)
        .default_size([900.0, 600.0])
        .show(ui.ctx(), |ui| {
            let font = egui::FontId::proportional(14.0);
            let color = ui.visuals().text_color();
            let removed_bg = egui::Color32::from_rgba_unmultiplied(220, 60, 60, 70);
            let added_bg = egui::Color32::from_rgba_unmultiplied(60, 180, 80, 70);
            let side = |keep_removed: bool| {
                let mut job = egui::text::LayoutJob::default();
                for change in diff {
                    let (text, format) = match change {
                        Change::Same(t) => (t, egui::TextFormat::simple(font.clone(), color)),
                        Change::Removed(t) if keep_removed => (
                            t,
                            egui::TextFormat {
                                background: removed_bg,
                                strikethrough: egui::Stroke::new(1.0, color),
                                ..egui::TextFormat::simple(font.clone(), color)
                            },
                        ),
                        Change::Added(t) if !keep_removed => (
                            t,
                            egui::TextFormat {
                                background: added_bg,
                                ..egui::TextFormat::simple(font.clone(), color)
                            },
                        ),
                        _ => continue,
                    };
                    job.append(text, 0.0, format);
                }
                job
            };
            let (left, right) = (side(true), side(false));
            let counts = |f: fn(&Change) -> Option<&String>| {
                diff.iter()
                    .filter_map(f)
                    .map(|t| t.split_whitespace().count())
                    .sum::<usize>()
            };
            let removed = counts(|c| match c {
                Change::Removed(t) => Some(t),
                _ => None,
            });
            let added = counts(|c| match c {
                Change::Added(t) => Some(t),
                _ => None,
            });
            ui.weak(format!("{removed} words removed, {added} words added"));
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.columns(2, |cols| {
                    cols[0].strong(left_title);
                    cols[0].add(egui::Label::new(left).wrap());
                    cols[1].strong(right_title);
                    cols[1].add(egui::Label::new(right).wrap());
                });
            });
        });
    if !open {
        commands.action(Action::CompareVersions(None));
    }
}
