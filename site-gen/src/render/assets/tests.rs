//! The theme's static files as the site gets them: minified, named by content, the demo
//! runtime inside the demos' folder, and problems located.

use super::*;

fn built_in() -> Theme {
    Theme::load(Path::new("/nonexistent"), None).unwrap()
}

/// A book root with a theme folder holding `files` (path under `static/`, text).
fn theme_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Theme) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let file = dir.path().join("theme/static").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let theme = Theme::load(dir.path(), Some(&dir.path().join("theme"))).unwrap();
    (dir, theme)
}

fn file<'a>(assets: &'a Assets, theme_path: &str) -> &'a AssetFile {
    let url = assets.url(theme_path).unwrap_or_else(|| panic!("no {theme_path}"));
    assets.files.iter().find(|f| f.path == url).unwrap()
}

fn text(file: &AssetFile) -> &str {
    std::str::from_utf8(&file.bytes).unwrap()
}

#[test]
fn top_level_files_are_named_by_their_content_and_folders_by_theirs() {
    let assets = Assets::prepare(&built_in(), Path::new("/nonexistent"), Path::new("/nonexistent")).unwrap();
    let style = assets.url("style.css").unwrap();
    let hash = style.strip_prefix("static/style.").and_then(|s| s.strip_suffix(".css")).unwrap();
    assert!(hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{style}");
    assert_eq!(hash, content_hash(&file(&assets, "style.css").bytes), "named by what is written");
    let runner = assets.url("demos/runner.js").unwrap();
    let folder = runner.strip_suffix("runner.js").unwrap();
    assert!(folder.starts_with("static/demos.") && folder.ends_with('/'), "{runner}");
    assert_eq!(assets.url("demos/workers/worker.js").unwrap(), format!("{folder}workers/worker.js"), "one folder, paths kept inside");
    assert_eq!(assets.url("demos/definitions/primes.js").unwrap(), format!("{folder}definitions/primes.js"));
    assert!(assets.immutable.contains(&style.to_owned()) && assets.immutable.contains(&folder.to_owned()), "{:?}", assets.immutable);
    // The service worker is for the site's root, under its own name.
    assert!(assets.url(ISOLATION_WORKER).is_none() && assets.isolation_worker.as_ref().is_some_and(|w| w.contains("fetch")));
    let (runtime, theme): (Vec<&AssetFile>, Vec<&AssetFile>) = assets.files.iter().partition(|f| f.demo_runtime);
    assert_eq!(theme.len(), built_in().assets.len() - 1);
    // With no runtime of the book's own, the one built in, when there is one.
    assert_eq!(runtime.len(), runtime::built_in_files().len());
}

#[test]
fn css_and_js_are_minified_and_other_files_kept() {
    let assets = Assets::prepare(&built_in(), Path::new("/nonexistent"), Path::new("/nonexistent")).unwrap();
    let theme = built_in();
    let original = |path: &str| match &theme.assets[path] {
        AssetSource::BuiltIn(bytes) => bytes.len(),
        AssetSource::File(_) => unreachable!(),
    };
    for path in ["style.css", "demos/demos.css", "theme.js", "search/terms.js", "page/top-bar.js", "demos/figure/widget.js"] {
        let minified = file(&assets, path);
        assert!(minified.bytes.len() * 10 < original(path) * 8, "{path}: {} of {}", minified.bytes.len(), original(path));
        assert!(!text(minified).contains("\n  "), "{path}");
    }
    assert_eq!(file(&assets, "favicon.svg").bytes.len(), original("favicon.svg"));
    // Modules keep what they export; scripts keep their globals.
    let widget = text(file(&assets, "demos/figure/widget.js"));
    assert!(widget.contains("export") && widget.contains("DemoWidget") && widget.contains("../runtime/lanes.js"), "{widget}");
    let runtime = text(file(&assets, "demos/workers/worker.js"));
    assert!(runtime.contains("../pkg/threads/demos_wasm.js") && runtime.contains("import.meta.url"), "the runtime's imports of its builds are kept as written: {runtime}");
}

#[test]
fn the_demo_runtime_goes_into_the_demos_folder_and_changes_its_name() {
    let runtime = tempfile::tempdir().unwrap();
    for build in DEMO_BUILDS {
        let dir = runtime.path().join(build).join("snippets/rayon/src");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(runtime.path().join(build).join("demos_wasm.js"), "export function run( first ) {\n  return first + 1;\n}\n").unwrap();
        std::fs::write(runtime.path().join(build).join("demos_wasm_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("helpers.js"), "/* Licence header */\nexport const a = 1;\n").unwrap();
    }
    let without = Assets::prepare(&built_in(), Path::new("/nonexistent"), Path::new("/nonexistent")).unwrap();
    let with = Assets::prepare(&built_in(), Path::new("/"), runtime.path()).unwrap();
    assert_ne!(without.url("demos/runner.js"), with.url("demos/runner.js"), "the folder's name follows the runtime");
    let glue = file(&with, "demos/pkg/threads/demos_wasm.js");
    assert!(glue.demo_runtime && glue.path.starts_with(with.url("demos/runner.js").unwrap().strip_suffix("runner.js").unwrap()));
    assert!(text(glue).starts_with("export function run(") && !text(glue).contains('\n'), "{}", text(glue));
    assert_eq!(&*file(&with, "demos/pkg/single/demos_wasm_bg.wasm").bytes, b"\0asm\x01\0\0\0");
    let snippet = text(file(&with, "demos/pkg/threads/snippets/rayon/src/helpers.js"));
    assert!(snippet.starts_with("/* Licence header */"), "someone else's code is kept as published: {snippet}");
    assert!(!file(&with, "demos/runner.js").demo_runtime);
}

/// A book with no runtime of its own (no `demos-dir`, or one without both builds) gets the one
/// built into `site-gen`, when `make demos` had run before it was compiled.
#[test]
fn a_book_without_a_runtime_of_its_own_gets_the_built_in_one() {
    let partial = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(partial.path().join("threads")).unwrap();
    std::fs::write(partial.path().join("threads/demos_wasm.js"), "export const notTheBuiltInGlue = 1;\n").unwrap();
    for demos_dir in [Path::new("/nonexistent"), partial.path()] {
        let assets = Assets::prepare(&built_in(), Path::new("/"), demos_dir).unwrap();
        let runtime: Vec<&AssetFile> = assets.files.iter().filter(|f| f.demo_runtime).collect();
        if !runtime::built_in() {
            assert_eq!(DemoRuntime::find(demos_dir), DemoRuntime::Missing(demos_dir.to_path_buf()));
            eprintln!("skipped: site-gen was compiled before `make demos`, so it carries no demo runtime");
            continue;
        }
        assert_eq!(DemoRuntime::find(demos_dir), DemoRuntime::BuiltIn);
        for build in DEMO_BUILDS {
            let wasm = file(&assets, &format!("demos/pkg/{build}/demos_wasm_bg.wasm"));
            assert!(wasm.demo_runtime && wasm.bytes.starts_with(b"\0asm"), "{}", wasm.path);
            assert!(text(file(&assets, &format!("demos/pkg/{build}/demos_wasm.js"))).contains("export"));
        }
        assert!(runtime.iter().any(|f| f.path.contains("/pkg/threads/snippets/")), "wasm-bindgen-rayon's worker helper");
        let glue = text(file(&assets, "demos/pkg/threads/demos_wasm.js"));
        assert!(!glue.contains("notTheBuiltInGlue"), "not a mix of two runtimes: {glue}");
    }
}

#[test]
fn a_script_that_cannot_be_read_is_an_error_at_its_line_and_column() {
    let (_dir, theme) = theme_with(&[("page/keys.js", "let a = 1;\nlet b = (;\n"), ("style.css", "body { color: red }\n..x { }\n")]);
    let Err(Error::Content(problems)) = Assets::prepare(&theme, _dir.path(), Path::new("/nonexistent")) else { panic!("no error") };
    let mut places: Vec<String> = problems.iter().map(|d| d.place()).collect();
    places.sort();
    assert_eq!(places.len(), 2, "{problems:?}");
    assert!(places[0].starts_with("theme/static/page/keys.js:2:"), "{places:?}");
    assert!(places[1].starts_with("theme/static/style.css:2:"), "{places:?}");
    assert!(problems.iter().all(|d| d.message.contains("cannot be read")), "{problems:?}");
}

#[test]
fn scripts_keep_their_globals_and_modules_their_exports() {
    let (dir, theme) = theme_with(&[
        ("globals.js", "var shared = { answer: 42 };\nfunction helper(longName) { return longName * 2; }\n"),
        ("lib/mod.js", "import { x } from './x.js';\nexport function visible(argumentName) { return x + argumentName; }\nconst hidden = 1;\nexport default hidden;\n"),
    ]);
    let assets = Assets::prepare(&theme, dir.path(), Path::new("/nonexistent")).unwrap();
    let script = text(file(&assets, "globals.js"));
    assert!(script.contains("shared") && script.contains("helper") && !script.contains("longName"), "{script}");
    let module = text(file(&assets, "lib/mod.js"));
    assert!(module.contains("./x.js") && module.contains("visible") && !module.contains("argumentName"), "{module}");
}

#[test]
fn templates_link_static_files_by_their_names() {
    let assets = Assets::prepare(&built_in(), Path::new("/nonexistent"), Path::new("/nonexistent")).unwrap();
    let mut tera = tera::Tera::default();
    assets.register(&mut tera);
    let out = tera.render_str(r#"{{ asset(path="style.css") }}"#, &tera::Context::new()).unwrap();
    assert_eq!(out, assets.url("style.css").unwrap());
    let err = tera.render_str(r#"{{ asset(path="nope.css") }}"#, &tera::Context::new()).unwrap_err();
    let text = crate::render::theme::tera_error_text(&err);
    assert!(text.contains("the theme has no static file `nope.css`"), "{text}");
}
