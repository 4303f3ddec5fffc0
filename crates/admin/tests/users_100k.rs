//! Listing 100,000 users walks the pages lazily: the process's memory
//! while the listing runs stays that of a page or two, not of the
//! organization. Measured from Linux's `/proc/self/status` (the peak
//! resident set, `VmHWM`, against the resident set once the first page is
//! in); elsewhere only the count and order are checked. The mock runs in
//! this process too; its users are generated from their index, so it holds
//! none of them.

use claude_rs_admin::Admin;
use claude_rs_admin::users::UsersListQuery;
use claude_rs_client::Client;
use claude_rs_mock::MockServer;

/// A `kB` figure of `/proc/self/status`, on Linux.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

const USERS: usize = 100_000;

#[tokio::test(flavor = "current_thread")]
async fn listing_100k_users_holds_a_page_at_a_time() {
    let mock = MockServer::builder().admin_users(USERS).start().await;
    let client = Client::builder()
        .admin_key("sk-ant-admin01-test")
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let admin = Admin::new(client);

    let mut users = admin
        .users()
        .list(&UsersListQuery::default())
        .limit(1000)
        .into_stream();
    // The first page is in: measure from here.
    let first = users.next().await.unwrap().unwrap();
    let baseline = status_kb("VmRSS:");

    let mut count = 1;
    let mut last = first.id;
    while let Some(user) = users.next().await {
        let user = user.unwrap();
        assert!(user.id > last, "out of order: {} after {last}", user.id);
        last = user.id;
        count += 1;
    }
    assert_eq!(count, USERS);
    if let (Some(baseline), Some(peak)) = (baseline, status_kb("VmHWM:")) {
        // A page of 1,000 users is a few hundred kB as JSON and as values;
        // the whole organization would be tens of MB.
        let growth = peak.saturating_sub(baseline);
        eprintln!(
            "resident {baseline} kB after the first page, peak {peak} kB after {USERS} users"
        );
        assert!(
            growth < 16 * 1024,
            "memory grew by {growth} kB while listing"
        );
    }
}
