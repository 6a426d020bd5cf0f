//! The warm build: `build` with nothing changed leaves the build folder as it is, and any
//! change — to a source (even with its size and time kept), an included file outside the
//! source folder, book.toml, the options, an output, or the cache itself — gives a full build.

use std::time::SystemTime;

use harness::{BookTest, Run};

use crate::empty;

const UP_TO_DATE: &str = "Up to date: nothing changed since the last build";

/// A small book without warnings (4 pages: two chapters, the front page and the print
/// page): two chapters, an image, and a chapter that includes a
/// file from outside the source folder.
fn small_book() -> BookTest {
    let book = empty();
    book.write("book.toml", "[book]\ntitle = \"Warm\"\n\n[build]\nbuild-dir = \"out\"\n");
    book.write("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n");
    book.write("src/one.md", "# One\n\nThe first chapter, see [two](two.md).\n");
    book.write("src/two.md", "# Two\n\n```rust\n{{#include ../shared/code.rs}}\n```\n");
    book.write("src/images/dot.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    book.write("shared/code.rs", "fn alpha() {}\n");
    book
}

/// `site-gen build . ARGS`, which must succeed; true when it built (false: up to date).
#[track_caller]
fn built(book: &BookTest, args: &[&str]) -> bool {
    let mut all = vec!["build", "."];
    all.extend_from_slice(args);
    let run: Run = book.run(&all).expect_success();
    let up_to_date = run.stdout.starts_with(UP_TO_DATE);
    assert!(up_to_date || run.stdout.starts_with("Built "), "{}", run.stdout);
    !up_to_date
}

/// Replaces the book's file `path` with `text`, keeping its modification time.
fn rewrite_keeping_time(book: &BookTest, path: &str, text: &str) {
    let file = book.path().join(path);
    let time = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().len(), text.len() as u64, "the same size");
    std::fs::write(&file, text).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(time).unwrap();
}

fn modified(book: &BookTest, path: &str) -> SystemTime {
    std::fs::metadata(book.path().join(path)).unwrap().modified().unwrap()
}

#[test]
fn nothing_changed_rebuilds_nothing() {
    let book = small_book();
    assert!(built(&book, &[]));
    let page_time = modified(&book, "out/one.html");
    let run = book.build();
    assert!(run.stdout.starts_with(&format!("{UP_TO_DATE} (4 pages)")), "{}", run.stdout);
    assert!(run.stdout.contains("check outputs"), "the usual timing line: {}", run.stdout);
    assert_eq!(modified(&book, "out/one.html"), page_time, "the folder is left as it is");
    assert!(book.path().join("out/.site-gen-cache/manifest").is_file());
    assert!(built(&book, &["--force"]), "--force builds anyway");
    assert!(!built(&book, &[]));
}

#[test]
fn a_source_edited_with_its_size_and_time_kept_is_rebuilt() {
    let book = small_book();
    assert!(built(&book, &[]));
    rewrite_keeping_time(&book, "src/one.md", "# One\n\nThe FIRST chapter, see [two](two.md).\n");
    assert!(built(&book, &[]));
    assert!(book.read("out/one.html").contains("The FIRST chapter"));
    assert!(!built(&book, &[]));
}

#[test]
fn any_input_changed_added_or_removed_is_rebuilt() {
    let book = small_book();
    assert!(built(&book, &[]));
    rewrite_keeping_time(&book, "shared/code.rs", "fn omega() {}\n");
    assert!(built(&book, &[]), "a file included from outside the source folder");
    assert!(book.read("out/two.html").contains("omega"));
    book.write("src/404.md", "# Lost\n\n{{#include ../shared/lost.txt}}\n");
    book.write("shared/lost.txt", "Nothing here.\n");
    assert!(built(&book, &[]));
    assert!(!built(&book, &[]));
    rewrite_keeping_time(&book, "shared/lost.txt", "Nothing HERE.\n");
    assert!(built(&book, &[]), "a file the page for missing addresses includes");
    assert!(book.read("out/404.html").contains("Nothing HERE."));
    book.write("src/images/new.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    assert!(built(&book, &[]), "a file added");
    assert!(book.path().join("out/images/new.svg").is_file());
    book.remove("src/images/new.svg");
    assert!(built(&book, &[]), "a file removed");
    book.append("book.toml", "\n[output.html]\nno-section-label = true\n");
    assert!(built(&book, &[]), "book.toml");
    book.write("styles/extra.css", "p { color: red }\n");
    book.append("book.toml", "additional-css = [\"styles/extra.css\"]\n");
    assert!(built(&book, &[]));
    assert!(!built(&book, &[]));
    book.write("styles/extra.css", "p { color: blue }\n");
    assert!(built(&book, &[]), "an additional stylesheet");
}

#[test]
fn options_that_change_the_output_are_part_of_the_fingerprint() {
    let book = small_book();
    assert!(built(&book, &[]));
    assert!(built(&book, &["--deny-warnings"]));
    assert!(!built(&book, &["--deny-warnings"]));
    assert!(built(&book, &["--dest-dir", "elsewhere"]));
    assert!(book.path().join("elsewhere/one.html").is_file());
    assert!(!built(&book, &["--dest-dir", "elsewhere"]));
}

#[test]
fn an_output_edited_or_removed_is_rebuilt() {
    let book = small_book();
    assert!(built(&book, &[]));
    let page = book.read("out/one.html");
    let edited = page.replacen("first", "FIRST", 1);
    rewrite_keeping_time(&book, "out/one.html", &edited);
    assert!(built(&book, &[]), "an output edited, its size and time kept");
    assert_eq!(book.read("out/one.html"), page);
    book.remove("out/images/dot.svg");
    assert!(built(&book, &[]), "an output removed");
    assert!(book.path().join("out/images/dot.svg").is_file());
    assert!(!built(&book, &[]));
}

#[test]
fn a_corrupt_or_missing_cache_gives_a_full_build() {
    let book = small_book();
    assert!(built(&book, &[]));
    let manifest_path = "out/.site-gen-cache/manifest";
    let manifest = book.read(manifest_path);
    let flipped = manifest.replacen("pages 4", "pages 5", 1);
    let garbled: String = manifest.chars().map(|c| if c == 'a' { 'b' } else { c }).collect();
    let fingerprint_only: String = manifest.lines().take(3).map(|l| format!("{l}\n")).collect();
    let cases = [
        ("truncated", manifest[..manifest.len() / 2].to_owned()),
        ("empty", String::new()),
        ("garbled", garbled),
        ("a count changed", flipped),
        ("outputs left out", fingerprint_only),
        ("not text", "\u{0}\u{1}\u{2}".to_owned()),
    ];
    for (what, text) in cases {
        book.write(manifest_path, text);
        assert!(built(&book, &[]), "a manifest {what}");
        assert_eq!(book.read(manifest_path), manifest, "written again whole");
    }
    book.remove(manifest_path);
    assert!(built(&book, &[]), "a manifest removed");
    std::fs::remove_dir_all(book.path().join("out/.site-gen-cache")).unwrap();
    assert!(built(&book, &[]), "the cache's folder removed");
    assert!(!built(&book, &[]));
}

#[test]
fn books_with_warnings_or_preprocessors_are_always_built() {
    let book = small_book();
    book.write("src/one.md", "# One\n\nA [broken](nowhere.md) link.\n");
    assert!(built(&book, &[]));
    assert!(built(&book, &[]), "the warnings are shown again");
    book.write("src/one.md", "# One\n\nFine.\n");
    book.write("same.py", "import json, sys\nif len(sys.argv) > 1: sys.exit(0)\ncontext, book = json.load(sys.stdin)\njson.dump(book, sys.stdout)\n");
    book.append("book.toml", "\n[preprocessor.same]\ncommand = \"python3 same.py\"\n");
    assert!(built(&book, &[]));
    assert!(built(&book, &[]), "a preprocessor may read anything");
    assert!(built(&book, &["--no-preprocessors"]));
}
