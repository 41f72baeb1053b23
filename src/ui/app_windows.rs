//! The floating windows over the panels, and which of them a command has just opened (those
//! are laid out once more after the drain, in the same frame).

use super::app::ClipfileApp;
use super::import_view;
use super::versions;

impl ClipfileApp {
    /// Which floating windows are open.
    pub(super) fn open_windows(&self) -> OpenWindows {
        OpenWindows {
            import_details: self.info.import_details,
            problems: self.info.problems,
            highlight: self.state.open_highlight.is_some(),
            compare: self.state.versions.compare.is_some(),
            export: self.export.is_some(),
            rename: self.rename_tag.is_some(),
            path: self.path_prompt.is_some(),
            palette: self.palette.is_some(),
        }
    }

    /// The floating windows over the panels: all that are open, or (after the drain) those
    /// that were not open `before` it.
    pub(super) fn draw_windows(&mut self, ui: &mut egui::Ui, before: Option<OpenWindows>) {
        let skip = before.unwrap_or_default();
        if !skip.import_details {
            self.info.show_import_details(ui, &self.state);
        }
        if !skip.problems {
            self.info.show_problems(ui, &self.state);
        }
        if !skip.highlight {
            self.highlight_editor
                .show(ui, &self.state, &mut self.commands);
        }
        if !skip.compare {
            versions::compare_window(ui, &self.state, &mut self.commands);
        }
        if !skip.export
            && let Some(export) = &mut self.export
            && !export.show(ui, &self.state, &mut self.commands)
        {
            self.export = None;
        }
        if !skip.rename
            && let Some(rename) = &mut self.rename_tag
            && !rename.show(ui, &mut self.commands)
        {
            self.rename_tag = None;
        }
        if !skip.path
            && let Some(prompt) = &mut self.path_prompt
            && !prompt.show(ui, &mut self.commands)
        {
            self.path_prompt = None;
        }
        if !skip.palette
            && let Some(palette) = &mut self.palette
            && !palette.show(ui, &self.state, &mut self.commands)
        {
            self.palette = None;
        }
        if before.is_none() {
            import_view::drop_overlay(ui);
        }
    }
}

/// Which floating windows are open (to draw, after the drain, only those it opened).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct OpenWindows {
    import_details: bool,
    problems: bool,
    highlight: bool,
    compare: bool,
    export: bool,
    rename: bool,
    path: bool,
    palette: bool,
}
