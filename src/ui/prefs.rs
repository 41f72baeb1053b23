//! What the app remembers between runs and how it opens dialogs: theme, sort, selection.

use super::state::SortKey;

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System theme",
            Theme::Light => "Light theme",
            Theme::Dark => "Dark theme",
        }
    }

    pub fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    pub(crate) fn preference(self) -> egui::ThemePreference {
        match self {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// What is remembered between runs (window geometry and panel sizes are kept by eframe/egui).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prefs {
    pub theme: Theme,
    pub sort: SortKey,
    pub selected: Option<String>,
    /// The selection last seen in each library (by folder), so switching libraries and back
    /// restores it.
    #[serde(default)]
    pub selected_by_library: std::collections::BTreeMap<String, String>,
}

/// Whether Import… may open the system's file dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialogs {
    /// Use the native dialog (rfd), falling back to a path field when none appears.
    Native,
    /// Never open a real dialog (tests, or a system without portal or zenity).
    PathField,
}
