//! Clipfile: a library of newspaper and magazine article clippings, their metadata and annotations.

pub mod decode;
pub mod model;
pub mod parse;
