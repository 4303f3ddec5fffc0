//! The settings of the built-in transport that [`ClientBuilder`] takes
//! (connect timeout, proxy, extra roots), so that users need not build a
//! transport of their own for them.
//!
//! [`ClientBuilder`]: crate::ClientBuilder

use std::time::Duration;

use claude_rs_transport::{HttpTransport, Proxy};

use crate::core::config::DEFAULT_CONNECT_TIMEOUT;
use crate::core::error::{ConfigKind, Error};

/// What the client builder collected for the built-in [`HttpTransport`].
#[derive(Debug)]
pub(crate) struct TransportSettings {
    builder: claude_rs_transport::Builder,
    /// The first setting that cannot work (an unparsable proxy), reported
    /// by `build` so the builder's methods stay infallible.
    invalid: Option<(&'static str, claude_rs_transport::Error)>,
    /// The settings given explicitly, by method name: a custom transport
    /// could not honour them, so `build` refuses them together.
    explicit: Vec<&'static str>,
}

impl Default for TransportSettings {
    fn default() -> Self {
        Self {
            // The client's own deadlines replace the transport's read idle
            // timeout (see `ClientBuilder::stream_idle_timeout`).
            builder: HttpTransport::builder()
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                .read_idle_timeout(None),
            invalid: None,
            explicit: Vec::new(),
        }
    }
}

impl TransportSettings {
    pub(crate) fn connect_timeout(&mut self, timeout: Duration) {
        self.set("connect_timeout", |b| b.connect_timeout(timeout));
    }

    pub(crate) fn proxy(&mut self, url: &str) {
        match Proxy::all(url) {
            Ok(proxy) => self.set("proxy", |b| b.proxy(proxy)),
            Err(error) => {
                self.mark("proxy");
                self.invalid.get_or_insert(("proxy", error));
            }
        }
    }

    pub(crate) fn no_proxy(&mut self) {
        self.set("no_proxy", |b| b.no_proxy());
    }

    pub(crate) fn add_root_certificate(&mut self, der: Vec<u8>) {
        self.set("add_root_certificate", |b| b.add_root_certificate(der));
    }

    fn set(
        &mut self,
        name: &'static str,
        apply: impl FnOnce(claude_rs_transport::Builder) -> claude_rs_transport::Builder,
    ) {
        let builder = std::mem::take(&mut self.builder);
        self.builder = apply(builder);
        self.mark(name);
    }

    fn mark(&mut self, name: &'static str) {
        if !self.explicit.contains(&name) {
            self.explicit.push(name);
        }
    }

    /// Builds the transport.
    pub(crate) fn build(self) -> Result<HttpTransport, Error> {
        if let Some((setting, error)) = self.invalid {
            return Err(transport_error(
                format!("the `{setting}` setting is invalid"),
                error,
            ));
        }
        self.builder.build().map_err(|error| {
            transport_error("the HTTP transport cannot be built".to_owned(), error)
        })
    }

    /// Checks that nothing was set for the built-in transport when a custom
    /// one replaces it: it was built before and cannot take these settings.
    pub(crate) fn unused(&self) -> Result<(), Error> {
        if self.explicit.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = self.explicit.iter().map(|n| format!("`{n}`")).collect();
        Err(Error::config(
            ConfigKind::Transport,
            format!(
                "{} configure the built-in transport, which `transport(..)` replaces; \
                 set them on the transport given instead",
                names.join(", ")
            ),
        ))
    }
}

fn transport_error(message: String, error: claude_rs_transport::Error) -> Error {
    Error::Config {
        kind: ConfigKind::Transport,
        message,
        source: Some(Box::new(error)),
    }
}
