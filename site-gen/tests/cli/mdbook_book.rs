//! A book written for mdBook (no `src` key, an mdBook Handlebars theme folder, includes with
//! line ranges and anchors, parts, separators, drafts) builds unchanged and reads well.

use crate::book;

#[test]
fn an_mdbook_book_builds_unchanged() {
    let book = book("mdbook-book");
    let stderr = book.build().stderr;
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert!(warnings.iter().all(|w| w.contains("has no effect in site-gen")), "only keys and files that do nothing here are named: {stderr}");
    assert!(
        warnings.contains(&"warning: theme/index.hbs: mdBook's Handlebars template `index.hbs` has no effect in site-gen: its templates are Tera"),
        "{stderr}"
    );
    let site = book.path().join("book");
    for page in ["index.html", "guide/installation.html", "guide/listings.html", "guide/anchors.html", "reference.html", "contributors.html"] {
        assert!(site.join(page).is_file(), "missing {page}");
    }
    let listings = book.read("book/guide/listings.html");
    assert!(listings.contains("println!"), "the whole file is included: {listings}");
    assert!(listings.contains("total"), "{listings}");
    // The anchor lines of a whole file are kept, each line whole (whichever highlighter ends
    // the comment's span before or after the line break).
    let listing_text: String = listings.split('<').map(|part| part.split_once('>').map_or(part, |(_, text)| text)).collect();
    assert!(listing_text.contains("// ANCHOR: counter\n    let mut counter = 0;"), "{listings}");
    let anchors = book.read("book/guide/anchors.html");
    assert!(anchors.contains("<title>Anchors in listings"), "{{#title}} sets the page title");
    assert!(anchors.contains("counter"), "{anchors}");
    assert!(!anchors.contains("ANCHOR"), "anchor lines are dropped: {anchors}");
    assert!(anchors.contains("<span class=\"boring\">") && anchors.contains("println!"), "the other lines are hidden: {anchors}");
    assert!(anchors.contains("{{#include ../listings/main.rs}}"), "an escaped directive stays text");
    // The navigation is written once, as toc.js for the pages and toc.html without JavaScript.
    for contents in [book.read("book/toc.html"), book.read("book/toc.js")] {
        assert!(contents.contains("Getting started") && contents.contains("Reference"), "part titles are listed");
        assert!(contents.contains("Future chapter"), "drafts are listed");
        assert!(contents.contains(r#"class="separator""#) || contents.contains(r#"class=\"separator\""#), "{contents}");
    }
    book.check().expect_success();
}

#[test]
fn check_reports_the_mdbook_features_without_effect() {
    let book = book("mdbook-book");
    let out = book.check().expect_success();
    let report = out.stdout.split("mdBook compatibility: ").nth(1).unwrap_or_else(|| panic!("no report: {}", out.stdout));
    assert!(report.contains("mdBook features this book uses have no effect in site-gen:"), "{report}");
    assert!(report.contains("theme/index.hbs: mdBook's Handlebars template `index.hbs` — its templates are Tera"), "{report}");
    assert!(report.contains("`rust` — Rust code blocks are not compiled or run in a playground"), "{report}");
}

#[test]
fn math_of_a_mathjax_book_is_mathml_in_the_page() {
    let book = book("basic");
    let config = book.read("book.toml");
    assert!(!config.contains("[output.html]"), "the fixture has no [output.html] table yet");
    book.write("book.toml", format!("{config}\n[output.html]\nmathjax-support = true\n"));
    book.write("content/basics.md", "# Basics\n\nThe area is \\\\( \\pi r^2 \\\\), and\n\n\\\\[ \\sum_{i=1}^{n} i = \\frac{n(n+1)}{2} \\\\]\n\nor $e^{i\\pi} + 1 = 0$ with `$HOME` left alone.\n");
    let run = book.build();
    let page = book.read("out/basics.html");
    assert_eq!(page.matches("<math").count(), 3, "{page}");
    assert!(page.contains("<math display=\"block\">") && page.contains("<mfrac>"), "{page}");
    assert!(page.contains("<annotation encoding=\"application/x-tex\">\\pi r^2</annotation>"), "{page}");
    assert!(page.contains("<code>$HOME</code>"), "{page}");
    assert!(!run.stderr.contains("mathjax"), "the key has an effect: {}", run.stderr);
    // mdBook's newer name for the key.
    book.write("book.toml", format!("{config}\n[output.html]\nmath = true\n"));
    let run = book.build();
    assert_eq!(book.read("out/basics.html").matches("<math").count(), 3);
    assert!(!run.stderr.contains("`output.html.math`"), "{}", run.stderr);
}
