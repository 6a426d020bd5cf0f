//! Minifying the theme's JavaScript with oxc: parsed, compressed with the minifier's safest
//! settings (nothing dropped that a page could still reach: unused top-level code stays,
//! functions and classes keep their names), local names shortened, printed without
//! whitespace or comments, then parsed once more so that what is written is known to be
//! valid JavaScript. Whatever goes wrong is a located error at the theme's file.

use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions};
use oxc_minifier::{CompressOptions, MangleOptions, MangleOptionsKeepNames, Minifier, MinifierOptions};
use oxc_parser::{Parser, ParserReturn};
use oxc_span::SourceType;

use crate::core::diagnostic::Diagnostic;

/// How a file is loaded, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsKind {
    /// A classic `<script>` (or a classic worker): its top-level names are globals that
    /// other scripts may use, so they are never renamed.
    Script,
    /// An ES module (`type="module"`, `import`): its top-level names are its own.
    Module,
}

/// `text`, the JavaScript file shown as `shown`, minified.
pub fn minify_js(shown: &Path, text: &str, kind: JsKind) -> Result<String, Diagnostic> {
    let minified = catch_unwind(AssertUnwindSafe(|| minify(text, kind))).map_err(|_| {
        Diagnostic::error(shown, "the JavaScript minifier failed on this file")
            .with_help("this is a bug in site-gen's minifier (oxc); the file itself may be valid")
    })?;
    let code = minified.map_err(|(message, span)| {
        Diagnostic::error(shown, format!("this JavaScript cannot be read: {message}")).at(text, span)
    })?;
    // The minifier's output must read back: a page is never given broken code.
    if let Err((message, _)) = parse_only(&code, kind) {
        let d = Diagnostic::error(shown, format!("minifying this JavaScript gave invalid code: {message}"));
        return Err(d.with_help("this is a bug in site-gen's minifier (oxc); the file itself is valid"));
    }
    Ok(code)
}

/// The source type `kind` is read as.
fn source_type(kind: JsKind) -> SourceType {
    match kind {
        JsKind::Script => SourceType::script(),
        JsKind::Module => SourceType::mjs(),
    }
}

/// The first syntax error in `text`, with its span, if any.
fn parse_only(text: &str, kind: JsKind) -> Result<(), (String, Range<usize>)> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, source_type(kind)).parse();
    first_error(&parsed, text.len()).map_or(Ok(()), Err)
}

/// Parses, minifies and prints `text`; or its first syntax error, with its span.
fn minify(text: &str, kind: JsKind) -> Result<String, (String, Range<usize>)> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, source_type(kind)).parse();
    if let Some(error) = first_error(&parsed, text.len()) {
        return Err(error);
    }
    let mut program = parsed.program;
    let options = MinifierOptions {
        mangle: Some(MangleOptions { keep_names: MangleOptionsKeepNames::all_true(), ..MangleOptions::default() }),
        mangle_properties: None,
        compress: Some(CompressOptions::safest()),
    };
    let minified = Minifier::new(options).minify(&allocator, &mut program);
    let printed = Codegen::new().with_options(CodegenOptions::minify()).with_scoping(minified.scoping).build(&program);
    Ok(printed.code)
}

/// The parser's first error in a text of `len` bytes: its message and the byte span it
/// points at (empty at the start when it points nowhere).
fn first_error(parsed: &ParserReturn<'_>, len: usize) -> Option<(String, Range<usize>)> {
    let Some(error) = parsed.diagnostics.errors().next() else {
        return parsed.panicked.then(|| ("the parser gave up".to_owned(), 0..0));
    };
    let span = error.labels.first().map_or(0..0, |label| {
        let span = label.span();
        (span.start as usize).min(len)..(span.end as usize).min(len)
    });
    Some((error.message.to_string(), span))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown() -> &'static Path {
        Path::new("theme/static/a.js")
    }

    #[test]
    fn a_module_is_minified_and_keeps_its_imports_exports_and_urls() {
        let code = "import { element } from \"./elements.js\";\n// A comment.\nexport function make(kind) {\n  const node = element(kind);\n  return new URL(`./pkg/${kind}/x.js`, import.meta.url) && node;\n}\n";
        let out = minify_js(shown(), code, JsKind::Module).unwrap();
        assert!(out.contains("from\"./elements.js\"") && out.contains("export function make("), "{out}");
        assert!(out.contains("`./pkg/${") && out.contains("import.meta.url"), "{out}");
        assert!(!out.contains("comment") && out.len() < code.len() * 3 / 4, "{out}");
    }

    #[test]
    fn unused_code_stays_and_names_keep_their_name() {
        // wasm-bindgen-rayon keeps workers in a variable nothing reads, on purpose.
        let code = "let kept;\nexport async function start() { kept = await Promise.all([]); }\nclass Widget {}\nexport { Widget };\n";
        let out = minify_js(shown(), code, JsKind::Module).unwrap();
        assert!(out.contains("=await Promise.all([])"), "{out}");
        assert!(out.contains("class Widget"), "{out}");
    }

    #[test]
    fn a_syntax_error_is_located_in_the_theme_s_file() {
        let d = minify_js(shown(), "var a = 1;\nfunction (\n", JsKind::Script).unwrap_err();
        assert!(d.place().starts_with("theme/static/a.js:2:"), "{}", d.place());
        assert!(d.message.starts_with("this JavaScript cannot be read: "), "{}", d.message);
        assert!(minify_js(shown(), "import x from './x.js';\nx();\n", JsKind::Module).is_ok());
        assert!(minify_js(shown(), "const s = `unclosed;\n", JsKind::Module).is_err());
    }
}
