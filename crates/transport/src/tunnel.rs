//! HTTP `CONNECT` tunnelling through a proxy.
//!
//! hyper-util has a `Tunnel` connector, but its error type is not nameable
//! from outside the crate, so the proxy's answer (e.g. `403 Forbidden`) could
//! not be reported. The handshake is small enough to do here.

use http::header::HeaderValue;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The most we read of the proxy's response head before giving up.
const MAX_RESPONSE_HEAD: usize = 16 * 1024;

/// Why the proxy did not open a tunnel.
#[derive(Debug)]
pub(crate) enum TunnelError {
    Io(std::io::Error),
    /// The proxy answered with a non-2xx status.
    Refused {
        status: u16,
        reason: String,
    },
    Eof,
    Malformed,
    TooLong,
    /// Bytes arrived after the response head, before we sent anything: not a
    /// well-behaved tunnel, and TLS would be corrupted by them.
    UnexpectedData,
}

impl TunnelError {
    /// The I/O failure behind this error, if it was one.
    pub(crate) fn into_io(self) -> Option<std::io::Error> {
        match self {
            TunnelError::Io(err) => Some(err),
            _ => None,
        }
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            TunnelError::Io(_) => "I/O error during the CONNECT request".to_owned(),
            TunnelError::Refused { status: 407, .. } => {
                "proxy authentication required (407) for the CONNECT request".to_owned()
            }
            TunnelError::Refused { status, reason } => {
                format!("the proxy refused the CONNECT request with {status} {reason}")
            }
            TunnelError::Eof => "the proxy closed the connection during CONNECT".to_owned(),
            TunnelError::Malformed => "the proxy's CONNECT response is not HTTP".to_owned(),
            TunnelError::TooLong => "the proxy's CONNECT response head is too long".to_owned(),
            TunnelError::UnexpectedData => {
                "the proxy sent data after its CONNECT response".to_owned()
            }
        }
    }
}

impl std::fmt::Display for TunnelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl std::error::Error for TunnelError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TunnelError::Io(err) => Some(err),
            _ => None,
        }
    }
}

/// Asks the proxy at the other end of `tcp` to open a tunnel to
/// `host:port`; on success the stream carries bytes to and from the target.
pub(crate) async fn connect(
    mut tcp: TcpStream,
    host: &str,
    port: u16,
    auth: Option<&HeaderValue>,
) -> Result<TcpStream, TunnelError> {
    let mut head =
        format!("CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n").into_bytes();
    if let Some(auth) = auth {
        head.extend_from_slice(b"Proxy-Authorization: ");
        head.extend_from_slice(auth.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    tcp.write_all(&head).await.map_err(TunnelError::Io)?;

    let mut buf = Vec::with_capacity(512);
    let end = loop {
        let mut chunk = [0u8; 1024];
        let n = tcp.read(&mut chunk).await.map_err(TunnelError::Io)?;
        if n == 0 {
            return Err(TunnelError::Eof);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = find_head_end(&buf) {
            break pos;
        }
        if buf.len() > MAX_RESPONSE_HEAD {
            return Err(TunnelError::TooLong);
        }
    };
    // The status decides first: a refusal often comes with its body in the
    // same read (a 407 page), and that body is not the tunnel's business.
    let (status, reason) = parse_status_line(&buf[..end])?;
    if !(200..300).contains(&status) {
        return Err(TunnelError::Refused { status, reason });
    }
    if end != buf.len() {
        return Err(TunnelError::UnexpectedData);
    }
    Ok(tcp)
}

/// The index just past the blank line ending the response head.
fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

fn parse_status_line(head: &[u8]) -> Result<(u16, String), TunnelError> {
    let line_end = head
        .windows(2)
        .position(|w| w == b"\r\n")
        .ok_or(TunnelError::Malformed)?;
    let line = std::str::from_utf8(&head[..line_end]).map_err(|_| TunnelError::Malformed)?;
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(TunnelError::Malformed);
    }
    let status = parts
        .next()
        .filter(|s| s.len() == 3)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or(TunnelError::Malformed)?;
    // The reason phrase is echoed in errors; keep it short and printable.
    let reason: String = parts
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    Ok((status, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_lines() {
        assert_eq!(
            parse_status_line(b"HTTP/1.1 200 Connection established\r\n\r\n").unwrap(),
            (200, "Connection established".to_owned())
        );
        assert_eq!(parse_status_line(b"HTTP/1.0 403\r\n\r\n").unwrap().0, 403);
        assert!(matches!(
            parse_status_line(b"SSH-2.0-x\r\n\r\n"),
            Err(TunnelError::Malformed)
        ));
        assert!(matches!(
            parse_status_line(b"HTTP/1.1 2000 x\r\n"),
            Err(TunnelError::Malformed)
        ));
        assert!(matches!(
            parse_status_line(b"HTTP/1.1 200"),
            Err(TunnelError::Malformed)
        ));
    }

    #[test]
    fn finds_the_end_of_the_head() {
        assert_eq!(find_head_end(b"HTTP/1.1 200 OK\r\n\r\n"), Some(19));
        assert_eq!(find_head_end(b"HTTP/1.1 200 OK\r\n"), None);
    }
}
