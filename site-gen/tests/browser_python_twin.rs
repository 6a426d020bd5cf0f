//! "The same in Python" under every demo, in headless Chromium, on the `demos` fixture book:
//! each figure holds the disclosure with the command line for the page's parameters, and its
//! demo's highlighted script once opened (fetched then); it opens from the keyboard; the command
//! follows the controls; the copy buttons and the download link work. Screenshots, light and dark, go to
//! `target/e2e/python-twin-*.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`make setup-test`) and the demo runtime
//! (`make demos`).

mod common;

use std::time::Duration;

use common::{copy_fixture, devtools, emulate_color_scheme, repo_root, screenshot_dir, serve, severe_log_entries, start_browser, wait_until};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(60);

/// What each figure's Python part shows.
const READ: &str = r#"
return [...document.querySelectorAll('figure[data-demo]')].map(d => {
  const twin = d.querySelector(':scope > details.demo-python');
  return {
    demo: d.dataset.demo,
    twin: twin === null ? null : {
      script: twin.dataset.script,
      open: twin.open,
      summary: twin.querySelector('summary').textContent,
      command: twin.querySelector('.demo-python-command').textContent,
      code: twin.querySelector('.demo-python-script code')?.textContent ?? null,
      highlighted: twin.querySelectorAll('.demo-python-script .hl-keyword').length,
      buttons: [...twin.querySelectorAll('button')].map(b => b.textContent),
      download: twin.querySelector('.demo-python-download')?.getAttribute('href') ?? null,
    },
  };
});
"#;

fn demos_book() -> tempfile::TempDir {
    let pkg = repo_root().join("demos-wasm/pkg");
    for build in ["threads", "single"] {
        assert!(pkg.join(build).join("demos_wasm_bg.wasm").is_file(), "the demo runtime is not built: run `make demos`");
    }
    let book = copy_fixture("demos");
    let config = book.path().join("book.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let demos_dir = toml::Value::String(pkg.display().to_string());
    std::fs::write(&config, text.replace("\"demos-wasm/pkg\"", &demos_dir.to_string())).unwrap();
    book
}

/// Opens `url` and waits until every demo on it is built; returns what `READ` reads.
async fn open(client: &Client, url: &str) -> Vec<Value> {
    client.goto(url).await.unwrap();
    let built = "return [...document.querySelectorAll('figure[data-demo]')].every(d => d.querySelector('.demo-run') && d.querySelector('.demo-python-copy-command'))";
    wait_until(client, built, &format!("the demos on {url} are built"), TIMEOUT).await;
    client.execute(READ, vec![]).await.unwrap().as_array().unwrap().clone()
}

/// Opens every figure's Python part and waits until its script is fetched and shown; returns
/// what `READ` reads then.
async fn open_twins(client: &Client) -> Vec<Value> {
    client.execute("document.querySelectorAll('details.demo-python').forEach(d => { d.open = true; })", vec![]).await.unwrap();
    let shown = "return [...document.querySelectorAll('details.demo-python')].every(d => d.querySelector('.demo-python-script code'))";
    wait_until(client, shown, "the twins' scripts are fetched", TIMEOUT).await;
    client.execute(READ, vec![]).await.unwrap().as_array().unwrap().clone()
}

async fn command(client: &Client) -> String {
    let value = client.execute("return document.querySelector('.demo-python-command').textContent", vec![]).await.unwrap();
    value.as_str().unwrap().to_owned()
}

/// Saves a screenshot of the first figure's Python part as `target/e2e/<name>.png`.
async fn screenshot_twin(client: &Client, name: &str) {
    let twin = client.find(Locator::Css("details.demo-python")).await.unwrap();
    client.execute("arguments[0].scrollIntoView({block: 'start'})", vec![serde_json::to_value(&twin).unwrap()]).await.unwrap();
    let png = twin.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_shows_its_python_twin_with_the_command_for_its_parameters() {
    let book = demos_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    let (_driver, client) = start_browser(&work.path().join("profile"), 1100, 1300).await;
    let base = format!("http://{address}");

    // Every figure of every demo has its twin: its own script, highlighted, closed at first,
    // with the command for the block's parameters and the workers the page decided.
    let expected_commands = [
        ("primes", vec!["python3 primes.py --n 300000 --chunks 16 --workers 2"]),
        ("io-bound", vec!["python3 io-bound.py --requests 12 --mean_ms 20 --distribution uniform --seed 7 --workers 3"]),
        (
            "gil",
            vec![
                "python3 gil.py --work cpu --gil true --n 400000 --tasks 8 --wait_ms 40 --switch_ms 2 --workers 2",
                "python3 gil.py --work io --gil true --n 3000000 --tasks 6 --wait_ms 30 --switch_ms 5 --workers 3",
            ],
        ),
        ("race", vec!["python3 race.py --increments 300000 --workers 2"]),
    ];
    for (page, commands) in expected_commands {
        let closed = open(&client, &format!("{base}/{page}.html")).await;
        assert_eq!(closed.len(), commands.len(), "{closed:#?}");
        for figure in &closed {
            assert_eq!(figure["twin"]["code"], Value::Null, "the script is fetched only when opened: {figure:#}");
        }
        let figures = open_twins(&client).await;
        for ((figure, expected), closed) in figures.iter().zip(commands).zip(&closed) {
            let twin = &figure["twin"];
            assert_eq!(twin["script"], format!("{page}.py"), "{figure:#}");
            assert_eq!((closed["twin"]["summary"].as_str(), closed["twin"]["open"].as_bool()), (Some("The same in Python"), Some(false)), "{closed:#}");
            assert_eq!(twin["command"], expected, "{figure:#}");
            let code = twin["code"].as_str().unwrap();
            let source = std::fs::read_to_string(repo_root().join(format!("demos-wasm/python/{page}.py"))).unwrap();
            assert_eq!(code, source, "the page shows {page}.py as it is");
            assert!(twin["highlighted"].as_u64().unwrap() > 10, "the script is highlighted: {figure:#}");
            assert_eq!(twin["buttons"], json!(["Copy command", "Copy script"]), "{figure:#}");
            // The download link serves the same script.
            let download = twin["download"].as_str().unwrap();
            let served = client
                .execute("return fetch(arguments[0]).then(r => r.ok ? r.text() : `HTTP ${r.status}`)", vec![json!(download)])
                .await
                .unwrap();
            assert_eq!(served.as_str(), Some(source.as_str()), "{download}");
        }
    }

    // From the keyboard: the summary opens the disclosure, and its buttons take the focus.
    client.goto(&format!("{base}/primes.html")).await.unwrap();
    open(&client, &format!("{base}/primes.html")).await;
    let summary = client.find(Locator::Css("details.demo-python > summary")).await.unwrap();
    client.execute("arguments[0].focus()", vec![serde_json::to_value(&summary).unwrap()]).await.unwrap();
    summary.send_keys("\u{E007}").await.unwrap();
    let opened = client.execute("return document.querySelector('details.demo-python').open", vec![]).await.unwrap();
    assert_eq!(opened, Value::Bool(true), "Enter on the summary opens the Python part");
    wait_until(&client, "return document.querySelector('.demo-python-script code') !== null", "the script shown once opened", TIMEOUT).await;
    let focusable = client
        .execute(
            r#"return [...document.querySelectorAll('.demo-python button, .demo-python a, .demo-python-script')].map(e => {
                 e.focus(); return document.activeElement === e; })"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focusable, json!([true, true, true, true]), "the buttons, the link and the script take the keyboard focus");

    // The command follows the controls, and only values they accept.
    let n = client.find(Locator::Css("input[name=n]")).await.unwrap();
    n.clear().await.unwrap();
    n.send_keys("20000").await.unwrap();
    assert_eq!(command(&client).await, "python3 primes.py --n 20000 --chunks 16 --workers 2");
    let workers = client.find(Locator::Css("input[name=workers]")).await.unwrap();
    workers.clear().await.unwrap();
    workers.send_keys("3").await.unwrap();
    assert_eq!(command(&client).await, "python3 primes.py --n 20000 --chunks 16 --workers 3");
    n.clear().await.unwrap();
    n.send_keys("5").await.unwrap();
    assert_eq!(command(&client).await, "python3 primes.py --n 20000 --chunks 16 --workers 3", "a refused value keeps the last good command");

    // Copy: to the clipboard where the browser allows it, else the text is selected to copy by
    // hand. Either way the reader gets exactly the command, or the script.
    devtools(&client, "Browser.grantPermissions", json!({ "origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] })).await;
    for (button, what, expected) in [
        (".demo-python-copy-command", "command", "python3 primes.py --n 20000 --chunks 16 --workers 3"),
        (".demo-python-copy-script", "script", "def count_primes_in(start, end):"),
    ] {
        client.find(Locator::Css(button)).await.unwrap().click().await.unwrap();
        let status = format!(
            "const s = document.querySelector('.demo-python-status').textContent; return s === 'Copied the {what}.' || s.startsWith('The {what} is selected')"
        );
        wait_until(&client, &status, &format!("copying the {what}"), Duration::from_secs(5)).await;
        let got = client
            .execute(
                "return document.querySelector('.demo-python-status').textContent.startsWith('Copied') ? navigator.clipboard.readText() : getSelection().toString()",
                vec![],
            )
            .await
            .unwrap();
        assert!(got.as_str().is_some_and(|text| text.contains(expected)), "copying the {what} gave {got}");
    }

    // A choice and a switch, from the address and from the controls.
    open(&client, &format!("{base}/gil.html?gil.gil=false&gil.switch_ms=7")).await;
    assert!(command(&client).await.starts_with("python3 gil.py --work cpu --gil false --n 400000 --tasks 8 --wait_ms 40 --switch_ms 7"));
    client
        .execute("const s = document.querySelector('select[name=work]'); s.value = 'io'; s.dispatchEvent(new Event('input', { bubbles: true }))", vec![])
        .await
        .unwrap();
    assert!(command(&client).await.starts_with("python3 gil.py --work io --gil false"), "{}", command(&client).await);

    // Screenshots of the open Python part, light and dark, after a run.
    client.goto(&format!("{base}/primes.html?autorun")).await.unwrap();
    wait_until(&client, "return document.querySelector('[data-demo]').dataset.status === 'done'", "the primes run", TIMEOUT).await;
    open_twins(&client).await;
    screenshot_twin(&client, "python-twin-primes").await;
    emulate_color_scheme(&client, "dark").await;
    screenshot_twin(&client, "python-twin-primes-dark").await;
    emulate_color_scheme(&client, "").await;
    let png = client.find(Locator::Css("figure.demo")).await.unwrap().screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("python-twin-primes-figure.png"), png).unwrap();

    let errors = severe_log_entries(&client).await;
    assert!(errors.is_empty(), "the pages logged errors: {errors:#?}");
    client.close().await.unwrap();
}
