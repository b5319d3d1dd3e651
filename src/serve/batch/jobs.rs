//! The batches a server holds: each in its own private temporary directory (0700) under an
//! unguessable id, run one at a time on a thread of its own, and removed after the download,
//! on cancel, after [`KEEP_FOR`], and when the server stops.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use pjece::batch::{self, Event};

use super::super::state::Shared;
use super::dirs::JobDir;
use super::job::{Job, Problem, Request, State, lock};
use super::messages;

/// How long a batch is kept after its check or its run ended, if nobody downloads or cancels
/// it: long enough to press "Lav pjecer" or download after a cup of coffee, short enough that
/// patient data does not stay on a shared machine through the day.
pub const KEEP_FOR: Duration = Duration::from_secs(30 * 60);

/// Batches waiting for their turn, the running one included; more are refused (503) rather
/// than queued without end.
pub const MAX_WAITING: usize = 3;

/// Every batch of this server. Dropped with the router when the server stops, which stops
/// them all and removes their directories; batch threads hold the [`Runner`], never this.
pub struct Batches {
    runner: Arc<Runner>,
    jobs: Mutex<HashMap<String, Arc<Job>>>,
}

/// What runs batches: the engine, and the turn that lets one run at a time.
struct Runner {
    shared: Arc<Shared>,
    /// Held by the batch that runs (or is checked); the others wait for it.
    turn: Mutex<()>,
    /// Worker threads a batch runs with.
    workers: usize,
}

impl Batches {
    pub fn new(shared: Arc<Shared>) -> Arc<Batches> {
        // One core is left to single handouts from the form.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let batches = Arc::new(Batches {
            runner: Arc::new(Runner {
                shared,
                turn: Mutex::new(()),
                workers: cores.saturating_sub(1).clamp(1, batch::DEFAULT_MAX_JOBS),
            }),
            jobs: Mutex::new(HashMap::new()),
        });
        let weak = Arc::downgrade(&batches);
        // The time limit is kept even when no request comes; the thread ends with the server.
        let _ = std::thread::Builder::new()
            .name("pjece-batch-sweeper".into())
            .spawn(move || sweep_until_gone(weak));
        batches
    }

    /// A new batch in its private directory (which holds the upload), or `None` when too
    /// many wait already (the directory then goes).
    pub fn create(&self, request: Request, dir: JobDir) -> std::io::Result<Option<Arc<Job>>> {
        let mut jobs = lock(&self.jobs);
        let waiting = jobs
            .values()
            .filter(|j| j.progress().state.waiting())
            .count();
        if waiting >= MAX_WAITING {
            return Ok(None);
        }
        let job = Arc::new(Job::new(new_id()?, request, dir));
        jobs.insert(job.id.clone(), job.clone());
        Ok(Some(job))
    }

    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        lock(&self.jobs).get(id).cloned()
    }

    /// Forgets a batch and removes its directory.
    pub fn remove(&self, job: &Job) {
        lock(&self.jobs).remove(&job.id);
        job.remove_dir();
    }

    /// Stops a batch: it will not start, or stops between rows. Its directory goes at once, or,
    /// while a batch thread works in it, as soon as that thread stops (within a few rows; see
    /// [`Job::removed`]).
    pub fn cancel(&self, job: &Job) {
        job.cancel.store(true, Ordering::SeqCst);
        job.update(|p| {
            if !matches!(p.state, State::Done | State::Failed) {
                p.state = State::Cancelled;
            }
            p.ended.get_or_insert_with(Instant::now);
        });
        if !job.active.load(Ordering::SeqCst) {
            job.remove_dir();
        }
    }

    /// Checks the rows as `pjece batch --check` does, on a batch thread; the job is then
    /// `Checked`, or, with `then_run` and no problem, goes straight on to run.
    pub fn check(&self, job: Arc<Job>, then_run: bool) {
        job.update(|p| p.state = State::Checking);
        self.runner.spawn(job, Phase::Check { then_run });
    }

    /// Queues the batch to run.
    pub fn start(&self, job: Arc<Job>) {
        self.runner.start(job);
    }

    /// Removes batches whose time is up.
    fn sweep(&self) {
        let expired: Vec<Arc<Job>> = lock(&self.jobs)
            .values()
            .filter(|j| {
                j.progress()
                    .ended
                    .is_some_and(|at| at.elapsed() >= KEEP_FOR)
            })
            .cloned()
            .collect();
        for job in expired {
            self.remove(&job);
        }
    }
}

impl Drop for Batches {
    /// The server stops: every batch stops and its directory goes.
    fn drop(&mut self) {
        let jobs: Vec<Arc<Job>> = lock(&self.jobs).drain().map(|(_, j)| j).collect();
        for job in &jobs {
            job.cancel.store(true, Ordering::SeqCst);
        }
        // A running batch stops within a few rows; its thread then removes its directory.
        let start = Instant::now();
        while jobs.iter().any(|j| j.active.load(Ordering::SeqCst))
            && start.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        for job in &jobs {
            job.remove_dir();
        }
    }
}

impl Runner {
    fn start(self: &Arc<Self>, job: Arc<Job>) {
        job.update(|p| {
            p.state = State::Queued;
            p.ended = None;
        });
        self.spawn(job, Phase::Run);
    }

    fn spawn(self: &Arc<Self>, job: Arc<Job>, phase: Phase) {
        let runner = self.clone();
        let failed = job.clone();
        let spawned = std::thread::Builder::new()
            .name("pjece-batch".into())
            .spawn(move || runner.work(&job, phase));
        if spawned.is_err() {
            failed.update(|p| {
                p.state = State::Failed;
                p.error = Some(messages::NO_THREAD.into());
                p.ended = Some(Instant::now());
            });
        }
    }

    fn work(self: &Arc<Self>, job: &Arc<Job>, phase: Phase) {
        let turn = lock(&self.turn);
        lower_priority();
        if job.cancel.load(Ordering::SeqCst) {
            job.remove_dir();
            return;
        }
        let check = matches!(phase, Phase::Check { .. });
        job.update(|p| {
            if !check {
                p.state = State::Running;
            }
            (p.done, p.failed, p.total) = (0, 0, 0);
            p.rows.clear();
        });
        job.active.store(true, Ordering::SeqCst);
        let outcome = self.run(job, check);
        job.active.store(false, Ordering::SeqCst);
        let mut go_on = false;
        job.update(|p| {
            p.ended = Some(Instant::now());
            if job.cancel.load(Ordering::Relaxed) {
                p.state = State::Cancelled;
                return;
            }
            match (&outcome, phase) {
                (Err(message), _) => {
                    p.state = State::Failed;
                    p.error = Some(message.clone());
                }
                (Ok(()), Phase::Check { then_run }) => {
                    p.state = State::Checked;
                    go_on = then_run && p.failed == 0;
                }
                (Ok(()), Phase::Run) => {
                    p.state = State::Done;
                    p.result = true;
                }
            }
        });
        if job.cancel.load(Ordering::SeqCst) {
            job.remove_dir();
        } else if go_on {
            // Its turn is over: another batch may go first, as it would after a click.
            drop(turn);
            self.start(job.clone());
        }
    }

    /// Runs the batch (or its check) in the job's directory; the ZIP follows a run.
    fn run(&self, job: &Job, check: bool) -> Result<(), String> {
        let Some(dir) = job.dir() else {
            return Err(messages::GONE.into());
        };
        let out = dir.join("out");
        let r = &job.request;
        let opts = batch::Options {
            input: Job::input(&dir, r.format),
            format: r.format,
            encoding: r.encoding,
            out_dir: out.clone(),
            defaults: r.defaults.clone(),
            combined: (r.combined && !check).then(|| out.join(super::archive::COMBINED)),
            duplex: r.duplex,
            check,
            force: false,
            jobs: self.workers,
            date_given: r.date_given,
            cancel: Some(job.cancel.clone()),
        };
        let rows = super::rows::Rows::read(
            self.shared.engine,
            &opts.input,
            r.format,
            r.encoding,
            &r.defaults,
        );
        let cancelled = || job.cancel.load(Ordering::Relaxed);
        let mut on_event = |event: Event| match event {
            // A cancelled batch's last rows are not news.
            Event::Failed(_) | Event::Progress { .. } if cancelled() => {}
            Event::Started { rows } => job.update(|p| p.total = rows),
            // The only warning a fresh directory can give is about unknown columns, which the
            // upload's own reading of the header put in words already.
            Event::Warning(_) => {}
            Event::Failed(e) => {
                let message = rows.message(e);
                job.update(|p| {
                    p.failed += 1;
                    p.rows.push(Problem::of_row(e, message));
                });
            }
            Event::Progress { done } => job.update(|p| p.done = done),
        };
        let summary = batch::run(self.shared.engine, &opts, &mut on_event).map_err(|e| {
            // The cause names temporary paths; the log gets its kind only.
            eprintln!("pjece serve: a batch failed ({})", kind(&e));
            messages::batch_failed(&e)
        })?;
        if summary.cancelled || check {
            return Ok(());
        }
        super::archive::write_zip(&dir, job).map_err(|e| {
            eprintln!(
                "pjece serve: a batch's ZIP could not be written: {}",
                pjece::error::io_reason(&e)
            );
            messages::ZIP_FAILED.to_string()
        })
    }
}

#[derive(Clone, Copy)]
enum Phase {
    Check { then_run: bool },
    Run,
}

fn sweep_until_gone(batches: Weak<Batches>) {
    let every = Duration::from_secs(30);
    loop {
        std::thread::sleep(every);
        match batches.upgrade() {
            Some(b) => b.sweep(),
            None => return,
        }
    }
}

/// 128 random bits, hex: the id is the only key to a batch's status and result.
fn new_id() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A batch's threads yield to the form's single handouts: the niceness of the thread that
/// starts them is inherited by the worker threads it spawns (Linux schedules threads alone).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's own id has no memory effects.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

/// The kind of a batch's fatal error, for the log (no paths, no values).
fn kind(e: &pjece::Error) -> &'static str {
    match e {
        pjece::Error::Input(_) => "input",
        pjece::Error::Output { .. } => "output",
        pjece::Error::Pdf(_) => "pdf",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pjece::batch::input::{Encoding, Format};
    use pjece::batch::job::Defaults;
    use pjece::content::Variant;

    fn request() -> Request {
        Request {
            format: Format::Csv,
            encoding: Encoding::Utf8,
            defaults: Defaults {
                region: None,
                variant: Variant::Full,
                date: jiff::civil::date(2026, 12, 3),
            },
            date_given: true,
            combined: false,
            duplex: false,
            warnings: Vec::new(),
            go_on: false,
        }
    }

    #[test]
    fn a_batch_goes_when_its_time_is_up_and_not_before() {
        let engine = pjece::Engine::embedded().unwrap();
        let state = super::super::super::state::AppState::new(engine, 8080).unwrap();
        let batches = Batches::new(state.shared());
        let mut jobs = Vec::new();
        for _ in 0..3 {
            let dir = JobDir::new().unwrap();
            jobs.push(batches.create(request(), dir).unwrap().unwrap());
        }
        // Three wait (being checked): a fourth is refused, and its directory goes with it.
        let fourth = JobDir::new().unwrap();
        let fourth_path = fourth.path().to_path_buf();
        assert!(batches.create(request(), fourth).unwrap().is_none());
        assert!(!fourth_path.exists());

        let [old, fresh, waiting] = [&jobs[0], &jobs[1], &jobs[2]];
        let long_ago = Instant::now().checked_sub(KEEP_FOR + Duration::from_secs(1));
        old.update(|p| (p.state, p.ended) = (State::Done, long_ago));
        fresh.update(|p| (p.state, p.ended) = (State::Done, Some(Instant::now())));
        let (old_dir, fresh_dir) = (old.dir().unwrap(), fresh.dir().unwrap());
        batches.sweep();
        assert!(batches.get(&old.id).is_none() && !old_dir.exists());
        assert!(batches.get(&fresh.id).is_some() && fresh_dir.exists());
        assert!(
            batches.get(&waiting.id).is_some(),
            "a batch under way has no end yet"
        );

        // The server stops: every directory goes.
        let waiting_dir = waiting.dir().unwrap();
        drop(batches);
        assert!(!fresh_dir.exists() && !waiting_dir.exists());
    }
}
