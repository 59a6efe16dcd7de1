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
    // Straight to the terminal: libtest captures `eprintln!` of a passing test.
    let line =
        format!("SKIPPED serve_browser: chromium and chromedriver are not on PATH; to run this test: {install}\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
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
        let window = format!("--window-size={},{}", LAPTOP.0, LAPTOP.1);
        let args = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", window.as_str()];
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

    /// Runs `script` (a function body; `arguments[0]` is `arg`) in the page; its return value.
    fn execute(&self, script: &str, arg: Value) -> Value {
        self.session("POST", "/execute/sync", Some(json!({ "script": script, "args": [arg] })))
    }

    /// Types `text` into the field `css` as a person does, key by key (each an `input` event).
    fn type_into(&self, css: &str, text: &str) {
        self.session("POST", &format!("/element/{}/value", self.find(css)), Some(json!({ "text": text })));
    }

    /// Empties the field `css` (select all, delete: keys, as a person does).
    fn clear(&self, css: &str) {
        self.type_into(css, "\u{E009}a\u{E000}\u{E003}");
    }

    /// Presses and releases one key on whatever has the focus.
    fn press(&self, key: &str) {
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }] }] });
        self.session("POST", "/actions", Some(actions));
    }

    fn url(&self) -> String {
        self.session("GET", "/url", None).as_str().unwrap().to_owned()
    }

    fn open(&self, url: &str) {
        self.session("POST", "/url", Some(json!({ "url": url })));
    }

    fn screenshot(&self, file: &Path) {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
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

/// The window of a common laptop: the page's stage must fit it without scrolling.
const LAPTOP: (u32, u32) = (1366, 768);

/// What a learner must see while a run plays, without scrolling: the surface,
/// the playback controls and the slider, and the frame's iteration, loss and prediction.
const STAGE: [&str; 8] = ["#surface", "#play", "#step", "#reset", "#frame", "#iteration", "#loss", "#prediction"];

/// How long a learner looks at the page before the next action: longer than
/// the 5 s after which the old server stopped accepting connections (issue 28).
const IDLE: Duration = Duration::from_secs(6);

/// Asserts that each of [`STAGE`] has a box inside the viewport.
#[track_caller]
fn assert_stage_in_view(browser: &Browser, when: &str) {
    let script = "const v = [innerWidth, innerHeight]; return [v, arguments[0].map(css => { \
        const r = document.querySelector(css).getBoundingClientRect(); return [css, r.left, r.top, r.right, r.bottom]; })]";
    let boxes = browser.execute(script, json!(STAGE));
    let (width, height) = (boxes[0][0].as_f64().unwrap(), boxes[0][1].as_f64().unwrap());
    assert_eq!(width, f64::from(LAPTOP.0), "the viewport's width");
    assert!(height > 600.0 && height <= f64::from(LAPTOP.1), "the viewport's height {height}");
    for b in boxes[1].as_array().unwrap() {
        let [left, top, right, bottom] = [1, 2, 3, 4].map(|k| b[k].as_f64().unwrap());
        assert!(
            right > left && bottom > top && left >= 0.0 && top >= 0.0 && right <= width && bottom <= height,
            "{when}: {} at ({left}, {top})–({right}, {bottom}) is not inside the {width}×{height} viewport",
            b[0]
        );
    }
}

/// The text of `css`, waited for (at most 20 s) until `done` holds.
fn wait_text(browser: &Browser, css: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
    browser.wait(what, |b| done(&b.text(css)));
    browser.text(css)
}

/// A number as the page prints it, read back (the shortest round-trip form reads back to the same bits).
fn read(text: &str) -> f64 {
    text.parse().unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

/// `train --json ARGS`, parsed.
fn train(args: &[&str]) -> Value {
    serde_json::from_str(&cli(&[&["train", "--json"], args].concat())).unwrap()
}

/// The page's run, frame by frame: its own forward pass at the training rows
/// (the rows not left out, in order) of every frame, and, drawn by a script
/// that steps through the frames (`show` is synchronous), what it drew of the
/// surface's 0.5 line (`canvas.dataset.contour`), the hidden units' captions
/// and the printed numbers, at every 10th frame, the last, and each frame
/// where the server's `flat` changes and the one before it.
fn every_frame(browser: &Browser) -> Value {
    let script = "const run = state.run, n = run.snapshots.length, out = []; \
        const keep = state.runRows.filter((_, i) => !run.removed_rows.includes(i)); \
        for (let k = 0; k < n; k++) { const s = run.snapshots[k], next = run.snapshots[k + 1]; \
          const o = { outputs: keep.map(r => forward(s.layers, r.slice(0, 3)).o) }; \
          if (k % 10 === 0 || k === n - 1 || (k > 0 && s.flat !== run.snapshots[k - 1].flat) || (next && next.flat !== s.flat)) { \
            state.pos = k; show(); Object.assign(o, { \
            contour: document.getElementById('surface').dataset.contour, \
            hidden: [...document.querySelectorAll('#hidden-units figcaption')].map(c => c.textContent), \
            hidden_contours: [...document.querySelectorAll('#hidden-units canvas')].map(c => c.dataset.contour), \
            loss: document.getElementById('loss').textContent, prediction: document.getElementById('prediction').textContent }); } \
          out.push(o); } \
        return out";
    browser.execute(script, Value::Null)
}

/// The page follows the server frame by frame: its forward pass equals the
/// server's exact outputs at the training rows to 1e-12 (so its pictures
/// cannot drift from the model), it draws a 0.5 line exactly where the
/// report's rule says the surface is not flat, names each hidden unit as the
/// server does (the report's rule), and prints loss and prediction in the
/// CLI's form (Rust's `{:?}`). Returns how many frames were flat and how many drawn.
fn check_every_frame(browser: &Browser, served: &Served, query: &str) -> (usize, usize) {
    let page = every_frame(browser);
    let (status, text) = served.get(&format!("/api/train?{query}&snapshots=200"));
    assert_eq!(status, 200, "{text}");
    let api: Value = serde_json::from_str(&text).unwrap();
    let (page, snapshots) = (page.as_array().unwrap(), api["snapshots"].as_array().unwrap());
    assert_eq!(page.len(), snapshots.len());
    let (mut flat, mut drawn) = (0, 0);
    for (k, (p, s)) in page.iter().zip(snapshots).enumerate() {
        let (mine, exact) = (p["outputs"].as_array().unwrap(), s["outputs"].as_array().unwrap());
        assert_eq!(mine.len(), exact.len(), "frame {k}: the training rows");
        for (m, e) in mine.iter().zip(exact) {
            let (m, e) = (m.as_f64().unwrap(), e.as_f64().unwrap());
            assert!((m - e).abs() <= 1e-12, "frame {k}: the page's o = {m:?}, the server's {e:?}");
        }
        let is_flat = s["flat"].as_bool().unwrap();
        flat += usize::from(is_flat);
        if p.get("contour").is_none() {
            continue;
        }
        drawn += 1;
        assert_eq!(
            p["contour"] == "none: flat",
            is_flat,
            "frame {k}: {} while the server says flat = {is_flat}",
            p["contour"]
        );
        for (j, unit) in s["hidden"].as_array().unwrap().iter().enumerate() {
            assert_eq!(p["hidden"][j], format!("h{}: {}", j + 1, unit["function"].as_str().unwrap()), "frame {k}");
            assert_eq!(
                p["hidden_contours"][j] == "none: flat",
                unit["flat"].as_bool().unwrap(),
                "frame {k}, h{}",
                j + 1
            );
        }
        assert_eq!(p["loss"], format!("{:?}", s["loss"].as_f64().unwrap()), "frame {k}");
        assert_eq!(p["prediction"], format!("{:?}", s["prediction"].as_f64().unwrap()), "frame {k}");
    }
    (flat, drawn)
}

#[test]
fn a_learner_plays_runs_on_a_laptop_screen() {
    let Some((chromium, chromedriver)) = browser_or_skip() else { return };
    let started = Instant::now();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let served = Served::start();
    let browser = Browser::start(&chromium, &chromedriver);
    browser.open(&served.url());
    browser.wait("the default run", |b| b.text("#status").contains("one-layer, data x1, seed 1, 50000 iterations"));
    assert_stage_in_view(&browser, "at load");
    browser.screenshot(&shots.join("serve-default.png"));

    // The default prediction is [1, 0, 1], on the drawn plane; its value is the frame's.
    assert_eq!(browser.attribute("#predict", "value"), "1,0,1");
    assert_eq!(browser.text("#predict-input"), "[1, 0, 1]");
    assert_eq!(browser.text("#predict-where"), "◇ on the drawn plane");
    // Frame 0: the initial weights, σ(w1 + w3) = σ(-0.165955990594852 + -0.9997712503653102) (`train --json` initial_layers).
    let initial = train(&["--iterations", "0", "--predict", "1,0,1"]);
    assert_eq!(browser.text("#prediction"), format!("{:?}", initial["prediction"].as_f64().unwrap()));

    // One number format, Rust's `{:?}` of an f64 (as `train` prints its data),
    // on values around its switches to and from the exponent form.
    let values = [
        2.537_130_684_683_896e-5,
        0.999_987_741_286_208_3,
        1.0,
        0.0,
        -0.0,
        1e-4,
        1e-4 * (1.0 - f64::EPSILON),
        1e16,
        1e16 * (1.0 - f64::EPSILON),
        0.1 + 0.2,
        -11.309_261_29,
        5e-324,
        f64::MAX,
        1e21,
        123_456.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    // Each value reaches the page as `{:.16e}` text (17 significant digits: the same double), or as JS names it.
    let texts: Vec<String> = values
        .iter()
        .map(|v| {
            if v.is_infinite() {
                if *v > 0.0 { "Infinity".into() } else { "-Infinity".into() }
            } else {
                format!("{v:.16e}")
            }
        })
        .collect();
    let shown = browser.execute("return arguments[0].map(t => formatNumber(Number(t)))", json!(texts));
    let expected: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    assert_eq!(shown, json!(expected), "formatNumber against Rust's {{:?}}");

    // The notebook's input is one click away, labelled for what it is: with x3 = 0 one layer gives σ(w1).
    browser.click("#notebook-input");
    browser.wait("the notebook's input", |b| b.text("#predict-input") == "[1, 0, 0]");
    let where_ = browser.text("#predict-where");
    assert_eq!(where_, "off the drawn plane (x3 = 0): the bias input is off, so o = σ(w1)");
    // σ(w1) of the initial weights: 1/(1+np.exp(0.165955990594852)) (`train --iterations 0 --predict 1,0,0`).
    let initial = train(&["--iterations", "0"]);
    assert_eq!(browser.text("#prediction"), format!("{:?}", initial["prediction"].as_f64().unwrap()));
    browser.click("#plane-input");
    browser.wait("the input on the plane", |b| b.text("#predict-input") == "[1, 0, 1]");

    // xor with four hidden units, played to the end: the stage stays in view while it plays.
    browser.click("#data option[value='xor']");
    browser.click("#model option[value='4']");
    browser.wait("the xor run", |b| b.text("#status").starts_with("two-layer H=4, data xor, seed 1, 50000 iterations"));
    assert_eq!(browser.attribute("body", "data-done"), Value::Null, "a new run starts at frame 0");
    assert_eq!(browser.text("#iteration"), "0 of 50000");
    browser.click("#speed option[value='4']");
    browser.click("#play");
    browser.wait("playing", |b| b.attribute("body", "data-playing") == "true");
    let first = browser.text("#iteration");
    assert_stage_in_view(&browser, "while playing");
    browser.wait("the frame to move", |b| b.text("#iteration") != first || b.attribute("body", "data-done") == "true");
    assert_stage_in_view(&browser, "while playing, later");
    browser.wait("the end of the run", |b| b.attribute("body", "data-done") == "true");

    let xor = train(&["--data", "xor", "--hidden", "4", "--predict", "1,0,1"]);
    let number = |key: &str| xor[key].as_f64().unwrap();
    assert_eq!(browser.text("#iteration"), "50000 of 50000");
    assert_eq!(browser.text("#loss"), format!("{:?}", number("loss")));
    assert_eq!(browser.text("#prediction"), format!("{:?}", number("prediction")));
    assert_eq!(read(&browser.text("#loss")).to_bits(), number("loss").to_bits());
    assert_eq!(browser.text("#exp").split(' ').next(), xor["exp"].as_str());
    // The weights table: a row per hidden unit h1..h4, columns from x1, x2, x3 (W1) and to o (W2), exact.
    let table = browser.execute(
        "return { head: [...document.querySelectorAll('#weights thead th')].map(c => c.textContent), \
           rows: [...document.querySelectorAll('#weights tbody th')].map(c => c.textContent), \
           cells: [...document.querySelectorAll('#weights td')].map(c => [Number(c.dataset.weight), c.textContent, c.title]) }",
        Value::Null,
    );
    assert_eq!(table["head"], json!(["", "from x1 (W1)", "from x2 (W1)", "from x3 (W1)", "to o (W2)"]));
    assert_eq!(table["rows"], json!(["h1", "h2", "h3", "h4"]));
    let layers: Vec<f64> = xor["layers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m.as_array().unwrap().iter())
        .flat_map(|r| r.as_array().unwrap().iter().map(|w| w.as_f64().unwrap()))
        .collect();
    let cells = table["cells"].as_array().unwrap();
    assert_eq!(cells.len(), layers.len());
    for cell in cells {
        let k = cell[0].as_u64().unwrap() as usize;
        assert_eq!(read(cell[1].as_str().unwrap()).to_bits(), layers[k].to_bits(), "{cell}");
    }
    // W1 is 3 × 4, row-major: weight 3 is x1→h4 (1-based, as the nodes), weight 12 is W2 h1→o.
    assert!(
        cells.iter().any(|c| c[0] == 3 && c[2] == "W1 x1→h4") && cells.iter().any(|c| c[0] == 12 && c[2] == "W2 h1→o")
    );
    // The hidden units, named as results/hidden_units.csv names them for this very network
    // (two-layer H = 4 on xor, seed 1, 50000 steps): x1-or-not-x2, x1-and-not-x2, nor, nand.
    let captions = browser.execute(
        "return [...document.querySelectorAll('#hidden-units figcaption')].map(c => c.textContent)",
        Value::Null,
    );
    assert_eq!(captions, json!(["h1: x1-or-not-x2", "h2: x1-and-not-x2", "h3: nor", "h4: nand"]));
    assert_ne!(browser.attribute("#surface", "data-contour"), "none: flat");
    browser.screenshot(&shots.join("serve-xor-h4.png"));

    // The pointer on the surface reads o(x1, x2): the network's o at that point, to 1e-12.
    let surface = browser.find("#surface");
    let to_surface = json!({ "actions": [{ "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
        "actions": [{ "type": "pointerMove", "origin": { ELEMENT: surface }, "x": 30, "y": -40 }] }] });
    browser.session("POST", "/actions", Some(to_surface));
    let readout = wait_text(&browser, "#surface-value", "the pointer's readout", |t| t.starts_with("o("));
    let (point, o) = readout.strip_prefix("o(").unwrap().split_once(") = ").unwrap();
    let (x1, x2) = point.split_once(", ").map(|(a, b)| (read(a), read(b))).unwrap();
    // o = σ(Σ_j σ(x·W1[:, j])·W2[j]) with x = (x1, x2, 1), `layers` as above.
    let sigma = |z: f64| 1.0 / (1.0 + (-z).exp());
    let o_rust: f64 = (0..4).map(|j| sigma(x1 * layers[j] + x2 * layers[4 + j] + layers[8 + j]) * layers[12 + j]).sum();
    assert!((read(o) - sigma(o_rust)).abs() < 1e-12, "{readout}: {}", sigma(o_rust));
    // Focus on the weights plot names a curve; ↓ names the next, with this frame's value.
    browser.execute("document.getElementById('weights-plot').focus()", Value::Null);
    assert_eq!(browser.text("#edge-value"), format!("W1 x1→h1 = {:?} at iteration 50000", layers[0]));
    browser.press("\u{E015}");
    assert_eq!(browser.text("#edge-value"), format!("W1 x1→h2 = {:?} at iteration 50000", layers[1]));
    // The views below the stage, with that curve picked (`serve-xor-h4-views.png`, docs/serve.png).
    browser.execute("document.getElementById('hidden-figure').scrollIntoView()", Value::Null);
    browser.screenshot(&shots.join("serve-xor-h4-views.png"));
    browser.execute("scrollTo(0, 0)", Value::Null);

    // The page's run.json is `train --json`'s output, byte for byte.
    let script = "fetch(document.getElementById('download-json').href).then(r => r.text()).then(arguments[0])";
    let download = browser.session("POST", "/execute/async", Some(json!({ "script": script, "args": [] })));
    assert_eq!(
        download.as_str(),
        Some(cli(&["train", "--json", "--data", "xor", "--hidden", "4", "--predict", "1,0,1"]).as_str())
    );

    // Every frame: the page's forward pass, its 0.5 line and its names follow the server.
    let end = browser.url();
    let query = end.split_once('?').unwrap().1.to_owned();
    let (flat, drawn) = check_every_frame(&browser, &served, &query);
    assert!(flat == 0 && drawn >= 20, "no frame of xor H = 4 is flat ({flat}); {drawn} frames drawn");

    // The learner looks at the result for a while, then mistypes the learning rate.
    std::thread::sleep(IDLE);
    browser.type_into("#learning-rate", "abc");
    let message =
        wait_text(&browser, ".field-error[data-for='learning-rate']", "the learning rate's message", |t| !t.is_empty());
    assert_eq!(message, "The learning rate is a positive number, such as 1 or 0.5.");
    let beside = browser.execute(
        "const f = document.getElementById('learning-rate').getBoundingClientRect(), \
           m = document.querySelector(\".field-error[data-for='learning-rate']\").getBoundingClientRect(); \
         return [m.top - f.bottom, m.left - f.left]",
        Value::Null,
    );
    let (below, across) = (beside[0].as_f64().unwrap(), beside[1].as_f64().unwrap());
    assert!(
        (0.0..60.0).contains(&below) && across.abs() < 60.0,
        "the message is {below} px below the field, {across} px across"
    );
    assert_eq!(browser.url(), end, "the address keeps the last good run");
    assert!(browser.text("#status").contains("the last good run"));
    assert_eq!(
        (browser.text("#iteration"), browser.attribute("body", "data-done")),
        ("50000 of 50000".to_owned(), json!("true"))
    );
    // Corrected as typed, without Enter or leaving the field.
    browser.clear("#learning-rate");
    browser.type_into("#learning-rate", "0.5");
    browser.wait("the run at rate 0.5", |b| b.text("#status").contains("learning rate 0.5:"));
    assert_eq!(wait_text(&browser, ".field-error[data-for='learning-rate']", "no message", str::is_empty), "");
    assert!(browser.url().contains("learning_rate=0.5"));

    // Focus on an edge survives playback, and its readout follows the frames; Space plays.
    browser.execute("document.querySelector('#network line[data-weight=\"3\"]').focus()", Value::Null);
    browser.press("\u{E00D}");
    browser.wait("playing on Space", |b| {
        b.attribute("body", "data-playing") == "true" || b.attribute("body", "data-done") == "true"
    });
    browser.wait("the end", |b| b.attribute("body", "data-done") == "true");
    let focused = browser.execute("return document.activeElement.getAttribute('data-weight')", Value::Null);
    assert_eq!(focused, "3", "the edge keeps the focus through playback");
    let readout = browser.text("#edge-value");
    let last = browser.text("#iteration");
    assert!(
        readout.starts_with("W1 x1→h4 = ")
            && readout.ends_with(&format!("at iteration {}", last.split(' ').next().unwrap())),
        "{readout}"
    );

    // Links with a value the page cannot show say so, and train nothing.
    browser.open(&format!("{}?data=xor&hidden=9", served.url()));
    let model = wait_text(&browser, ".field-error[data-for='model']", "the model's message", |t| !t.is_empty());
    assert!(model.contains("hidden=9") && model.contains("1 to 8"), "{model}");
    assert!(browser.text("#status").starts_with("Nothing trained"));
    browser.open(&format!("{}?data=xor&output_bias=true", served.url()));
    let bias = wait_text(&browser, ".field-error[data-for='output-bias']", "the bias's message", |t| !t.is_empty());
    assert!(bias.contains("output_bias=true with one layer"), "{bias}");
    assert!(browser.text("#status").starts_with("Nothing trained"));
    browser.open(&format!("{}?data=bogus", served.url()));
    let data = wait_text(&browser, ".field-error[data-for='data']", "the data's message", |t| !t.is_empty());
    assert!(data.contains("\"bogus\"") && data.contains("16 functions") && !data.contains(".csv"), "{data}");
    // The learner chooses: the message goes, and the choice trains.
    browser.click("#data option[value='x1']");
    browser.wait("x1 chosen", |b| b.text("#status").starts_with("one-layer, data x1"));
    assert_eq!(browser.text(".field-error[data-for='data']"), "");

    // One layer on xor: the weights decay towards 0 and o towards 0.5; from the
    // frame where the surface's range is below 1e-9 (the report's `flat`) the page draws no line.
    browser.open(&format!("{}?data=xor&iterations=50000", served.url()));
    browser.wait("one layer on xor", |b| b.text("#status").starts_with("one-layer, data xor"));
    let query = browser.url().split_once('?').unwrap().1.to_owned();
    let (flat, drawn) = check_every_frame(&browser, &served, &query);
    assert!(
        flat > 0 && flat < 200 && drawn >= 22,
        "the end of one layer on xor is flat (surfaces.svg, panel 3): {flat} frames; {drawn} drawn"
    );

    // The output bias: off and disabled for one layer; switched on for xor H = 2,
    // the same seed is trained again with b2 (the link says so) and played from
    // its first frame; the page's forward pass adds b2 (the third matrix,
    // `[[b2]]`) and follows the server's outputs to 1e-12 in every frame.
    assert_eq!(browser.attribute("#output-bias", "disabled"), json!("true"), "no bias for one layer");
    browser.open(&format!("{}?data=xor&hidden=2&seed=3&iterations=5000", served.url()));
    browser.wait("xor H = 2", |b| b.text("#status").starts_with("two-layer H=2, data xor, seed 3, 5000"));
    browser.click("#output-bias");
    browser.wait("xor H = 2 with the bias", |b| {
        b.text("#status").starts_with("two-layer H=2 with bias, data xor, seed 3, 5000")
    });
    let url = browser.url();
    assert!(url.contains("output_bias=true") && url.contains("seed=3"), "{url}");
    browser.wait("the replay", |b| {
        b.attribute("body", "data-playing") == "true" || b.attribute("body", "data-done") == "true"
    });
    let query = url.split_once('?').unwrap().1.to_owned();
    check_every_frame(&browser, &served, &query);
    // b2 is the run's last weight: in the table (a row of its own) and on the network (an edge from "1").
    let flags = [
        "--data",
        "xor",
        "--hidden",
        "2",
        "--seed",
        "3",
        "--iterations",
        "5000",
        "--output-bias",
        "--predict",
        "1,0,1",
    ];
    let biased = train(&flags);
    assert_eq!(biased["layers"].as_array().unwrap().len(), 3, "W1, W2 and [[b2]]");
    let cells =
        browser.execute("return [...document.querySelectorAll('#weights td[data-weight]')].length", Value::Null);
    assert_eq!(cells, json!(9), "4H + 1 weights for H = 2");
    assert!(browser.text("#weights").contains("1 (b2)"));
    browser.execute("document.querySelector('#network line[data-weight=\"8\"]').focus()", Value::Null);
    assert!(
        browser.text("#edge-value").starts_with("b2 (1→o, the output's bias) = "),
        "{}",
        browser.text("#edge-value")
    );
    // Its run.json is `train --json --output-bias`'s output, byte for byte.
    let download = browser.session("POST", "/execute/async", Some(json!({ "script": script, "args": [] })));
    assert_eq!(download.as_str(), Some(cli(&[&["train", "--json"], &flags[..]].concat()).as_str()));
    // Its notebook.py is `train --numpy`'s script for the same flags, byte for byte.
    let script_py = "fetch(document.getElementById('download-notebook').href).then(r => r.text()).then(arguments[0])";
    let notebook = browser.session("POST", "/execute/async", Some(json!({ "script": script_py, "args": [] })));
    assert_eq!(notebook.as_str(), Some(cli(&[&["train", "--numpy"], &flags[..]].concat()).as_str()));
    browser.screenshot(&shots.join("serve-xor-h2-bias.png"));
    // Switched off again: the same seed without b2.
    browser.click("#output-bias");
    browser
        .wait("xor H = 2 without the bias", |b| b.text("#status").starts_with("two-layer H=2, data xor, seed 3, 5000"));
    assert!(!browser.url().contains("output_bias"));
    // A link with another value says so beside the box.
    browser.open(&format!("{}?data=xor&hidden=2&output_bias=yes", served.url()));
    let bias = wait_text(&browser, ".field-error[data-for='output-bias']", "the bias's message", |t| !t.is_empty());
    assert!(bias.contains("output_bias=yes") && bias.contains("true or false"), "{bias}");

    // A table: a point added by a click, rows 1 and 3 left out, row 2 deleted:
    // rows 1 and 2 (the old 3) stay left out.
    browser.open(&format!("{}?data=xor&hidden=4&iterations=2000", served.url()));
    browser.wait("xor, 2000 steps", |b| b.text("#status").starts_with("two-layer H=4, data xor, seed 1, 2000"));
    browser.click("#surface");
    browser.wait("the table", |b| b.text("#status").contains("data table"));
    browser.click("#table-body tr:nth-child(2) input.use");
    browser.click("#table-body tr:nth-child(4) input.use");
    browser.click("#table-body tr:nth-child(3) button");
    browser.wait("the run without rows 1 and 2", |b| b.url().contains("remove_rows=1%2C2"));
    let ticks = browser
        .execute("return [...document.querySelectorAll('#table-body input.use')].map(c => c.checked)", Value::Null);
    assert_eq!(ticks, json!([true, false, false, true]), "rows 1 and 2 left out of the four");
    // x3 of row 3 set to 0: the row is off the drawn plane, marked in the table and not drawn.
    browser.clear("#table-body tr:nth-child(4) td:nth-of-type(3) input");
    browser.type_into("#table-body tr:nth-child(4) td:nth-of-type(3) input", "0");
    browser.wait("the row off the plane", |b| b.text("#off-plane") == "Not drawn, off the plane x3 = 1: row 3.");
    assert_eq!(browser.attribute("#table-body tr:nth-child(4)", "class"), "off-plane");
    browser.wait("the run with x3 = 0", |b| b.url().contains("rows=") && b.attribute("body", "data-done").is_null());
    browser.click("#end");
    browser.wait("the table's last frame", |b| b.attribute("body", "data-done") == "true");
    // Its run.json carries the rows; `train --data` of those rows in a CSV gives the same bits.
    let download = browser.session("POST", "/execute/async", Some(json!({ "script": script, "args": [] })));
    let run: Value = serde_json::from_str(download.as_str().unwrap()).unwrap();
    let rows = run["rows"].as_array().expect("run.json of a table has its rows");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3][2], 0.0, "x3 as typed");
    let dir = common::scratch("serve-browser");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("table.csv");
    let csv: Vec<String> = rows
        .iter()
        .map(|r| {
            r.as_array().unwrap().iter().map(|v| format!("{:?}", v.as_f64().unwrap())).collect::<Vec<_>>().join(",")
        })
        .collect();
    std::fs::write(&file, format!("x1,x2,x3,y\n{}\n", csv.join("\n"))).unwrap();
    let flags = ["--hidden", "4", "--iterations", "2000", "--remove-rows", "1,2", "--predict", "1,0,1"];
    let again = train(&[&["--data", file.to_str().unwrap()], &flags[..]].concat());
    assert_eq!(run["layers"], again["layers"]);
    assert_eq!(run["loss"].as_f64().unwrap().to_bits(), again["loss"].as_f64().unwrap().to_bits());
    assert_eq!((run["removed_rows"].clone(), run["data"].clone()), (json!([1, 2]), json!("table")));
    // Its notebook.py (POSTed with the table) trains the same rows: x3 = 0 as typed in row 3, rows 1 and 2 left out.
    browser.wait("the table's notebook.py", |b| {
        b.attribute("#download-notebook", "href").as_str().is_some_and(|h| h.starts_with("blob:"))
    });
    let script_py = "fetch(document.getElementById('download-notebook').href).then(r => r.text()).then(arguments[0])";
    let notebook = browser.session("POST", "/execute/async", Some(json!({ "script": script_py, "args": [] })));
    let notebook = notebook.as_str().unwrap();
    assert!(notebook.contains("REMOVED_ROWS = [1, 2]") && notebook.contains("HIDDEN = 4"), "{notebook}");
    let _ = std::fs::remove_dir_all(&dir);

    // A narrow window (800 px) stacks the views: nothing wider than the window.
    browser.open(&served.url());
    browser.wait("the default run", |b| b.text("#status").contains("one-layer, data x1"));
    browser.session("POST", "/window/rect", Some(json!({ "width": 800, "height": 1800 })));
    let wide = browser.execute("return [document.documentElement.scrollWidth, innerWidth]", Value::Null);
    assert!(wide[0].as_f64() <= wide[1].as_f64(), "at 800 px the page is {wide} wide");
    let tall = browser.execute("return document.documentElement.scrollHeight", Value::Null);
    eprintln!("at 800 px wide the page is {tall} px tall");
    browser.screenshot(&shots.join("serve-800.png"));

    // And no script error on the way.
    let log = browser.session("POST", "/se/log", Some(json!({ "type": "browser" })));
    assert_eq!(log, json!([]), "the browser's console");
    eprintln!("the browser test took {:.1} s", started.elapsed().as_secs_f64());
}
