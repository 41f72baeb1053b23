//! The reader: the selected clipping's headline, deck, captions and body in a reading column.

use super::app::ClipfileApp;
use crate::model::Field;

const COLUMN: f32 = 680.0;

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let Some(clipping) = app.state.selected_clipping().cloned() else {
        ui.centered_and_justified(|ui| {
            ui.weak("Select a clipping to read it (Up and Down move through the list).");
        });
        return;
    };
    let Some(article) = app.state.reading() else {
        ui.colored_label(
            ui.visuals().error_fg_color,
            "This clipping's text cannot be read.",
        );
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt(("reader", &clipping.id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width().min(COLUMN);
            let margin = ((ui.available_width() - width) / 2.0).max(0.0);
            ui.horizontal(|ui| {
                ui.add_space(margin);
                ui.vertical(|ui| {
                    ui.set_max_width(width);
                    ui.add_space(16.0);
                    if let Some(section) = clipping.field(Field::Section) {
                        ui.label(egui::RichText::new(section.to_uppercase()).small().weak());
                    }
                    ui.add(
                        egui::Label::new(egui::RichText::new(clipping.title()).size(28.0).strong())
                            .wrap(),
                    );
                    if let Some(deck) = clipping.field(Field::Deck) {
                        ui.add_space(4.0);
                        ui.add(
                            egui::Label::new(egui::RichText::new(deck).size(18.0).italics()).wrap(),
                        );
                    }
                    let meta = clipping.metadata();
                    if !meta.authors.is_empty() {
                        ui.add_space(6.0);
                        ui.label(
                            egui::RichText::new(format!("By {}", meta.authors.join(", "))).weak(),
                        );
                    }
                    for caption in &meta.captions {
                        ui.add_space(10.0);
                        egui::Frame::group(ui.style())
                            .fill(ui.visuals().faint_bg_color)
                            .show(ui, |ui| {
                                ui.set_width(width - 16.0);
                                ui.label(egui::RichText::new("PHOTO").small().weak());
                                ui.add(
                                    egui::Label::new(egui::RichText::new(caption).italics()).wrap(),
                                );
                            });
                    }
                    ui.add_space(14.0);
                    let body_size = 16.0;
                    for (i, paragraph) in article.paragraphs.iter().enumerate() {
                        let mut job = egui::text::LayoutJob::default();
                        let color = ui.visuals().text_color();
                        let font = egui::FontId::proportional(body_size);
                        if i == 0
                            && let Some(dateline) = meta.dateline.as_deref()
                            && !paragraph.starts_with(dateline)
                        {
                            job.append(
                                &format!("{dateline} — "),
                                0.0,
                                egui::TextFormat {
                                    font_id: egui::FontId::proportional(body_size),
                                    color: ui.visuals().strong_text_color(),
                                    ..Default::default()
                                },
                            );
                        }
                        job.append(paragraph, 0.0, egui::TextFormat::simple(font, color));
                        job.wrap.max_width = width;
                        ui.add(egui::Label::new(job).wrap());
                        ui.add_space(body_size * 0.6);
                    }
                    ui.add_space(24.0);
                });
            });
        });
}
