//! `site-gen init` through the real binary: the new book checks and builds at once, and
//! no existing file is ever overwritten.

use crate::{empty, named_asset, run_in};

#[test]
fn a_new_book_checks_and_builds() {
    let dir = empty();
    let out = dir.run(&["init", "my-book"]).expect_success();
    let stdout = &out.stdout;
    assert!(stdout.contains("Created my-book/book.toml"), "{stdout}");
    assert!(stdout.contains("Created my-book/content/SUMMARY.md"), "{stdout}");
    assert!(stdout.contains("Created my-book/content/introduction.md"), "{stdout}");

    let book = dir.path().join("my-book");
    assert!(dir.read("my-book/book.toml").contains("title = \"My book\""));
    let check = run_in(&book, &["check", "."]).expect_success();
    assert!(!check.stdout.contains("error"), "{}", check.stdout);

    run_in(&book, &["build", "."]).expect_success();
    let page = dir.read("my-book/book/introduction.html");
    assert!(page.contains(r#"data-demo="primes""#), "the first chapter has a live demo: {page}");
    assert!(book.join("book/index.html").is_file());
    assert!(book.join("book/404.html").is_file());
}

#[test]
fn init_takes_a_title_and_works_in_an_existing_empty_folder() {
    let dir = empty();
    dir.run(&["init", ".", "--title", "Threads \"and\" tasks"]).expect_success();
    let settings: toml::Table = toml::from_str(&dir.read("book.toml")).unwrap();
    assert_eq!(settings["book"]["title"].as_str(), Some("Threads \"and\" tasks"));
    dir.build();
    assert!(dir.read("book/introduction.html").contains("<title>Introduction · Threads &quot;and&quot; tasks</title>"));
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = empty();
    dir.write("content/SUMMARY.md", "# My own summary\n").write("notes.txt", "unrelated");

    let out = dir.run(&["init", "."]);
    assert_eq!(out.code(), Some(2), "an existing file is a usage error");
    let stderr = &out.stderr;
    assert!(stderr.contains("content/SUMMARY.md already exists; `site-gen init` never overwrites a file, so nothing was written"), "{stderr}");
    assert_eq!(dir.read("content/SUMMARY.md"), "# My own summary\n", "the file is intact");
    assert!(!dir.path().join("book.toml").exists(), "nothing else was written either");
    assert!(!dir.path().join("content/introduction.md").exists());
}

/// What `make install` promises: a new book far from this repository (no `demos-dir`, no
/// `demos-wasm/pkg` beside it) builds into a site whose demo runs, because the binary carries
/// the demo runtime (both builds, their glue and wasm-bindgen-rayon's snippets), the theme and
/// the demos' Python twins.
#[test]
fn a_new_book_far_from_the_repository_carries_the_demo_runtime_and_the_python_twins() {
    if env!("SITE_GEN_RUNTIME_BUILT_IN") != "yes" {
        eprintln!("skipped: site-gen was compiled before `make demos`, so it carries no demo runtime (`make test` builds it first)");
        return;
    }
    let dir = empty();
    let version = dir.run(&["--version"]).expect_success();
    assert!(version.stdout.starts_with("site-gen ") && version.stdout.contains("(demo runtime built in)"), "{}", version.stdout);
    assert!(!dir.path().starts_with(harness::repo_root()), "{} is outside the repository", dir.path().display());
    dir.run(&["init", "."]).expect_success();
    let built = dir.build();
    assert!(!built.stderr.contains("demo runtime") && !built.stdout.contains("demo runtime"), "{}{}", built.stdout, built.stderr);

    let page = dir.read("book/introduction.html");
    let runner = named_asset(&page, "<script type=\"module\" src=\"", "static/demos.", "/runner.js").expect("the page loads the demo runtime");
    let folder = dir.path().join("book").join(runner.strip_suffix("runner.js").unwrap());
    let repo_pkg = harness::repo_root().join("demos-wasm/pkg");
    for build in ["threads", "single"] {
        let wasm = std::fs::read(folder.join("pkg").join(build).join("demos_wasm_bg.wasm")).unwrap_or_else(|e| panic!("{build}: {e}"));
        assert_eq!(wasm, std::fs::read(repo_pkg.join(build).join("demos_wasm_bg.wasm")).unwrap(), "{build}: the module of `make demos`");
        let glue = std::fs::read_to_string(folder.join("pkg").join(build).join("demos_wasm.js")).unwrap();
        assert!(glue.contains("demos_wasm_bg.wasm"), "{build}: the glue loads its module");
    }
    let snippets = folder.join("pkg/threads/snippets");
    assert!(std::fs::read_dir(&snippets).map(|mut d| d.next().is_some()).unwrap_or(false), "{} holds the pool's worker helper", snippets.display());

    assert!(page.contains("data-script=\"primes.py\""), "the demo shows its Python twin");
    let twin = dir.read("book/static/python/primes.py");
    assert_eq!(twin, harness::read(harness::repo_root().join("demos-wasm/python/primes.py")));
    assert!(dir.read("book/static/python/primes.py.json").contains("primes"));
}
