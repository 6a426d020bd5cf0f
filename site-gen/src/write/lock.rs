//! One writer at a time per build folder: a lock file beside the build folder
//! (`.<name>.lock` next to `<name>`), held with `flock(2)` while a build stages and swaps
//! in its site, and while `serve` replaces single files. A second `site-gen` that wants
//! the same folder says that it is waiting, and for whom, then waits its turn, so that
//! two builds at once give one complete site after the other, never a mix.
//!
//! The kernel releases the lock of a process that dies, however it dies, so a killed build
//! never leaves the folder locked. The file itself is removed on release; a waiter that
//! then finds it has locked a file no longer at the path tries again.

use std::io::{Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustix::fs::{flock, FlockOperation};

use crate::core::error::{Error, Result};

/// How long a build waits for another one writing the same folder, before it gives up
/// (exit 2): long enough for any real build to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(10 * 60);

/// How often a waiting build tries the lock again.
const RETRY: Duration = Duration::from_millis(50);

/// The lock of one build folder, held until dropped.
#[derive(Debug)]
pub struct BuildLock {
    file: std::fs::File,
    path: PathBuf,
}

/// The lock file of the build folder `target`: `.<name>.lock` beside it.
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.lock"))
}

impl BuildLock {
    /// Takes the lock of the build folder `target` (an absolute path whose parent exists),
    /// waiting up to `wait` for another `site-gen` that holds it, and saying so once.
    pub fn acquire(target: &Path, wait: Duration) -> Result<BuildLock> {
        let path = lock_path(target);
        let started = Instant::now();
        let mut told = false;
        loop {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::io("create the lock file", &path, e))?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {
                    // The holder before us removes the file as it lets go: a lock on a file
                    // that is no longer at the path locks nothing.
                    let here = std::fs::metadata(&path).ok().map(|m| (m.dev(), m.ino()));
                    let ours = file.metadata().ok().map(|m| (m.dev(), m.ino()));
                    if here.is_none() || here != ours {
                        continue;
                    }
                    let _ = file.set_len(0).and_then(|()| writeln!(file, "{}", std::process::id()));
                    return Ok(BuildLock { file, path });
                }
                Err(e) if e == rustix::io::Errno::WOULDBLOCK || e == rustix::io::Errno::INTR => {
                    let holder = holder(&mut file);
                    if !told {
                        eprintln!(
                            "waiting for another site-gen{} to finish writing {} …",
                            holder.as_deref().map(|pid| format!(" (process {pid})")).unwrap_or_default(),
                            target.display()
                        );
                        told = true;
                    }
                    if started.elapsed() >= wait {
                        return Err(Error::Usage(format!(
                            "gave up after waiting {} s for another site-gen{} writing {}; \
                             if none is running, try again (the lock is released when a process ends)",
                            wait.as_secs(),
                            holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
                            target.display()
                        )));
                    }
                    std::thread::sleep(RETRY);
                }
                Err(e) => return Err(Error::io("lock", &path, e.into())),
            }
        }
    }
}

/// The process that holds the lock, as it wrote itself in the file.
fn holder(file: &mut std::fs::File) -> Option<String> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    let pid = text.trim();
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.to_owned())
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still held, then unlocked as the file closes.
        let _ = std::fs::remove_file(&self.path);
        let _ = flock(&self.file, FlockOperation::Unlock);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first_and_the_file_goes_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        let first = BuildLock::acquire(&target, Duration::ZERO).unwrap();
        assert!(lock_path(&target).is_file());
        let err = BuildLock::acquire(&target, Duration::ZERO).unwrap_err();
        assert!(err.to_string().contains(&format!("another site-gen (process {})", std::process::id())), "{err}");
        assert_eq!(err.exit_code(), 2);

        let waiter = {
            let target = target.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                let lock = BuildLock::acquire(&target, Duration::from_secs(20)).unwrap();
                (started.elapsed(), lock)
            })
        };
        std::thread::sleep(Duration::from_millis(300));
        drop(first);
        let (waited, second) = waiter.join().unwrap();
        assert!(waited >= Duration::from_millis(250), "{waited:?}");
        drop(second);
        assert!(!lock_path(&target).exists(), "the lock file goes when released");
    }

    #[test]
    fn a_lock_file_left_by_a_killed_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        std::fs::write(lock_path(&target), "4242\n").unwrap();
        let lock = BuildLock::acquire(&target, Duration::ZERO).unwrap();
        assert_eq!(std::fs::read_to_string(lock_path(&target)).unwrap(), format!("{}\n", std::process::id()));
        drop(lock);
    }
}
