//! Building the rustls client configuration.
//!
//! The crypto provider is passed explicitly, so no process-wide default
//! provider has to be installed and the transport behaves the same whatever
//! else in the program links rustls. By default it is rustls' aws-lc-rs
//! provider, whose TLS 1.3 key exchange offers the X25519MLKEM768
//! post-quantum hybrid first (then X25519, P-256, P-384); with only the
//! `ring` feature, the `ring` provider ([`crate::tls_ring`]).

use std::sync::{Arc, OnceLock};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use crate::error::Error;

/// TLS settings collected by the builder.
#[derive(Clone)]
pub(crate) struct TlsSettings {
    pub(crate) extra_roots: Vec<CertificateDer<'static>>,
    pub(crate) built_in_roots: bool,
    pub(crate) http2: bool,
}

impl Default for TlsSettings {
    fn default() -> TlsSettings {
        TlsSettings {
            extra_roots: Vec::new(),
            built_in_roots: true,
            http2: true,
        }
    }
}

impl std::fmt::Debug for TlsSettings {
    // Certificates are public, but dumping their bytes helps nobody.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSettings")
            .field("extra_roots", &self.extra_roots.len())
            .field("built_in_roots", &self.built_in_roots)
            .field("http2", &self.http2)
            .finish()
    }
}

/// The crypto provider of every connection.
#[cfg(feature = "aws-lc-rs")]
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The crypto provider of every connection.
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(crate::tls_ring::provider())
}

#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!(
    "claude-rs-transport needs a TLS crypto provider: enable the `aws-lc-rs` feature (the \
     default) or the `ring` feature"
);

/// The TLS configuration, built on the first HTTPS connection: a client
/// that only ever talks plain HTTP (a local mock, a proxy on loopback)
/// never pays for the crypto provider and the root store.
///
/// [`check`](Self::check) runs at build time the checks that cost little
/// (each added root certificate parses, some root source is enabled), so a
/// mistake in the settings still fails the build; what only the full build
/// can tell (an operating system store with nothing usable in it, with
/// `native-roots`) fails the first HTTPS connection instead, with the same
/// [`Error::Config`].
pub(crate) struct LazyConfig {
    settings: TlsSettings,
    config: OnceLock<Result<Arc<ClientConfig>, String>>,
}

impl LazyConfig {
    /// Checks `settings` cheaply; the configuration is built later.
    pub(crate) fn check(settings: TlsSettings) -> Result<LazyConfig, Error> {
        if !settings.built_in_roots && settings.extra_roots.is_empty() {
            return Err(no_roots());
        }
        let mut roots = RootCertStore::empty();
        add_extra_roots(&mut roots, &settings.extra_roots)?;
        Ok(LazyConfig {
            settings,
            config: OnceLock::new(),
        })
    }

    /// The configuration, built on the first call.
    pub(crate) fn get(&self) -> Result<Arc<ClientConfig>, Error> {
        let built = self.config.get_or_init(|| {
            client_config(&self.settings).map_err(|error| match error {
                Error::Config { message } => message,
                other => other.to_string(),
            })
        });
        built.clone().map_err(Error::config)
    }
}

fn no_roots() -> Error {
    Error::config(
        "no trusted root certificates: enable the `webpki-roots` or `native-roots` \
         feature, or add one with `add_root_certificate`",
    )
}

fn add_extra_roots(
    roots: &mut RootCertStore,
    extra: &[CertificateDer<'static>],
) -> Result<(), Error> {
    for (index, der) in extra.iter().enumerate() {
        roots.add(der.clone()).map_err(|err| {
            Error::config(format!(
                "root certificate #{index} added with `add_root_certificate` is invalid: {err}"
            ))
        })?;
    }
    Ok(())
}

pub(crate) fn client_config(settings: &TlsSettings) -> Result<Arc<ClientConfig>, Error> {
    let provider = provider();
    let mut roots = RootCertStore::empty();
    if settings.built_in_roots {
        add_built_in_roots(&mut roots)?;
    }
    add_extra_roots(&mut roots, &settings.extra_roots)?;
    if roots.is_empty() {
        return Err(no_roots());
    }

    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| Error::config(format!("TLS protocol versions: {err}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // Offer h2 first so servers that speak it (the Claude API does) pick it;
    // everything else falls back to HTTP/1.1.
    config.alpn_protocols = if settings.http2 {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(Arc::new(config))
}

#[allow(unused_variables, clippy::unnecessary_wraps)]
fn add_built_in_roots(roots: &mut RootCertStore) -> Result<(), Error> {
    #[cfg(feature = "webpki-roots")]
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());

    #[cfg(feature = "native-roots")]
    {
        let loaded = rustls_native_certs::load_native_certs();
        // Individual unreadable or unparsable system certificates are
        // skipped, as every TLS stack does; only a store with nothing usable
        // in it is an error, and only if no other root source is enabled.
        let (added, _ignored) = roots.add_parsable_certificates(loaded.certs);
        if added == 0 && !cfg!(feature = "webpki-roots") {
            let detail = loaded
                .errors
                .first()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            return Err(Error::config(format!(
                "no usable certificates in the operating system's root store{detail}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_root_certificate_is_a_config_error() {
        let settings = TlsSettings {
            extra_roots: vec![CertificateDer::from(vec![1, 2, 3])],
            ..TlsSettings::default()
        };
        let err = client_config(&settings).unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        assert!(err.to_string().contains("root certificate #0"), "{err}");
    }

    #[test]
    fn no_roots_at_all_is_a_config_error() {
        let settings = TlsSettings {
            built_in_roots: false,
            ..TlsSettings::default()
        };
        assert!(matches!(
            client_config(&settings),
            Err(Error::Config { .. })
        ));
    }

    #[test]
    fn lazy_config_checks_the_settings_at_once_and_builds_on_first_use() {
        let garbage = TlsSettings {
            extra_roots: vec![CertificateDer::from(vec![1, 2, 3])],
            ..TlsSettings::default()
        };
        let err = LazyConfig::check(garbage).err().expect("a config error");
        assert!(err.to_string().contains("root certificate #0"), "{err}");
        let none = TlsSettings {
            built_in_roots: false,
            ..TlsSettings::default()
        };
        assert!(matches!(LazyConfig::check(none), Err(Error::Config { .. })));

        let lazy = LazyConfig::check(TlsSettings::default()).expect("valid settings");
        assert!(lazy.config.get().is_none(), "built before its first use");
        let first = lazy.get().expect("a config");
        assert!(Arc::ptr_eq(&first, &lazy.get().expect("the same config")));
    }

    #[test]
    fn alpn_follows_http2_setting() {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let mut settings = TlsSettings {
            extra_roots: vec![cert.cert.der().clone()],
            built_in_roots: false,
            http2: true,
        };
        assert_eq!(client_config(&settings).unwrap().alpn_protocols[0], b"h2");
        settings.http2 = false;
        assert_eq!(
            client_config(&settings).unwrap().alpn_protocols,
            vec![b"http/1.1".to_vec()]
        );
    }
}
