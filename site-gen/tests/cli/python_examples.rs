//! Every ```` ```python runnable ```` block in the book runs as shown: each is written to a
//! file of its own and run with `python3`, which must exit 0 within the time limit and print
//! no traceback. A failure names the chapter file and the line of the block's opening fence.

use std::fs;
use std::path::{Path, PathBuf};

use harness::repo_root;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::python::{each_at_once, run_python, TIME_LIMIT};

/// One runnable example: where its fence is, and its code.
#[derive(Debug, PartialEq)]
struct Example {
    line: usize,
    code: String,
}

/// Whether a fenced block's info string marks it as a runnable Python example.
fn is_runnable_python(info: &str) -> bool {
    let mut words = info.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty());
    words.next() == Some("python") && words.any(|word| word == "runnable")
}

/// The runnable Python blocks of one Markdown text, read the way the book's pages are rendered
/// (so a block shown inside another fenced block is not an example).
fn runnable_examples(markdown: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut current: Option<Example> = None;
    for (event, range) in Parser::new_ext(markdown, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_runnable_python(&info) => {
                let line = markdown[..range.start].matches('\n').count() + 1;
                current = Some(Example { line, code: String::new() });
            }
            Event::Text(text) => {
                if let Some(example) = current.as_mut() {
                    example.code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => examples.extend(current.take()),
            _ => {}
        }
    }
    examples
}

/// Every Markdown file under `dir`, in a stable order.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "md") {
            files.push(path);
        }
    }
    files
}

#[test]
fn every_runnable_python_example_in_the_book_runs() {
    let root = repo_root();
    let content = root.join("content");
    let mut examples = Vec::new();
    for file in markdown_files(&content) {
        let markdown = fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
        examples.extend(runnable_examples(&markdown).into_iter().map(|example| (shown.clone(), example)));
    }
    let count = examples.len();
    let failures: Vec<String> = each_at_once(&examples, |(shown, example)| {
        // A folder of its own per example: a multiprocessing child started with "spawn"
        // imports the script by path, and nothing one example leaves behind can reach the next.
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join(format!("example_line_{}.py", example.line));
        fs::write(&script, &example.code).unwrap();
        let run = run_python(&script, &[], dir.path());
        let at = format!("{shown}:{}", example.line);
        let problem = match run.status {
            None => Some(format!("did not finish within {} s", TIME_LIMIT.as_secs())),
            Some(status) if !status.success() => Some(format!("exited with {status}")),
            Some(_) if run.stderr.contains("Traceback") => Some("printed a traceback".to_string()),
            Some(_) => None,
        };
        problem.map(|problem| {
            format!("{at}: the python runnable block {problem}\n--- stdout ---\n{}--- stderr ---\n{}", run.stdout, run.stderr)
        })
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(count > 0, "no ```python runnable blocks found under {}", content.display());
    assert!(failures.is_empty(), "{} of {count} examples failed:\n\n{}", failures.len(), failures.join("\n"));
    eprintln!("{count} runnable Python examples ran cleanly");
}

#[test]
fn only_python_blocks_marked_runnable_are_examples() {
    let markdown = "\
# Title

```python runnable
print(1)
```

```python
print(2)
```

````markdown
```python runnable
print(3)
```
````

- a list item:

  ```python runnable
  print(4)
  ```
";
    assert_eq!(
        runnable_examples(markdown),
        [
            Example { line: 3, code: "print(1)\n".into() },
            Example { line: 19, code: "print(4)\n".into() },
        ]
    );
    assert!(is_runnable_python("python runnable"));
    assert!(is_runnable_python("python,runnable"));
    assert!(!is_runnable_python("python"));
    assert!(!is_runnable_python("pythonic runnable"));
    assert!(!is_runnable_python("runnable python"));
}
