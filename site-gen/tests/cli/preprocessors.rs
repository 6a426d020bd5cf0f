//! `[preprocessor.NAME]` over mdBook's JSON protocol, with preprocessors written in Python:
//! the `supports` call, the book and its context in, the changed book out; failures named at
//! the preprocessor's table in `book.toml`.

use crate::book;

/// An mdBook preprocessor in Python: replaces `{{shout TEXT}}` with TEXT in capitals, and
/// notes the renderer and the book's title from the context it is sent.
const SHOUT: &str = r#"import json, re, sys
if len(sys.argv) > 1 and sys.argv[1] == "supports":
    sys.exit(0 if sys.argv[2] == "html" else 1)
context, book = json.load(sys.stdin)
title = context["config"]["book"]["title"]
def visit(items):
    for item in items:
        if isinstance(item, dict) and "Chapter" in item:
            chapter = item["Chapter"]
            chapter["content"] = re.sub(r"\{\{shout (.*?)\}\}", lambda m: m.group(1).upper(), chapter["content"])
            chapter["content"] += "\n\nRendered for " + context["renderer"] + " in " + title + " (" + (chapter["source_path"] or "a draft") + ").\n"
            visit(chapter["sub_items"])
visit(book["items"])
json.dump(book, sys.stdout)
"#;

#[test]
fn a_python_preprocessor_changes_every_chapter() {
    let book = book("basic");
    book.write("shout.py", SHOUT);
    book.append("book.toml", "\n[preprocessor.shout]\ncommand = \"python3 shout.py\"\n");
    book.write("content/basics.md", "# Basics\n\nSay {{shout hello there}}.\n\n{{#include ../shout.py:1:1}}\n");
    book.build();
    let page = book.read("out/basics.html");
    assert!(page.contains("Say HELLO THERE."), "{page}");
    assert!(page.contains("import json, re, sys"), "includes are expanded before: {page}");
    assert!(page.contains("Rendered for html in"), "{page}");
    assert!(book.read("out/guide/nested.html").contains("(guide/nested.md)"), "nested chapters too");
}

#[test]
fn a_preprocessor_for_other_renderers_is_skipped() {
    let book = book("basic");
    book.write("shout.py", SHOUT);
    book.append("book.toml", "\n[preprocessor.shout]\ncommand = \"python3 shout.py\"\nrenderers = [\"latex\"]\n");
    book.write("content/basics.md", "# Basics\n\nSay {{shout hello}}.\n");
    book.build();
    assert!(book.read("out/basics.html").contains("{{shout hello}}"));
}

#[test]
fn failing_and_missing_preprocessors_are_named_at_their_table() {
    let book = book("basic");
    book.write("fail.py", "import sys\nif sys.argv[1:2] == ['supports']: sys.exit(0)\nsys.stderr.write('no!\\n')\nsys.exit(3)\n");
    book.append("book.toml", "\n[preprocessor.fail]\ncommand = \"python3 fail.py\"\n");
    let out = book.run(&["build", "."]).expect_code(1);
    assert!(out.stderr.contains("book.toml:"), "{}", out.stderr);
    assert!(out.stderr.contains("the preprocessor `fail` failed (exit status: 3)"), "{}", out.stderr);

    let book = crate::book("basic");
    book.append("book.toml", "\n[preprocessor.nothing-here]\n");
    let out = book.run(&["build", "."]).expect_code(1);
    assert!(out.stderr.contains("the preprocessor `nothing-here` cannot be started (`mdbook-nothing-here`)"), "{}", out.stderr);
    book.append("book.toml", "optional = true\n");
    let out = book.build();
    assert!(out.stderr.contains("warning: book.toml:"), "{}", out.stderr);
}

#[test]
fn a_preprocessor_that_writes_no_book_is_an_error() {
    let book = book("basic");
    book.write("bad.py", "import sys\nif sys.argv[1:2] == ['supports']: sys.exit(0)\nsys.stdin.read()\nprint('hello')\n");
    book.append("book.toml", "\n[preprocessor.bad]\ncommand = \"python3 bad.py\"\n");
    let out = book.run(&["build", "."]).expect_code(1);
    assert!(out.stderr.contains("the preprocessor `bad` did not write a book as JSON"), "{}", out.stderr);
}

#[test]
fn no_preprocessors_builds_without_them() {
    let book = book("basic");
    book.write("shout.py", SHOUT);
    book.append("book.toml", "\n[preprocessor.shout]\ncommand = \"python3 shout.py\"\n");
    book.write("content/basics.md", "# Basics\n\nSay {{shout hello}}.\n");
    let out = book.run(&["build", "--no-preprocessors", "."]).expect_success();
    assert!(out.stderr.contains("the preprocessors `shout` are not run (--no-preprocessors)"), "{}", out.stderr);
    assert!(book.read("out/basics.html").contains("{{shout hello}}"));
}
