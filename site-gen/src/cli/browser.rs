//! `--open`: the built site or the served address in the user's browser. `$BROWSER` is
//! used when set, else the system's way of opening a file or address (xdg-open, open,
//! start). Failing to open one is a warning: the command has done its work either way.

use std::ffi::OsStr;
use std::path::Path;

/// Opens `target` (an address or a file's path) in the browser, or says why it could not.
pub fn open(target: &OsStr) {
    if let Err(e) = opener::open_browser(target) {
        eprintln!("warning: could not open {} in a browser: {e}", Path::new(target).display());
    }
}

/// [`open`] for an address: what `serve --open` calls once the server listens.
pub fn open_address(url: &str) {
    open(OsStr::new(url));
}
