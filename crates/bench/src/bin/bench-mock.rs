//! `bench-mock`: the mock serving a benchmark stream.
//!
//! ```text
//! bench-mock [--stream deltas|mixed|recorded] [--events N] [--drip-ms MS]
//!            [--port N] [--exit-on-stdin-eof]
//! ```
//!
//! Prints its base URL on the first line of standard output, then serves
//! until killed (or, with `--exit-on-stdin-eof`, until its standard input
//! closes: the parent process ended).

use std::io::Read as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use claude_rs_bench::serve::{self, ServeOptions};
use claude_rs_bench::streams::Kind;
use claude_rs_bench::{arg, arg_usize, flag};

#[allow(clippy::print_stdout)] // The URL is this program's output.
fn main() {
    let kind = arg("--stream").map_or(Some(Kind::TextDeltas), |name| Kind::parse(&name));
    let Some(kind) = kind else {
        eprintln!("bench-mock: --stream deltas|mixed|recorded");
        std::process::exit(2);
    };
    let options = ServeOptions {
        kind,
        events: arg_usize("--events", 200_000),
        drip: arg("--drip-ms")
            .and_then(|ms| ms.parse().ok())
            .map(Duration::from_millis),
    };
    let port = arg_usize("--port", 0) as u16;
    if flag("--exit-on-stdin-eof") {
        std::thread::spawn(|| {
            let mut sink = [0u8; 64];
            while matches!(std::io::stdin().read(&mut sink), Ok(n) if n > 0) {}
            std::process::exit(0);
        });
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let server = if port == 0 {
            serve::start(options).await
        } else {
            let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            serve::start_at(options, address).await
        };
        println!("{}", server.base_url());
        std::future::pending::<()>().await;
    });
}
