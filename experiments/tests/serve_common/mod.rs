//! Helpers of the `serve` tests (`serve_api.rs`, `serve_browser.rs`): the
//! server started on a free port (`serve --port 0`, the address read from its
//! first line), and HTTP/1.1 spoken over a plain `TcpStream`.
//!
//! `SERVE_TEST_BINARY=PATH` runs the tests against another build of
//! `experiments` (e.g. an earlier commit's, to see which tests it fails).

// Each test binary uses only some of these.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::Duration;

/// A running `experiments serve`, stopped when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    /// Its stderr, unread.
    pub stderr: Option<ChildStderr>,
}

/// The binary under test: `experiments` of this build, or `SERVE_TEST_BINARY`.
pub fn binary() -> String {
    std::env::var("SERVE_TEST_BINARY").unwrap_or_else(|_| env!("CARGO_BIN_EXE_experiments").to_owned())
}

impl Served {
    /// Starts `serve --port 0` and reads the address it prints.
    pub fn start() -> Served {
        Served::start_with(&[])
    }

    /// Starts `serve --port 0 FLAGS` and reads the address it prints (given
    /// as 127.0.0.1 when it listens on every interface).
    pub fn start_with(flags: &[&str]) -> Served {
        let mut child = Command::new(binary())
            .args([&["serve", "--port", "0"], flags].concat())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut line).expect("a first line");
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .replace("0.0.0.0:", "127.0.0.1:");
        let expected =
            if flags.is_empty() { "serving the lab at http://127.0.0.1:" } else { "serving the lab at http://" };
        assert!(line.starts_with(expected), "{line:?}");
        let stderr = child.stderr.take();
        Served { child, address, stderr }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends `signal` (`INT`, `TERM`) and waits at most 10 s for the exit code.
    pub fn stop(mut self, signal: &str) -> Option<i32> {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args([&format!("-{signal}"), &pid]).status().unwrap().success());
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("serve did not stop within 10 s of SIG{signal}");
    }

    /// `http://ADDRESS/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// A GET of `path`: the status and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        request(&self.address, "GET", path, &[])
    }

    /// A POST of `body` to `path`: the status and the body.
    pub fn post(&self, path: &str, body: &[u8]) -> (u16, String) {
        request(&self.address, "POST", path, body)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), and the
/// status and body of its answer (`Content-Length` or chunked).
pub fn request(address: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("the server accepts");
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    read_answer(&mut stream)
}

/// Reads one HTTP answer: the status and the body as text. The body ends
/// where `Content-Length` or the last chunk says (chromedriver keeps the
/// connection open whatever `Connection: close` asks), or at the end of the stream.
pub fn read_answer(stream: &mut impl Read) -> (u16, String) {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let complete = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
        let head = head.to_ascii_lowercase();
        if let Some(length) = head.lines().find_map(|l| l.strip_prefix("content-length:")) {
            return body.len() >= length.trim().parse::<usize>().expect("a length");
        }
        head.contains("transfer-encoding: chunked") && body.ends_with("0\r\n\r\n")
    };
    while !complete(&bytes) {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            // A signal that reached this thread (EINTR): read again, as `read_to_end` does.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("an answer: {e:?}"),
        }
    }
    let text = String::from_utf8(bytes).expect("UTF-8");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no blank line in {text:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("status in {head:?}"));
    let chunked = head.lines().any(|l| l.to_ascii_lowercase().starts_with("transfer-encoding: chunked"));
    let body = if chunked { unchunk(body) } else { body.to_owned() };
    (status, body)
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n").expect("a chunk size line");
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).expect("a hex chunk size");
        if size == 0 {
            return out;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
}

/// `experiments ARGS`'s stdout, which must succeed.
pub fn cli(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_experiments")).args(args).output().expect("the binary runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}
