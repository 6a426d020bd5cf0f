//! Books made of what no author means to write: files that are not files, files far too large
//! or oddly shaped, names a URL cannot hold as they are, templates that never end. Each build
//! runs within a time and memory bound ([`harness::Bounds`]) and must end in success or in a
//! located problem with exit 1 or 2, never a panic, an abort or a hang, and a failed build
//! leaves the previous site as it was.

use std::path::Path;
use std::time::Duration;

use harness::{BookTest, Bounds, Run};

use crate::bad_input::files_of;
use crate::{book, empty};

/// Every run here: a minute and 4 GiB at most (each takes well under a second and a few
/// dozen MiB when all is well).
fn bounds() -> Bounds {
    Bounds::time(Duration::from_secs(60))
}

fn build(book: &BookTest) -> Run {
    book.run_bounded(&["build", "."], &bounds())
}

fn check(book: &BookTest) -> Run {
    book.run_bounded(&["check", "."], &bounds())
}

/// Fails unless `run`'s error output holds every one of `expected`.
#[track_caller]
fn says(run: &Run, expected: &[&str]) {
    for text in expected {
        assert!(run.stderr.contains(text), "expected {text:?} in:\n{}", run.stderr);
    }
}

fn fifo(path: &Path) {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    mknodat(CWD, path, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap_or_else(|e| panic!("{}: {e}", link.display()));
}

/// A built copy of the basic fixture, and what its build folder holds.
fn built_basic() -> (BookTest, Vec<(String, Vec<u8>)>) {
    let book = book("basic");
    book.build();
    let site = files_of(&book.path().join("out"));
    (book, site)
}

#[test]
fn chapters_that_are_not_files_are_problems_at_their_line_in_summary() {
    let (book, site) = built_basic();
    let content = book.path().join("content");
    std::fs::remove_file(content.join("basics.md")).unwrap();
    fifo(&content.join("basics.md"));
    std::fs::remove_file(content.join("demo.md")).unwrap();
    std::fs::create_dir(content.join("demo.md")).unwrap();
    std::fs::remove_file(content.join("guide/nested.md")).unwrap();
    symlink("/dev/zero", &content.join("guide/nested.md"));
    std::fs::remove_file(content.join("colophon.md")).unwrap();
    symlink("colophon.md", &content.join("colophon.md"));
    std::fs::remove_file(content.join("guide/README.md")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(content.join("guide/README.md")).unwrap();

    for run in [build(&book), check(&book)] {
        let run = run.expect_clean_exit(&[1]);
        let all = format!("{}{}", run.stdout, run.stderr);
        for expected in [
            "content/SUMMARY.md:5:3: chapter `Basics` is listed, but its file content/basics.md is a named pipe (FIFO), not a file",
            "content/SUMMARY.md:6:7:",
            "its file content/guide/nested.md is a device, not a file",
            "content/SUMMARY.md:7:3: chapter `Demo page` is listed, but its file content/demo.md is a folder, not a file",
            "content/SUMMARY.md:14:3: chapter `Reference` is listed, but its file content/guide/README.md is a socket, not a file",
            "content/SUMMARY.md:16:1: chapter `Colophon` is listed, but its file content/colophon.md is a symbolic link that leads back to itself",
        ] {
            assert!(all.contains(expected), "expected {expected:?} in:\n{all}");
        }
    }
    assert_eq!(files_of(&book.path().join("out")), site, "the previous site is as it was");
}

#[test]
fn a_source_folder_that_is_a_file_or_holds_the_book_is_a_problem_at_its_key() {
    for (src, expected) in [
        ("book.toml", "book.toml:3:1: src `book.toml` is a file, not a folder"),
        ("/", "book.toml:3:1: src `/` holds the book's own folder"),
        ("..", "book.toml:3:1: src `..` holds the book's own folder"),
    ] {
        let book = book("basic");
        book.write("book.toml", format!("[book]\ntitle = \"T\"\nsrc = \"{src}\"\n[build]\nbuild-dir = \"out\"\n"));
        says(&build(&book).expect_clean_exit(&[1]), &[expected]);
        says(&check(&book).expect_clean_exit(&[1]), &[expected]);
        assert!(!book.path().join("out").exists());
    }
}

#[test]
fn an_empty_chapter_builds_and_a_20_mb_line_is_refused_unread() {
    let (book, _) = built_basic();
    book.write("content/basics.md", "");
    let run = build(&book).expect_clean_exit(&[0]);
    assert!(book.read("out/basics.html").contains("<article"), "{}", run.stderr);

    let site = files_of(&book.path().join("out"));
    book.write("content/basics.md", "word ".repeat(4_000_000));
    let run = build(&book).expect_clean_exit(&[1]);
    says(&run, &["content/SUMMARY.md:5:3: content/basics.md is 19.1 MiB; chapters may be at most 16 MiB"]);
    assert!(run.peak_kib < 200 * 1024, "the file is refused before it is read: {}", run.figures());
    assert_eq!(files_of(&book.path().join("out")), site);
}

/// SUMMARY.md with `levels` chapters, each nested in the one before.
fn nested_summary(book: &BookTest, levels: usize) {
    let mut summary = String::new();
    for i in 0..levels {
        summary.push_str(&format!("{}- [Level {i}](l{i}.md)\n", "  ".repeat(i)));
        book.write(&format!("content/l{i}.md"), format!("# Level {i}\n"));
    }
    book.write("content/SUMMARY.md", summary);
}

#[test]
fn summary_nested_200_deep_builds_and_deeper_than_256_is_a_problem_at_its_line() {
    let book = book("basic");
    nested_summary(&book, 200);
    build(&book).expect_clean_exit(&[0]);
    let number = format!("{}1.", "1.".repeat(199));
    assert!(book.read("out/toc.html").contains(&format!("<strong class=\"number\">{number}</strong> Level 199")), "the deepest chapter is numbered {number}");

    for levels in [257, 2000] {
        let book = self::book("basic");
        nested_summary(&book, levels);
        let run = build(&book).expect_clean_exit(&[1]);
        says(&run, &["content/SUMMARY.md:257:", "chapters are nested more than 256 levels deep here"]);
    }
}

#[test]
fn names_with_spaces_hash_question_percent_and_other_scripts_build_and_link() {
    let book = empty();
    book.write("book.toml", "[book]\ntitle = \"Names\"\n[build]\nbuild-dir = \"out\"\n");
    let links = "[s](with%20space.md) [h](hash%23tag.md#sub) [q](what%3F.md) [p](100%25.md) [c](na%C3%AFve%20caf%C3%A9.md) \
                 [j](日本語.md) [d](<dir with space/ch ap.md>)";
    let chapters = ["with space.md", "hash#tag.md", "what?.md", "100%.md", "naïve café.md", "日本語.md"];
    for name in chapters {
        book.write(&format!("content/{name}"), format!("# {name}\n\n## Sub\n\n{links}\n"));
    }
    book.write("content/dir with space/ch ap.md", "# Deep\n\n[up](../what%3F.md) [root](../100%25.md#sub)\n");
    book.write(
        "content/SUMMARY.md",
        "- [Space](<with space.md>)\n- [Hash](hash%23tag.md)\n- [Question](what%3F.md)\n- [Percent](100%25.md)\n\
         - [Café](naïve%20café.md)\n- [Japanese](日本語.md)\n- [Deep](dir%20with%20space/ch%20ap.md)\n",
    );
    let run = build(&book).expect_clean_exit(&[0]);
    assert!(!run.stderr.contains("warning: content/"), "no link is broken:\n{}", run.stderr);
    let out = book.path().join("out");
    for page in ["with space.html", "hash#tag.html", "what?.html", "100%.html", "naïve café.html", "日本語.html", "dir with space/ch ap.html"] {
        assert!(out.join(page).is_file(), "{page}");
    }
    // Every address the build wrote for a page leads to its file once decoded, as a server does.
    let sidebar = book.read("out/toc.html");
    let search = book.read("out/search/docs-0.json");
    let page = book.read("out/dir with space/ch ap.html");
    let hrefs: Vec<&str> = sidebar.split("href=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).filter(|h| h.ends_with(".html")).collect();
    assert_eq!(hrefs.len(), 7, "{sidebar}");
    for href in &hrefs {
        assert!(!href.contains(['#', '?', ' ']), "{href} is escaped");
        let file = percent_encoding::percent_decode_str(href).decode_utf8().unwrap();
        assert!(out.join(file.as_ref()).is_file(), "{href} → {file}");
        assert!(search.contains(&format!("\"{href}\"")), "the search index finds {href}");
    }
    assert!(page.contains("href=\"../what%3F.html\"") && page.contains("href=\"../100%25.html#sub\""), "{page}");
}

/// `text` with CRLF line endings and a byte-order mark.
fn windows(text: &str) -> String {
    format!("\u{feff}{}", text.replace("\r\n", "\n").replace('\n', "\r\n"))
}

#[test]
fn crlf_and_a_byte_order_mark_in_every_file_and_tabs_in_summary() {
    let book = book("basic");
    for file in ["book.toml", "content/preface.md", "content/basics.md", "content/guide/README.md", "content/guide/nested.md", "content/colophon.md", "content/demo.md"] {
        let text = book.read(file);
        book.write(file, windows(&text));
    }
    book.write("content/basics.md", windows("+++\ntitle = \"Basics from CRLF\"\n+++\n# Basics\n\n## Lists\n\nText.\n"));
    book.write(
        "content/SUMMARY.md",
        windows("# Summary\n\n[Preface](preface.md)\n\n- [Basics](basics.md)\n\t- [Nested](guide/nested.md)\n\t\t- [Demo page](demo.md)\n-\t[Reference](guide/README.md)\n\n[Colophon](colophon.md)\n"),
    );
    let run = build(&book).expect_clean_exit(&[0]);
    assert!(book.read("out/basics.html").contains("<title>Basics from CRLF"), "{}", run.stderr);
    let contents = book.read("out/toc.html");
    for number in ["1.", "1.1.", "1.1.1.", "2."] {
        assert!(contents.contains(&format!("<strong class=\"number\">{number}</strong>")), "{number} in {contents}");
    }
    // A problem in such a file is still at its line and column.
    book.write("content/demo.md", windows("# Demo\n\n```demo\nname = \"primes\"\nn = 5\n```\n"));
    says(&build(&book).expect_clean_exit(&[1]), &["content/demo.md:5:5: `n` = 5 is out of range"]);
}

#[test]
fn front_matter_unclosed_an_alias_bomb_and_a_1_mb_title() {
    let (book, site) = built_basic();
    book.write("content/basics.md", "+++\ntitle = \"never closed\"\n# Basics\n");
    says(&build(&book).expect_clean_exit(&[1]), &["content/basics.md:1:1: the front matter is not closed"]);
    assert_eq!(files_of(&book.path().join("out")), site);

    // An unclosed `---` is a thematic break, as in Markdown.
    book.write("content/basics.md", "---\ntitle: never closed\n# Basics\n");
    build(&book).expect_clean_exit(&[0]);

    let mut bomb = String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(",")));
    }
    bomb.push_str("---\n# Basics\n");
    book.write("content/basics.md", bomb);
    let run = build(&book).expect_clean_exit(&[1]);
    says(&run, &["content/basics.md:", "the front matter is not valid YAML"]);
    assert!(run.peak_kib < 500 * 1024, "{}", run.figures());

    let title = "Long ".repeat(200_000);
    book.write("content/basics.md", format!("+++\ntitle = \"{title}\"\n+++\n# Basics\n"));
    let run = build(&book).expect_clean_exit(&[0]);
    assert!(book.read("out/basics.html").contains(&format!("<title>{}", title.trim_end())), "{}", run.figures());
}

#[test]
fn includes_of_what_is_not_text_and_line_ranges_of_every_kind() {
    let (book, _) = built_basic();
    let content = book.path().join("content");
    // Beside the source folder, so that only the includes meet them. As in mdBook, an
    // include that cannot be carried out is left as text, with a warning at its line.
    let beside = book.path().join("beside");
    std::fs::create_dir(&beside).unwrap();
    book.write("content/blob.bin", [0x7fu8, b'E', b'L', b'F', 0xff, 0xfe, 0, 1, 2]);
    symlink("/dev/zero", &beside.join("zero.txt"));
    fifo(&beside.join("pipe.txt"));
    symlink("loop.txt", &beside.join("loop.txt"));
    book.write(
        "content/basics.md",
        "# Basics\n\n{{#include blob.bin}}\n\n{{#include ../beside/zero.txt}}\n\n{{#include ../beside/pipe.txt}}\n\n{{#include ../beside/loop.txt}}\n",
    );
    let run = build(&book).expect_clean_exit(&[0]);
    says(
        &run,
        &[
            "content/basics.md:3:1: `blob.bin` is not UTF-8 text, so the directive is left as text",
            "content/basics.md:5:1: `../beside/zero.txt` is outside the repository that holds the book",
            "content/basics.md:7:1: the included file `../beside/pipe.txt` is a named pipe (FIFO), not a file",
            "content/basics.md:9:1: the included file `../beside/loop.txt` is a symbolic link that leads back to itself",
        ],
    );
    book.run_bounded(&["build", ".", "--deny-warnings"], &bounds()).expect_clean_exit(&[1]);
    // In the source folder, whose files are copied, they are problems of their own.
    for file in ["pipe.txt", "loop.txt"] {
        std::fs::rename(beside.join(file), content.join(file)).unwrap();
    }
    book.write("content/basics.md", "# Basics\n");
    let before = files_of(&book.path().join("out"));
    let run = build(&book).expect_clean_exit(&[1]);
    says(&run, &["content/loop.txt: this is a symbolic link that leads back to itself", "content/pipe.txt: this is a named pipe (FIFO), not a file"]);
    assert_eq!(files_of(&book.path().join("out")), before);
    for file in ["pipe.txt", "loop.txt", "blob.bin"] {
        std::fs::remove_file(content.join(file)).unwrap();
    }

    book.write("content/code.txt", "one\ntwo\nthree\n");
    // Reversed: nothing, as in mdBook; an end past the last line: up to the last line.
    book.write("content/basics.md", "# Basics\n\n```\n[{{#include code.txt:3:1}}]\n{{#include code.txt:2:99}}```\n");
    build(&book).expect_clean_exit(&[0]);
    let page = book.read("out/basics.html");
    assert!(page.contains("[]\ntwo\nthree\n"), "{page}");
    book.write("content/basics.md", "{{#include code.txt:99999999999999999999999}}\n{{#include code.txt:18446744073709551615:}}\n{{#include code.txt:4}}\n");
    says(
        &build(&book).expect_clean_exit(&[0]),
        &[
            "content/basics.md:1:1: no anchor `99999999999999999999999` in the file",
            "content/basics.md:2:1: line 18446744073709551615 is past the end of the file (3 lines)",
            "content/basics.md:3:1: line 4 is past the end of the file (3 lines)",
        ],
    );
}

#[test]
fn includes_that_multiply_stop_at_their_limits() {
    let book = book("basic");
    // Ten files, each including the next ten times: ten billion copies, were it allowed.
    for i in 0..10 {
        let next = format!("{{{{#include b{}.md}}}}\n", i + 1);
        book.write(&format!("content/b{i}.md"), next.repeat(10));
    }
    book.write("content/b10.md", "leaf\n");
    book.write("content/basics.md", "# Basics\n\n{{#include b0.md}}\n");
    let run = build(&book).expect_clean_exit(&[1]);
    says(&run, &["this chapter expands more than 10000 directives"]);
    assert!(run.elapsed < Duration::from_secs(20), "{}", run.figures());

    // A large file included many times: stops at 32 MiB.
    let book = self::book("basic");
    book.write("content/big.txt", "x".repeat(2 << 20) + "\n");
    book.write("content/basics.md", "# Basics\n\n```\n".to_owned() + &"{{#include big.txt}}\n".repeat(40) + "```\n");
    let run = build(&book).expect_clean_exit(&[1]);
    says(&run, &["content/basics.md:", "this chapter's includes come to more than 32 MiB of text"]);
    assert!(run.peak_kib < 1024 * 1024, "{}", run.figures());
}

#[test]
fn templates_that_never_end_and_deep_nesting_are_problems_at_their_line() {
    let cases: [(&[(&str, String)], &str); 5] = [
        (&[("theme/templates/page.html", "<html>\n<body>{% include \"page.html\" %}</body>\n".into())], "theme/templates/page.html:2:19: this never ends: page.html → page.html"),
        (
            &[
                ("theme/templates/page.html", "{% import \"m.html\" as m %}{{ m::rec(n=1) }}".into()),
                ("theme/templates/m.html", "{% macro rec(n) %}\n{{ self::rec(n=n+1) }}\n{% endmacro rec %}".into()),
            ],
            "theme/templates/m.html:2:4: this never ends: m.html: macro rec → m.html: macro rec",
        ),
        (
            &[
                ("theme/templates/page.html", "{% include \"a.html\" %}".into()),
                ("theme/templates/a.html", "{% include \"b.html\" %}".into()),
                ("theme/templates/b.html", "x\n{% include \"a.html\" %}".into()),
            ],
            "theme/templates/b.html:2:13: this never ends: a.html → b.html → a.html",
        ),
        (
            &[("theme/templates/page.html", format!("{}x{}", "{% if page %}".repeat(1000), "{% endif %}".repeat(1000)))],
            "theme/templates/page.html:1:833: tags or brackets nest more than 64 levels deep here",
        ),
        (
            &[("book.toml", format!("[book]\ntitle = \"T\"\n[build]\nbuild-dir = \"out\"\n[preprocessor.x]\ny = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)))],
            "book.toml:6:",
        ),
    ];
    let (built, site) = built_basic();
    for (files, expected) in cases {
        let book = built.duplicate();
        for (path, text) in files {
            book.write(path, text);
        }
        let run = build(&book).expect_clean_exit(&[1]);
        says(&run, &[expected]);
        assert_eq!(files_of(&book.path().join("out")), site, "{expected}");
    }
}

#[test]
fn twenty_thousand_broken_links_in_one_chapter_are_each_reported_in_little_memory() {
    let book = book("basic");
    book.write("content/basics.md", "# Basics\n\n".to_owned() + &"[gone](preface.md#nowhere)\n".repeat(20_000));
    let run = build(&book).expect_clean_exit(&[0]);
    assert_eq!(run.stderr.matches("has no heading or anchor `#nowhere`").count(), 20_000);
    assert!(run.stderr.contains("content/basics.md:20002:1: link to `preface.md#nowhere`"));
    assert!(run.peak_kib < 1024 * 1024, "{}", run.figures());
    check(&book).expect_clean_exit(&[1]);
}
