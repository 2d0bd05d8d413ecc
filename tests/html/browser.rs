//! Headless Chromium: the page's DOM after its scripts ran (`--dump-dom`), its console
//! messages (`--enable-logging=stderr`: `CONSOLE` lines) and the requests it made (the
//! network log of `--log-net-log`: requests whose initiator is the page; Chromium's own
//! background traffic has no origin as initiator), and screenshots.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Chromium binary on PATH, if any.
fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Chromium, or `None` after printing "skipped" (outside CI); under CI a missing browser
/// fails the test.
pub fn chromium(test: &str) -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: no chromium or chromium-browser on PATH and CI is set: .ci/run installs the Debian package `chromium`"
        );
        println!("skipped {test}: no chromium or chromium-browser on PATH");
    }
    found
}

/// What a page did in the browser.
#[derive(Debug)]
pub struct Rendered {
    /// The DOM after the page's scripts ran, serialized.
    pub dom: String,
    /// Console messages (errors, uncaught exceptions, logs).
    pub console: Vec<String>,
    /// URLs the page requested.
    pub requests: Vec<String>,
}

impl Rendered {
    /// Panics unless the page logged nothing and requested nothing.
    pub fn assert_quiet(&self) {
        assert!(
            self.console.is_empty(),
            "console messages: {:#?}",
            self.console
        );
        assert!(
            self.requests.is_empty(),
            "network requests: {:#?}",
            self.requests
        );
    }
}

const FLAGS: [&str; 11] = [
    "--headless",
    "--disable-gpu",
    "--no-sandbox",
    "--no-first-run",
    "--disable-extensions",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--hide-scrollbars",
    // Any name the page would look up resolves nowhere: nothing can leave even by mistake.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1280,2000",
];

fn run(browser: &Path, args: &[String], dir: &Path) -> (String, String) {
    let stdout = dir.join("stdout");
    let stderr = dir.join("stderr");
    let mut child = Command::new(browser)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr).expect("stderr file"))
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (
        std::fs::read_to_string(stdout).unwrap_or_default(),
        std::fs::read_to_string(stderr).unwrap_or_default(),
    )
}

fn file_url(page: &Path) -> String {
    format!(
        "file://{}",
        page.canonicalize().expect("page exists").display()
    )
}

/// Opens `page` and returns its DOM after its scripts ran, its console and its requests.
pub fn render(browser: &Path, page: &Path) -> Rendered {
    let dir = tempfile::tempdir().expect("tempdir");
    let net_log = dir.path().join("net.json");
    let url = file_url(page);
    let (dom, stderr) = run(
        browser,
        &[
            "--enable-logging=stderr".into(),
            "--v=0".into(),
            format!("--log-net-log={}", net_log.display()),
            "--dump-dom".into(),
            url.clone(),
        ],
        dir.path(),
    );
    assert!(
        dom.contains("</html>"),
        "no DOM from chromium; stderr:\n{stderr}"
    );
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    Rendered {
        dom,
        console,
        requests: page_requests(&net_log, &url),
    }
}

/// The URLs of the network log requested by the page (initiator: the page's origin, `null`
/// for a file) rather than by the browser itself (`not an origin`).
fn page_requests(net_log: &Path, page_url: &str) -> Vec<String> {
    let text = std::fs::read_to_string(net_log).expect("chromium wrote the network log");
    // A log cut short lacks its closing brackets.
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("the network log is JSON");
    let mut urls: Vec<String> = log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| {
            let p = &e["params"];
            let url = p["url"].as_str()?;
            let initiator = p["initiator"].as_str()?;
            (initiator != "not an origin" && url != page_url).then(|| url.to_owned())
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// Screenshots `page` (1280 x 2000) into `target/html-screenshots/<name>.png`; returns the
/// path.
pub fn screenshot(browser: &Path, page: &Path, name: &str) -> PathBuf {
    let dir = tempfile::tempdir().expect("tempdir");
    let shots = repo().join("target").join("html-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let png = shots.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    let (_, stderr) = run(
        browser,
        &[format!("--screenshot={}", png.display()), file_url(page)],
        dir.path(),
    );
    assert!(png.is_file(), "no screenshot; stderr:\n{stderr}");
    png
}

/// Every `src=`, `href=` and `url(` of a page's source that is not a link within the page or
/// to a file beside it: anything a browser could fetch from elsewhere.
pub fn remote_references(html: &str) -> Vec<String> {
    let re = regex::Regex::new(
        r#"(?i)(?:src|href)\s*=\s*["']?([^"'\s>]*)|url\(\s*["']?([^"')]*)|https?://\S*"#,
    )
    .expect("regex");
    re.captures_iter(html)
        .filter_map(|c| {
            let whole = c.get(0)?.as_str();
            let target = c.get(1).or_else(|| c.get(2)).map_or(whole, |m| m.as_str());
            let local = target.starts_with('#')
                || (!target.contains(':')
                    && !target.starts_with("//")
                    && std::path::Path::new(target)
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("csv")));
            (!local).then(|| whole.to_owned())
        })
        .collect()
}

#[test]
fn the_checks_catch_a_page_that_logs_requests_and_loads_from_elsewhere() {
    let Some(browser) =
        chromium("the_checks_catch_a_page_that_logs_requests_and_loads_from_elsewhere")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("bad.html");
    let html = r#"<!doctype html><html><body><p id="p">before</p>
<img src="http://example.invalid/pixel.png"><a href="findings.csv">ok</a>
<script>document.getElementById("p").textContent = "after"; console.error("boom"); missing();</script>
</body></html>"#;
    std::fs::write(&page, html).expect("write");
    let r = render(&browser, &page);
    assert!(r.dom.contains(r#"<p id="p">after</p>"#), "{}", r.dom);
    assert!(
        r.console.iter().any(|l| l.contains("boom")),
        "{:?}",
        r.console
    );
    assert!(
        r.console
            .iter()
            .any(|l| l.contains("missing is not defined")),
        "{:?}",
        r.console
    );
    assert_eq!(r.requests, ["http://example.invalid/pixel.png"]);
    let remote = remote_references(html);
    assert!(
        remote.len() == 1 && remote[0].contains("example.invalid"),
        "{remote:?}"
    );
}
