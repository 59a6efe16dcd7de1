//! `serve`: the lab in a browser. A small synchronous HTTP server (`tiny_http`,
//! [`WORKERS`] threads, so several requests are answered at once) serves the
//! page embedded in the binary (`page/`: `index.html`, `views.js`, `app.js`,
//! `style.css`; no network, no build step) and the API the page uses:
//!
//! - `GET /api/train?…` and `POST /api/train` (JSON body): [`api::answer`];
//! - `GET /api/functions`: the 16 named data sets' rows, from the core crate.
//!
//! Bad input: 400 with `{"error": "…"}`; an unknown path 404; another method
//! 405; a body over [`MAX_BODY`] bytes 413. SIGINT (Ctrl-C) or SIGTERM stops
//! the server once the requests in progress are answered (exit 130 or 143).

mod api;

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use perceptron::BooleanFunction;
use tiny_http::{Header, Method, Response, Server};

use crate::cli::ServeArgs;
use crate::output::print_stdout;

/// Threads answering requests.
pub const WORKERS: usize = 4;
/// The largest request body read (a table of 16 rows takes a few hundred bytes).
pub const MAX_BODY: usize = 64 * 1024;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const VIEWS_JS: &str = include_str!("page/views.js");
const STYLE_CSS: &str = include_str!("page/style.css");

/// Runs `serve` until SIGINT or SIGTERM (exit code `128 + signal`).
///
/// # Errors
/// The address cannot be bound (e.g. the port is in use), one line; the
/// listener fails.
pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let address = SocketAddr::new(args.host, args.port);
    let listener = TcpListener::bind(address)
        .with_context(|| format!("cannot listen on {address} (choose another --port, or --port 0 for a free one)"))?;
    let bound = listener.local_addr().context("reading the bound address")?;
    let listener = with_timeouts(listener).context("setting the connections' time limit")?;
    let server = Server::from_listener(listener, None).map_err(|e| anyhow!("cannot start the server: {e}"))?;
    crate::interrupt::catch()?;
    print_stdout(&format!("serving the lab at http://{bound}/ (Ctrl-C stops)\n"))?;
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                while crate::interrupt::check(false).is_ok() {
                    match server.recv_timeout(SIGNAL_POLL) {
                        // A client that has gone away is not the server's failure.
                        Ok(Some(request)) => drop(respond(request)),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            });
        }
    });
    match crate::interrupt::check(false) {
        Err(stop) => Ok(ExitCode::from(u8::try_from(128 + stop.signal).unwrap_or(1))),
        Ok(()) => Err(anyhow!("the server stopped accepting connections")),
    }
}

/// How long a connection may leave the server waiting, reading or writing,
/// before that read or write fails: a client that sends the head of a request
/// and then stalls holds a worker for this long, not for ever.
pub const STALL: std::time::Duration = std::time::Duration::from_secs(5);

/// `listener` with [`STALL`] as the read and write timeout of the sockets it
/// accepts. `tiny_http` does not expose its connections' sockets, and std has no
/// timeouts on a listener, so the option is set on the listening socket itself
/// through the same file descriptor seen as a stream; on Linux an accepted
/// socket is a copy of the listening one and keeps both timeouts
/// (`tests/serve_api.rs`, `stalled_clients_hold_the_workers_only_for_a_time`).
fn with_timeouts(listener: TcpListener) -> std::io::Result<TcpListener> {
    let socket = std::net::TcpStream::from(std::os::fd::OwnedFd::from(listener));
    socket.set_read_timeout(Some(STALL))?;
    socket.set_write_timeout(Some(STALL))?;
    Ok(TcpListener::from(std::os::fd::OwnedFd::from(socket)))
}

/// How often an idle worker looks for SIGINT or SIGTERM.
const SIGNAL_POLL: std::time::Duration = std::time::Duration::from_millis(200);

/// An answer: status, content type, body.
struct Reply(u16, &'static str, String);

const JSON: &str = "application/json";

fn error(status: u16, message: &str) -> Reply {
    Reply(status, JSON, serde_json::json!({ "error": message }).to_string())
}

fn respond(mut request: tiny_http::Request) -> std::io::Result<()> {
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let method = request.method().clone();
    let reply = match (path, &method) {
        ("/" | "/index.html", Method::Get) => Reply(200, "text/html; charset=utf-8", INDEX_HTML.to_owned()),
        ("/app.js", Method::Get) => Reply(200, "text/javascript; charset=utf-8", APP_JS.to_owned()),
        ("/views.js", Method::Get) => Reply(200, "text/javascript; charset=utf-8", VIEWS_JS.to_owned()),
        ("/style.css", Method::Get) => Reply(200, "text/css; charset=utf-8", STYLE_CSS.to_owned()),
        ("/api/functions", Method::Get) => Reply(200, JSON, functions()),
        ("/api/limits", Method::Get) => Reply(200, JSON, api::limits()),
        ("/api/train", Method::Get) => trained(api::from_query(query)),
        ("/api/train", Method::Post) => match body(&mut request) {
            Ok(bytes) => trained(api::from_body(&bytes)),
            Err(reply) => reply,
        },
        (
            "/" | "/index.html" | "/app.js" | "/views.js" | "/style.css" | "/api/functions" | "/api/limits"
            | "/api/train",
            _,
        ) => error(405, &format!("method {method} is not allowed on {path}; expected GET (or POST on /api/train)")),
        _ => {
            error(404, &format!("no such path '{}'; expected /, /api/train or /api/functions", crate::error::cut(path)))
        }
    };
    let Reply(status, content_type, text) = reply;
    let header = Header::from_bytes(&b"Content-Type"[..], content_type.as_bytes()).expect("a valid header");
    request.respond(Response::from_string(text).with_status_code(status).with_header(header))
}

fn trained(request: Result<api::Request, String>) -> Reply {
    match request.and_then(|r| api::answer(&r)) {
        Ok(json) => Reply(200, JSON, json),
        Err(message) => error(400, &message),
    }
}

/// The body, at most [`MAX_BODY`] bytes, or the reply refusing it.
fn body(request: &mut tiny_http::Request) -> Result<Vec<u8>, Reply> {
    let too_large =
        || error(413, &format!("the body is larger than {MAX_BODY} bytes; a table of 16 rows takes a few hundred"));
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(400, &format!("cannot read the body: {e}")))?;
    if bytes.len() > MAX_BODY { Err(too_large()) } else { Ok(bytes) }
}

/// `{"functions": [{"name": …, "rows": [[x1, x2, x3, y], …]}, …]}`, in the
/// order of [`BooleanFunction::ALL`].
fn functions() -> String {
    let list: Vec<serde_json::Value> = BooleanFunction::ALL
        .iter()
        .map(|f| {
            let data = f.dataset();
            let rows: Vec<[f64; 4]> = data.table().iter().map(|(x, y)| [x[0], x[1], x[2], *y]).collect();
            serde_json::json!({ "name": f.name(), "separable": f.is_linearly_separable(), "rows": rows })
        })
        .collect();
    serde_json::json!({ "functions": list }).to_string()
}
