//! The warm build: `build` with nothing changed leaves the build folder as it is, and any
//! change — to a source (even with its size and time kept), an included file outside the
//! source folder, book.toml, the options, an output, or the cache itself — gives a build.
//! That build makes again only the chapters whose text (or images) changed, reading the
//! others back from the chapter cache, and writes exactly what a forced build writes, even
//! when the chapter cache is corrupt.

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

/// Every file under `dir` but the cache, with its bytes.
fn site_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if relative.starts_with(".site-gen-cache") {
                continue;
            } else if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Builds the book again with `--force` into `forced/` and checks that `out/` holds exactly
/// the same files.
#[track_caller]
fn same_as_a_forced_build(book: &BookTest) {
    book.run(&["build", ".", "--force", "--dest-dir", "forced"]).expect_success();
    let (out, forced) = (site_files(&book.path().join("out")), site_files(&book.path().join("forced")));
    assert_eq!(out.keys().collect::<Vec<_>>(), forced.keys().collect::<Vec<_>>());
    let differ: Vec<&String> = out.iter().filter(|(path, bytes)| forced[*path] != **bytes).map(|(path, _)| path).collect();
    assert!(differ.is_empty(), "these differ from a forced build: {differ:?}");
}

/// `site-gen build .`, which must succeed; the number of chapters read back from the cache.
#[track_caller]
fn chapters_reused(book: &BookTest) -> usize {
    let run = book.run(&["build", "."]).expect_success();
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
    let Some((before, _)) = run.stdout.split_once(" unchanged, read back from the last build") else { return 0 };
    let count = before.trim_end_matches(" chapters").trim_end_matches(" chapter").rsplit('(').next().unwrap();
    count.parse().unwrap_or_else(|_| panic!("{}", run.stdout))
}

/// A book of five chapters with code, an image and an include.
fn five_chapters() -> BookTest {
    let book = small_book();
    book.write("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [Three](three.md)\n- [Four](four.md)\n- [Five](five.md)\n");
    book.write("src/three.md", "# Three\n\n![A dot](images/dot.svg)\n\n<img src=\"images/raw.svg\" alt=\"raw\">\n");
    book.write("src/images/raw.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 10\"/>\n");
    book.write("src/four.md", "# Four\n\n```python\ndef four():\n    return 4\n```\n\nBack to [one](one.md#one).\n");
    book.write("src/five.md", "# Five\n\n```demo\nname = \"primes\"\n```\n");
    book
}

#[test]
fn a_one_chapter_change_makes_only_that_chapter_again() {
    let book = five_chapters();
    assert!(built(&book, &[]));
    book.append("src/four.md", "\nA new paragraph about `asyncio`.\n");
    assert_eq!(chapters_reused(&book), 4, "the four other chapters are read back");
    assert!(book.read("out/four.html").contains("A new paragraph"));
    assert!(book.read("out/print.html").contains("A new paragraph"), "the print page has the change");
    same_as_a_forced_build(&book);
    rewrite_keeping_time(&book, "shared/code.rs", "fn gamma() {}\n");
    assert_eq!(chapters_reused(&book), 4, "an included file changes only the chapter that includes it");
    assert!(book.read("out/two.html").contains("gamma"));
    book.write("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [Three](three.md)\n- [Four](four.md)\n- [Fifth](five.md)\n");
    assert_eq!(chapters_reused(&book), 5, "a title in the summary changes the pages, not the chapters' HTML");
    assert!(book.read("out/four.html").contains("Fifth"), "the next chapter's new title");
    same_as_a_forced_build(&book);
    assert!(built(&book, &["--force"]));
    assert_eq!(chapters_reused(book.append("src/one.md", "\nMore.\n")), 4, "--force kept the cache for the next build");
}

#[test]
fn a_changed_image_changes_the_chapter_that_measured_it() {
    let book = five_chapters();
    assert!(built(&book, &[]));
    assert!(book.read("out/three.html").contains("width=\"30\" height=\"10\""), "{}", book.read("out/three.html"));
    book.write("src/images/raw.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 60 10\"/>\n");
    assert_eq!(chapters_reused(&book), 4);
    assert!(book.read("out/three.html").contains("width=\"60\" height=\"10\""));
    book.write("src/images/dot.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>\n");
    assert_eq!(chapters_reused(&book), 4);
    same_as_a_forced_build(&book);
}

#[test]
fn a_corrupt_chapter_cache_never_gives_a_wrong_page() {
    let book = five_chapters();
    assert!(built(&book, &[]));
    let dir = book.path().join("out/.site-gen-cache/chapters");
    let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    assert_eq!(entries.len(), 5, "one entry a chapter");
    let bytes: Vec<Vec<u8>> = entries.iter().map(|e| std::fs::read(e).unwrap()).collect();
    // A byte changed in the HTML, half an entry, an empty file, and two entries swapped.
    let mut flipped = bytes[0].clone();
    let at = flipped.windows(4).position(|w| w == b"<h1 ").expect("the chapter's heading");
    flipped[at + 1] = b'p';
    std::fs::write(&entries[0], flipped).unwrap();
    std::fs::write(&entries[1], &bytes[1][..bytes[1].len() / 2]).unwrap();
    std::fs::write(&entries[2], b"").unwrap();
    std::fs::write(&entries[3], &bytes[4]).unwrap();
    std::fs::write(&entries[4], &bytes[3]).unwrap();
    book.append("src/one.md", "\nA change, so that the book is built.\n");
    assert_eq!(chapters_reused(&book), 0, "no corrupt entry is used");
    same_as_a_forced_build(&book);
    assert_eq!(chapters_reused(book.append("src/one.md", "\nAnother.\n")), 4, "the entries were written again whole");
}
