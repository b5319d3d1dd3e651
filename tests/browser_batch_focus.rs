//! WCAG 2.4.11 (focus not obscured): at 1280 × 800, every control reached with Tab is in view
//! and not under the button bar, on the batch page (whose sticky bar with »Tjek filen« covered
//! the »Udskrift« checkboxes until the user scrolled) and on the single handout's form. Headless chromium over WebDriver,
//! as tests/browser_batch.rs; skipped with a message where the tools are missing.

#![cfg(feature = "serve")]

#[path = "util/browser.rs"]
mod browser;
mod util;

use browser::{Browser, Server, available};

/// Tabs through every control of the page at `path` (at 1280 × 800); each must be in view and
/// not under the bar. Returns the ids reached, in order.
async fn tab_through(b: &Browser, server: &Server, path: &str) -> Vec<String> {
    b.goto(&server.url(path)).await;
    b.wait_until(
        "the page",
        "return document.readyState === 'complete' && !!document.querySelector('.actions')",
    )
    .await;
    // Where the focused element is against the viewport and the bar: its id when hidden.
    // The focused element's id (or markup) when it is out of view or (any part) under the bar.
    // A region taller than half the window (the scrolling preview) need only be partly in view.
    let hidden = "const e = document.activeElement; \
        const r = e.getBoundingClientRect(); \
        const bar = document.querySelector('.actions').getBoundingClientRect(); \
        const h = window.innerHeight; \
        const inView = r.bottom > 0 && r.top < h \
            && (r.height > h / 2 || (r.top >= 0 && r.bottom <= h)); \
        const under = e.closest('.actions') === null \
            && r.bottom > bar.top && r.top < bar.bottom && r.right > bar.left && r.left < bar.right; \
        return (!inView || under) ? (e.id || e.outerHTML.slice(0, 80)) : '';";
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..300 {
        b.tab().await;
        // Past the last control the focus leaves the page: the round is complete.
        let left = "const e = document.activeElement; return !e || e === document.body";
        if b.run(left).await.as_bool() == Some(true) {
            break;
        }
        let id = b.focused_id().await;
        let problem = b.run(hidden).await;
        assert_eq!(
            problem.as_str(),
            Some(""),
            "{path}: #{id} is focused but hidden (after {seen:?})"
        );
        // A date input takes several Tabs (day, month, year).
        if seen.last() != Some(&id) {
            seen.push(id);
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread")]
async fn no_focused_control_is_hidden_under_the_button_bar() {
    if !available("browser test") {
        return;
    }
    let server = Server::start(&["--no-clinic"]);
    let b = Browser::start().await;
    b.client.set_window_size(1280, 800).await.unwrap();
    let seen = tab_through(&b, &server, "/batch").await;
    for id in ["combined", "duplex", "go_on"] {
        assert!(
            seen.iter().any(|s| s == id),
            "Tab never reached #{id}: {seen:?}"
        );
    }
    b.tab_to("go_on").await;
    b.screenshot("batch-focus-go-on").await;
    // The single handout's long form keeps its bar in view; focus scrolls clear of it.
    let seen = tab_through(&b, &server, "/").await;
    for id in ["patient", "note", "large-print"] {
        assert!(
            seen.iter().any(|s| s == id),
            "Tab never reached #{id}: {seen:?}"
        );
    }
    b.close().await;
}
