//! A request's body: read as it comes, never more than [`MAX_BODY`] bytes kept
//! (whatever `Content-Length` claims, nothing is allocated from the claim),
//! complete before the request's deadline, and refused unless whole. And the
//! one check on its JSON that `serde_json` does not make: a key given twice
//! (the query refuses `seed=1&seed=2` the same way).

use std::collections::HashSet;
use std::fmt;

use hyper::body::{Body, Incoming};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use tokio::time::Instant;

use super::{MAX_BODY, REQUEST_DEADLINE};

/// Why a body was refused: the status and the one-line message.
#[derive(Debug)]
pub struct Refusal(pub u16, pub String);

/// 413 for a body larger than [`MAX_BODY`].
fn too_large() -> Refusal {
    Refusal(413, format!("the body is larger than {MAX_BODY} bytes; a table of 16 rows takes a few hundred"))
}

/// The whole body, at most [`MAX_BODY`] bytes, by `deadline`.
///
/// # Errors
/// 413: `claimed` (the `Content-Length`) or the bytes read exceed
/// [`MAX_BODY`]; 408: the body is not complete by `deadline`; 400: it ends
/// before its `Content-Length`, or cannot be read.
pub async fn read(mut body: Incoming, claimed: Option<u64>, deadline: Instant) -> Result<Vec<u8>, Refusal> {
    if claimed.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx));
        match tokio::time::timeout_at(deadline, frame).await {
            Err(_) => {
                let expected = claimed.map_or(String::new(), |n| format!(" of {n}"));
                return Err(Refusal(
                    408,
                    format!(
                        "the request was not complete within {} s of its first byte ({}{expected} bytes of the body came); send it whole",
                        REQUEST_DEADLINE.as_secs(),
                        bytes.len()
                    ),
                ));
            }
            Ok(None) => return Ok(bytes),
            Ok(Some(Err(e))) if ended_early(&e) => {
                let expected = claimed.map_or(String::new(), |n| format!(", not the {n} its Content-Length says"));
                return Err(Refusal(
                    400,
                    format!("the body ended after {} bytes{expected}; nothing was trained", bytes.len()),
                ));
            }
            Ok(Some(Err(e))) => return Err(Refusal(400, format!("cannot read the body: {e}"))),
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    if bytes.len() + data.len() > MAX_BODY {
                        return Err(too_large());
                    }
                    bytes.extend_from_slice(&data);
                }
            }
        }
    }
}

/// The connection ended before the body's `Content-Length` (hyper's body
/// error is caused by an `UnexpectedEof`).
fn ended_early(error: &hyper::Error) -> bool {
    let cause = std::error::Error::source(error).and_then(|cause| cause.downcast_ref::<std::io::Error>());
    cause.is_some_and(|io| io.kind() == std::io::ErrorKind::UnexpectedEof)
}

/// The first key that a JSON object gives twice at its top level, if any
/// (`None` also for a body that is not a JSON object: the API says what it expects).
pub fn repeated_key(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Repeated>(body).ok().and_then(|r| r.0)
}

/// An object's first repeated key, its values skipped.
struct Repeated(Option<String>);

impl<'de> Deserialize<'de> for Repeated {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Repeated, D::Error> {
        deserializer.deserialize_map(Keys)
    }
}

struct Keys;

impl<'de> Visitor<'de> for Keys {
    type Value = Repeated;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Repeated, A::Error> {
        let mut seen = HashSet::new();
        let mut repeated = None;
        // Every entry is read, so that serde_json sees the object's end.
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            if !seen.insert(key.clone()) && repeated.is_none() {
                repeated = Some(key);
            }
        }
        Ok(Repeated(repeated))
    }
}

#[cfg(test)]
mod tests {
    use super::repeated_key;

    #[test]
    fn a_key_given_twice_is_found_at_the_top_level_only() {
        assert_eq!(repeated_key(br#"{"seed": 1, "hidden": 2, "seed": 2}"#), Some("seed".to_owned()));
        assert_eq!(repeated_key(br#"{"rows": [[0,0,1,0]], "rows": []}"#), Some("rows".to_owned()));
        assert_eq!(repeated_key(br#"{"seed": 1, "predict": {"a": 1, "a": 2}}"#), None);
        assert_eq!(repeated_key(br#"{"seed": 1}"#), None);
        for not_an_object in [&b"[1, 2]"[..], b"", b"{", b"null", br#"{"a": 1} x"#] {
            assert_eq!(repeated_key(not_an_object), None);
        }
    }
}
