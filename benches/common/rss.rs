//! Resident memory of this process, for the benches and examples that print it.

/// VmRSS in MB (0 when it cannot be read).
pub fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

/// The most this process has held resident so far, in MB (0 where unknown).
#[allow(dead_code)]
pub fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
