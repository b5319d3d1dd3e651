//! A real browser against a real `pjece serve`: Debian's chromium driven over WebDriver by
//! chromedriver, both started by the test on free ports, with a fresh profile and download
//! folder each. Used as `#[path = "util/browser.rs"] mod browser;` by the browser tests.
//!
//! Missing tools (chromium, chromedriver, or axe-core under tests/browser/node_modules, which
//! `npm ci` installs) skip a test with a message on a developer's machine and fail it in CI.

#![allow(dead_code)]

#[path = "http.rs"]
mod http;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// axe-core's script, as `npm ci` in tests/browser installs it.
pub fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js")
}

/// Screenshots land here (target/browser-screenshots), to look at after a run.
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What is missing for the browser tests, if anything.
fn missing() -> Vec<String> {
    let mut gone = Vec::new();
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            gone.push(format!("{tool} (apt-get install chromium chromium-driver)"));
        }
    }
    if !axe_path().exists() {
        gone.push(format!(
            "{} (cd tests/browser && npm ci)",
            axe_path().display()
        ));
    }
    gone
}

/// Whether the browser tests can run: false, with a message, on a machine without the tools;
/// a failure in CI, where .ci/run installs them.
pub fn available(test: &str) -> bool {
    let gone = missing();
    if gone.is_empty() {
        return true;
    }
    let message = format!("{test}: needs {}", gone.join(", "));
    if std::env::var_os("CI").is_some() {
        panic!("{message}; CI installs them in .ci/run");
    }
    eprintln!("SKIPPED {message}");
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `pjece serve --port 0`; stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub home: tempfile::TempDir,
}

impl Server {
    /// Starts the server with `args` after `serve --port 0`, in an empty folder with no
    /// configuration of the user's.
    pub fn start(args: &[&str]) -> Server {
        let home = tempfile::tempdir().unwrap();
        let (child, port) =
            http::spawn(http::serve_command(home.path(), args).stderr(Stdio::null()));
        Server { child, port, home }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless chromium with its own profile and download folder.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: tempfile::TempDir,
    pub downloads: PathBuf,
}

impl Browser {
    /// Starts chromedriver on a free port and a browser session at 1280 × 1000 CSS pixels.
    pub async fn start() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,1000".into(),
            format!(
                "--user-data-dir={}",
                profile.path().join("profile").display()
            ),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads.to_str().unwrap(),
                    "download.prompt_for_download": false,
                    "intl.accept_languages": "da",
                },
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::new(connector.clone())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("no WebDriver session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            driver,
            profile,
            downloads,
        }
    }

    /// Ends the session; call it at the end of a test (a drop cannot await).
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// A screenshot of the window as PNG, saved as `name`.png in [`screenshot_dir`].
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap();
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// A screenshot of the whole page, as tall as its content (up to `max_height` pixels).
    pub async fn full_page_screenshot(&self, name: &str, max_height: u32) -> PathBuf {
        let height = self
            .run("return document.documentElement.scrollHeight")
            .await
            .as_u64()
            .unwrap_or(1000) as u32;
        let (w, h) = self.client.get_window_size().await.unwrap();
        self.client
            .set_window_size(w as u32, height.min(max_height) + 100)
            .await
            .unwrap();
        let path = self.screenshot(name).await;
        self.client
            .set_window_size(w as u32, h as u32)
            .await
            .unwrap();
        path
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub async fn run(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Runs `script` with `done` as its callback, for promises.
    pub async fn run_async(&self, script: &str) -> Value {
        let body = format!("const done = arguments[arguments.length - 1];\n{script}");
        self.client.execute_async(&body, vec![]).await.unwrap()
    }

    /// The focused element's `id`.
    pub async fn focused_id(&self) -> String {
        self.run("return document.activeElement ? document.activeElement.id : ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Presses `keys` one after another on whatever has the focus, as a keyboard would
    /// (WebDriver's key actions: an element's "send keys" would take a file input's keys as a
    /// file name).
    pub async fn keys(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for value in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    pub async fn tab(&self) {
        self.keys(&char::from(Key::Tab).to_string()).await;
    }

    pub async fn space(&self) {
        self.keys(" ").await;
    }

    /// Presses Tab until the element with `id` has the focus (at most 300 presses).
    pub async fn tab_to(&self, id: &str) {
        for _ in 0..300 {
            if self.focused_id().await == id {
                return;
            }
            self.tab().await;
        }
        panic!("Tab never reached #{id}");
    }

    /// Waits until `script` returns true (at most 30 s: five browsers may share two busy cores).
    pub async fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.run(script).await.as_bool().unwrap_or(false) {
            if Instant::now() > deadline {
                let shot = self.screenshot("timed-out").await;
                panic!("timed out waiting for {what}; see {}", shot.display());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for a PDF to finish downloading into [`Browser::downloads`].
    pub async fn download(&self) -> PathBuf {
        self.download_ending("pdf").await
    }

    /// Types a date (`2026-12-03`) into the focused date field, its parts in the order the
    /// browser's locale shows them (Debian's chromium without chromium-l10n is en-US).
    pub async fn type_date(&self, date: &str) {
        let order = self
            .run(
                "return new Intl.DateTimeFormat().formatToParts(new Date(2026, 11, 3))\
                   .filter(p => p.type !== 'literal').map(p => p.type)",
            )
            .await;
        let (y, rest) = date.split_once('-').unwrap();
        let (m, d) = rest.split_once('-').unwrap();
        let mut keys = String::new();
        for part in order.as_array().unwrap() {
            keys.push_str(match part.as_str().unwrap() {
                "year" => y,
                "month" => m,
                _ => d,
            });
        }
        self.keys(&keys).await;
    }

    /// Types a time (`10:30`) into the focused time field, with AM or PM where the locale
    /// counts twelve hours.
    pub async fn type_time(&self, time: &str) {
        let twelve = self
            .run("return !!new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hour12")
            .await;
        let (h, m) = time.split_once(':').unwrap();
        let h: u32 = h.parse().unwrap();
        let keys = if twelve == true {
            let h12 = if h.is_multiple_of(12) { 12 } else { h % 12 };
            format!("{h12:02}{m}{}", if h < 12 { "A" } else { "P" })
        } else {
            format!("{h:02}{m}")
        };
        self.keys(&keys).await;
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client.find(Locator::Css(css)).await.unwrap()
    }

    /// Runs axe-core in the page against WCAG 2.0/2.1 A and AA; returns the violations, each
    /// as "rule: help (targets)".
    pub async fn axe(&self) -> Vec<String> {
        let source = std::fs::read_to_string(axe_path()).unwrap();
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .unwrap();
        let result = self
            .run_async(
                "axe.run(document, { runOnly: { type: 'tag', values: \
                 ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })\
                 .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' + \
                   v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))\
                 .catch(e => done(['axe failed: ' + e]));",
            )
            .await;
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }
}

impl Browser {
    /// Waits for one file ending in `.{extension}` to finish downloading.
    pub async fn download_ending(&self, extension: &str) -> PathBuf {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let all: Vec<PathBuf> = std::fs::read_dir(&self.downloads)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            // While it downloads, chromium writes a hidden temporary file or a .crdownload.
            let partial = all.iter().any(|p| {
                p.extension().is_some_and(|e| e == "crdownload")
                    || p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            });
            let done: Vec<PathBuf> = all
                .iter()
                .filter(|p| !partial && p.extension().is_some_and(|e| e == extension))
                .cloned()
                .collect();
            if let [one] = done.as_slice() {
                return one.clone();
            }
            assert!(Instant::now() < deadline, "no download finished: {all:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A fresh server without a clinic and a fresh browser; `None` (the test is skipped, see
/// [`available`]) where the browser tools are missing.
pub async fn start_without_clinic() -> Option<(Server, Browser)> {
    if !available("browser test") {
        return None;
    }
    let server = Server::start(&["--no-clinic"]);
    Some((server, Browser::start().await))
}

/// Fails with axe-core's findings `when` there are any.
#[track_caller]
pub fn assert_no_violations(when: &str, violations: &[String]) {
    assert!(
        violations.is_empty(),
        "axe-core found WCAG 2.1 AA violations {when}:\n{}",
        violations.join("\n")
    );
}

impl Browser {
    /// Tabs to the field with `id` and types `text` into it, by keyboard only.
    pub async fn type_at(&self, id: &str, text: &str) {
        self.tab_to(id).await;
        self.keys(text).await;
    }
}

impl Browser {
    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Chooses `file` in the file input matching `css`.
    pub async fn choose_file(&self, css: &str, file: &Path) {
        self.find(css)
            .await
            .send_keys(file.to_str().unwrap())
            .await
            .unwrap();
    }

    /// The text of the first element matching `css`.
    pub async fn text_of(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Keeps a screenshot of the page as `name` and asserts that axe-core finds no WCAG 2.1 AA
    /// violation on it; `when` names the page's state in the failure.
    pub async fn screenshot_and_axe(&self, name: &str, when: &str) {
        self.screenshot(name).await;
        assert_no_violations(when, &self.axe().await);
    }
}

impl Browser {
    /// What `script` returns, an array of strings.
    pub async fn strings(&self, script: &str) -> Vec<String> {
        self.run(script)
            .await
            .as_array()
            .expect("the script returns an array")
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }
}
