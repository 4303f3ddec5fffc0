//! Proxy configuration: explicit settings and the conventional environment
//! variables, with `NO_PROXY` exceptions.
//!
//! Matching is delegated to hyper-util's `client::proxy::matcher` (curl's
//! rules); this module adds validation with typed errors, credential
//! redaction, and the environment lookup as a thin layer over a pure function
//! so it can be tested without mutating the process environment.

use std::fmt;
use std::net::IpAddr;

use http::Uri;
use http::header::HeaderValue;
use hyper_util::client::proxy::matcher::{Intercept, Matcher};

use crate::error::Error;

/// Which proxies to use for which destinations.
///
/// Only `http://` proxies are supported. HTTPS destinations are reached
/// through them with a `CONNECT` tunnel, so TLS stays end-to-end and the proxy
/// never sees request headers; plain HTTP destinations are forwarded with an
/// absolute-form request URI.
///
/// Credentials in a proxy URI (`http://user:pass@proxy:3128`) are sent as
/// `Proxy-Authorization: Basic`, and are redacted from `Debug` output and
/// error messages.
#[derive(Clone)]
pub struct Proxy {
    http: Option<Target>,
    https: Option<Target>,
    no_proxy: String,
    /// Set for proxies from the environment: they never apply to loopback
    /// destinations (see [`Builder::proxy_from_env`](crate::Builder::proxy_from_env)).
    bypass_loopback: bool,
}

#[derive(Clone)]
struct Target {
    /// The URI as given (normalised to have a scheme); may hold credentials.
    raw: String,
    /// `scheme://[***@]host:port`, safe to print.
    redacted: String,
}

impl Proxy {
    /// Uses the proxy at `uri` for every destination, HTTP and HTTPS.
    ///
    /// A URI without a scheme is taken as `http://`. Fails with
    /// [`Error::Proxy`] when `uri` is not an `http://` URI with a host.
    pub fn all(uri: &str) -> Result<Proxy, Error> {
        let target = Target::parse(uri, "the explicit proxy setting")?;
        Ok(Proxy::from_targets(Some(target.clone()), Some(target)))
    }

    /// Uses the proxy at `uri` for `http://` destinations only.
    pub fn http(uri: &str) -> Result<Proxy, Error> {
        let target = Target::parse(uri, "the explicit proxy setting")?;
        Ok(Proxy::from_targets(Some(target), None))
    }

    /// Uses the proxy at `uri` for `https://` destinations only.
    pub fn https(uri: &str) -> Result<Proxy, Error> {
        let target = Target::parse(uri, "the explicit proxy setting")?;
        Ok(Proxy::from_targets(None, Some(target)))
    }

    /// Destinations that bypass the proxy, in `NO_PROXY` syntax: a
    /// comma-separated list of hosts (matching the host and its subdomains;
    /// a leading `.` is optional), IP addresses, CIDR blocks
    /// (`10.0.0.0/8`), or `*` for everything.
    pub fn no_proxy(mut self, list: &str) -> Proxy {
        self.no_proxy = list.to_owned();
        self
    }

    fn from_targets(http: Option<Target>, https: Option<Target>) -> Proxy {
        Proxy {
            http,
            https,
            no_proxy: String::new(),
            bypass_loopback: false,
        }
    }

    /// Reads `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or their lowercase
    /// forms) through `lookup`. `None` means no proxy variable is set.
    ///
    /// The uppercase name wins, as in curl. When `REQUEST_METHOD` is set the
    /// process is a CGI script, where `HTTP_PROXY` can be injected by a
    /// client's `Proxy:` request header ("httpoxy"), so only the lowercase
    /// `http_proxy` is honoured then.
    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Proxy>, Error> {
        let get = |names: &[&'static str]| {
            names.iter().find_map(|&name| {
                lookup(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (name, v))
            })
        };
        let is_cgi = lookup("REQUEST_METHOD").is_some();
        let http_names: &[&str] = if is_cgi {
            &["http_proxy"]
        } else {
            &["HTTP_PROXY", "http_proxy"]
        };
        let parse = |found: Option<(&str, String)>| {
            found
                .map(|(name, value)| {
                    Target::parse(value.trim(), &format!("environment variable {name}"))
                })
                .transpose()
        };
        let http = parse(get(http_names))?;
        let https = parse(get(&["HTTPS_PROXY", "https_proxy"]))?;
        if http.is_none() && https.is_none() {
            return Ok(None);
        }
        let no_proxy = get(&["NO_PROXY", "no_proxy"])
            .map(|(_, v)| v)
            .unwrap_or_default();
        let mut proxy = Proxy::from_targets(http, https).no_proxy(&no_proxy);
        proxy.bypass_loopback = true;
        Ok(Some(proxy))
    }

    pub(crate) fn from_env() -> Result<Option<Proxy>, Error> {
        Proxy::from_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn into_matcher(self) -> ProxyMatcher {
        let mut builder = Matcher::builder().no(self.no_proxy.as_str());
        if let Some(t) = &self.http {
            builder = builder.http(t.raw.as_str());
        }
        if let Some(t) = &self.https {
            builder = builder.https(t.raw.as_str());
        }
        ProxyMatcher {
            matcher: builder.build(),
            http: self.http.map(|t| t.redacted),
            https: self.https.map(|t| t.redacted),
            bypass_loopback: self.bypass_loopback,
        }
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("http", &self.http.as_ref().map(|t| &t.redacted))
            .field("https", &self.https.as_ref().map(|t| &t.redacted))
            .field("no_proxy", &self.no_proxy)
            .field("bypass_loopback", &self.bypass_loopback)
            .finish()
    }
}

impl Target {
    fn parse(input: &str, origin: &str) -> Result<Target, Error> {
        let raw = if input.contains("://") {
            input.to_owned()
        } else {
            format!("http://{input}")
        };
        let invalid = |reason: String| Error::Proxy {
            proxy: redact_proxy_str(&raw),
            reason: format!("invalid proxy URI in {origin}: {reason}"),
            source: None,
        };
        let uri: Uri = raw.parse().map_err(|_| invalid("not a valid URI".into()))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some(other) => {
                return Err(invalid(format!(
                    "unsupported proxy scheme `{other}` (only http:// proxies are supported)"
                )));
            }
            None => return Err(invalid("missing scheme".into())),
        }
        let authority = uri
            .authority()
            .filter(|a| !a.host().is_empty())
            .ok_or_else(|| invalid("missing host".into()))?;
        let has_credentials = authority.as_str().contains('@');
        let redacted = format!(
            "http://{}{}:{}",
            if has_credentials { "***@" } else { "" },
            authority.host(),
            authority.port_u16().unwrap_or(80),
        );
        Ok(Target { raw, redacted })
    }
}

/// Redacts the user-info of a proxy URI string that may not even parse.
fn redact_proxy_str(raw: &str) -> String {
    let (scheme, rest) = raw.split_once("://").unwrap_or(("", raw));
    let rest = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match rest.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => rest.to_owned(),
    };
    if scheme.is_empty() {
        host
    } else {
        format!("{scheme}://{host}")
    }
}

/// The resolved proxy rules used by the connector.
pub(crate) struct ProxyMatcher {
    matcher: Matcher,
    http: Option<String>,
    https: Option<String>,
    bypass_loopback: bool,
}

/// A proxy chosen for one destination.
pub(crate) struct Route {
    /// `http://host:port/` of the proxy, without credentials.
    pub(crate) uri: Uri,
    /// The `Proxy-Authorization` value, marked sensitive.
    pub(crate) auth: Option<HeaderValue>,
    /// The proxy URI, safe to print.
    pub(crate) redacted: String,
}

impl ProxyMatcher {
    /// The proxy to use for `dst`, or `None` to connect directly.
    pub(crate) fn route(&self, dst: &Uri) -> Option<Route> {
        let host = dst.host()?;
        if self.bypass_loopback && is_loopback(host) {
            return None;
        }
        let intercept: Intercept = self.matcher.intercept(dst)?;
        let redacted = match dst.scheme_str() {
            Some("https") => self.https.clone(),
            _ => self.http.clone(),
        }
        .unwrap_or_default();
        Some(Route {
            uri: intercept.uri().clone(),
            auth: intercept.basic_auth().cloned(),
            redacted,
        })
    }
}

impl fmt::Debug for ProxyMatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyMatcher")
            .field("http", &self.http)
            .field("https", &self.https)
            .finish_non_exhaustive()
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return ip.is_loopback();
    }
    let lower = bare.trim_end_matches('.').to_ascii_lowercase();
    lower == "localhost" || lower.ends_with(".localhost")
}

#[cfg(test)]
#[path = "proxy_tests.rs"]
mod tests;
