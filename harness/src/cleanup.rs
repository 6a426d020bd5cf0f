//! Ending what the tests started when the test process ends. Sessions and served books are
//! kept for the whole run (starting a browser takes seconds), so nothing drops them: each
//! driver is started in a process group of its own, and the group is killed at exit, together
//! with the temporary folders registered here.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Mutex, Once, OnceLock};

static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
static FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static REGISTER: Once = Once::new();

type SpawnRequest = (Command, Sender<std::io::Result<Child>>);

/// Starts `command` (prepared with [`own_group`]) from a thread that lives as long as the
/// process: the kernel's "parent died" signal is sent when the *thread* that started a child
/// ends, and a test's thread ends with the test, while its browser or server is kept.
pub fn spawn(command: Command) -> std::io::Result<Child> {
    static SPAWNER: OnceLock<Mutex<Sender<SpawnRequest>>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (requests, incoming) = channel::<SpawnRequest>();
        std::thread::Builder::new()
            .name("harness-spawner".into())
            .spawn(move || {
                for (mut command, reply) in incoming {
                    let _ = reply.send(command.spawn());
                }
            })
            .expect("a thread to start processes from");
        Mutex::new(requests)
    });
    let (reply, answer) = channel();
    spawner.lock().unwrap_or_else(|p| p.into_inner()).send((command, reply)).expect("the spawner thread runs");
    answer.recv().expect("the spawner thread answers")
}

/// Makes `command` start a process group of its own, and die with the test process (a
/// `SIGKILL` when the process ends, should the exit hook not run; start it with [`spawn`]).
pub fn own_group(command: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt as _;
    command.process_group(0);
    // SAFETY: prctl is async-signal-safe and touches only the child being started.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    command
}

/// Kills the process group `group` (a child started with [`own_group`]) when the tests end.
pub fn kill_group_at_exit(group: u32) {
    register();
    if let Ok(group) = i32::try_from(group) {
        GROUPS.lock().unwrap_or_else(|p| p.into_inner()).push(group);
    }
}

/// Removes the folder `path` when the tests end.
pub fn remove_at_exit(path: PathBuf) {
    register();
    FOLDERS.lock().unwrap_or_else(|p| p.into_inner()).push(path);
}

fn register() {
    REGISTER.call_once(|| {
        // SAFETY: `at_exit` is an `extern "C" fn()` that never unwinds.
        unsafe {
            libc::atexit(at_exit);
        }
    });
}

extern "C" fn at_exit() {
    let groups = std::mem::take(&mut *GROUPS.lock().unwrap_or_else(|p| p.into_inner()));
    for group in groups {
        // SAFETY: a negative pid names a process group; a group that is gone gives ESRCH.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
    let folders = std::mem::take(&mut *FOLDERS.lock().unwrap_or_else(|p| p.into_inner()));
    for folder in folders {
        let _ = std::fs::remove_dir_all(folder);
    }
}
