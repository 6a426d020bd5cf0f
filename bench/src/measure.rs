//! Runs one command and measures it: wall time and peak resident memory (from wait4(2)).

use std::process::Command;
use std::time::{Duration, Instant};

/// What one run of a command cost.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall: Duration,
    /// Processor time, user and system, on all cores: less at the mercy of other work on
    /// the machine than wall time.
    pub cpu: Duration,
    /// Peak resident set size of the command, in bytes.
    pub peak_memory: u64,
}

/// Runs `command` to completion (its output discarded) and measures it.
pub fn measure(command: &mut Command) -> Result<Run, String> {
    command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(s, &mut text);
        }
        text
    });
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `usage` is plain data that wait4 fills in; `pid` is our own child, which
    // std has not reaped (we never call `child.wait()`).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    let errors = reader.join().unwrap_or_default();
    if reaped != pid {
        return Err(format!("waiting for {command:?} failed"));
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("{command:?} failed:\n{errors}"));
    }
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    // ru_maxrss is in kilobytes on Linux.
    Ok(Run { wall, cpu: time(usage.ru_utime) + time(usage.ru_stime), peak_memory: usage.ru_maxrss as u64 * 1024 })
}

/// The median of `values` (which must not be empty).
pub fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// The `p`th percentile of `values` (nearest rank; `values` must not be empty).
pub fn percentile(mut values: Vec<Duration>, p: usize) -> Duration {
    values.sort();
    let rank = (p * values.len()).div_ceil(100).clamp(1, values.len());
    values[rank - 1]
}

/// Total size of the files under `dir`, in bytes, site-gen's build cache left out.
pub fn folder_size(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            // site-gen's build cache sits in the build folder but is not part of the site.
            Ok(t) if t.is_dir() && e.file_name() == ".site-gen-cache" => 0,
            Ok(t) if t.is_dir() => folder_size(&e.path()),
            Ok(_) => e.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_a_real_command() {
        let run = measure(Command::new("true").arg("x")).unwrap();
        assert!(run.peak_memory > 0);
        assert!(measure(&mut Command::new("false")).is_err());
    }

    #[test]
    fn medians() {
        let ms = Duration::from_millis;
        assert_eq!(median(vec![ms(5), ms(1), ms(3)]), ms(3));
        let values: Vec<Duration> = (1..=20).map(ms).collect();
        assert_eq!(percentile(values.clone(), 90), ms(18));
        assert_eq!(percentile(values, 100), ms(20));
        assert_eq!(percentile(vec![ms(7)], 90), ms(7));
    }
}
