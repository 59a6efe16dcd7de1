//! One connection: hyper's HTTP/1.1 on the socket, with the server's time
//! limits kept here, at the socket, where a client cannot talk its way past them.
//!
//! A connection is in one of three phases ([`Clock`]):
//! - idle: no byte of a request yet; closed after [`IDLE_LIMIT`] (quietly:
//!   a browser opens another);
//! - head: a request's first byte has come; its head must be complete within
//!   [`REQUEST_DEADLINE`] of it, else a 408 is written and the connection closed
//!   (the body's share of the same deadline is [`crate::serve::body::read`]'s);
//! - busy: the request is being answered; no read limit (the answer may wait
//!   for a trainer), and a write that waits more than [`WRITE_LIMIT`] for the
//!   client to read closes the connection.
//!
//! Every socket ends with a lingering close: the server's side is shut down,
//! then what the client still sends is read and dropped (at most [`LINGER`]),
//! so that a refusal sent before the request was read (a 413, a 408, a 503)
//! reaches the client instead of being destroyed by a reset.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use tokio::io::AsyncWrite;
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};

use super::routes;
use super::{IDLE_LIMIT, MAX_HEAD, MAX_HEADERS, REQUEST_DEADLINE, Shared, WRITE_LIMIT};

/// After SIGINT or SIGTERM, how long an idle connection stays open for the
/// first bytes of a request already sent.
const STOP_GRACE: Duration = Duration::from_millis(200);
/// How long a closing socket reads what the client still sends.
const LINGER: Duration = Duration::from_secs(1);
/// The most bytes a closing socket reads and drops.
const LINGER_BYTES: usize = 256 * 1024;

/// Serves one accepted connection until it closes; `slot` is its place among
/// [`super::MAX_CONNECTIONS`], given back when its socket is closed.
pub async fn serve(stream: TcpStream, slot: OwnedSemaphorePermit, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let clock = Arc::new(Clock::new());
    let io = Guarded::new(stream, Arc::clone(&clock), slot);
    let watch = Arc::clone(&clock);
    let mut stopping = shared.stopping.clone();
    let service = service_fn(move |request| {
        let (shared, clock) = (Arc::clone(&shared), Arc::clone(&clock));
        async move { Ok::<_, Infallible>(routes::answer(request, &shared, &clock).await) }
    });
    let mut builder = http1::Builder::new();
    builder
        .max_buf_size(MAX_HEAD)
        .max_headers(MAX_HEADERS)
        // A client that shuts its side after sending still gets its answer.
        .half_close(true);
    let mut connection = std::pin::pin!(builder.serve_connection(io, service));
    // The stop: SIGINT or SIGTERM seen, then STOP_GRACE for a request already
    // sent to show its first bytes.
    let mut stop = std::pin::pin!(async move {
        let _ = stopping.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(STOP_GRACE).await;
    });
    let mut stopped = false;
    // A client that goes away, or sends what is not HTTP/1, is no failure of the server's.
    let _ = std::future::poll_fn(|cx| {
        let result = connection.as_mut().poll(cx);
        // Idle: closed now; a request begun: closed once it is answered. A
        // request's head still coming is waited for (its deadline applies).
        if result.is_pending()
            && !stopped
            && !matches!(watch.phase(), Phase::Head(_))
            && stop.as_mut().poll(cx).is_ready()
        {
            stopped = true;
            connection.as_mut().graceful_shutdown();
            return connection.as_mut().poll(cx);
        }
        result
    })
    .await;
}

/// Answers a connection beyond [`super::MAX_CONNECTIONS`] with 503 and closes it.
pub async fn refuse(stream: TcpStream, permit: OwnedSemaphorePermit) {
    let body = routes::error_json(&format!(
        "the server is serving {} connections, its limit; try again in a moment",
        super::MAX_CONNECTIONS
    ));
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nretry-after: 1\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(LINGER, write_all(&stream, answer.as_bytes())).await;
    linger(stream, permit).await;
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Shuts the server's side, reads and drops what the client still sends (at
/// most [`LINGER`] and [`LINGER_BYTES`]), then closes; `slot` is then free.
async fn linger(mut stream: TcpStream, slot: OwnedSemaphorePermit) {
    let drain = async {
        std::future::poll_fn(|cx| Pin::new(&mut stream).poll_shutdown(cx)).await?;
        let mut buffer = [0u8; 8192];
        let mut left = LINGER_BYTES;
        while left > 0 {
            stream.readable().await?;
            match stream.try_read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => left = left.saturating_sub(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        io::Result::Ok(())
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
    drop(stream);
    drop(slot);
}

/// Where a connection is in its request cycle; see the module's doc.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Waiting for a request since this instant.
    Idle(Instant),
    /// A request's first byte came at this instant.
    Head(Instant),
    /// A request is being answered.
    Busy,
}

/// A connection's phase, shared by its socket ([`Guarded`]) and the answers
/// ([`routes::answer`] calls [`Clock::begin`] and [`Clock::end`]).
#[derive(Debug)]
pub struct Clock(Mutex<Phase>);

impl Clock {
    fn new() -> Clock {
        Clock(Mutex::new(Phase::Idle(Instant::now())))
    }

    fn phase(&self) -> Phase {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set(&self, phase: Phase) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = phase;
    }

    /// Bytes came in: an idle connection's request has begun.
    fn received(&self) {
        if let Phase::Idle(_) = self.phase() {
            self.set(Phase::Head(Instant::now()));
        }
    }

    /// A request's head is complete: returns its deadline (from its first
    /// byte, or now for a request that was read whole with the previous one).
    pub fn begin(&self) -> Instant {
        let first_byte = match self.phase() {
            Phase::Head(at) => at,
            _ => Instant::now(),
        };
        self.set(Phase::Busy);
        first_byte + REQUEST_DEADLINE
    }

    /// The request is answered: the connection waits for the next.
    pub fn end(&self) {
        self.set(Phase::Idle(Instant::now()));
    }
}

/// The socket as hyper sees it, with the read and write limits of the
/// connection's phase. Dropped, it closes with a [`linger`].
struct Guarded {
    stream: Option<TcpStream>,
    clock: Arc<Clock>,
    slot: Option<OwnedSemaphorePermit>,
    read_timer: Pin<Box<Sleep>>,
    write_timer: Pin<Box<Sleep>>,
    /// Since when the client has not taken what the server writes.
    write_blocked: Option<Instant>,
}

impl Guarded {
    fn new(stream: TcpStream, clock: Arc<Clock>, slot: OwnedSemaphorePermit) -> Guarded {
        let far = Instant::now() + Duration::from_secs(86_400);
        Guarded {
            stream: Some(stream),
            clock,
            slot: Some(slot),
            read_timer: Box::pin(tokio::time::sleep_until(far)),
            write_timer: Box::pin(tokio::time::sleep_until(far)),
            write_blocked: None,
        }
    }

    fn stream(&self) -> io::Result<&TcpStream> {
        self.stream.as_ref().ok_or_else(|| io::Error::from(io::ErrorKind::NotConnected))
    }

    /// Ready once `deadline` has passed; otherwise the timer wakes the task then.
    fn expired(timer: &mut Pin<Box<Sleep>>, deadline: Instant, cx: &mut Context<'_>) -> bool {
        if timer.deadline() != deadline {
            timer.as_mut().reset(deadline);
        }
        timer.as_mut().poll(cx).is_ready()
    }
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, what.to_owned())
}

impl hyper::rt::Read for Guarded {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let mut bytes = [0u8; 8192];
        let room = buf.remaining().min(bytes.len());
        loop {
            let stream = self.stream()?;
            match stream.poll_read_ready(cx) {
                Poll::Ready(Ok(())) => match stream.try_read(&mut bytes[..room]) {
                    Ok(n) => {
                        if n > 0 {
                            self.clock.received();
                        }
                        buf.put_slice(&bytes[..n]);
                        return Poll::Ready(Ok(()));
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    Err(e) => return Poll::Ready(Err(e)),
                },
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => break,
            }
        }
        let this = &mut *self;
        match this.clock.phase() {
            Phase::Busy => Poll::Pending,
            Phase::Idle(since) => {
                if Guarded::expired(&mut this.read_timer, since + IDLE_LIMIT, cx) {
                    Poll::Ready(Err(timed_out("idle for too long")))
                } else {
                    Poll::Pending
                }
            }
            Phase::Head(since) => {
                if !Guarded::expired(&mut this.read_timer, since + REQUEST_DEADLINE, cx) {
                    return Poll::Pending;
                }
                // hyper is waiting for a head, so it writes nothing now; unless an
                // earlier answer is still stuck in the socket, say why it closes.
                if this.write_blocked.is_none()
                    && let Some(stream) = &this.stream
                {
                    let _ = stream.try_write(routes::request_timeout().as_bytes());
                }
                Poll::Ready(Err(timed_out("the request's head did not arrive in time")))
            }
        }
    }
}

impl hyper::rt::Write for Guarded {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        loop {
            let stream = self.stream()?;
            match stream.poll_write_ready(cx) {
                Poll::Ready(Ok(())) => match stream.try_write(buf) {
                    Ok(n) => {
                        self.write_blocked = None;
                        return Poll::Ready(Ok(n));
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    Err(e) => return Poll::Ready(Err(e)),
                },
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => break,
            }
        }
        let this = &mut *self;
        let since = *this.write_blocked.get_or_insert_with(Instant::now);
        if Guarded::expired(&mut this.write_timer, since + WRITE_LIMIT, cx) {
            Poll::Ready(Err(timed_out("the client did not read its answer")))
        } else {
            Poll::Pending
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The lingering close on drop shuts the socket down.
        Poll::Ready(Ok(()))
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        if let (Some(stream), Some(slot)) = (self.stream.take(), self.slot.take())
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            drop(runtime.spawn(linger(stream, slot)));
        }
    }
}
