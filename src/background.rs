//! Long background builds (story versions, quote facets): a thread pool of their own at a lower
//! priority, so the interactive work on rayon's global pool (the open, the search index's
//! refresh) never queues behind a build over the whole library.

use std::sync::OnceLock;

/// How much lower than the app's own threads the builds run (added to the `nice` value, which
/// goes up to 19).
const NICENESS: i32 = 10;

/// The calling thread's `nice` value (Linux: `who` 0 names the calling thread).
#[cfg(test)]
fn niceness() -> i32 {
    // SAFETY: getpriority takes plain integers and touches no memory of ours.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
}

/// The process's own `nice` value: its main thread's (Linux: `who` the process id names the
/// thread group's leader).
fn process_niceness() -> i32 {
    // SAFETY: as above; getpid cannot fail.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::getpid() as libc::id_t) }
}

/// Lower the calling thread's priority to [`NICENESS`] below the process's (never lower
/// twice: the value is set, not added). Failing to is harmless: the build just competes as
/// an equal. Threads started from a lowered thread inherit its priority, so a thread that
/// lowers itself should not be the first to use rayon's global pool.
pub fn lower_priority() {
    let to = (process_niceness() + NICENESS).min(19);
    // SAFETY: setpriority takes plain integers and touches no memory of ours.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, to);
    }
}

static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();

/// Run `f` in the background pool: the parallel iterators in it use that pool's threads, not
/// the global pool's. Without a pool (its threads could not be started) `f` runs here.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("clipfile-build-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn builds_run_in_their_own_pool_at_a_lower_priority() {
        let (names, nice) = install(|| {
            let names: Vec<String> = (0..64)
                .into_par_iter()
                .map(|_| std::thread::current().name().unwrap_or("").to_string())
                .collect();
            (names, niceness())
        });
        assert!(
            names.iter().all(|n| n.starts_with("clipfile-build-")),
            "{names:?}"
        );
        let process = process_niceness();
        assert_eq!(nice, (process + NICENESS).min(19));
        // Lowering again does not lower further.
        let twice = install(|| {
            lower_priority();
            niceness()
        });
        assert_eq!(twice, nice);
        // The global pool's threads keep the process's priority.
        assert_eq!(rayon::join(niceness, || 0).0, process);
    }
}
