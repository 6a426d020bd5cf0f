//! Every mistake an author can make, tried on a real build: each broken book must fail with
//! exit code 1 and a message naming the file, line and column (and what would be valid),
//! never panic, and leave the previous build exactly as it was. What the author reads for each
//! is kept whole in a snapshot: `snapshots/cli__bad_input__<case>.snap`.

use std::path::Path;

use harness::BookTest;

use crate::book;

/// One broken book: files to write over the `basic` fixture, and what the error must say.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    /// Text the error output must contain (typically `file:line:column: message`).
    expect: &'static str,
}

fn case(name: &'static str, files: &[(&'static str, &str)], expect: &'static str) -> Case {
    Case { name, files: files.iter().map(|(p, t)| (*p, t.as_bytes().to_vec())).collect(), expect }
}

fn bytes_case(name: &'static str, path: &'static str, bytes: Vec<u8>, expect: &'static str) -> Case {
    Case { name, files: vec![(path, bytes)], expect }
}


fn cases() -> Vec<Case> {
    let mut not_utf8 = b"# Title\n\nSome text \xff\xfe here\n".to_vec();
    not_utf8.extend_from_slice(b"more\n");
    vec![
        // book.toml
        case("toml syntax", &[("book.toml", "[book]\ntitle = \"x\"\nauthors = [\"a\"\n")], "book.toml:3:"),
        case("toml wrong type", &[("book.toml", "[book]\ntitle = 3\n")], "book.toml:2:9: invalid book.toml: invalid type: integer `3`, expected a string"),
        case("toml authors not a list", &[("book.toml", "[book]\nauthors = \"me\"\n")], "book.toml:2:11:"),
        case("toml duplicate key", &[("book.toml", "[book]\ntitle = \"a\"\ntitle = \"b\"\n")], "book.toml:3:1:"),
        bytes_case("toml not utf-8", "book.toml", b"[book]\ntitle = \"\xff\"\n".to_vec(), "book.toml:2:10: book.toml is not valid UTF-8 text"),
        // SUMMARY.md
        case("summary missing chapter", &[("content/SUMMARY.md", "# Summary\n\n- [Gone](gone.md)\n")], "content/SUMMARY.md:3:3: chapter `Gone` is listed, but its file content/gone.md does not exist"),
        case("summary item not a link", &[("content/SUMMARY.md", "# Summary\n\n- [A](preface.md)\n- just words\n")], "content/SUMMARY.md:4:3: expected a chapter link in this list item"),
        case("summary numbered after suffix", &[("content/SUMMARY.md", "- [A](preface.md)\n\n[B](basics.md)\n\n- [C](demo.md)\n")], "content/SUMMARY.md:5:1: numbered chapters and part titles cannot come after the suffix chapters"),
        case("summary external link", &[("content/SUMMARY.md", "- [A](https://example.com/a.md)\n")], "content/SUMMARY.md:1:3: chapter `A` links to `https://example.com/a.md`, which is not a file of the book"),
        case("summary outside source", &[("content/SUMMARY.md", "- [A](../book.toml)\n")], "content/SUMMARY.md:1:3: chapter `A` points outside the source folder"),
        case("summary duplicate page", &[("content/SUMMARY.md", "- [A](preface.md)\n- [B](preface.md)\n")], "content/SUMMARY.md:2:3: two chapters would both become the page preface.html"),
        case("summary README and index", &[("content/SUMMARY.md", "- [A](guide/README.md)\n- [B](guide/index.md)\n"), ("content/guide/index.md", "# B\n")], "content/SUMMARY.md:2:3: two chapters would both become the page guide/index.html"),
        bytes_case("summary not utf-8", "content/SUMMARY.md", b"# Summary\n\n- [A\xff](preface.md)\n".to_vec(), "content/SUMMARY.md:3:5: this file is not valid UTF-8 text"),
        // Chapters
        bytes_case("chapter not utf-8", "content/basics.md", not_utf8, "content/basics.md:3:11: this file is not valid UTF-8 text"),
        case("chapter is a folder", &[("content/SUMMARY.md", "- [A](guide)\n")], "content/SUMMARY.md:1:3: chapter `A` is listed, but its file content/guide is a folder, not a file"),
        // Includes
        case("include cycle", &[("content/basics.md", "# B\n{{#include loop.md}}\n"), ("content/loop.md", "x\n{{#include basics.md}}\n")], "content/loop.md:2:1: include cycle: content/basics.md → content/loop.md → content/basics.md"),
        // Front matter
        case("front matter toml", &[("content/basics.md", "+++\ntitle = \"a\"\nx = = 1\n+++\n# B\n")], "content/basics.md:3:5: the front matter is not valid TOML"),
        case("front matter yaml", &[("content/basics.md", "---\ntitle: a\nlist: [1, 2\n---\n# B\n")], "content/basics.md:"),
        case("front matter type", &[("content/basics.md", "+++\ndraft = \"yes\"\n+++\n# B\n")], "content/basics.md:2:1: `draft` must be true or false, not text"),
        case("front matter unclosed", &[("content/basics.md", "+++\ntitle = \"a\"\n# B\n")], "content/basics.md:1:1: the front matter is not closed"),
        // Demo blocks
        case("demo unknown", &[("content/demo.md", "```demo\nname = \"fibonacci\"\n```\n")], "content/demo.md:2:8: unknown demo `fibonacci`"),
        case("demo unknown parameter", &[("content/demo.md", "# D\n\n```demo\nname = \"primes\"\nthreads = 2\n```\n")], "content/demo.md:5:1: the `primes` demo has no parameter `threads`"),
        case("demo wrong type", &[("content/demo.md", "```demo\nname = \"primes\"\nn = \"many\"\n```\n")], "content/demo.md:3:5: `n` must be a whole number, not a string"),
        case("demo out of range", &[("content/demo.md", "```demo\nname = \"primes\"\nworkers = 1000\n```\n")], "content/demo.md:3:11: `workers` = 1000 is out of range: it must be between 1 and 32"),
        case("demo too many tasks", &[("content/demo.md", "```demo\nname = \"async-scale\"\ntasks = 1000000\n```\n")], "content/demo.md:3:9: `tasks` = 1000000 is out of range: it must be between 10 and 100000"),
        case("demo too many processes", &[("content/demo.md", "```demo\nname = \"async-scale\"\nmax_processes = 1000\n```\n")], "content/demo.md:3:17: `max_processes` = 1000 is out of range: it must be between 1 and 64"),
        case("demo pipeline chunk", &[("content/demo.md", "```demo\nname = \"hybrid\"\nchunk = 10\n```\n")], "content/demo.md:3:9: `chunk` = 10 is out of range: it must be between 1000 and 200000"),
        case("ipc-cost payload too large", &[("content/demo.md", "```demo\nname = \"ipc-cost\"\nmax_kb = 100000\n```\n")], "content/demo.md:3:10: `max_kb` = 100000 is out of range: it must be between 1 and 65536"),
        case("responsiveness freezes too long", &[("content/demo.md", "```demo\nname = \"responsiveness\"\nn = 20000000\n```\n")], "content/demo.md:3:5: `n` = 20000000 is out of range: it must be between 1000 and 5000000"),
        case("demo not toml", &[("content/demo.md", "```demo\nname = \"primes\"\nn = = 3\n```\n")], "content/demo.md:3:5: this demo block is not valid TOML"),
        case("demo no name", &[("content/demo.md", "```demo\nn = 3000\n```\n")], "content/demo.md:2:1: this demo block does not say which demo to show"),
        case("demo bad mode", &[("content/demo.md", "```demo\nname = \"primes\"\nmodes = [\"gpu\"]\n```\n")], "content/demo.md:3:9: `modes` has an unknown choice `gpu`"),
        case("demo predict unknown question", &[("content/demo.md", "```demo\nname = \"primes\"\n[predict]\nfastest = true\n```\n")], "content/demo.md:4:1: `[predict]` has no question `fastest`"),
        case("demo predict mode not run", &[("content/demo.md", "```demo\nname = \"primes\"\nmodes = [\"sequential\", \"processes\"]\n\n[predict]\nspeedup = \"threads\"\n```\n")], "content/demo.md:6:11: `speedup` names the mode `threads`, which this block does not run"),
        case("demo predict wrong type", &[("content/demo.md", "```demo\nname = \"gil\"\n[predict]\nwinner = \"yes\"\n```\n")], "content/demo.md:4:10: `winner` must be true or false, not a string"),
        case("demo in a list", &[("content/demo.md", "- item\n\n  ```demo\n  name = \"nope\"\n  ```\n")], "content/demo.md:4:10: unknown demo `nope`"),
        // Inline claims
        case("claim unknown verdict", &[("content/demo.md", "# D\n\nThreads win {{#claim primes threads quicker}}.\n\n```demo\nname = \"primes\"\n```\n")], "content/demo.md:3:37: unknown verdict `quicker`"),
        case("claim unknown mode", &[("content/demo.md", "# D\n\nSo {{#claim race gpu exact}}.\n\n```demo\nname = \"race\"\n```\n")], "content/demo.md:3:18: the `race` demo has no mode `gpu`"),
        case("claim demo not on the page", &[("content/demo.md", "# D\n\nSo {{#claim gil threads same}}.\n\n```demo\nname = \"primes\"\n```\n")], "content/demo.md:3:4: the `gil` demo is not on this page"),
        case("claim unknown parameter", &[("content/demo.md", "# D\n\n```demo\nname = \"gil\"\n```\n\n- So {{#claim gil threads faster load=io}}.\n")], "content/demo.md:7:34: the `gil` demo has no parameter `load` a claim can name"),
        case("claim mode not in the block", &[("content/demo.md", "# D\n\nSo {{#claim primes threads faster}}.\n\n```demo\nname = \"primes\"\nmodes = [\"sequential\", \"async\"]\n```\n")], "content/demo.md:3:4: the `primes` demo on this page does not run `threads`"),
        // Theme
        case("template syntax", &[("theme/templates/page.html", "<html>\n<body>\n{% if %}\n</body>\n")], "theme/templates/page.html:3:"),
        case("template unknown variable", &[("theme/templates/page.html", "<html>\n<title>{{ page.titel }}</title>\n")], "theme/templates/page.html:2:11: the template failed: Variable `page.titel` not found in context"),
        case("template unclosed block", &[("theme/templates/page.html", "{% for x in page.headings %}\n{{ x.text }}\n")], "theme/templates/page.html:"),
    ]
}

#[test]
fn every_broken_book_fails_cleanly_with_its_location() {
    let cases = cases();
    assert!(cases.len() >= 30, "the matrix has {} cases", cases.len());
    // The fixture is built once; each case breaks a copy of the built book and builds again.
    let built = book("basic");
    built.build();
    let before = files_of(&built.path().join("out"));
    let mut failures = Vec::new();
    for case in &cases {
        if let Some(problem) = try_case(&built, &before, case) {
            failures.push(format!("[{}] {problem}", case.name));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

/// Breaks a copy of the built book, builds again; returns what went wrong, if anything.
fn try_case(built: &BookTest, before: &[(String, Vec<u8>)], case: &Case) -> Option<String> {
    let book = built.duplicate();
    for (path, bytes) in &case.files {
        book.write(path, bytes);
    }
    let out = book.run(&["build", "."]);
    let stderr = &out.stderr;
    if out.code() != Some(1) {
        return Some(format!("exit code {:?}, expected 1; stderr:\n{stderr}", out.code()));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        return Some(format!("panicked:\n{stderr}"));
    }
    if !stderr.contains(case.expect) {
        return Some(format!("expected {:?} in:\n{stderr}", case.expect));
    }
    if files_of(&book.path().join("out")) != before {
        return Some("the previous build was changed".into());
    }
    let leftovers: Vec<String> = std::fs::read_dir(book.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    if !leftovers.is_empty() {
        return Some(format!("staging folders left behind: {leftovers:?}"));
    }
    // The whole message, as the author reads it, against its snapshot.
    let name = case.name.to_lowercase().replace([' ', '-'], "_");
    let output = out.redacted();
    if std::panic::catch_unwind(|| insta::assert_snapshot!(name.as_str(), output)).is_err() {
        return Some(format!("the output differs from snapshots/cli__bad_input__{name}.snap (shown above)"));
    }
    None
}

/// Every file of a build and its contents.
pub(crate) fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_huge_chapter_is_refused_with_the_limit() {
    let book = book("basic");
    book.build();
    let before = book.read("out/basics.html");
    let line = "Concurrency is about structure; parallelism is about execution. ".repeat(16) + "\n\n";
    let huge = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    book.write("content/basics.md", huge);
    let stderr = book.run(&["build", "."]).expect_code(1).stderr;
    assert!(stderr.contains("content/SUMMARY.md:5:3: content/basics.md is 50.0 MiB; chapters may be at most 16 MiB"), "{stderr}");
    assert_eq!(book.read("out/basics.html"), before);
}
