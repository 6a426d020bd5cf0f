//! What mdBook accepts, `build` accepts, with a warning where it is likely a mistake; `check`
//! and `build --deny-warnings` refuse the directives it could not carry out. Each case breaks a
//! copy of the built `basic` fixture.

use crate::book;

/// A change to the `basic` book, the warning `build` prints, and whether `check` refuses it.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    warning: &'static str,
    check_refuses: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "summary prose",
        files: &[("content/SUMMARY.md", "# Summary\n\nHello there.\n\n[Preface](preface.md)\n")],
        warning: "content/SUMMARY.md:3:1: text that is not a chapter link in SUMMARY.md is left out of the table of contents",
        check_refuses: false,
    },
    Case {
        name: "summary raw html",
        files: &[("content/SUMMARY.md", "# Summary\n\n<div>x</div>\n\n- [Preface](preface.md)\n")],
        warning: "content/SUMMARY.md:3:1: HTML in SUMMARY.md is left out of the table of contents",
        check_refuses: false,
    },
    Case {
        name: "include missing",
        files: &[("content/basics.md", "# B\n\n{{#include nope.rs}}\n")],
        warning: "content/basics.md:3:1: the included file `nope.rs` does not exist, so the directive is left as text",
        check_refuses: true,
    },
    Case {
        name: "include outside",
        files: &[("content/basics.md", "# B\n\n  {{#include ../../../../../../etc/hostname}}\n")],
        warning: "content/basics.md:3:3: `../../../../../../etc/hostname` is outside the repository that holds the book",
        check_refuses: true,
    },
    Case {
        name: "include bad anchor",
        files: &[("content/basics.md", "{{#include code.rs:nope}}\n"), ("content/code.rs", "fn main() {}\n")],
        warning: "content/basics.md:1:1: no anchor `nope` in the file",
        check_refuses: true,
    },
    Case {
        name: "include past the end",
        files: &[("content/basics.md", "{{#include code.rs:40:50}}\n"), ("content/code.rs", "fn main() {}\n")],
        warning: "content/basics.md:1:1: line 40 is past the end of the file (1 lines)",
        check_refuses: true,
    },
    Case {
        name: "include in prose",
        files: &[("content/basics.md", "# B\n\nWrite `{{#include}}` and a file.\n")],
        warning: "content/basics.md:3:8: `{{#include}}` names no file, so it is left as text",
        check_refuses: true,
    },
];

#[test]
fn build_warns_and_check_refuses() {
    let built = book("basic");
    built.build();
    let mut failures = Vec::new();
    for case in CASES {
        let book = built.duplicate();
        for (path, text) in case.files {
            book.write(path, text);
        }
        let out = book.run(&["build", "."]);
        let warning = format!("warning: {}", case.warning);
        if out.code() != Some(0) || !out.stderr.contains(&warning) {
            failures.push(format!("[{}] build: exit {:?}, expected 0 and {warning:?} in:\n{}", case.name, out.code(), out.stderr));
        }
        let strict = book.run(&["build", "--deny-warnings", "."]);
        if strict.code() != Some(1) || !strict.stderr.contains(&format!("error: {}", case.warning)) {
            failures.push(format!("[{}] --deny-warnings: exit {:?}:\n{}", case.name, strict.code(), strict.stderr));
        }
        let check = book.check();
        let refused = check.code() == Some(1) && check.stderr.contains(&format!("error: {}", case.warning));
        if refused != case.check_refuses {
            failures.push(format!("[{}] check: exit {:?}:\n{}", case.name, check.code(), check.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
