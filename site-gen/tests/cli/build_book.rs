//! Whole builds of the fixture books with the real `site-gen` binary: pages, navigation,
//! escaping, assets, exit codes, error locations, and the previous output surviving a
//! failed build.

use harness::read;

use crate::{book, empty, named_asset};

#[test]
fn builds_every_page_with_navigation() {
    let book = book("basic");
    book.build();
    let site = book.path().join("out");

    for page in ["index.html", "preface.html", "basics.html", "guide/nested.html", "demo.html", "guide/index.html", "colophon.html"] {
        assert!(site.join(page).is_file(), "missing {page}");
    }
    let basics = read(site.join("basics.html"));
    let style = named_asset(&basics, "href=\"", "static/style.", ".css").unwrap_or_else(|| panic!("{basics}"));
    assert!(site.join(style).is_file());
    assert!(!site.join("static/style.css").exists(), "static files are written under their new names only");
    assert!(site.join("images/dot.svg").is_file(), "images are copied beside the pages");
    assert!(!site.join("basics.md").exists(), "Markdown sources are not copied");

    // The sidebar is rendered once, numbering chapters, and shared by every page: a box
    // that toc.js fills, marking the page's own link (see the browser tests), with the
    // contents page in a frame for readers without JavaScript.
    assert!(
        basics.contains(r#"<div class="toc-box" data-toc-root="" data-toc-page="basics.html"><noscript><iframe class="toc-frame" src="toc.html" title="Chapters"></iframe></noscript></div>"#),
        "{basics}"
    );
    assert!(basics.contains(r#"<script src="toc.js?v="#) && !basics.contains("Not written yet"), "{basics}");
    // The chapters, numbered, with drafts, separators and parts: the whole list.
    let contents = book.read("out/toc.html");
    insta::assert_snapshot!("basic_contents", chapter_list(&contents));
    let script = book.read("out/toc.js");
    for html in [
        r#"<a href="basics.html"><strong class="number">1.</strong> Basics</a>"#,
        r#"<a href="guide/nested.html"><strong class="number">1.1.</strong>"#,
        r#"<span class="draft" title="Not written yet"><strong class="number">3.</strong> Not written yet</span>"#,
        r#"<li class="part-title">Appendices</li>"#,
    ] {
        let in_script = serde_json::to_string(html).unwrap();
        assert!(script.contains(&in_script[1..in_script.len() - 1]), "{html} in toc.js");
    }
    assert!(contents.contains(r#"<base target="_parent">"#) && !contents.contains("aria-current"), "{contents}");
    // Previous and next follow the reading order.
    assert!(basics.contains(r#"rel="prev" href="preface.html""#), "{basics}");
    assert!(basics.contains(r#"rel="next" href="guide/nested.html""#), "{basics}");
    // Markdown extensions (tables, strikethrough, task lists, footnotes), unique heading ids
    // with links to themselves, and raw HTML passed through as CommonMark says.
    insta::assert_snapshot!("basics_article", harness::cli::article(&basics));

    // A page in a folder links back up to the root.
    let nested = read(site.join("guide/nested.html"));
    assert!(named_asset(&nested, "href=\"../", "static/style.", ".css").is_some(), "{nested}");
    assert!(nested.contains(r#"href="../basics.html""#), "{nested}");
    assert!(nested.contains(r#"data-toc-root="../" data-toc-page="guide/nested.html""#), "{nested}");
    assert!(nested.contains(r#"<iframe class="toc-frame" src="../toc.html""#) && nested.contains(r#"<script src="../toc.js?v="#), "{nested}");

    // Links to chapters' Markdown files point at their pages.
    let preface = book.read("out/preface.html");
    assert!(preface.contains(r#"href="basics.html#lists""#), "{preface}");
    assert!(preface.contains(r#"href="guide/index.html""#), "{preface}");
    // The first chapter is also the front page.
    assert!(book.read("out/index.html").contains("Welcome."));
}

#[test]
fn titles_stay_text() {
    let book = book("basic");
    book.build();
    let page = book.read("out/basics.html");
    assert!(!page.contains("<script>alert"), "book title must be escaped: {page}");
    assert!(page.contains("Fixture &lt;script&gt;alert("), "{page}");
    assert!(!page.contains("<img src=x onerror"), "SUMMARY titles must be escaped");
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "{page}");
    assert!(page.contains("<code>&lt;script&gt;</code>"), "{page}");
}

#[test]
fn demo_blocks_become_demo_containers_with_the_runtime() {
    let book = book("basic");
    book.build();
    let demo = book.read("out/demo.html");
    assert!(demo.contains(r#"data-demo="primes" data-status="idle""#), "{demo}");
    assert!(demo.contains("&quot;workers&quot;:2"), "{demo}");
    let folder = named_asset(&demo, "<script type=\"module\" src=\"", "static/demos.", "/runner.js").unwrap_or_else(|| panic!("{demo}"));
    assert!(book.path().join("out").join(&folder).is_file(), "{folder}");
    assert!(demo.contains(&format!(r#"<link rel="stylesheet" href="{}demos.css">"#, folder.strip_suffix("runner.js").unwrap())), "{demo}");
    let plain = read(book.path().join("out/basics.html"));
    assert!(!plain.contains("runner.js"), "pages without demos load no demo code");
}

/// The demo runtime and the theme's static files as a host gets them: minified, named by
/// their content, with `_headers` letting browsers keep those for good; the demos' Python
/// twins beside their highlighted HTML, linked from the page instead of in it; images with
/// their size.
#[test]
fn static_files_are_minified_named_by_content_and_cached_for_good() {
    let book = book("basic");
    let runtime = book.path().join("runtime");
    for build in ["threads", "single"] {
        std::fs::create_dir_all(runtime.join(build)).unwrap();
        std::fs::write(runtime.join(build).join("demos_wasm.js"), "export default async function init( moduleOrPath ) {\n  return moduleOrPath;\n}\n").unwrap();
        std::fs::write(runtime.join(build).join("demos_wasm_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    }
    let config = book.path().join("book.toml");
    std::fs::write(&config, format!("{}demos-dir = \"runtime\"\n", read(&config))).unwrap();
    book.build();
    let site = book.path().join("out");
    let demo = read(site.join("demo.html"));

    let runner = named_asset(&demo, "<script type=\"module\" src=\"", "static/demos.", "/runner.js").unwrap();
    let folder = runner.strip_suffix("runner.js").unwrap();
    for file in ["worker.js", "demos.css", "demos/primes.js", "pkg/threads/demos_wasm_bg.wasm"] {
        assert!(site.join(folder).join(file).is_file(), "{folder}{file}");
    }
    let glue = read(site.join(folder).join("pkg/single/demos_wasm.js"));
    assert!(glue.starts_with("export default async function init(") && !glue.contains('\n'), "minified: {glue}");
    let css = read(site.join(named_asset(&demo, "href=\"", "static/style.", ".css").unwrap()));
    assert!(!css.contains("\n  ") && !css.contains("/*"), "minified: {}", &css[..200]);

    let headers = read(site.join("_headers"));
    assert!(headers.starts_with("/*\n  cross-origin-opener-policy: same-origin\n"), "{headers}");
    assert!(headers.contains(&format!("\n/{folder}*\n  cache-control: public, max-age=31536000, immutable\n")), "{headers}");
    let search = named_asset(&demo, "<script src=\"", "static/search.", ".js").unwrap();
    assert!(headers.contains(&format!("\n/{search}\n  cache-control: public, max-age=31536000, immutable\n")), "{headers}");
    assert!(!headers.contains(".html") && !headers.contains("python") && !headers.contains("toc.js"), "pages and the rest revalidate: {headers}");
    assert!(site.join("isolation-sw.js").is_file() && !headers.contains("isolation-sw"));

    // The twin: linked, not inlined; its highlighted HTML beside the script.
    assert!(demo.contains(r#"<a class="demo-python-download" href="static/python/primes.py" download="primes.py">"#), "{demo}");
    assert!(!demo.contains("def count_primes_in") && demo.len() < 40_000, "{} bytes", demo.len());
    assert!(read(site.join("static/python/primes.py")).contains("def count_primes_in"));
    let highlighted: serde_json::Value = serde_json::from_str(&read(site.join("static/python/primes.py.json"))).unwrap();
    assert_eq!(highlighted["script"], "primes.py");
    let html = highlighted["html"].as_str().unwrap();
    assert!(html.contains("<span class=\"hl-keyword") && !html.contains("hl-source"), "{}", &html[..300]);

    // Images carry their size.
    let preface = read(site.join("preface.html"));
    assert!(preface.contains(r#"<img src="images/dot.svg" alt="A diagram" width="10" height="10" />"#), "{preface}");
}


#[test]
fn dest_dir_option_writes_elsewhere() {
    let book = book("basic");
    let dest = tempfile::tempdir().unwrap();
    let target = dest.path().join("site");
    book.run(&["build", ".", "-d", target.to_str().unwrap()]).expect_success();
    assert!(target.join("index.html").is_file());
    assert!(!book.path().join("out").exists());
}

#[test]
fn a_bad_demo_block_fails_with_its_location_and_keeps_the_previous_build() {
    let book = book("basic");
    book.build();
    let before = book.read("out/demo.html");

    book.write("content/demo.md", "# Demo page\n\n```demo\nname = \"primes\"\nn = 5\nspeed = 3\n```\n");
    let out = book.run(&["build", "."]);
    assert_eq!(out.code(), Some(1), "content errors exit 1");
    let err = &out.stderr;
    assert!(err.contains("content/demo.md:5:5: `n` = 5 is out of range: it must be between 1000 and"), "{err}");
    assert!(err.contains("content/demo.md:6:1: the `primes` demo has no parameter `speed`"), "{err}");
    assert!(err.contains("valid parameters: name, n"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(book.read("out/demo.html"), before, "the previous build is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(book.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(leftovers.is_empty(), "no staging folders left: {leftovers:?}");
}

#[test]
fn a_missing_chapter_names_its_summary_line() {
    let book = book("basic");
    book.remove("content/guide/nested.md");
    let out = book.run(&["build", "."]).expect_code(1);
    let err = &out.stderr;
    assert!(err.contains("content/SUMMARY.md:6:7: chapter `Nested \"><img src=x onerror=alert(1)>` is listed, but its file content/guide/nested.md does not exist"), "{err}");
    assert!(!book.path().join("out").exists(), "a failed build writes nothing");
}

#[test]
fn malformed_book_toml_names_line_and_column() {
    let book = book("basic");
    book.write("book.toml", "[book]\ntitle = \"x\"\nauthors = [\"a\"\n");
    let out = book.run(&["build", "."]).expect_code(1);
    let err = &out.stderr;
    assert!(err.contains("book.toml:3:"), "{err}");
}

#[test]
fn check_lists_problems_one_per_line() {
    let book = book("basic");
    book.check().expect_success();
    assert!(!book.path().join("out").exists(), "check writes nothing");

    book.write("content/demo.md", "```demo\nname = \"fibonacci\"\n```\n");
    let out = book.check().expect_code(1);
    let stdout = &out.stdout;
    assert!(stdout.lines().any(|l| l.starts_with("content/demo.md:2:8: error: unknown demo `fibonacci` (help: valid demos: primes")), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = empty();
    let out = dir.run(&["build", "no-such-folder"]).expect_code(2);
    assert!(out.stderr.contains("no-such-folder is not a folder"));
    dir.run(&["frobnicate"]).expect_code(2);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let book = book("basic");
    book.write("out/thesis.tex", "years of work");
    let out = book.run(&["build", "."]).expect_code(2);
    assert!(out.stderr.contains("was not written by site-gen"));
    assert_eq!(book.read("out/thesis.tex"), "years of work");
}

#[test]
fn help_explains_each_command() {
    let dir = empty();
    for (command, words) in [("build", "-d, --dest-dir"), ("serve", "-p, --port"), ("check", "file:line:column")] {
        let out = dir.run(&[command, "--help"]).expect_success();
        assert!(out.stdout.contains(words), "{command} --help: {}", out.stdout);
    }
}

#[test]
fn pages_carry_a_content_security_policy() {
    let book = book("basic");
    book.build();
    for page in ["basics.html", "demo.html", "print.html", "404.html"] {
        let html = book.read(&format!("out/{page}"));
        let csp = html
            .split("http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{page} has no Content-Security-Policy"));
        // Only the site's own scripts, and WebAssembly compilation for the demos.
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{page}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{page}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{page}: {csp}");
        assert!(!html.contains("<script>"), "{page} has an inline script, which the policy forbids");
    }
}

/// The list of chapters in the contents page (`toc.html`), without the page around it.
fn chapter_list(contents: &str) -> &str {
    let start = contents.find("<ol class=\"toc\">").expect("a list of chapters");
    let end = contents.rfind("</ol>").expect("the end of the list") + "</ol>".len();
    &contents[start..end]
}
