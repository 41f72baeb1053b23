//! Article text in, metadata out.
