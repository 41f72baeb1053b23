//! The window's layout limits: where the detail panel becomes a toggle, and each panel's
//! width range.

/// Below this window width the detail panel is not shown beside the reader but toggled.
pub const WIDE_LAYOUT: f32 = 1100.0;
/// The reader never gets narrower than this while the detail panel is docked.
pub const READER_MIN: f32 = 340.0;
/// The library list's width range.
pub const LIST_MIN: f32 = 220.0;
pub const LIST_MAX: f32 = 460.0;
/// The detail panel's width range.
pub const DETAIL_MIN: f32 = 250.0;
pub const DETAIL_MAX: f32 = 480.0;
