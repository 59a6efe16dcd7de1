//! The `Host` check, against DNS rebinding: a page on another site can make
//! the browser send requests to 127.0.0.1 under its own name
//! (`evil.example` resolving to 127.0.0.1), and read the answers as its own.
//! The server answers only requests that name it: `localhost` (or a name
//! under `.localhost`, which resolves to loopback by definition), a loopback
//! IP literal, or the address it is bound to (any IP literal when bound to
//! every interface, 0.0.0.0 or ::). A name is never accepted from another
//! site, since rebinding needs a name; an IP literal cannot be rebound. The
//! port is not checked: a forwarded port (`ssh -L 9000:localhost:8000`)
//! names another one.

use std::net::IpAddr;

/// Ok if `host` (the request's `Host` header, or the authority of an
/// absolute-form target) names this server, bound to `bound`.
///
/// # Errors
/// The one-line refusal: the name, and the names accepted.
pub fn check(host: Option<&str>, bound: IpAddr) -> Result<(), String> {
    let Some(host) = host else {
        return Err("the request has no Host header; HTTP/1.1 requires one, e.g. Host: 127.0.0.1:8000".to_owned());
    };
    let name = name(host).to_ascii_lowercase();
    let ip = name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok();
    let accepted = match ip {
        Some(ip) => ip.is_loopback() || ip == bound || bound.is_unspecified(),
        None => name == "localhost" || name.ends_with(".localhost"),
    };
    if accepted {
        return Ok(());
    }
    let also = if bound.is_loopback() { String::new() } else { format!(", {bound}") };
    Err(format!(
        "the Host '{}' is not this server's name; it answers to localhost, 127.0.0.1 or [::1]{also} (a page of another site cannot use it)",
        crate::error::cut(host)
    ))
}

/// `host` without its port: `[::1]:8000` → `[::1]`, `localhost:8000` → `localhost`.
fn name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::check;
    use std::net::IpAddr;

    #[test]
    fn loopback_names_and_the_bound_address_only() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for host in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "lab.localhost:1", "[::1]:8000", "127.1.2.3"] {
            assert_eq!(check(Some(host), loopback), Ok(()), "{host}");
        }
        for host in ["evil.example:8000", "evil.example", "localhost.evil.example", "192.168.1.5:8000", "[::2]", ""] {
            assert!(check(Some(host), loopback).is_err(), "{host}");
        }
        assert!(check(None, loopback).unwrap_err().contains("no Host header"));
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert_eq!(check(Some("192.168.1.5:8000"), lan), Ok(()));
        assert!(check(Some("192.168.1.6:8000"), lan).unwrap_err().contains(", 192.168.1.5 ("));
        let every: IpAddr = "0.0.0.0".parse().unwrap();
        assert_eq!(check(Some("10.0.0.7:8000"), every), Ok(()));
        assert!(check(Some("mybox.example:8000"), every).is_err());
    }
}
