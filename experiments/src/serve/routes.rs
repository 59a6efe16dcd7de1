//! What the server answers: each path, its methods, and every refusal, as
//! JSON `{"error": "…"}` with one line that names the problem and what is
//! accepted.
//!
//! | path | methods | answer |
//! |---|---|---|
//! | `/`, `/index.html`, `/app.js`, `/views.js`, `/style.css` | GET, HEAD | the page, from the binary |
//! | `/api/functions` | GET, HEAD | the 16 named data sets' rows |
//! | `/api/limits` | GET, HEAD | the bounds of the run request ([`crate::request::limits::json`]) |
//! | `/api/train` | GET, HEAD, POST | [`api::answer`], trained off the reactor |
//! | `/api/notebook.py` | GET, HEAD, POST | the same request as a NumPy script ([`api::notebook`]), a download named `notebook.py` |
//!
//! Refusals: 400 a `Host` that is not this server's ([`host::check`]), bad
//! input (the command line's message), a body cut short or with a key given
//! twice; 404 another path; 405 another method, with `Allow`; 408 a request
//! not complete by its deadline; 413 a body over [`super::MAX_BODY`]; 503 no trainer
//! free within [`QUEUE_LIMIT`], or the server stopping. (hyper itself answers
//! a head it cannot parse: 400, or 431 over [`super::MAX_HEAD`] bytes or
//! [`super::MAX_HEADERS`] lines, or a `Content-Length` beyond 2⁶⁴ − 3.)

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{ALLOW, CONNECTION, CONTENT_DISPOSITION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Version};
use perceptron::BooleanFunction;
use tokio::time::Instant;

use super::conn::Clock;
use super::{QUEUE_LIMIT, REQUEST_DEADLINE, STOP_LIMIT, Shared, api, body, host};

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const VIEWS_JS: &str = include_str!("page/views.js");
const STYLE_CSS: &str = include_str!("page/style.css");

const JSON: &str = "application/json";

/// What a path serves.
#[derive(Clone, Copy)]
enum Resource {
    /// A file of the page: its text and content type.
    Page(&'static str, &'static str),
    Functions,
    Limits,
    Train,
    Notebook,
}

impl Resource {
    fn at(path: &str) -> Option<Resource> {
        let js = "text/javascript; charset=utf-8";
        Some(match path {
            "/" | "/index.html" => Resource::Page(INDEX_HTML, "text/html; charset=utf-8"),
            "/app.js" => Resource::Page(APP_JS, js),
            "/views.js" => Resource::Page(VIEWS_JS, js),
            "/style.css" => Resource::Page(STYLE_CSS, "text/css; charset=utf-8"),
            "/api/functions" => Resource::Functions,
            "/api/limits" => Resource::Limits,
            "/api/train" => Resource::Train,
            "/api/notebook.py" => Resource::Notebook,
            _ => return None,
        })
    }

    /// The methods allowed, as the `Allow` header lists them.
    fn allow(self) -> &'static str {
        match self {
            Resource::Train | Resource::Notebook => "GET, HEAD, POST",
            _ => "GET, HEAD",
        }
    }
}

/// An answer: status, content type, body; `Allow` for a 405; whether the
/// connection closes after it (a body left unread, a request out of time).
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Bytes,
    allow: Option<&'static str>,
    /// `Content-Disposition` (a download's file name).
    disposition: Option<&'static str>,
    close: bool,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
        Reply { status, content_type, body: body.into(), allow: None, disposition: None, close: false }
    }

    fn error(status: u16, message: &str) -> Reply {
        Reply::new(status, JSON, error_json(message))
    }

    fn closing(self) -> Reply {
        Reply { close: true, ..self }
    }

    fn into_response(self) -> Response<Whole> {
        let mut response = Response::new(Whole(Some(self.body)));
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        if let Some(allow) = self.allow {
            headers.insert(ALLOW, HeaderValue::from_static(allow));
        }
        if let Some(disposition) = self.disposition {
            headers.insert(CONTENT_DISPOSITION, HeaderValue::from_static(disposition));
        }
        if self.close {
            headers.insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// `{"error": message}`.
pub fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}

/// The whole 408 answer, as bytes on the wire, for a request whose head did
/// not arrive in time (written by the connection itself, hyper being still
/// at the head).
pub fn request_timeout() -> String {
    let body = error_json(&format!(
        "the request's head was not complete within {} s of its first byte; send it whole",
        REQUEST_DEADLINE.as_secs()
    ));
    format!(
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: {JSON}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Answers one request whose head has arrived (the connection's [`Clock`]
/// gives its deadline).
pub async fn answer(request: Request<Incoming>, shared: &Shared, clock: &Clock) -> Response<Whole> {
    let deadline = clock.begin();
    let reply = reply(request, shared, deadline).await;
    clock.end();
    reply.into_response()
}

async fn reply(request: Request<Incoming>, shared: &Shared, deadline: Instant) -> Reply {
    // An absolute-form target (`GET http://127.0.0.1:8000/ HTTP/1.1`) names the host itself.
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str().to_owned()),
        None => request.headers().get(HOST).map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned()),
    };
    // HTTP/1.0 has no Host header; a browser always sends one.
    if (host.is_some() || request.version() != Version::HTTP_10)
        && let Err(message) = host::check(host.as_deref(), shared.bound.ip())
    {
        return Reply::error(400, &message);
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let Some(resource) = Resource::at(&path) else {
        return Reply::error(
            404,
            &format!(
                "no such path '{}'; expected /, /api/train, /api/notebook.py, /api/functions or /api/limits",
                crate::error::cut(&path)
            ),
        );
    };
    let get = method == Method::GET || method == Method::HEAD;
    match resource {
        Resource::Page(text, content_type) if get => Reply::new(200, content_type, Bytes::from_static(text.as_bytes())),
        Resource::Functions if get => Reply::new(200, JSON, functions()),
        Resource::Limits if get => Reply::new(200, JSON, crate::request::limits::json()),
        Resource::Train | Resource::Notebook if get => {
            let query = request.uri().query().unwrap_or("");
            match api::from_query(query) {
                Ok(train) => run(resource, train, shared).await,
                Err(message) => Reply::error(400, &message),
            }
        }
        Resource::Train | Resource::Notebook if method == Method::POST => {
            let claimed = request.body().size_hint().exact();
            match body::read(request.into_body(), claimed, deadline).await {
                Ok(bytes) => match body::repeated_key(&bytes) {
                    Some(key) => Reply::error(
                        400,
                        &format!(
                            "field '{}' cannot be used multiple times; give each field once",
                            crate::error::cut(&key)
                        ),
                    ),
                    None => match api::from_body(&bytes) {
                        Ok(train) => run(resource, train, shared).await,
                        Err(message) => Reply::error(400, &message),
                    },
                },
                // The rest of the body is not read: the connection closes after the answer.
                Err(body::Refusal(status, message)) => Reply::error(status, &message).closing(),
            }
        }
        _ => {
            let allow = resource.allow();
            let expected = match allow.rsplit_once(", ") {
                Some((most, last)) => format!("{most} or {last}"),
                None => allow.to_owned(),
            };
            let mut reply =
                Reply::error(405, &format!("method {method} is not allowed on {path}; expected {expected}"));
            reply.allow = Some(allow);
            reply
        }
    }
}

/// `/api/train` trains the request; `/api/notebook.py` writes it as a NumPy
/// script (no training: no trainer needed).
async fn run(resource: Resource, request: crate::request::ServeRequest, shared: &Shared) -> Reply {
    if !matches!(resource, Resource::Notebook) {
        return trained(request, shared).await;
    }
    match api::notebook(&request) {
        Ok(script) => Reply {
            disposition: Some("attachment; filename=\"notebook.py\""),
            ..Reply::new(200, "text/x-python; charset=utf-8", script)
        },
        Err(message) => Reply::error(400, &message),
    }
}

/// Trains `train` on one of the trainers' threads, once one is free.
async fn trained(train: crate::request::ServeRequest, shared: &Shared) -> Reply {
    let permit = match trainer(shared).await {
        Ok(permit) => permit,
        Err(reply) => return reply,
    };
    let run = tokio::task::spawn_blocking(move || {
        let answer = api::answer(&train);
        drop(permit);
        answer
    });
    match run.await {
        Ok(Ok(json)) => Reply::new(200, JSON, json),
        Ok(Err(message)) => Reply::error(400, &message),
        Err(e) => Reply::error(500, &format!("the training failed: {e}")),
    }
}

/// A trainer's permit, or the 503 that says why there is none: none free
/// within [`QUEUE_LIMIT`], or the server stopping before one is.
async fn trainer(shared: &Shared) -> Result<tokio::sync::OwnedSemaphorePermit, Reply> {
    let busy = || {
        Reply::error(
            503,
            &format!(
                "the server is busy: no trainer was free within {} s ({} runs train at once); try again",
                QUEUE_LIMIT.as_secs(),
                super::TRAINERS
            ),
        )
    };
    let mut stopping = shared.stopping.clone();
    let mut acquire = std::pin::pin!(Arc::clone(&shared.trainers).acquire_owned());
    let mut queue = std::pin::pin!(tokio::time::sleep(QUEUE_LIMIT));
    // When stopping, a request still waiting a second before STOP_LIMIT gives up.
    let mut stop = std::pin::pin!(async move {
        let _ = stopping.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(STOP_LIMIT.saturating_sub(std::time::Duration::from_secs(1))).await;
    });
    std::future::poll_fn(|cx| {
        if let Poll::Ready(permit) = acquire.as_mut().poll(cx) {
            return Poll::Ready(permit.map_err(|_| busy()));
        }
        if queue.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(busy()));
        }
        if stop.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(Reply::error(
                503,
                "the server is stopping (SIGINT or SIGTERM); this run was not trained",
            )
            .closing()));
        }
        Poll::Pending
    })
    .await
}

/// `{"functions": [{"name": …, "rows": [[x1, x2, x3, y], …]}, …]}`, in the
/// order of [`BooleanFunction::ALL`].
fn functions() -> Bytes {
    static JSON_TEXT: OnceLock<String> = OnceLock::new();
    let text = JSON_TEXT.get_or_init(|| {
        let list: Vec<serde_json::Value> = BooleanFunction::ALL
            .iter()
            .map(|f| {
                let data = f.dataset();
                let rows: Vec<[f64; 4]> = data.table().iter().map(|(x, y)| [x[0], x[1], x[2], *y]).collect();
                serde_json::json!({ "name": f.name(), "separable": f.is_linearly_separable(), "rows": rows })
            })
            .collect();
        serde_json::json!({ "functions": list }).to_string()
    });
    Bytes::from_static(text.as_bytes())
}

/// A response body held whole, so that hyper sends its `Content-Length`.
pub struct Whole(Option<Bytes>);

impl Body for Whole {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.take().map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.as_ref().map_or(0, |b| b.len() as u64))
    }
}
