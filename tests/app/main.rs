//! The real app driven headless through egui_kittest, as one test binary (the crate and egui
//! are linked once): `support` holds the harness and the waiting helpers every test uses.

mod annotate_ui;
#[path = "../common/index_damage.rs"]
mod index_damage;
mod search_ui;
mod support;
mod ui;
