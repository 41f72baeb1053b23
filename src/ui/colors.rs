//! The app's colors: tag chips, highlight fills and the text on them, the tag color choices.

use super::state::AppState;
use crate::model::HighlightColor;

/// Colors offered for tags.
pub const TAG_COLORS: [(&str, [u8; 3]); 6] = [
    ("Red", [230, 120, 120]),
    ("Orange", [240, 170, 90]),
    ("Yellow", [235, 215, 100]),
    ("Green", [130, 200, 130]),
    ("Blue", [120, 170, 235]),
    ("Purple", [180, 140, 220]),
];

/// A tag chip's background: the color the reader chose, else a soft one stable per name.
pub fn tag_color(ui: &egui::Ui, state: &AppState, tag: &str) -> egui::Color32 {
    if let Some([r, g, b]) = state
        .library()
        .and_then(|l| l.settings().tag_colors.get(tag).copied())
    {
        let c = egui::Color32::from_rgb(r, g, b);
        return if ui.visuals().dark_mode {
            c.linear_multiply(0.55)
        } else {
            c
        };
    }
    let hash = xxhash_rust::xxh3::xxh3_64(tag.as_bytes());
    let hue = (hash % 360) as f32 / 360.0;
    let (s, v) = if ui.visuals().dark_mode {
        (0.45, 0.35)
    } else {
        (0.25, 0.95)
    };
    egui::ecolor::Hsva::new(hue, s, v, 1.0).into()
}

/// The background of a highlight, readable in both themes.
pub fn highlight_fill(color: HighlightColor, dark: bool) -> egui::Color32 {
    match (color, dark) {
        (HighlightColor::Yellow, false) => egui::Color32::from_rgb(255, 236, 140),
        (HighlightColor::Green, false) => egui::Color32::from_rgb(190, 240, 180),
        (HighlightColor::Blue, false) => egui::Color32::from_rgb(185, 215, 255),
        (HighlightColor::Pink, false) => egui::Color32::from_rgb(255, 200, 225),
        (HighlightColor::Yellow, true) => egui::Color32::from_rgb(110, 95, 20),
        (HighlightColor::Green, true) => egui::Color32::from_rgb(35, 95, 45),
        (HighlightColor::Blue, true) => egui::Color32::from_rgb(35, 70, 125),
        (HighlightColor::Pink, true) => egui::Color32::from_rgb(120, 40, 85),
    }
}

/// The text color on a highlight: dark on the light fills, light on the dark ones.
pub fn highlight_text(dark: bool) -> egui::Color32 {
    if dark {
        egui::Color32::from_rgb(245, 245, 240)
    } else {
        egui::Color32::from_rgb(20, 20, 20)
    }
}
