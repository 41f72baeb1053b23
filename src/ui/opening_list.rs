//! The library list while the library opens: the index's rows as it last saw them, read only.

use super::library_list::ROW_HEIGHT;
use crate::index::Row;

/// The rows, scrollable; they are replaced by the real list once the library is read.
pub fn show(ui: &mut egui::Ui, rows: &[Row]) {
    let noun = if rows.len() == 1 {
        "clipping"
    } else {
        "clippings"
    };
    ui.weak(format!(
        "{} {noun} — opening…",
        super::widgets::thousands(rows.len())
    ));
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for r in &rows[range] {
                row(ui, r);
            }
        });
}

fn row(ui: &mut egui::Ui, r: &Row) {
    let width = ui.available_width();
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), egui::Sense::hover());
    let title = r.title();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, title));
    if !ui.is_rect_visible(rect) {
        return;
    }
    let painter = ui.painter_at(rect);
    let strong = ui.visuals().strong_text_color();
    let weak = ui.visuals().weak_text_color();
    let left = rect.left() + 6.0;
    let mut job = egui::text::LayoutJob::single_section(
        title.to_string(),
        egui::TextFormat::simple(egui::FontId::proportional(14.0), strong),
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(rect.width() - 12.0);
    painter.galley(
        egui::pos2(left, rect.top() + 4.0),
        painter.layout_job(job),
        strong,
    );
    let meta: Vec<&str> = [
        r.published.as_deref(),
        r.publication
            .as_deref()
            .or(r.dateline.as_deref())
            .or(Some(r.source_name.as_str())),
    ]
    .into_iter()
    .flatten()
    .collect();
    let galley = painter.layout_no_wrap(meta.join(" · "), egui::FontId::proportional(12.0), weak);
    painter.galley(egui::pos2(left, rect.top() + 25.0), galley, weak);
}
