//! `experiments serve` in a real browser: headless Chromium, driven through
//! chromedriver's WebDriver API (HTTP and JSON over a `TcpStream`, no client
//! crate), loads the page, switches to xor with 4 hidden units, plays the run
//! to its end, and reads the final loss, weights and prediction from the page:
//! they are `train --json`'s, and so is its run.json, byte for byte. The
//! page's address then reproduces the run, and a click on the surface adds a
//! row that trains as the same table in a CSV file. No script error is logged.
//! Screenshots land in `target/tmp/serve-*.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).
//! Without them the test is skipped with a line on stderr saying how to
//! install them, unless `CI` is set, where it fails instead.

mod common;
mod serve_common;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serve_common::{Served, cli, request};

/// The W3C WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `name` on the PATH, if it is there.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

/// The browser and its driver, or `None` when either is missing and `CI` is
/// not set: the test is then skipped, saying so on stderr with the one line
/// that installs them. With `CI` set (`.ci/run` installs both) a missing
/// browser fails the test instead, so CI never passes without running it.
fn browser_or_skip() -> Option<(PathBuf, PathBuf)> {
    if let (Some(chromium), Some(chromedriver)) = (on_path("chromium"), on_path("chromedriver")) {
        return Some((chromium, chromedriver));
    }
    let install = "apt-get install -y chromium chromium-driver";
    assert!(
        std::env::var_os("CI").is_none_or(|v| v.is_empty()),
        "CI is set but chromium or chromedriver is not on PATH: {install}"
    );
    eprintln!("SKIPPED serve_browser: chromium and chromedriver are not on PATH; to run this test: {install}");
    None
}

/// chromedriver and a browser session, ended when dropped.
struct Browser {
    driver: Child,
    address: String,
    session: String,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        // Its own process group, so that the browser it starts is stopped with it.
        let driver = Command::new(chromedriver)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut browser = Browser { driver, address: format!("127.0.0.1:{port}"), session: String::new() };
        let started = Instant::now();
        while std::net::TcpStream::connect(&browser.address).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not listen within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400"];
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "goog:chromeOptions": { "binary": chromium, "args": args },
            "goog:loggingPrefs": { "browser": "SEVERE" } } } });
        let session = browser.call("POST", "/session", Some(capabilities));
        browser.session = session["sessionId"].as_str().expect("a session id").to_owned();
        browser
    }

    /// One WebDriver command; its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let (status, answer) = request(&self.address, method, path, body.as_bytes());
        let v: Value = serde_json::from_str(&answer).unwrap_or_else(|_| panic!("{path}: {answer}"));
        assert_eq!(status, 200, "{method} {path}: {answer}");
        v["value"].clone()
    }

    fn session(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn find(&self, css: &str) -> String {
        let found = self.session("POST", "/element", Some(json!({ "using": "css selector", "value": css })));
        found[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {found}")).to_owned()
    }

    fn click(&self, css: &str) {
        self.session("POST", &format!("/element/{}/click", self.find(css)), Some(json!({})));
    }

    fn text(&self, css: &str) -> String {
        self.session("GET", &format!("/element/{}/text", self.find(css)), None).as_str().unwrap().to_owned()
    }

    fn attribute(&self, css: &str, name: &str) -> Value {
        self.session("GET", &format!("/element/{}/attribute/{name}", self.find(css)), None)
    }

    /// Waits (at most 20 s) until `done` holds; on a timeout, the page is
    /// saved as `target/tmp/serve-timeout.png`.
    fn wait(&self, what: &str, done: impl Fn(&Browser) -> bool) {
        let started = Instant::now();
        while !done(self) {
            if started.elapsed() > Duration::from_secs(20) {
                self.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-timeout.png"));
                panic!("waited 20 s for {what} (the page: target/tmp/serve-timeout.png)");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&self, file: &Path) {
        let png = decode_base64(self.session("GET", "/screenshot", None).as_str().unwrap());
        assert_eq!(&png[1..4], b"PNG");
        std::fs::write(file, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(&self.address, "DELETE", &format!("/session/{}", self.session), b"");
        }
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digits: Vec<u32> = text
        .bytes()
        .filter(|b| !b"=\r\n".contains(b))
        .map(|b| ALPHABET.iter().position(|&a| a == b).expect("base64") as u32)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0, |n, (i, d)| n | d << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The frame's numbers as the page prints them: loss, weights, prediction.
fn shown(browser: &Browser) -> (f64, Value, f64) {
    let loss = browser.text("#loss").parse().expect("a number");
    let weights = serde_json::from_str(&browser.text("#weights")).expect("JSON weights");
    (loss, weights, browser.text("#prediction").parse().expect("a number"))
}

#[test]
fn the_page_plays_xor_with_four_hidden_units_to_train_json_weights() {
    let Some((chromium, chromedriver)) = browser_or_skip() else { return };
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let served = Served::start();
    let browser = Browser::start(&chromium, &chromedriver);
    browser.session("POST", "/url", Some(json!({ "url": served.url() })));
    browser.wait("the default run", |b| b.text("#status").contains("one-layer, data x1, seed 1, 50000 iterations"));
    browser.screenshot(&shots.join("serve-default.png"));

    browser.click("#data option[value='xor']");
    browser.click("#model option[value='4']");
    browser.wait("the xor run", |b| b.text("#status").starts_with("two-layer H=4, data xor, seed 1, 50000 iterations"));
    assert_eq!(browser.attribute("body", "data-done"), Value::Null, "a new run starts at frame 0");
    assert_eq!(browser.text("#iteration"), "0 of 50000");
    browser.click("#speed option[value='16']");
    browser.click("#play");
    browser.wait("the end of the run", |b| b.attribute("body", "data-done") == "true");

    let train: Value = serde_json::from_str(&cli(&["train", "--json", "--data", "xor", "--hidden", "4"])).unwrap();
    let (loss, weights, prediction) = shown(&browser);
    assert_eq!(browser.text("#iteration"), "50000 of 50000");
    assert_eq!(loss.to_bits(), train["loss"].as_f64().unwrap().to_bits());
    assert_eq!(weights, train["layers"]);
    assert_eq!(prediction.to_bits(), train["prediction"].as_f64().unwrap().to_bits());
    assert_eq!(browser.text("#exp").split(' ').next(), train["exp"].as_str());
    browser.screenshot(&shots.join("serve-xor-h4.png"));

    // The page's run.json is `train --json`'s output, byte for byte.
    let script = "fetch(document.getElementById('download-json').href).then(r => r.text()).then(arguments[0])";
    let download = browser.session("POST", "/execute/async", Some(json!({ "script": script, "args": [] })));
    assert_eq!(download.as_str(), Some(cli(&["train", "--json", "--data", "xor", "--hidden", "4"]).as_str()));

    // The address holds the run: opened again, its last frame is the same.
    let address = browser.session("GET", "/url", None).as_str().unwrap().to_owned();
    assert!(address.contains("data=xor") && address.contains("hidden=4"), "{address}");
    browser.session("POST", "/url", Some(json!({ "url": address })));
    browser.wait("the linked run", |b| b.text("#status").starts_with("two-layer H=4, data xor"));
    browser.click("#end");
    browser.wait("the last frame", |b| b.attribute("body", "data-done") == "true");
    assert_eq!(shown(&browser), (loss, weights, prediction));

    // A click on the surface adds a row with the chosen target: the data set
    // becomes a table, trained as the same table in a CSV file is.
    browser.click("#surface");
    browser.wait("the table's run", |b| b.text("#status").starts_with("two-layer H=4, data table"));
    let cell = |row: usize, column: usize| {
        let css = format!("#table-body tr:nth-child({}) td:nth-of-type({}) input", row + 1, column + 1);
        let input = browser.find(&css);
        browser.session("GET", &format!("/element/{input}/property/value"), None).as_str().unwrap().to_owned()
    };
    let rows: Vec<String> = (0..5).map(|r| (0..4).map(|c| cell(r, c)).collect::<Vec<_>>().join(",")).collect();
    assert_eq!(rows[..4], ["0,0,1,0", "1,1,1,0", "1,0,1,1", "0,1,1,1"], "xor's rows, then the new one");
    assert!(rows[4].ends_with(",1,1") && browser.session("GET", "/url", None).as_str().unwrap().contains("rows="));
    browser.click("#end");
    browser.wait("the table's last frame", |b| b.attribute("body", "data-done") == "true");
    let dir = common::scratch("serve-browser");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("table.csv");
    std::fs::write(&file, format!("x1,x2,x3,y\n{}\n", rows.join("\n"))).unwrap();
    let table: Value =
        serde_json::from_str(&cli(&["train", "--json", "--data", file.to_str().unwrap(), "--hidden", "4"])).unwrap();
    let (loss, weights, _) = shown(&browser);
    assert_eq!((loss.to_bits(), &weights), (table["loss"].as_f64().unwrap().to_bits(), &table["layers"]));
    let _ = std::fs::remove_dir_all(&dir);

    // And no script error on the way.
    let log = browser.session("POST", "/se/log", Some(json!({ "type": "browser" })));
    assert_eq!(log, json!([]), "the browser's console");
}
