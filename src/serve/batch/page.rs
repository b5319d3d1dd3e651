//! The "Mange på én gang" pages, written with maud: the upload form, and a batch's page
//! (its check table, progress, result). They work without script: a batch that moves
//! refreshes itself through a `<noscript>` refresh; with script, `batch.js` polls instead.

use maud::{Markup, html};

use super::super::page::document;
use super::job::{Problem, Progress, State};
use super::messages;
use super::{BATCH_JS, MAX_ROWS, UPLOAD_LIMIT};

/// What the upload form shows again after a refusal.
#[derive(Default, Clone)]
pub struct Chosen {
    pub region: String,
    pub variant: String,
    pub date: String,
    pub encoding: String,
    pub duplex: bool,
    pub combined: bool,
    pub go_on: bool,
}

fn frame(title: &str, moving: bool, body: Markup) -> Markup {
    document(
        title,
        html! {
            @if moving {
                noscript { meta http-equiv="refresh" content="2"; }
            }
            script src=(BATCH_JS.path) defer {}
        },
        html! {
            header.top {
                h1 { "Mange pjecer på én gang" }
                p { "Fra regnearkets eksport (CSV eller JSON Lines) til én ZIP-fil med en pjece til hver patient. " a href="/" { "Tilbage til formularen for én pjece" } }
            }
            main.batch { (body) }
        },
    )
}

fn problems_table(caption: &str, problems: &[Problem]) -> Markup {
    html! {
        table.problems {
            caption { (caption) }
            thead { tr { th scope="col" { "Række" } th scope="col" { "Kolonne" } th scope="col" { "Problem" } } }
            tbody #batch-failures {
                @for p in problems {
                    tr {
                        td { @if let Some(r) = p.row { (r) } @else { "–" } }
                        td { @if let Some(c) = p.column { (messages::column(c)) } @else { "–" } }
                        td { (p.message) }
                    }
                }
            }
        }
    }
}

fn radio(name: &str, value: &str, label: &str, chosen: &str) -> Markup {
    html! {
        div.option {
            input type="radio" name=(name) id={ (name) "-" (value) } value=(value) checked[value == chosen];
            label for={ (name) "-" (value) } { (label) }
        }
    }
}

/// The upload form, with the file's problems when it was refused.
pub fn upload(csrf: &str, chosen: &Chosen, errors: &[Problem]) -> Markup {
    let c = chosen;
    let encoding = if c.encoding.is_empty() {
        "utf-8"
    } else {
        c.encoding.as_str()
    };
    let title = if errors.is_empty() {
        "Mange på én gang"
    } else {
        "Fejl – Mange på én gang"
    };
    html! {
        (frame(title, false, html! {
            @if !errors.is_empty() {
                div.summary #error-summary role="alert" tabindex="-1" {
                    h2 { "Filen kan ikke bruges" }
                    @if errors.iter().any(|e| e.row.is_some()) {
                        (problems_table("Problemer i filen", errors))
                    } @else {
                        ul { @for e in errors { li { (e.message) } } }
                    }
                    p { "Ret filen, og vælg den igen herunder." }
                }
            }
            form #batch-form method="post" action="/batch" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                fieldset.group {
                    legend { h2 { "Filen" } }
                    div.field {
                        label for="file" { "Regnearkets eksport" }
                        p.hint #file-hint { "Vælg eller træk filen hertil: CSV (fx gemt i Excel som »CSV UTF-8«) eller JSON Lines. Højst " (UPLOAD_LIMIT / (1024 * 1024)) " MB og " (messages::count(MAX_ROWS)) " rækker. Filen tjekkes først; der laves intet, før du trykker »Lav pjecer«." }
                        input type="file" id="file" name="file" accept=".csv,.txt,.jsonl,.ndjson,text/csv" required aria-describedby="file-hint";
                    }
                    fieldset.choice {
                        legend { "Tegnsæt" }
                        (radio("encoding", "utf-8", "UTF-8 (»CSV UTF-8«)", encoding))
                        (radio("encoding", "windows-1252", "Windows-1252 (Excels ældre »CSV (semikolonsepareret)«)", encoding))
                        (radio("encoding", "macintosh", "Mac Roman (Excel til Mac)", encoding))
                        (radio("encoding", "cp850", "CP850 (DOS, ældre patientsystemer)", encoding))
                    }
                }
                fieldset.group {
                    legend { h2 { "Til rækker uden egen værdi" } }
                    fieldset.choice {
                        legend { "Område" }
                        (radio("region", "", "Står i filen", &c.region))
                        (radio("region", "lumbar", "Lænd", &c.region))
                        (radio("region", "cervical", "Nakke", &c.region))
                    }
                    fieldset.choice {
                        legend { "Udgave" }
                        (radio("variant", "full", "Fuld udgave", if c.variant.is_empty() { "full" } else { &c.variant }))
                        (radio("variant", "short", "Kort udgave (PIXI)", &c.variant))
                    }
                    div.field {
                        label for="date" { "Dato" }
                        p.hint #date-hint { "Tom: dagens dato." }
                        input type="date" id="date" name="date" value=(c.date) aria-describedby="date-hint";
                    }
                }
                fieldset.group {
                    legend { h2 { "Udskrift" } }
                    div.option {
                        input type="checkbox" name="combined" id="combined" value="ja" checked[c.combined];
                        label for="combined" { "Også én samlet PDF med alle pjecer til printeren (samlet.pdf)" }
                    }
                    div.option {
                        input type="checkbox" name="duplex" id="duplex" value="ja" checked[c.duplex];
                        label for="duplex" { "Dobbeltsidet: hver pjece i den samlede PDF fylder et lige antal sider" }
                    }
                    div.option {
                        input type="checkbox" name="go_on" id="go_on" value="ja" checked[c.go_on];
                        label for="go_on" { "Lav pjecerne med det samme, hvis tjekket ikke finder problemer" }
                    }
                }
                div.actions { button.primary type="submit" { "Tjek filen" } }
            }
        }))
    }
}

/// A batch's page: where it is, and what the user can do next.
pub fn job(id: &str, csrf: &str, p: &Progress) -> Markup {
    let status_url = format!("/api/batch/{id}");
    let title = match p.state {
        State::Checking => "Filen tjekkes",
        State::Checked => "Filen er tjekket",
        State::Queued => "Venter på tur",
        State::Running => "Pjecerne laves",
        State::Done => "Pjecerne er klar",
        State::Failed => "Kørslen stoppede",
        State::Cancelled => "Annulleret",
    };
    let cancel = html! {
        form.inline method="post" action={ "/batch/" (id) "/cancel" } {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" { "Annullér" }
        }
    };
    html! {
        (frame(title, p.state.moving(), html! {
            h2 { (title) }
            @for w in &p.warnings { p.hint { (w) } }
            div #batch-progress data-status-url=(status_url) data-state=(p.state.name()) {
                @if p.state.moving() {
                    p role="status" {
                        span #batch-done { (p.done) } " af " span #batch-total { (p.total) } " rækker"
                        @if p.state == State::Checking { " tjekket" } @else { " færdige" }
                        "; " span #batch-failed { (p.failed) } " med problemer."
                    }
                    progress #batch-bar max=(p.total.max(1)) value=(p.done) { (p.done) " af " (p.total) }
                }
                @match p.state {
                    State::Checked => {
                        @if p.failed == 0 {
                            p { "Alle " (p.total) " rækker kan laves." }
                        } @else if p.failed == p.total {
                            // Nothing to make: no button that would make an empty ZIP file.
                            p { "Ingen af de " (p.total) " rækker kan laves. Ret dem i regnearket, og send filen igen." }
                            (problems_table("Rækker med problemer", &p.rows))
                            p { a href="/batch" { "Vælg en ny fil" } }
                        } @else {
                            p { (p.failed) " af " (p.total) " rækker har problemer. De andre kan laves nu; ret rækkerne i regnearket, og send filen igen for at lave resten." }
                            (problems_table("Rækker med problemer", &p.rows))
                        }
                        @if p.failed < p.total {
                            form.inline method="post" action={ "/batch/" (id) "/start" } {
                                input type="hidden" name="csrf" value=(csrf);
                                button.primary type="submit" { "Lav pjecer" }
                            }
                            " "
                        }
                        (cancel)
                    }
                    State::Checking | State::Queued | State::Running => { (cancel) }
                    State::Done => {
                        @if p.result {
                            p { (p.done - p.failed) " pjecer er lavet" @if p.failed > 0 { "; " (p.failed) " rækker kunne ikke laves (se oversigt.csv i ZIP-filen)" } "." }
                            p { a.button.primary href={ (status_url) "/result" } download="pjecer.zip" { "Hent ZIP-filen" } }
                            p.hint { "pjece sletter sin egen kopi, når du har hentet filen, eller efter 30 minutter." }
                        } @else {
                            p { "ZIP-filen er hentet og slettet her. " a href="/batch" { "Lav flere" } }
                        }
                    }
                    State::Failed => {
                        p.error { (p.error.as_deref().unwrap_or(messages::GONE)) }
                        p { a href="/batch" { "Prøv igen" } }
                    }
                    State::Cancelled => {
                        p { "Kørslen er stoppet, og alt fra den er slettet. " a href="/batch" { "Vælg en fil" } }
                    }
                }
                // A checked file's table is shown above its buttons: which rows to fix comes
                // before the choice to make the rest.
                @if p.state != State::Checked && (!p.rows.is_empty() || p.state.moving()) {
                    (problems_table(if p.state == State::Checking { "Rækker med problemer" } else { "Rækker, der ikke kunne laves" }, &p.rows))
                }
            }
        }))
    }
}

/// A batch that is not (or no longer) here.
pub fn gone() -> Markup {
    frame(
        "Findes ikke",
        false,
        html! {
            p { (messages::GONE) " " a href="/batch" { "Vælg en fil" } }
        },
    )
}
