//! The form in a real browser (headless chromium over WebDriver): filled by keyboard only, its
//! preview redrawn, the PDF downloaded and read back, focus always visible, and axe-core's
//! WCAG 2.1 AA rules without a violation. Skipped with a message where chromium, chromedriver
//! or axe-core (`npm ci` in tests/browser) are missing; in CI they must be there.

#![cfg(feature = "serve")]

#[path = "util/browser.rs"]
mod browser;

use std::process::Command;

use browser::{Browser, Server, assert_no_violations, start_without_clinic};
use fantoccini::key::Key;

/// A fresh server (no clinic) with its form open in a fresh browser, and the fingerprint of
/// the preview once it has settled ([`settled`]); `None` (the test is skipped) where the
/// browser tools are missing.
async fn open_form() -> Option<(Server, Browser, String)> {
    let (server, b) = start_without_clinic().await?;
    b.goto(&server.url("/")).await;
    let (preview, _) = settled(&b).await;
    Some((server, b, preview))
}

/// Presses one key in the focused element.
async fn press(b: &Browser, key: Key) {
    b.keys(&char::from(key).to_string()).await;
}

/// The preview's pages as one fingerprint (their count and a hash of their pixels, drawn
/// onto a canvas), and the status line.
async fn preview(b: &Browser) -> (String, String) {
    let value = b
        .run(
            "const imgs = [...document.querySelectorAll('#preview-pages img')]; \
             let h = 0; \
             for (const img of imgs) { \
               if (!img.complete || !img.naturalWidth) return ['loading', '']; \
               const c = document.createElement('canvas'); c.width = 300; c.height = 424; \
               const g = c.getContext('2d'); g.drawImage(img, 0, 0, 300, 424); \
               const d = g.getImageData(0, 0, 300, 424).data; \
               for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i]) | 0; } \
             return [imgs.length + ':' + h, document.getElementById('preview-status').textContent];",
        )
        .await;
    let v = value.as_array().unwrap();
    (
        v[0].as_str().unwrap().to_string(),
        v[1].as_str().unwrap().to_string(),
    )
}

/// The preview once it has settled: no redraw due, every page drawn.
async fn settled(b: &Browser) -> (String, String) {
    b.wait_until(
        "the preview to settle",
        "return !document.getElementById('preview-pages').hasAttribute('aria-busy')",
    )
    .await;
    for _ in 0..100 {
        let now = preview(b).await;
        if now.0 != "loading" {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the preview's pages never finished loading");
}

/// Waits for the preview to settle; it must show pages, and differ from `before`.
async fn preview_changed(b: &Browser, before: &str) -> String {
    let (now, status) = settled(b).await;
    assert!(
        now != before && !now.starts_with("0:"),
        "the preview did not change from {before} ({status})"
    );
    assert!(status.starts_with("Pjecen fylder"), "{status}");
    now
}

/// The whole errand of the issue: a neck patient, three pieces of advice, a goal and the next
/// appointment, by keyboard only, then "Hent PDF" and the downloaded file read back.
#[tokio::test(flavor = "multi_thread")]
async fn a_neck_handout_made_by_keyboard_only_is_downloaded_with_its_choices() {
    let Some((_server, b, lumbar)) = open_form().await else {
        return;
    };
    b.screenshot("1-empty-form").await;

    // The region: Tab into the group, arrow to "Nakke" (a radio group is one tab stop).
    b.tab_to("region-lumbar").await;
    press(&b, Key::Right).await;
    assert_eq!(b.focused_id().await, "region-cervical");
    b.wait_until(
        "the neck's advice list",
        "return document.getElementById('advice-list').dataset.key === 'cervical-full'",
    )
    .await;
    let neck = preview_changed(&b, &lumbar).await;

    // Keep three pieces of advice: Space on every other checkbox of the list.
    let ids = b
        .strings("return [...document.querySelectorAll('input[name=advice]')].map(i => i.id)")
        .await;
    assert!(
        ids.len() > 3,
        "the neck has more than three pieces: {ids:?}"
    );
    let keep = [&ids[0], &ids[2], &ids[4]];
    b.type_at("patient", "Karin Holm").await;
    for id in &ids {
        b.tab_to(id).await;
        if !keep.contains(&id) {
            b.space().await;
        }
    }
    let ticked = b
        .run("return [...document.querySelectorAll('input[name=advice]:checked')].map(i => i.id)")
        .await;
    assert_eq!(ticked, serde_json::json!(keep));
    let three = preview_changed(&b, &neck).await;

    b.type_at("goals", "Gå en tur på 30 minutter hver dag")
        .await;
    let with_goal = preview_changed(&b, &three).await;

    b.tab_to("next-date").await;
    b.type_date("2026-12-03").await;
    b.tab_to("next-time").await;
    b.type_time("10:30").await;
    let values = b
        .run("return [document.getElementById('next-date').value, document.getElementById('next-time').value]")
        .await;
    assert_eq!(values, serde_json::json!(["2026-12-03", "10:30"]));
    preview_changed(&b, &with_goal).await;
    b.screenshot("2-filled-form").await;
    b.full_page_screenshot("3-filled-form-whole", 4000).await;

    // The picture for docs/serve-form.png: the filled form from the top, with its preview.
    b.client.set_window_size(1280, 1700).await.unwrap();
    b.run("window.scrollTo(0, 0); return true").await;
    b.screenshot("serve-form").await;
    b.client.set_window_size(1280, 1000).await.unwrap();

    b.tab_to("download").await;
    press(&b, Key::Enter).await;
    let pdf = b.download().await;
    let name = pdf.file_name().unwrap().to_str().unwrap().to_string();
    assert!(
        name.starts_with("pjece-nakke-") && name.ends_with(".pdf"),
        "{name}"
    );
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&out.stdout).replace('\u{ad}', "");
    let squashed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // "10.30" is the next appointment's time.
    for says in ["Karin Holm", "Gå en tur på 30 minutter hver dag", "10.30"] {
        assert!(squashed.contains(says), "{says}: {squashed}");
    }
    let leads = b
        .strings(
            "return [...document.querySelectorAll('input[name=advice]')]\
               .map(i => i.id + '|' + i.parentElement.querySelector('strong').textContent)",
        )
        .await;
    for lead in &leads {
        let (id, words) = lead.split_once('|').unwrap();
        let words: String = words.split_whitespace().collect::<Vec<_>>().join(" ");
        let chosen = keep.iter().any(|k| *k == id);
        assert_eq!(
            squashed.contains(&words),
            chosen,
            "{words:?} ({id}) should {}be in the PDF",
            if chosen { "" } else { "not " }
        );
    }
    b.close().await;
}

/// Every element Tab reaches shows where the focus is: an outline at least 2 px wide.
#[tokio::test(flavor = "multi_thread")]
async fn the_focus_is_visible_on_every_tab_stop() {
    let Some((_server, b, _)) = open_form().await else {
        return;
    };
    let mut seen = Vec::new();
    for _ in 0..200 {
        b.tab().await;
        let state = b
            .run(
                "const e = document.activeElement; const s = getComputedStyle(e); \
                 return [e.id || e.tagName + '.' + e.className, s.outlineStyle, \
                         parseFloat(s.outlineWidth)]",
            )
            .await;
        let id = state[0].as_str().unwrap().to_string();
        // A date or time field takes several Tabs (day, month, year): one stop here.
        if seen.last() == Some(&id) {
            continue;
        }
        // Past the last stop the focus leaves the page (the body), then starts over.
        if seen.first() == Some(&id) || id.starts_with("BODY") {
            break;
        }
        assert!(
            state[1] != "none" && state[2].as_f64().unwrap() >= 2.0,
            "no visible focus on {id}: {state}"
        );
        seen.push(id);
    }
    assert!(seen.len() > 20, "Tab reached only {seen:?}");
    b.tab_to("patient").await;
    b.screenshot("4-focus").await;
    b.close().await;
}

/// axe-core finds nothing on the empty form, on the form sent back with errors, and on the
/// form with a preview.
#[tokio::test(flavor = "multi_thread")]
async fn axe_core_finds_no_wcag_violations() {
    let Some((_server, b, _)) = open_form().await else {
        return;
    };
    assert_no_violations("on the form with its preview", &b.axe().await);

    // The page as it is before its script runs, and a form without its preview.
    b.run("document.getElementById('preview-pages').replaceChildren(); return true")
        .await;
    assert_no_violations("on the empty form", &b.axe().await);

    // A date without a time: the page comes back with an error summary and the field marked.
    b.tab_to("next-date").await;
    b.type_date("2026-12-03").await;
    b.tab_to("download").await;
    press(&b, Key::Enter).await;
    b.wait_until(
        "the error summary",
        "return !!document.getElementById('error-summary')",
    )
    .await;
    assert_eq!(
        b.focused_id().await,
        "error-summary",
        "the summary takes the focus, so it is read out"
    );
    let summary = b.text_of("#error-summary").await;
    assert!(summary.contains("klokkeslættet"), "{summary}");
    b.screenshot_and_axe("5-errors", "on the form with errors")
        .await;
    b.close().await;
}

/// Choosing the therapist's guide disables the patient's fields and says why; the guide's
/// preview is drawn; choosing the patient's handout again gives back what was typed.
#[tokio::test(flavor = "multi_thread")]
async fn the_guide_disables_the_patients_fields_and_says_why() {
    let Some((_server, b, handout)) = open_form().await else {
        return;
    };
    b.type_at("note", "Husk øvelserne").await;
    b.tab_to("audience-patient").await;
    press(&b, Key::Down).await;
    assert_eq!(b.focused_id().await, "audience-therapist");
    preview_changed(&b, &handout).await;
    let state = b
        .run(
            "return ['patient', 'advice', 'personal', 'therapist', 'date']\
               .map(id => document.getElementById(id).disabled)",
        )
        .await;
    assert_eq!(state, serde_json::json!([true, true, true, false, false]));
    let notice = b.text_of("#guide-notice").await;
    assert!(notice.contains("ingen personlige felter"), "{notice}");
    b.screenshot_and_axe("6-guide", "with the guide chosen")
        .await;

    press(&b, Key::Up).await;
    settled(&b).await;
    let back = b
        .run("return [document.getElementById('note').disabled, document.getElementById('note').value]")
        .await;
    assert_eq!(back, serde_json::json!([false, "Husk øvelserne"]));
    b.close().await;
}

/// A handout made by `pjece build` fills the form again: chosen with the file input and its
/// button (no script needed), and dropped on the page.
#[tokio::test(flavor = "multi_thread")]
async fn a_handout_from_pjece_build_fills_the_form_chosen_or_dropped() {
    let Some((server, b)) = start_without_clinic().await else {
        return;
    };
    let pdf = server.home.path().join("karin.pdf");
    let built = Command::new(env!("CARGO_BIN_EXE_pjece"))
        .args(["build", "--region", "cervical", "--no-clinic"])
        .args(["--advice", "hold-dig-aktiv,daglige-vaner,tag-ansvar"])
        .args(["--patient", "Karin Holm", "--goal", "Gå en tur hver dag"])
        .args(["--date", "2026-01-05", "-o"])
        .arg(&pdf)
        .env("XDG_CONFIG_HOME", server.home.path().join("no-config"))
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");

    let filled = async |b: &Browser| {
        b.wait_until(
            "the form filled from the handout",
            "return !!document.getElementById('reissue-notice')",
        )
        .await;
        let values = b
            .run(
                "return [document.getElementById('region-cervical').checked, \
                   document.getElementById('patient').value, \
                   document.getElementById('goals').value, \
                   document.getElementById('date').value, \
                   [...document.querySelectorAll('input[name=advice]:checked')].map(i => i.value)]",
            )
            .await;
        let today = jiff::ZonedDateTime::now().date().to_string();
        assert_eq!(
            values,
            serde_json::json!([
                true,
                "Karin Holm",
                "Gå en tur hver dag",
                today,
                ["hold-dig-aktiv", "daglige-vaner", "tag-ansvar"]
            ])
        );
    };

    b.goto(&server.url("/")).await;
    b.choose_file("#reissue-file", &pdf).await;
    b.tab_to("reissue-submit").await;
    press(&b, Key::Enter).await;
    filled(&b).await;
    settled(&b).await;
    b.screenshot_and_axe("7-reissued", "on the form filled from a handout")
        .await;

    b.goto(&server.url("/")).await;
    let bytes = std::fs::read(&pdf).unwrap();
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    b.client
        .execute(
            "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0)); \
             const dt = new DataTransfer(); \
             dt.items.add(new File([bytes], 'karin.pdf', { type: 'application/pdf' })); \
             for (const type of ['dragover', 'drop']) \
               document.querySelector('h1').dispatchEvent( \
                 new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true })); \
             return true;",
            vec![serde_json::json!(encoded)],
        )
        .await
        .unwrap();
    filled(&b).await;

    // A PDF of another program: the reason next to the file input, which has the focus.
    b.goto(&server.url("/")).await;
    let foreign = server.home.path().join("foreign.pdf");
    std::fs::write(
        &foreign,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    .unwrap();
    b.choose_file("#reissue-file", &foreign).await;
    b.click("#reissue-submit").await;
    b.wait_until(
        "the file's error",
        "return !document.getElementById('reissue-file-error').hidden",
    )
    .await;
    assert_eq!(b.focused_id().await, "reissue-file");
    b.screenshot_and_axe("8-reissue-error", "with a file's error")
        .await;
    b.close().await;
}
