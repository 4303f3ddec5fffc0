//! The transport's single error type.
//!
//! Failures are sorted by *when* they happened, because that is what decides
//! whether a retry is safe: an error before any request byte reached the wire
//! ([`Error::is_connect`]) can always be retried, an error after that may mean
//! the server already acted on the request.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

/// A boxed error used as the `source` of [`Error`] variants.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Everything that can go wrong while sending a request or reading a response.
///
/// Messages name what failed and where (`connect to 127.0.0.1:9 failed:
/// connection refused`) but never include request headers, request bodies,
/// query strings or proxy credentials, so they are safe to log.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request URI cannot be sent: no scheme or host, an unsupported
    /// scheme, or plain `http` while the transport is `https_only`.
    InvalidUri {
        /// The URI with credentials and query removed.
        uri: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The transport was configured with settings that cannot work, such as a
    /// root certificate that does not parse.
    Config {
        /// What is wrong.
        message: String,
    },
    /// Opening the TCP connection failed (DNS failure, refused, unreachable).
    /// No request byte was sent.
    Connect {
        /// The `host:port` that was dialled (the proxy's, when one is used).
        addr: String,
        /// The underlying failure, usually an [`std::io::Error`].
        source: BoxError,
    },
    /// Establishing the connection (TCP, proxy tunnel and TLS handshake
    /// together) took longer than the configured connect timeout.
    /// No request byte was sent.
    ConnectTimeout {
        /// The destination `host:port`, followed by `via proxy …` when a
        /// proxy is used.
        addr: String,
        /// The connect timeout that elapsed.
        timeout: Duration,
    },
    /// The TLS handshake failed: untrusted or invalid certificate, protocol
    /// mismatch, or the peer closed the connection mid-handshake.
    /// No request byte was sent.
    Tls {
        /// The server name that was being verified.
        host: String,
        /// The underlying failure; a [`rustls::Error`] is somewhere in the
        /// chain when the peer or its certificate was rejected.
        source: BoxError,
    },
    /// The proxy is misconfigured or refused to open a tunnel.
    /// No request byte was sent to the destination.
    Proxy {
        /// The proxy URI with credentials redacted.
        proxy: String,
        /// What went wrong.
        reason: String,
        /// The underlying failure, if any.
        source: Option<BoxError>,
    },
    /// The request could not be completed after the connection was
    /// established: the connection was closed or reset before the response
    /// headers arrived, or the request body stream failed. The server may have
    /// received part or all of the request.
    Request {
        /// The underlying failure, usually a [`hyper::Error`].
        source: BoxError,
    },
    /// The peer violated the HTTP protocol (unparsable response, HTTP/2
    /// protocol error).
    Protocol {
        /// The underlying failure, usually a [`hyper::Error`].
        source: BoxError,
    },
    /// No bytes of the response body arrived for this long.
    IdleTimeout {
        /// The idle-read timeout that elapsed.
        timeout: Duration,
    },
    /// The response body was larger than the limit given to
    /// [`Body::collect_limited`](crate::Body::collect_limited).
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Reading the response body failed, for example because the connection
    /// was reset mid-body.
    Body {
        /// The underlying failure.
        source: BoxError,
    },
}

impl Error {
    /// `true` when the failure happened while establishing the connection
    /// (TCP, proxy tunnel, TLS), so no byte of the request was sent and
    /// retrying cannot duplicate it.
    pub fn is_connect(&self) -> bool {
        matches!(
            self,
            Error::Connect { .. }
                | Error::ConnectTimeout { .. }
                | Error::Tls { .. }
                | Error::Proxy { .. }
        )
    }

    /// `true` for [`Error::ConnectTimeout`] and [`Error::IdleTimeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::ConnectTimeout { .. } | Error::IdleTimeout { .. }
        )
    }

    /// `true` for [`Error::Tls`].
    pub fn is_tls(&self) -> bool {
        matches!(self, Error::Tls { .. })
    }

    /// `true` for [`Error::Proxy`].
    pub fn is_proxy(&self) -> bool {
        matches!(self, Error::Proxy { .. })
    }

    /// `true` when the failure happened while reading a response body
    /// ([`Error::Body`], [`Error::IdleTimeout`], [`Error::BodyTooLarge`]):
    /// the status and headers were already delivered.
    pub fn is_body(&self) -> bool {
        matches!(
            self,
            Error::Body { .. } | Error::IdleTimeout { .. } | Error::BodyTooLarge { .. }
        )
    }

    /// A hint that the failure is transient, so the same request may succeed
    /// if sent again.
    ///
    /// * Connect-phase failures ([`is_connect`](Self::is_connect)) are
    ///   retryable and always *safe* to retry, except certificate and TLS
    ///   protocol rejections (a [`rustls::Error`] in the chain) and proxy
    ///   refusals, which will fail the same way again.
    /// * [`Error::Request`] caused by the connection closing or resetting (not
    ///   by a failing request body stream) and
    ///   [`Error::Body`] / [`Error::IdleTimeout`] are retryable, **but the
    ///   server may already have processed the request**: retry only requests
    ///   whose duplication is acceptable (the caller decides; this crate does
    ///   not know the request's semantics).
    /// * Invalid input, configuration, protocol violations and
    ///   [`Error::BodyTooLarge`] are not retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect { .. } | Error::ConnectTimeout { .. } => true,
            Error::Tls { source, .. } => find_source::<rustls::Error>(source.as_ref()).is_none(),
            Error::Proxy { source, .. } => source
                .as_deref()
                .is_some_and(|s| find_source::<io::Error>(s).is_some()),
            Error::Request { source } => {
                match find_source::<hyper::Error>(source.as_ref()) {
                    // The caller's request body failed: not a network fault,
                    // and a streaming body cannot be sent twice anyway.
                    Some(h) if h.is_user() => false,
                    Some(h) if h.is_closed() || h.is_canceled() || h.is_incomplete_message() => {
                        true
                    }
                    _ => find_source::<io::Error>(source.as_ref()).is_some(),
                }
            }
            Error::Body { .. } | Error::IdleTimeout { .. } => true,
            Error::InvalidUri { .. }
            | Error::Config { .. }
            | Error::Protocol { .. }
            | Error::BodyTooLarge { .. } => false,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    // What failed at this level only: the cause is `source()`, so a report
    // that walks the chain prints it once.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUri { uri, reason } => write!(f, "invalid request URI `{uri}`: {reason}"),
            Error::Config { message } => write!(f, "invalid transport configuration: {message}"),
            Error::Connect { addr, .. } => write!(f, "connect to {addr} failed"),
            Error::ConnectTimeout { addr, timeout } => {
                write!(f, "connect to {addr} timed out after {timeout:?}")
            }
            Error::Tls { host, .. } => write!(f, "TLS handshake with {host} failed"),
            Error::Proxy { proxy, reason, .. } => write!(f, "proxy {proxy}: {reason}"),
            Error::Request { .. } => f.write_str("sending the request failed"),
            Error::Protocol { .. } => f.write_str("HTTP protocol error"),
            Error::IdleTimeout { timeout } => {
                write!(f, "no response body data received for {timeout:?}")
            }
            Error::BodyTooLarge { limit } => {
                write!(f, "response body exceeds the limit of {limit} bytes")
            }
            Error::Body { .. } => f.write_str("reading the response body failed"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Connect { source, .. }
            | Error::Tls { source, .. }
            | Error::Request { source }
            | Error::Protocol { source }
            | Error::Body { source } => Some(source.as_ref()),
            Error::Proxy { source, .. } => source.as_deref().map(|s| s as _),
            Error::InvalidUri { .. }
            | Error::Config { .. }
            | Error::ConnectTimeout { .. }
            | Error::IdleTimeout { .. }
            | Error::BodyTooLarge { .. } => None,
        }
    }
}

/// Walks the `source` chain (looking inside [`io::Error`] wrappers too, whose
/// `source()` skips the wrapped error) for an error of type `T`.
pub(crate) fn find_source<'a, T: StdError + 'static>(
    err: &'a (dyn StdError + 'static),
) -> Option<&'a T> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    // Bounded so that a cyclic chain cannot hang us.
    for _ in 0..32 {
        let e = current?;
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = match e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    None
}

/// A short human description of the root cause of `err`: a TLS error's own
/// message, or an I/O error's kind (`connection refused`), falling back to
/// the innermost message.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_message_names_address_and_cause() {
        let err = Error::Connect {
            addr: "127.0.0.1:9".into(),
            source: Box::new(io::Error::from(io::ErrorKind::ConnectionRefused)),
        };
        assert_eq!(err.to_string(), "connect to 127.0.0.1:9 failed");
        let cause = StdError::source(&err).expect("the cause");
        assert_eq!(cause.to_string(), "connection refused");
        assert!(err.is_connect() && err.is_retryable() && !err.is_body());
    }

    #[test]
    fn find_source_looks_inside_io_errors() {
        let tls = rustls::Error::General("bad".into());
        let wrapped = io::Error::other(io::Error::new(io::ErrorKind::InvalidData, tls));
        let err = Error::Tls {
            host: "example.com".into(),
            source: Box::new(wrapped),
        };
        assert!(find_source::<rustls::Error>(&err).is_some());
        assert!(
            !err.is_retryable(),
            "certificate-style failures do not heal"
        );
        assert!(err.to_string().contains("example.com"));
    }

    #[test]
    fn body_errors_are_classified() {
        let too_large = Error::BodyTooLarge { limit: 10 };
        assert!(too_large.is_body() && !too_large.is_retryable());
        let idle = Error::IdleTimeout {
            timeout: Duration::from_millis(200),
        };
        assert!(idle.is_body() && idle.is_timeout() && idle.is_retryable());
    }
}
