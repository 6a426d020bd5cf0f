//! TeX that cannot be read, in a book with math on: the page shows the formula as its source,
//! marked as an error, and `check` and `build` report it as a warning at the formula's file,
//! line and column, in pulldown-latex's words; `build --deny-warnings` fails on it. A build
//! that fails on errors lists the warnings it found too, after the errors.

use harness::fixture;

use crate::{book, run_in};

/// The three bad formulas of the fixture: inline, display and in a list item.
const BAD_PLACES: [&str; 3] = ["content/formulas.md:3:60:", "content/formulas.md:5:1:", "content/formulas.md:9:20:"];

#[test]
fn check_reports_bad_tex_as_located_warnings() {
    let out = run_in(&fixture("bad-math"), &["check", "."]).expect_success();
    insta::assert_snapshot!("check_bad_math", out.redacted());
}

#[test]
fn build_warns_at_each_bad_formula_and_shows_it_as_source() {
    let book = book("bad-math");
    let stderr = book.build().stderr;
    for place in BAD_PLACES {
        assert!(stderr.contains(&format!("warning: {place} this TeX cannot be read")), "{place}\n{stderr}");
    }
    assert!(stderr.contains("help: check the TeX; this formula is shown as source in the page"), "{stderr}");
    let page = book.read("out/formulas.html");
    assert_eq!(page.matches("<code class=\"math-error\">").count(), 3, "{page}");
    assert!(page.contains("<code class=\"math-error\">\\frac{1}</code>"), "{page}");
    assert!(!page.contains("<merror"), "{page}");
}

#[test]
fn deny_warnings_fails_on_bad_tex() {
    let book = book("bad-math");
    let stderr = book.run(&["build", ".", "--deny-warnings"]).expect_code(1).stderr;
    assert!(stderr.contains("error: content/formulas.md:3:60: this TeX cannot be read"), "{stderr}");
    assert!(stderr.contains("3 errors found"), "{stderr}");
    assert!(!book.path().join("out").exists(), "a denied build writes nothing");
}

#[test]
fn a_failed_build_lists_its_warnings_after_its_errors() {
    let book = book("bad-math");
    book.write("content/SUMMARY.md", "# Summary\n\n- [Formulas](formulas.md)\n- [Demo](demo.md)\n");
    book.write("content/demo.md", "# Demo\n\n```demo\nname = \"fibonacci\"\n```\n");
    let stderr = book.run(&["build", "."]).expect_code(1).stderr;
    let error = stderr.find("error: content/demo.md:4:8: unknown demo `fibonacci`").unwrap_or_else(|| panic!("{stderr}"));
    for place in BAD_PLACES {
        let warning = stderr.find(&format!("warning: {place}")).unwrap_or_else(|| panic!("{place}\n{stderr}"));
        assert!(warning > error, "the warnings come after the errors:\n{stderr}");
    }
    assert!(stderr.contains("1 error found"), "{stderr}");
    let out = book.run(&["check", "."]).expect_code(1).stdout;
    assert!(out.contains("content/formulas.md:5:1: warning: this TeX cannot be read"), "{out}");
}
