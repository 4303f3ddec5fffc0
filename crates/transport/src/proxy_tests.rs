use std::collections::HashMap;

use super::*;

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn routed(proxy: &Proxy, dst: &str) -> Option<String> {
    let matcher = proxy.clone().into_matcher();
    matcher
        .route(&dst.parse().unwrap())
        .map(|r| r.uri.authority().unwrap().to_string())
}

#[test]
fn no_proxy_variables_means_no_proxy() {
    assert!(Proxy::from_lookup(env(&[])).unwrap().is_none());
    assert!(
        Proxy::from_lookup(env(&[("NO_PROXY", "*")]))
            .unwrap()
            .is_none()
    );
    assert!(
        Proxy::from_lookup(env(&[("HTTPS_PROXY", "  ")]))
            .unwrap()
            .is_none()
    );
}

#[test]
fn scheme_specific_variables_apply_to_their_scheme() {
    let proxy = Proxy::from_lookup(env(&[
        ("HTTPS_PROXY", "http://secure:3128"),
        ("http_proxy", "plain:8080"),
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(
        routed(&proxy, "https://api.example.com/v1").as_deref(),
        Some("secure:3128")
    );
    assert_eq!(
        routed(&proxy, "http://api.example.com/v1").as_deref(),
        Some("plain:8080")
    );
}

#[test]
fn uppercase_wins_over_lowercase() {
    let proxy = Proxy::from_lookup(env(&[
        ("HTTPS_PROXY", "http://upper:1"),
        ("https_proxy", "http://lower:2"),
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(
        routed(&proxy, "https://a.example").as_deref(),
        Some("upper:1")
    );
}

#[test]
fn cgi_ignores_uppercase_http_proxy() {
    let vars = [("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")];
    assert!(Proxy::from_lookup(env(&vars)).unwrap().is_none());
    let vars = [("REQUEST_METHOD", "GET"), ("http_proxy", "http://ok:1")];
    let proxy = Proxy::from_lookup(env(&vars)).unwrap().unwrap();
    assert_eq!(routed(&proxy, "http://a.example").as_deref(), Some("ok:1"));
}

#[test]
fn no_proxy_domain_suffix_ip_and_cidr_rules() {
    let proxy = Proxy::all("http://p:3128")
        .unwrap()
        .no_proxy("example.com, .internal.test,10.0.0.0/8, 192.168.1.5");
    // Domain and its subdomains, with or without the leading dot.
    assert_eq!(routed(&proxy, "https://example.com/"), None);
    assert_eq!(routed(&proxy, "https://api.example.com/"), None);
    assert_eq!(routed(&proxy, "https://svc.internal.test/"), None);
    // A suffix that is not at a label boundary does not match.
    assert_eq!(
        routed(&proxy, "https://notexample.com/").as_deref(),
        Some("p:3128")
    );
    // IPs and networks.
    assert_eq!(routed(&proxy, "http://10.1.2.3/"), None);
    assert_eq!(routed(&proxy, "http://192.168.1.5/"), None);
    assert_eq!(
        routed(&proxy, "http://192.168.1.6/").as_deref(),
        Some("p:3128")
    );
}

#[test]
fn no_proxy_star_disables_the_proxy() {
    let proxy = Proxy::from_lookup(env(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", "*")]))
        .unwrap()
        .unwrap();
    assert_eq!(routed(&proxy, "https://api.example.com/"), None);
}

#[test]
fn env_proxies_skip_loopback_but_explicit_ones_do_not() {
    let from_env = Proxy::from_lookup(env(&[("HTTP_PROXY", "http://p:1")]))
        .unwrap()
        .unwrap();
    assert_eq!(routed(&from_env, "http://127.0.0.1:8080/"), None);
    assert_eq!(routed(&from_env, "http://localhost:8080/"), None);
    assert_eq!(routed(&from_env, "http://[::1]:8080/"), None);
    let explicit = Proxy::all("http://p:1").unwrap();
    assert_eq!(
        routed(&explicit, "http://127.0.0.1:8080/").as_deref(),
        Some("p:1")
    );
}

#[test]
fn scheme_restricted_explicit_proxies() {
    let http_only = Proxy::http("http://p:1").unwrap();
    assert_eq!(routed(&http_only, "https://a.example/"), None);
    assert_eq!(
        routed(&http_only, "http://a.example/").as_deref(),
        Some("p:1")
    );
    let https_only = Proxy::https("http://p:1").unwrap();
    assert_eq!(routed(&https_only, "http://a.example/"), None);
}

#[test]
fn credentials_become_basic_auth_and_are_redacted() {
    let proxy = Proxy::all("http://user:s3cret@p:3128").unwrap();
    let debug = format!("{proxy:?}");
    assert!(
        !debug.contains("s3cret") && !debug.contains("user"),
        "{debug}"
    );
    let route = proxy
        .into_matcher()
        .route(&"https://a.example/".parse().unwrap())
        .unwrap();
    assert_eq!(route.redacted, "http://***@p:3128");
    let auth = route
        .auth
        .expect("credentials give a Proxy-Authorization value");
    assert!(auth.is_sensitive());
    // base64("user:s3cret")
    assert_eq!(auth, "Basic dXNlcjpzM2NyZXQ=");
}

#[test]
fn invalid_proxies_are_typed_errors_without_secrets() {
    let err = Proxy::all("socks5://user:pw@p:1080").unwrap_err();
    assert!(err.is_proxy());
    let msg = err.to_string();
    assert!(msg.contains("socks5") && !msg.contains("pw"), "{msg}");

    let err = Proxy::from_lookup(env(&[("HTTPS_PROXY", "https://u:hunter2@p:443")])).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("HTTPS_PROXY") && !msg.contains("hunter2"),
        "{msg}"
    );

    let err = Proxy::all("http://u:pw@bad host").unwrap_err();
    assert!(!err.to_string().contains("pw"), "{err}");
}
