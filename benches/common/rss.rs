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

/// The CPU time this process has used so far (user and system, every thread), in seconds:
/// with the wall time, how many cores a step kept busy (the file system's own work counts
/// as system time, so a slowed file system raises it too).
#[allow(dead_code)]
pub fn cpu_seconds() -> f64 {
    // SAFETY: `getrusage` writes only into the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return 0.0;
        }
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
