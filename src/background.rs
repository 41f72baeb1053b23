//! Long background builds (story versions, quote facets): a thread pool of their own at a lower
//! priority, so the interactive work on rayon's global pool (the open, the search index's
//! refresh) never queues behind a build over the whole library.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

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
/// twice: the value is set, not added), and on Linux put it in the `SCHED_IDLE` class. Failing
/// to is harmless: the build just competes as an equal. Threads started from a lowered thread
/// inherit its priority, so a thread that lowers itself should not be the first to use
/// rayon's global pool.
///
/// `SCHED_IDLE` is for the moment a search starts: the scheduler counts a core running only
/// such threads as idle, so the search's thread, woken there, runs at once. At `nice` alone,
/// the scale bench's traces (`perf sched`) showed the woken search thread queued behind the
/// UI thread's frame on the other core for 1.5-2.1 ms while a build thread held this one.
pub fn lower_priority() {
    let to = (process_niceness() + NICENESS).min(19);
    // SAFETY: setpriority takes plain integers and touches no memory of ours.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, to);
    }
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: `param` lives across the call, which only reads it; pid 0 names the
        // calling thread. A thread may always move itself to `SCHED_IDLE`.
        unsafe {
            libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
        }
    }
}

/// The calling thread's scheduling class (Linux).
#[cfg(all(test, target_os = "linux"))]
fn scheduling_class() -> i32 {
    // SAFETY: sched_getscheduler takes a plain integer (0: the calling thread).
    unsafe { libc::sched_getscheduler(0) }
}

static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();

thread_local! {
    /// Whether this thread is one of the background pool's.
    static IN_POOL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// How many foreground tasks (a search) run now: the builds look without a lock.
static FOREGROUND: AtomicUsize = AtomicUsize::new(0);
/// Where the builds wait for the last foreground task to end.
static FOREGROUND_LOCK: Mutex<()> = Mutex::new(());
static FOREGROUND_DONE: Condvar = Condvar::new();

/// The longest a build waits at one pause point, so a stream of searches cannot stop it.
const LONGEST_PAUSE: Duration = Duration::from_millis(250);

/// Held while a foreground task runs (a search the reader waits for): the builds wait at
/// their next [`pause_point`] until it ends. Lower priorities did not keep them out of its
/// way: on a 2-core VM, a search beside two busy threads took 3x as long even with those at
/// `SCHED_IDLE`.
pub struct Foreground(());

/// Start a foreground task (see [`Foreground`]).
pub fn foreground() -> Foreground {
    FOREGROUND.fetch_add(1, Ordering::SeqCst);
    Foreground(())
}

impl Drop for Foreground {
    fn drop(&mut self) {
        if FOREGROUND.fetch_sub(1, Ordering::SeqCst) == 1 {
            // Under the lock, so a build between its look and its wait is not missed.
            let _held = FOREGROUND_LOCK.lock().unwrap_or_else(|e| e.into_inner());
            FOREGROUND_DONE.notify_all();
        }
    }
}

/// Called by a build between items: on a thread of the background pool, waits while a
/// foreground task runs (up to [`LONGEST_PAUSE`]); anywhere else (a small build done in
/// place) returns at once.
pub fn pause_point() {
    pause_point_for(LONGEST_PAUSE);
}

/// [`pause_point`], waiting up to `longest`.
fn pause_point_for(longest: Duration) {
    if FOREGROUND.load(Ordering::Relaxed) == 0 || !IN_POOL.with(|p| p.get()) {
        return;
    }
    let held = FOREGROUND_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let _ = FOREGROUND_DONE
        .wait_timeout_while(held, longest, |_| FOREGROUND.load(Ordering::SeqCst) > 0);
}

/// Run `f` in the background pool: the parallel iterators in it use that pool's threads, not
/// the global pool's. Without a pool (its threads could not be started) `f` runs here.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("clipfile-build-{i}"))
            .start_handler(|_| {
                lower_priority();
                IN_POOL.with(|p| p.set(true));
            })
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
    use std::time::Instant;

    #[test]
    fn a_build_waits_for_a_running_search_and_nothing_else_does() {
        let search = foreground();
        // Outside the pool (a build done in place, the UI thread): no wait.
        let t = Instant::now();
        pause_point();
        assert!(t.elapsed() < LONGEST_PAUSE);
        // In the pool: it returns only once the search has ended (a long limit here, so a
        // slow machine cannot make it time out first).
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            install(|| {
                ready_tx.send(()).ok();
                pause_point_for(Duration::from_secs(60));
                Instant::now()
            })
        });
        ready_rx.recv().ok();
        std::thread::sleep(Duration::from_millis(50));
        let ended = Instant::now();
        drop(search);
        let returned = waiter.join().expect("the waiting build");
        assert!(returned >= ended, "the build went on while the search ran");
    }

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
        #[cfg(target_os = "linux")]
        {
            assert_eq!(install(scheduling_class), libc::SCHED_IDLE);
            assert_eq!(rayon::join(scheduling_class, || 0).0, libc::SCHED_OTHER);
        }
    }
}
