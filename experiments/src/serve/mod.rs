//! `serve`: the lab in a browser. An HTTP/1.1 server (hyper's connection code
//! on tokio's reactor, [`IO_THREADS`] threads; training runs on up to
//! [`TRAINERS`] threads beside them) serves the page embedded in the binary (`page/`: `index.html`,
//! `views.js`, `app.js`, `style.css`; no network, no build step) and the API
//! the page uses:
//!
//! - `GET /api/train?…` and `POST /api/train` (JSON body): [`api::answer`];
//! - `GET /api/functions`: the 16 named data sets' rows, from the core crate.
//!
//! What each path answers, and every refusal, is in [`routes`]; one
//! connection's deadlines in [`conn`]. The limits below are the server's
//! whole defence against a client, kind or not; `serve --help` and
//! docs/SERVE.md state them (a unit test holds both to these constants).
//!
//! The accept loop never stops on an error (a full fd table is waited out), and
//! no time limit applies to it: limits are per connection. SIGINT (Ctrl-C) or
//! SIGTERM stops accepting, answers the requests already sent (at most
//! [`STOP_LIMIT`] more), then exits 130 or 143.

mod api;
mod body;
mod conn;
mod host;
mod routes;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use crate::cli::ServeArgs;
use crate::console::stderr_line;
use crate::output::print_stdout;

/// Connections served at once; one more is answered 503 and closed at once.
pub const MAX_CONNECTIONS: usize = 128;
/// Threads that run the connections (reading, hyper's parsing, writing): two
/// keep the answers flowing while the trainers take the cores (one thread
/// answered 30 clients asking a connection each with a p99 half as long again,
/// docs/SERVE.md).
pub const IO_THREADS: usize = 2;
/// Runs trained at once, each on its own thread off the reactor; a request
/// waits for one at most [`QUEUE_LIMIT`], then is answered 503.
pub const TRAINERS: usize = 4;
/// The largest request head (request line and headers), in bytes: 431 above.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most header lines in a request: 431 above.
pub const MAX_HEADERS: usize = 64;
/// The largest request body, as read (a table of 16 rows takes a few hundred
/// bytes): 413 above, or at once when `Content-Length` claims more.
pub const MAX_BODY: usize = 64 * 1024;
/// From a request's first byte to the end of its body: 408 after that.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// How long a kept-alive connection may wait for its next request: closed after that.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30);
/// How long a write may wait for the client to read (a client that stops
/// reading its answers): the connection is closed after that.
pub const WRITE_LIMIT: Duration = Duration::from_secs(10);
/// How long a request waits for one of the [`TRAINERS`]: 503 after that.
pub const QUEUE_LIMIT: Duration = Duration::from_secs(10);
/// After SIGINT or SIGTERM, how long the requests already sent have to be
/// answered before the process exits anyway.
pub const STOP_LIMIT: Duration = Duration::from_secs(5);

/// Connections refused at once beyond [`MAX_CONNECTIONS`] (each holds its
/// socket for up to a second while its 503 is read); more are closed unanswered.
const MAX_REFUSING: usize = 64;
/// How often the accept loop looks for SIGINT or SIGTERM.
const SIGNAL_POLL: Duration = Duration::from_millis(100);
/// How long the accept loop waits after a failed accept (e.g. no free file
/// descriptor) before it tries again.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// `serve --help`'s text, made from the run request's fields and the
/// server's limits (the constants above and [`crate::request::limits`]).
pub fn long_about() -> String {
    let secs = |d: Duration| format!("{} s", d.as_secs());
    format!(
        "Serve the lab in a browser: a local web page that trains a model on request and plays the run \
         (decision surface, hidden units, network, loss, weights).\n\n\
         Every frame holds the exact weights of `train --json`; the page's URL holds the whole \
         configuration. The page and its scripts are in the binary (no network). The API: GET \
         {query}, or POST /api/train with a JSON object of the same fields and `rows` ([[x1, \
         x2, x3, y], …], 1 to {max_rows}) for a table of your own: the `train --json` object plus \
         `snapshots` at K log-spaced iterations (0 and N included). Bounds per request: {bounds}, body \
         ≤ {body} KiB (413 above). Bad input: 400 with {{\"error\": \"…\"}}, the CLI's message.\n\n\
         Limits per connection, against clients slow, broken or hostile: at most {connections} \
         connections at once (503 beyond); {trainers} runs train at once, and a request waits for a \
         trainer for {queue} at most (503 after); a request's head ≤ {head} KiB and {headers} header \
         lines (431 above); body ≤ {body} KiB as read (413); the whole request within {deadline} of its \
         first byte (408 after); an idle connection closed after {idle}; a connection that leaves an \
         unread answer for {write} is closed. Only requests whose Host is localhost, a loopback address \
         or --host are answered (400 otherwise: no other site's page can use the server); a --host other \
         than loopback prints a warning. Ctrl-C (or SIGTERM) stops the server: the requests already sent \
         are answered, or refused with 503, within {stop} of Ctrl-C.",
        query = crate::request::query_help(),
        max_rows = perceptron::MAX_ROWS,
        bounds = crate::request::limits::help(),
        body = MAX_BODY / 1024,
        connections = MAX_CONNECTIONS,
        trainers = TRAINERS,
        queue = secs(QUEUE_LIMIT),
        head = MAX_HEAD / 1024,
        headers = MAX_HEADERS,
        deadline = secs(REQUEST_DEADLINE),
        idle = secs(IDLE_LIMIT),
        write = secs(WRITE_LIMIT),
        stop = secs(STOP_LIMIT),
    )
}

/// What every connection shares: the bound address (for the `Host` check),
/// the trainers, and whether the server is stopping.
pub struct Shared {
    bound: SocketAddr,
    trainers: Arc<Semaphore>,
    stopping: watch::Receiver<bool>,
}

/// Runs `serve` until SIGINT or SIGTERM (exit code `128 + signal`).
///
/// # Errors
/// The address cannot be bound (e.g. the port is in use), one line; the
/// runtime cannot start.
pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let address = SocketAddr::new(args.host, args.port);
    let listener = std::net::TcpListener::bind(address)
        .with_context(|| format!("cannot listen on {address} (choose another --port, or --port 0 for a free one)"))?;
    let bound = listener.local_addr().context("reading the bound address")?;
    listener.set_nonblocking(true).context("setting the listener non-blocking")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(IO_THREADS)
        .enable_io()
        .enable_time()
        .max_blocking_threads(TRAINERS)
        .build()
        .context("starting the server's runtime")?;
    crate::interrupt::catch()?;
    if !args.host.is_loopback() {
        stderr_line(&format!(
            "warning: serving on {bound}, which other machines can reach; the lab has no login, so anyone \
             who reaches this address can use it (--host 127.0.0.1 keeps it to this machine)"
        ));
    }
    print_stdout(&format!("serving the lab at http://{bound}/ (Ctrl-C stops)\n"))?;
    let signal = runtime.block_on(accept_until_stopped(listener, bound))?;
    // Runs still training after STOP_LIMIT are not waited for.
    runtime.shutdown_background();
    Ok(ExitCode::from(u8::try_from(128 + signal).unwrap_or(1)))
}

/// Accepts connections until a signal, then lets the open ones finish (at
/// most [`STOP_LIMIT`]); returns the signal.
async fn accept_until_stopped(listener: std::net::TcpListener, bound: SocketAddr) -> Result<i32> {
    let listener = TcpListener::from_std(listener).context("registering the listener")?;
    let (stop, stopping) = watch::channel(false);
    let shared = Arc::new(Shared { bound, trainers: Arc::new(Semaphore::new(TRAINERS)), stopping });
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let admit = |stream: TcpStream| match Arc::clone(&slots).try_acquire_owned() {
        Ok(slot) => drop(tokio::spawn(conn::serve(stream, slot, Arc::clone(&shared)))),
        Err(_) => match Arc::clone(&refusing).try_acquire_owned() {
            Ok(permit) => drop(tokio::spawn(conn::refuse(stream, permit))),
            Err(_) => drop(stream),
        },
    };
    let mut ticks = tokio::time::interval(SIGNAL_POLL);
    let mut accept_failures = 0u64;
    let signal = loop {
        let event = std::future::poll_fn(|cx| {
            if let Poll::Ready(accepted) = listener.poll_accept(cx) {
                return Poll::Ready(Some(accepted));
            }
            ticks.poll_tick(cx).map(|_| None)
        })
        .await;
        match event {
            Some(Ok((stream, _))) => admit(stream),
            Some(Err(e)) => {
                // E.g. EMFILE: the connections in progress end and free descriptors.
                accept_failures += 1;
                if accept_failures.is_power_of_two() {
                    stderr_line(&format!(
                        "serve: cannot accept a connection ({e}); retrying every {} ms ({accept_failures} failures so far)",
                        ACCEPT_RETRY.as_millis()
                    ));
                }
                tokio::time::sleep(ACCEPT_RETRY).await;
            }
            None => {
                if let Err(stopped) = crate::interrupt::check(false) {
                    break stopped.signal;
                }
            }
        }
    };
    let _ = stop.send(true);
    // The connections the kernel has already accepted hold requests sent before
    // the signal: take them too, then close the listener.
    while let Some(stream) = std::future::poll_fn(|cx| {
        Poll::Ready(match listener.poll_accept(cx) {
            Poll::Ready(Ok((stream, _))) => Some(stream),
            _ => None,
        })
    })
    .await
    {
        admit(stream);
    }
    drop(listener);
    let _ = tokio::time::timeout(STOP_LIMIT, slots.acquire_many(MAX_CONNECTIONS as u32)).await;
    Ok(signal)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `serve --help` and docs/SERVE.md state the limits that these constants set.
    #[test]
    fn help_and_docs_state_the_limits() {
        let mut command = crate::cli::command("");
        let help = command.find_subcommand_mut("serve").unwrap().render_long_help().to_string().replace('\n', " ");
        let docs = include_str!("../../../docs/SERVE.md").replace('\n', " ");
        let secs = |d: Duration| format!("{} s", d.as_secs());
        let limits = [
            format!("{MAX_CONNECTIONS} connections"),
            format!("{TRAINERS} runs train at once"),
            format!("head ≤ {} KiB", MAX_HEAD / 1024),
            format!("{MAX_HEADERS} header lines"),
            format!("body ≤ {} KiB", MAX_BODY / 1024),
            format!("whole request within {}", secs(REQUEST_DEADLINE)),
            format!("idle connection closed after {}", secs(IDLE_LIMIT)),
            format!("unread answer for {}", secs(WRITE_LIMIT)),
            format!("a trainer for {}", secs(QUEUE_LIMIT)),
            format!("within {} of Ctrl-C", secs(STOP_LIMIT)),
        ];
        let api = [
            format!("iterations ≤ {}", crate::request::limits::MAX_ITERATIONS),
            format!("hidden ≤ {}", crate::request::limits::MAX_HIDDEN),
            format!(
                "snapshots in 2..={} (default {})",
                crate::request::limits::MAX_SNAPSHOTS,
                crate::request::limits::DEFAULT_SNAPSHOTS
            ),
        ];
        for bound in api {
            assert!(help.contains(&bound), "{bound:?} not in serve --help:\n{help}");
            assert!(docs.contains(&bound), "{bound:?} not in docs/SERVE.md");
        }
        for limit in limits {
            assert!(help.contains(&limit), "{limit:?} not in serve --help:\n{help}");
            assert!(docs.contains(&limit), "{limit:?} not in docs/SERVE.md");
        }
    }
}
