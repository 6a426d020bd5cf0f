#!/usr/bin/env bash
# Writes a book of PAGES chapters with four fenced code blocks each (Python, Rust, TOML,
# shell) into DIR, to measure what highlighting costs a build:
#   scripts/code-heavy-book.sh /tmp/code-book 200
#   time target/release/site-gen build /tmp/code-book
set -euo pipefail

dir=${1:?usage: scripts/code-heavy-book.sh DIR [PAGES]}
pages=${2:-200}
mkdir -p "$dir/content"
printf '[book]\ntitle = "Code-heavy book"\n\n[build]\nbuild-dir = "out"\n' > "$dir/book.toml"
{
  echo "# Summary"
  echo
  for i in $(seq 1 "$pages"); do echo "- [Chapter $i](chapter-$i.md)"; done
} > "$dir/content/SUMMARY.md"

for i in $(seq 1 "$pages"); do
  cat > "$dir/content/chapter-$i.md" <<MD
# Chapter $i

Some text before the code, with \`inline code\` and a [link](chapter-1.md).

## Python

\`\`\`python
import threading
from concurrent.futures import ThreadPoolExecutor

def count_primes(limit: int) -> int:
    """Counts the primes below limit, slowly."""
    return sum(1 for n in range(2, limit) if all(n % d for d in range(2, int(n ** 0.5) + 1)))

with ThreadPoolExecutor(max_workers=4) as pool:
    results = list(pool.map(count_primes, [10_000 * k for k in range(1, 5)]))  # chapter $i
print(f"{sum(results)} primes")
\`\`\`

## Rust

\`\`\`rust
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..$i % 8 + 1)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || *counter.lock().unwrap() += 1)
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    println!("{}", *counter.lock().unwrap());
}
\`\`\`

## Settings

\`\`\`toml
[package]
name = "chapter-$i"
version = "0.1.0"
edition = "2021"

[dependencies]
rayon = "1.10" # data parallelism
\`\`\`

## Running it

\`\`\`sh
cargo build --release && for n in 1 2 4 8; do ./target/release/chapter-$i --threads "\$n"; done
\`\`\`
MD
done
echo "Wrote $pages chapters to $dir"
